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
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	mathrand "math/rand/v2"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
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

// openSSLConfTLS12 caps every SSL_CTX the process creates at TLS 1.2. It
// replaces /etc/ssl/openssl.cnf for vsftpd, which on Debian 12 sets no TLS
// defaults of its own.
const openSSLConfTLS12 = `openssl_conf = default_conf

[default_conf]
ssl_conf = ssl_sect

[ssl_sect]
system_default = system_default_sect

[system_default_sect]
MaxProtocol = TLSv1.2
`

// process is one vsftpd child process.
type process struct {
	bin    string
	dir    string
	env    []string
	cmd    *exec.Cmd
	done   chan struct{} // closed when the process has exited
	output string        // the file with vsftpd's stdout and stderr
}

// run writes the configuration file and starts vsftpd.
func (p *process) run(conf, extra []string) error {
	confPath := filepath.Join(p.dir, "vsftpd.conf")
	if err := os.WriteFile(confPath, []byte(strings.Join(conf, "\n")+"\n"), 0o600); err != nil {
		return fmt.Errorf("writing vsftpd.conf: %w", err)
	}
	p.output = filepath.Join(p.dir, "vsftpd.out")
	out, err := os.Create(p.output)
	if err != nil {
		return fmt.Errorf("creating vsftpd's output file: %w", err)
	}
	defer out.Close()
	// The configuration file must come first: vsftpd loads
	// /etc/vsftpd.conf when it meets an -o option before a file name.
	p.cmd = exec.Command(p.bin, append([]string{confPath}, extra...)...)
	p.cmd.Dir = p.dir
	p.cmd.Env = append(os.Environ(), p.env...)
	// vsftpd writes its start-up errors ("500 OOPS: …") to file
	// descriptor 0, where a session's control connection would be, so
	// standard input is the output file too (opened for writing).
	p.cmd.Stdin = out
	p.cmd.Stdout = out
	p.cmd.Stderr = out
	// A process group of its own, so that stop also ends the session
	// processes vsftpd forks for each connection.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.cmd.Start(); err != nil {
		return fmt.Errorf("running %s: %w", p.bin, err)
	}
	p.done = make(chan struct{})
	go func() {
		p.cmd.Wait()
		close(p.done)
	}()
	return nil
}

// exited reports whether the process has ended.
func (p *process) exited() bool {
	if p.done == nil {
		return true
	}
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// outputText returns what vsftpd printed.
func (p *process) outputText() string {
	b, err := os.ReadFile(p.output)
	if err != nil {
		return fmt.Sprintf("(cannot read vsftpd's output: %v)", err)
	}
	return strings.TrimSpace(string(b))
}

// bindFailed reports whether vsftpd ended because it could not bind its
// listening port, which another process may have taken after
// reservePorts released it.
func (p *process) bindFailed() bool {
	return p.exited() && strings.Contains(p.outputText(), "could not bind")
}

// waitReady waits until the control connection answers with 220, for at
// most readyTimeout.
func (p *process) waitReady(srv *Server, implicit bool) error {
	deadline := time.Now().Add(readyTimeout)
	var lastErr error
	for time.Now().Before(deadline) {
		if p.exited() {
			return fmt.Errorf("vsftpd exited at start-up (%s); its output:\n%s", p.cmd.ProcessState, p.outputText())
		}
		lastErr = greet(srv, implicit, deadline)
		if lastErr == nil {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	log, _ := os.ReadFile(srv.LogPath)
	return fmt.Errorf("vsftpd did not answer with 220 on %s within %v: %w\nits output:\n%s\nits log:\n%s",
		srv.Addr, readyTimeout, lastErr, p.outputText(), log)
}

// greet connects once and reads the greeting.
func greet(srv *Server, implicit bool, deadline time.Time) error {
	conn, err := net.DialTimeout("tcp", srv.Addr, time.Until(deadline))
	if err != nil {
		return fmt.Errorf("connecting: %w", err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(deadline); err != nil {
		return fmt.Errorf("setting a deadline: %w", err)
	}
	if implicit {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(srv.CertPEM) {
			return errors.New("the server certificate does not parse")
		}
		host, _, _ := net.SplitHostPort(srv.Addr)
		tc := tls.Client(conn, &tls.Config{RootCAs: pool, ServerName: host})
		if err := tc.Handshake(); err != nil {
			return fmt.Errorf("TLS handshake: %w", err)
		}
		conn = tc
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return fmt.Errorf("reading the greeting: %w", err)
	}
	if !strings.HasPrefix(line, "220") {
		return fmt.Errorf("the greeting is %q, not 220", strings.TrimSpace(line))
	}
	_, _ = conn.Write([]byte("QUIT\r\n"))
	return nil
}

// stop ends vsftpd and every session process it forked, and waits for the
// listener to exit.
func (p *process) stop() {
	if p.cmd == nil || p.cmd.Process == nil {
		return
	}
	// The negative id names the process group made for vsftpd in run.
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	if p.done != nil {
		select {
		case <-p.done:
		case <-time.After(5 * time.Second):
		}
	}
}

// logFile prints a server log through t.Logf.
func logFile(t testing.TB, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Logf("vsftpdtest: cannot read the vsftpd log: %v", err)
		return
	}
	t.Logf("vsftpdtest: vsftpd log %s:\n%s", path, b)
}

// Ports: each Server takes a control port followed by its passive range,
// all free when picked. They are taken from below Linux's ephemeral range
// (32768 and up), so that outgoing connections of other programs do not
// take them in the meantime; ports handed to a live Server of this process
// are not picked again.
var (
	portsMu   sync.Mutex
	portsUsed = map[int]bool{}
)

const (
	portLow  = 20000
	portHigh = 32000
)

// reservePorts finds n consecutive ports free on host and returns the
// first.
func reservePorts(host string, n int) (int, error) {
	portsMu.Lock()
	defer portsMu.Unlock()
	for range 200 {
		first := portLow + mathrand.IntN(portHigh-portLow-n)
		if portsFree(host, first, n) {
			for p := first; p < first+n; p++ {
				portsUsed[p] = true
			}
			return first, nil
		}
	}
	return 0, fmt.Errorf("found no %d consecutive free ports between %d and %d on %s", n, portLow, portHigh, host)
}

// portsFree reports whether ports first to first+n-1 can be listened on.
func portsFree(host string, first, n int) bool {
	var open []net.Listener
	defer func() {
		for _, l := range open {
			l.Close()
		}
	}()
	for p := first; p < first+n; p++ {
		if portsUsed[p] {
			return false
		}
		l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(p)))
		if err != nil {
			return false
		}
		open = append(open, l)
	}
	return true
}

// releasePorts makes ports reusable by later Servers.
func releasePorts(first, n int) {
	portsMu.Lock()
	defer portsMu.Unlock()
	for p := first; p < first+n; p++ {
		delete(portsUsed, p)
	}
}

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
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return account{}, fmt.Errorf("locking %s: %w", lockPath, err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)

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
