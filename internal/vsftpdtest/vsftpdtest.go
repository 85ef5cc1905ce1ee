// Package vsftpdtest starts a real vsftpd on loopback for integration tests.
//
// Each call to Start runs its own vsftpd 3.x process in the foreground
// (background=NO) as a child of the test process. It listens on 127.0.0.1,
// or on ::1 when Options.IPv6 is set, on a free unprivileged port, with a
// small passive port range of its own. Nothing listens on, or talks to, any
// address outside 127.0.0.0/8 and ::1.
//
// The server needs root: vsftpd must start as root to authenticate local
// users through PAM and to chroot them. Start therefore skips the test when
// vsftpd is not installed or the test is not running as root, unless the
// environment variable FTPSCOPE_REQUIRE_INTEROP is 1, in which case it
// fails the test instead.
//
// Local logins use one system user, ftpscopetest, which Start creates with
// useradd (login shell /bin/bash, so Debian's pam_shells accepts it) the
// first time it runs on a machine, and whose password it sets with chpasswd
// once per test process. Every Server gets its own chroot folder owned by
// that user.
//
// TLS versions: vsftpd 3.0.3 (Debian 12) has only the options ssl_sslv2,
// ssl_sslv3 and ssl_tlsv1, and ssl_tlsv1=NO turns off TLS 1.0 alone (TLS
// 1.2 and 1.3 still work); it has no ssl_tlsv1_1, ssl_tlsv1_2 or
// ssl_tlsv1_3. The highest version it negotiates is whatever the OpenSSL
// library allows, which on Debian 12 (OpenSSL 3.0) is TLS 1.3.
// Options.TLSv13 is therefore implemented outside vsftpd: when it is
// false, the vsftpd process runs with an OpenSSL configuration file
// (environment variable OPENSSL_CONF) whose MaxProtocol is TLSv1.2. For
// ECDHE vsftpd offers only the P-256 group, so a Go client (whose default
// key shares are X25519MLKEM768 and X25519) gets a HelloRetryRequest under
// TLS 1.3 and ends up with CurveP256.
//
// Behaviour of vsftpd 3.0.3 worth knowing when writing tests against it:
//
//   - A wrong password is answered with 530 after 1 to 3 seconds even
//     though Start sets delay_failed_login=0: the remaining delay is
//     pam_unix's own fail delay (2 seconds, randomized by ±50%).
//   - After a protected (PROT P) transfer from the server, vsftpd sends
//     its TLS close_notify and then waits for the client's close_notify
//     (tls.Conn.CloseWrite) or for the client to close the data
//     connection before it sends 226. A client that keeps the data
//     connection open while it waits for 226 waits forever.
//   - With require_ssl_reuse=YES, a protected data connection that does
//     not resume the control connection's TLS session completes its
//     handshake, is then closed without data, and the control connection
//     gets "150 …" followed by "522 SSL connection failed: session reuse
//     required", after which vsftpd ends the session (the control
//     connection is closed). A Go client resumes the session, under TLS
//     1.2 and TLS 1.3 alike, when its data connection's tls.Config has the
//     same ClientSessionCache and ServerName as the control connection's.
//   - With implicit_ssl=YES the control connection is TLS from the first
//     byte, but data connections stay clear until the client sends
//     PBSZ 0 and PROT P, as with AUTH TLS.
package vsftpdtest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	// testUser is the system user that logs in to every Server.
	testUser = "ftpscopetest"
	// testPassword is testUser's password. It is fixed, not random, so
	// that test processes running in parallel (go test runs packages
	// concurrently) do not overwrite each other's password.
	testPassword = "ftpscope-vsftpd-test"
	// requireEnv turns skips into failures when set to 1.
	requireEnv = "FTPSCOPE_REQUIRE_INTEROP"
	// pasvRange is the number of passive ports each Server gets.
	pasvRange = 8
	// readyTimeout bounds the wait for the first 220 reply.
	readyTimeout = 5 * time.Second
	// startAttempts is how often Start tries new ports when vsftpd
	// cannot bind the ones picked (another process took them).
	startAttempts = 3
	// bigSize is the size of big.bin.
	bigSize = 1 << 20
)

// helloText is the content of hello.txt (see Server.Root).
const helloText = "hello from vsftpd\n"

// Options configures one vsftpd instance. The zero value is plain FTP (no
// TLS) on 127.0.0.1, with local user logins allowed and anonymous logins
// refused.
type Options struct {
	// IPv6 makes vsftpd listen on [::1] instead of 127.0.0.1 (a separate
	// IPv6-only listener: listen=NO, listen_ipv6=YES, listen_address6=::1).
	IPv6 bool

	// TLS allows explicit FTPS: clients may send AUTH TLS (or AUTH SSL)
	// to protect the control connection, and PBSZ 0 with PROT P to
	// protect data connections. Clear-text logins and clear data
	// connections stay allowed (force_local_logins_ssl=NO,
	// force_local_data_ssl=NO), and allow_anon_ssl=YES. The server uses a
	// self-signed certificate returned in Server.CertPEM.
	TLS bool

	// ImplicitTLS makes vsftpd expect a TLS handshake from the first byte
	// of every control connection (implicit_ssl=YES), as on the
	// traditional port 990. It implies TLS. vsftpd still sends data in
	// the clear until the client sends PBSZ 0 and PROT P.
	ImplicitTLS bool

	// RequireSSLReuse sets require_ssl_reuse when not nil. When nil,
	// vsftpd's default applies, which is YES: a protected data connection
	// must resume the TLS session of the control connection, or the
	// transfer fails with "522 SSL connection failed: session reuse
	// required" and vsftpd ends the session. It only matters with TLS or
	// ImplicitTLS.
	RequireSSLReuse *bool

	// TLSv13 allows TLS 1.3. vsftpd 3.0.3 has no option for TLS 1.3 (no
	// ssl_tlsv1_3); it accepts whatever OpenSSL allows, which is TLS 1.3
	// on Debian 12. When TLSv13 is true the OpenSSL defaults apply
	// unchanged, so a Go client negotiates TLS 1.3 unless it sets
	// MaxVersion. When TLSv13 is false (the default) vsftpd runs with an
	// OpenSSL configuration file that caps it at TLS 1.2. It only
	// matters with TLS or ImplicitTLS.
	TLSv13 bool

	// PasvAddress, when not empty, is the IPv4 address vsftpd announces in
	// its 227 reply to PASV (pasv_address=) instead of the control
	// connection's local address, as a server behind NAT does. It must be
	// in 127.0.0.0/8 (tests use 127.0.0.2), so that clients that follow
	// the announcement stay on the machine; Start fails otherwise. vsftpd
	// still listens for the data connection on the control connection's
	// address, so connecting to the announced address fails unless it is
	// that address.
	PasvAddress string

	// Extra holds further vsftpd options (name to value, as in
	// vsftpd.conf), passed as -oNAME=VALUE after the configuration file so
	// that they override the settings made by Start.
	Extra map[string]string
}

// Server is one running vsftpd instance. Start returns it; the server is
// stopped and its files removed when the test ends.
type Server struct {
	// Addr is the host:port of the control connection, for example
	// "127.0.0.1:23456" or "[::1]:23456".
	Addr string

	// User and Password log in as the local test user, who can read and
	// write everything in Root.
	User, Password string

	// Root is the test user's home folder on this server, to which vsftpd
	// chroots the user (so it is "/" over FTP). Tests may put files here;
	// files they create should be readable by the test user. Start fills
	// it with two files owned by the test user (mode 0644):
	//
	//   - hello.txt: the 18 bytes "hello from vsftpd\n", a Unix text file
	//     with a bare LF line ending (vsftpd sends it unchanged in both
	//     TYPE A and TYPE I, as ascii_download_enable is NO);
	//   - big.bin: 1 MiB (1048576 bytes) of fixed pseudo-random data: the
	//     concatenation of SHA-256("ftpscope big.bin" || uint64 big-endian
	//     block number) for block numbers 0 to 32767. Its SHA-256 is
	//     a22f0721574b82e6f8bd7a5537e9e5bfb7338730c68ef80d9c6e7fea445e57de.
	Root string

	// CertPEM is the server's self-signed certificate in PEM form when
	// TLS or ImplicitTLS is set, and nil otherwise. It is an ECDSA P-256
	// certificate valid for the IP addresses 127.0.0.1 and ::1 and the DNS
	// name localhost; add it to an x509.CertPool used as RootCAs to trust
	// the server.
	CertPEM []byte

	// LogPath is vsftpd's log file, which records every command and reply
	// (log_ftp_protocol=YES) and every transfer. It starts with Start's
	// own readiness check: one connection that reads the 220 greeting and
	// sends QUIT. Start prints the log when the test has failed; tests can
	// read it to see the server's side.
	LogPath string
}

// Available reports whether vsftpd can be started here: the vsftpd binary
// is installed and the process runs as root.
func Available() bool {
	return unavailableReason() == ""
}

// unavailableReason says why vsftpd cannot run here, or returns "".
func unavailableReason() string {
	if _, err := vsftpdPath(); err != nil {
		return err.Error()
	}
	if os.Geteuid() != 0 {
		return "vsftpd must be started as root (to authenticate local users with PAM and chroot them), and this test is not running as root"
	}
	return ""
}

// vsftpdPath finds the vsftpd binary, also in /usr/sbin, which is not on
// every user's PATH.
func vsftpdPath() (string, error) {
	if p, err := exec.LookPath("vsftpd"); err == nil {
		return p, nil
	}
	const p = "/usr/sbin/vsftpd"
	if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
		return p, nil
	}
	return "", errors.New("vsftpd is not installed (not on PATH nor at /usr/sbin/vsftpd); install it with apt-get install vsftpd")
}

// Start starts vsftpd in the foreground (background=NO) as a child process,
// on a free unprivileged port of the loopback address, with a small passive
// port range of its own, and waits (at most 5 seconds) until it answers
// with 220. It stops the server and removes its files with t.Cleanup, and
// when the test has failed it logs vsftpd's log first.
//
// When vsftpd is not installed, or the test is not running as root, Start
// calls t.Skip with the reason, unless the environment variable
// FTPSCOPE_REQUIRE_INTEROP is 1, when it calls t.Fatal instead. Any other
// problem (creating the test user, a server that does not answer) fails the
// test with t.Fatal.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	if reason := unavailableReason(); reason != "" {
		if os.Getenv(requireEnv) == "1" {
			t.Fatalf("vsftpdtest: %s (and %s=1 requires the interoperability tests to run)", reason, requireEnv)
		}
		t.Skipf("vsftpdtest: skipping: %s (set %s=1 to make this a failure)", reason, requireEnv)
	}
	srv, err := start(t, opts)
	if err != nil {
		t.Fatalf("vsftpdtest: %v", err)
	}
	return srv
}

// start does the work of Start and reports problems as errors.
func start(t testing.TB, opts Options) (*Server, error) {
	bin, err := vsftpdPath()
	if err != nil {
		return nil, err
	}
	if err := validate(opts); err != nil {
		return nil, err
	}
	acct, err := ensureUser()
	if err != nil {
		return nil, err
	}

	// Not t.TempDir: its parents are mode 0700 and owned by root, and the
	// test user must be able to reach its home folder.
	dir, err := os.MkdirTemp("", "vsftpdtest-")
	if err != nil {
		return nil, fmt.Errorf("making the server's folder: %w", err)
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(dir); err != nil {
			t.Logf("vsftpdtest: removing the server's folder: %v", err)
		}
	})
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, fmt.Errorf("making the server's folder readable: %w", err)
	}

	srv := &Server{
		User:     testUser,
		Password: testPassword,
		Root:     filepath.Join(dir, "root"),
		LogPath:  filepath.Join(dir, "vsftpd.log"),
	}
	if err := makeRoot(srv.Root, acct); err != nil {
		return nil, err
	}
	emptyDir := filepath.Join(dir, "empty")
	if err := os.Mkdir(emptyDir, 0o755); err != nil {
		return nil, fmt.Errorf("making the secure_chroot_dir: %w", err)
	}

	settings := baseSettings(srv, emptyDir)
	var env []string
	tlsOn := opts.TLS || opts.ImplicitTLS
	if tlsOn {
		cert, err := certificate()
		if err != nil {
			return nil, err
		}
		srv.CertPEM = cert.certPEM
		certPath := filepath.Join(dir, "cert.pem")
		keyPath := filepath.Join(dir, "key.pem")
		if err := os.WriteFile(certPath, cert.certPEM, 0o644); err != nil {
			return nil, fmt.Errorf("writing the certificate: %w", err)
		}
		if err := os.WriteFile(keyPath, cert.keyPEM, 0o600); err != nil {
			return nil, fmt.Errorf("writing the private key: %w", err)
		}
		settings = append(settings,
			"ssl_enable=YES",
			"rsa_cert_file="+certPath,
			"rsa_private_key_file="+keyPath,
			// vsftpd's compiled-in default (DES-CBC3-SHA) is refused by
			// OpenSSL 3, and every handshake would fail.
			"ssl_ciphers=HIGH",
			"ssl_sslv2=NO",
			"ssl_sslv3=NO",
			"ssl_tlsv1=YES",
			"allow_anon_ssl=YES",
			"force_local_logins_ssl=NO",
			"force_local_data_ssl=NO",
			"force_anon_logins_ssl=NO",
			"force_anon_data_ssl=NO",
		)
		if opts.ImplicitTLS {
			settings = append(settings, "implicit_ssl=YES")
		}
		if opts.RequireSSLReuse != nil {
			settings = append(settings, "require_ssl_reuse="+yesNo(*opts.RequireSSLReuse))
		}
		if !opts.TLSv13 {
			confPath := filepath.Join(dir, "openssl.cnf")
			if err := os.WriteFile(confPath, []byte(openSSLConfTLS12), 0o644); err != nil {
				return nil, fmt.Errorf("writing the OpenSSL configuration: %w", err)
			}
			env = append(env, "OPENSSL_CONF="+confPath)
		}
	} else {
		settings = append(settings, "ssl_enable=NO")
	}
	if opts.PasvAddress != "" {
		settings = append(settings, "pasv_address="+opts.PasvAddress)
	}

	host := "127.0.0.1"
	if opts.IPv6 {
		host = "::1"
	}
	var lastErr error
	for range startAttempts {
		ports, err := reservePorts(host, 1+pasvRange)
		if err != nil {
			return nil, err
		}
		srv.Addr = net.JoinHostPort(host, strconv.Itoa(ports))
		p := &process{bin: bin, dir: dir, env: env}
		conf := append(append([]string(nil), settings...), listenSettings(opts.IPv6, ports)...)
		err = p.run(conf, extraArgs(opts.Extra))
		if err == nil {
			err = p.waitReady(srv, opts.ImplicitTLS)
		}
		if err == nil {
			t.Cleanup(func() {
				p.stop()
				releasePorts(ports, 1+pasvRange)
				if t.Failed() {
					logFile(t, srv.LogPath)
				}
			})
			return srv, nil
		}
		p.stop()
		releasePorts(ports, 1+pasvRange)
		lastErr = err
		if !p.bindFailed() {
			break
		}
	}
	return nil, fmt.Errorf("starting vsftpd on %s: %w", host, lastErr)
}

// validate rejects options that vsftpd would misread.
func validate(opts Options) error {
	if opts.PasvAddress != "" {
		ip := net.ParseIP(opts.PasvAddress)
		if ip == nil || ip.To4() == nil {
			return fmt.Errorf("Options.PasvAddress %q is not an IPv4 address (vsftpd's pasv_address only takes one)", opts.PasvAddress)
		}
		if !ip.IsLoopback() {
			return fmt.Errorf("Options.PasvAddress %s is outside 127.0.0.0/8: a client could be sent off the machine", opts.PasvAddress)
		}
	}
	for name, value := range opts.Extra {
		if name == "" || strings.ContainsAny(name, "= \t\r\n") {
			return fmt.Errorf("Options.Extra: bad vsftpd option name %q", name)
		}
		if strings.ContainsAny(value, "\r\n") {
			return fmt.Errorf("Options.Extra: the value of %s contains a line break", name)
		}
	}
	return nil
}

// baseSettings are the vsftpd.conf lines every server gets.
func baseSettings(srv *Server, emptyDir string) []string {
	return []string{
		"background=NO",
		"anonymous_enable=NO",
		"local_enable=YES",
		"write_enable=YES",
		"local_umask=022",
		"local_root=" + srv.Root,
		"chroot_local_user=YES",
		"allow_writeable_chroot=YES",
		"secure_chroot_dir=" + emptyDir,
		"pam_service_name=vsftpd",
		"userlist_enable=NO",
		"seccomp_sandbox=NO",
		"utf8_filesystem=YES",
		"pasv_enable=YES",
		"port_enable=YES",
		"connect_from_port_20=NO",
		"xferlog_enable=YES",
		"xferlog_std_format=NO",
		"log_ftp_protocol=YES",
		"syslog_enable=NO",
		"vsftpd_log_file=" + srv.LogPath,
		"delay_failed_login=0",
		"delay_successful_login=0",
	}
}

// listenSettings are the vsftpd.conf lines for the listener and the
// passive ports: ctrl is the control port, and the passive range follows
// it.
func listenSettings(ipv6 bool, ctrl int) []string {
	s := []string{
		"listen_port=" + strconv.Itoa(ctrl),
		"pasv_min_port=" + strconv.Itoa(ctrl+1),
		"pasv_max_port=" + strconv.Itoa(ctrl+pasvRange),
	}
	if ipv6 {
		return append(s, "listen=NO", "listen_ipv6=YES", "listen_address6=::1")
	}
	return append(s, "listen=YES", "listen_ipv6=NO", "listen_address=127.0.0.1")
}

// extraArgs turns Options.Extra into -o arguments, in a stable order.
func extraArgs(extra map[string]string) []string {
	names := make([]string, 0, len(extra))
	for name := range extra {
		names = append(names, name)
	}
	sort.Strings(names)
	args := make([]string, 0, len(names))
	for _, name := range names {
		args = append(args, "-o"+name+"="+extra[name])
	}
	return args
}

func yesNo(b bool) string {
	if b {
		return "YES"
	}
	return "NO"
}
