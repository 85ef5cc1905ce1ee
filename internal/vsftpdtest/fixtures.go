package vsftpdtest

// What every server needs from the machine: the test user, its chroot
// folder with the sample files, and a self-signed certificate.

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// account is the test user's numeric ids.
type account struct {
	uid, gid int
}

var (
	userOnce sync.Once
	userAcct account
	userErr  error
)

// ensureUser creates the test user if needed and sets its password, once
// per process.
func ensureUser() (account, error) {
	userOnce.Do(func() {
		userAcct, userErr = setUpUser()
		if userErr != nil {
			userErr = fmt.Errorf("setting up the test user %s: %w", testUser, userErr)
		}
	})
	return userAcct, userErr
}

// setUpUser does the work of ensureUser, holding a lock file so that test
// processes running at the same time do not edit /etc/passwd together.
func setUpUser() (account, error) {
	lockPath := filepath.Join(os.TempDir(), "ftpscope-vsftpdtest-user.lock")
	lock, err := os.OpenFile(lockPath, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return account{}, fmt.Errorf("opening the lock file: %w", err)
	}
	defer lock.Close()
	unlock, err := lockExclusive(lock)
	if err != nil {
		return account{}, fmt.Errorf("locking %s: %w", lockPath, err)
	}
	defer unlock()

	u, err := user.Lookup(testUser)
	var unknown user.UnknownUserError
	switch {
	case errors.As(err, &unknown):
		if err := command(nil, "useradd", "--create-home", "--shell", "/bin/bash",
			"--comment", "ftpscope vsftpd test user", testUser); err != nil {
			return account{}, err
		}
		if u, err = user.Lookup(testUser); err != nil {
			return account{}, fmt.Errorf("looking the user up after useradd: %w", err)
		}
	case err != nil:
		return account{}, fmt.Errorf("looking the user up: %w", err)
	default:
		// An existing user may have a shell that pam_shells refuses.
		if err := ensureShell(); err != nil {
			return account{}, err
		}
	}
	if err := command(strings.NewReader(testUser+":"+testPassword+"\n"), "chpasswd"); err != nil {
		return account{}, err
	}
	if err := checkFTPUsers(); err != nil {
		return account{}, err
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return account{}, fmt.Errorf("user id %q: %w", u.Uid, err)
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return account{}, fmt.Errorf("group id %q: %w", u.Gid, err)
	}
	return account{uid: uid, gid: gid}, nil
}

// ensureShell gives the test user /bin/bash unless its shell is already a
// valid login shell.
func ensureShell() error {
	out, err := exec.Command("getent", "passwd", testUser).Output()
	if err != nil {
		return fmt.Errorf("getent passwd %s: %w", testUser, err)
	}
	fields := strings.Split(strings.TrimSpace(string(out)), ":")
	shell := fields[len(fields)-1]
	shells, err := os.ReadFile("/etc/shells")
	if err != nil {
		return fmt.Errorf("reading /etc/shells: %w", err)
	}
	for _, line := range strings.Split(string(shells), "\n") {
		if strings.TrimSpace(line) == shell && shell != "" {
			return nil
		}
	}
	return command(nil, "usermod", "--shell", "/bin/bash", testUser)
}

// checkFTPUsers fails when /etc/ftpusers, which Debian's PAM configuration
// for vsftpd uses as a deny list, names the test user.
func checkFTPUsers() error {
	b, err := os.ReadFile("/etc/ftpusers")
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading /etc/ftpusers: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(line) == testUser {
			return fmt.Errorf("/etc/ftpusers lists %s, so PAM refuses its FTP logins; remove it from that file", testUser)
		}
	}
	return nil
}

// command runs a program and reports its output when it fails.
func command(stdin *strings.Reader, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	if stdin != nil {
		cmd.Stdin = stdin
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}

// makeRoot creates a Server's root folder with hello.txt and big.bin, all
// owned by the test user.
func makeRoot(root string, acct account) error {
	if err := os.Mkdir(root, 0o755); err != nil {
		return fmt.Errorf("making the root folder: %w", err)
	}
	files := []struct {
		name string
		data []byte
	}{
		{"hello.txt", []byte(helloText)},
		{"big.bin", bigContent()},
	}
	for _, f := range files {
		p := filepath.Join(root, f.name)
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", f.name, err)
		}
		if err := os.Chown(p, acct.uid, acct.gid); err != nil {
			return fmt.Errorf("giving %s to the test user: %w", f.name, err)
		}
	}
	if err := os.Chown(root, acct.uid, acct.gid); err != nil {
		return fmt.Errorf("giving the root folder to the test user: %w", err)
	}
	return nil
}

var (
	bigOnce sync.Once
	bigData []byte
)

// bigContent returns big.bin's content (see Server.Root). Callers must not
// modify it.
func bigContent() []byte {
	bigOnce.Do(func() {
		bigData = make([]byte, 0, bigSize)
		var block [len("ftpscope big.bin") + 8]byte
		copy(block[:], "ftpscope big.bin")
		for i := uint64(0); len(bigData) < bigSize; i++ {
			binary.BigEndian.PutUint64(block[len("ftpscope big.bin"):], i)
			sum := sha256.Sum256(block[:])
			bigData = append(bigData, sum[:]...)
		}
	})
	return bigData
}

// keyPair is a PEM certificate and its private key.
type keyPair struct {
	certPEM, keyPEM []byte
}

var (
	certOnce sync.Once
	certPair keyPair
	certErr  error
)

// certificate returns the self-signed certificate made once per process.
func certificate() (keyPair, error) {
	certOnce.Do(func() {
		certPair, certErr = makeCertificate()
		if certErr != nil {
			certErr = fmt.Errorf("making the self-signed certificate: %w", certErr)
		}
	})
	return certPair, certErr
}

// makeCertificate makes an ECDSA P-256 certificate for 127.0.0.1, ::1 and
// localhost.
func makeCertificate() (keyPair, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return keyPair{}, fmt.Errorf("generating the key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return keyPair{}, fmt.Errorf("choosing a serial number: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "ftpscope vsftpd test", Organization: []string{"ftpscope tests"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(7 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return keyPair{}, fmt.Errorf("signing the certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return keyPair{}, fmt.Errorf("encoding the key: %w", err)
	}
	return keyPair{
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		keyPEM:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
	}, nil
}
