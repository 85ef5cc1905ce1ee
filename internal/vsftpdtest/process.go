package vsftpdtest

// The vsftpd child process: running it, knowing when it is ready, stopping
// it, and the ports it listens on.

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	mathrand "math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

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
	inOwnGroup(p.cmd)
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
	killGroup(p.cmd.Process)
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
