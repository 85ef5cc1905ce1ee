package vsftpdtest

import (
	"bufio"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The tests speak FTP by hand with the standard library only, so that they
// test the harness and vsftpd, not ftpscope's own protocol code.

// ctrl is a control connection.
type ctrl struct {
	t        *testing.T
	conn     net.Conn
	r        *bufio.Reader
	greeting string
}

// dial connects to srv and reads the 220 greeting. With cfg not nil the
// connection starts with a TLS handshake (implicit FTPS).
func dial(t *testing.T, srv *Server, cfg *tls.Config) *ctrl {
	t.Helper()
	conn, err := net.DialTimeout("tcp", srv.Addr, 5*time.Second)
	if err != nil {
		t.Fatalf("connecting to %s: %v", srv.Addr, err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	if cfg != nil {
		tc := tls.Client(conn, cfg)
		if err := tc.Handshake(); err != nil {
			t.Fatalf("implicit TLS handshake: %v", err)
		}
		conn = tc
	}
	c := &ctrl{t: t, conn: conn, r: bufio.NewReader(conn)}
	c.greeting = c.expect(220)
	return c
}

// reply reads one reply, single- or multi-line, and returns its code and
// its full text.
func (c *ctrl) reply() (int, string) {
	c.t.Helper()
	line, err := c.r.ReadString('\n')
	if err != nil {
		c.t.Fatalf("reading a reply: %v", err)
	}
	text := line
	if len(line) < 4 {
		c.t.Fatalf("short reply %q", line)
	}
	code, err := strconv.Atoi(line[:3])
	if err != nil {
		c.t.Fatalf("reply without a code: %q", line)
	}
	if line[3] == '-' {
		for {
			next, err := c.r.ReadString('\n')
			if err != nil {
				c.t.Fatalf("reading a multi-line reply: %v", err)
			}
			text += next
			if strings.HasPrefix(next, line[:3]+" ") {
				break
			}
		}
	}
	return code, strings.TrimRight(text, "\r\n")
}

// expect reads a reply and fails unless it has the given code.
func (c *ctrl) expect(code int) string {
	c.t.Helper()
	got, text := c.reply()
	if got != code {
		c.t.Fatalf("got reply %q, want code %d", text, code)
	}
	return text
}

// send sends a command.
func (c *ctrl) send(cmd string) {
	c.t.Helper()
	if _, err := io.WriteString(c.conn, cmd+"\r\n"); err != nil {
		c.t.Fatalf("sending %s: %v", strings.Fields(cmd)[0], err)
	}
}

// do sends a command and expects a reply code.
func (c *ctrl) do(cmd string, code int) string {
	c.t.Helper()
	c.send(cmd)
	return c.expect(code)
}

// authTLS upgrades the connection with AUTH TLS and returns the
// negotiated state.
func (c *ctrl) authTLS(cfg *tls.Config) tls.ConnectionState {
	c.t.Helper()
	c.do("AUTH TLS", 234)
	tc := tls.Client(c.conn, cfg)
	if err := tc.Handshake(); err != nil {
		c.t.Fatalf("TLS handshake after AUTH TLS: %v", err)
	}
	c.conn = tc
	c.r = bufio.NewReader(tc)
	return tc.ConnectionState()
}

// login logs in as the test user and checks PWD.
func (c *ctrl) login(srv *Server) {
	c.t.Helper()
	c.do("USER "+srv.User, 331)
	c.do("PASS "+srv.Password, 230)
	if pwd := c.do("PWD", 257); !strings.Contains(pwd, `"/"`) {
		c.t.Errorf("PWD = %q, want the chroot \"/\"", pwd)
	}
}

// quit ends the session.
func (c *ctrl) quit() {
	c.t.Helper()
	c.do("QUIT", 221)
}

// pasv sends PASV and returns the announced address.
func (c *ctrl) pasv() (string, string) {
	c.t.Helper()
	text := c.do("PASV", 227)
	open, end := strings.IndexByte(text, '('), strings.IndexByte(text, ')')
	if open < 0 || end < open {
		c.t.Fatalf("227 reply without (h1,h2,h3,h4,p1,p2): %q", text)
	}
	f := strings.Split(text[open+1:end], ",")
	if len(f) != 6 {
		c.t.Fatalf("227 reply with %d numbers: %q", len(f), text)
	}
	p1, err1 := strconv.Atoi(f[4])
	p2, err2 := strconv.Atoi(f[5])
	if err1 != nil || err2 != nil {
		c.t.Fatalf("bad port in %q", text)
	}
	return net.JoinHostPort(strings.Join(f[:4], "."), strconv.Itoa(p1*256+p2)), text
}

// tlsConfig trusts srv's certificate.
func tlsConfig(t *testing.T, srv *Server, serverName string) *tls.Config {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(srv.CertPEM) {
		t.Fatal("Server.CertPEM does not parse")
	}
	return &tls.Config{RootCAs: pool, ServerName: serverName}
}

func boolPtr(b bool) *bool { return &b }

func TestLogins(t *testing.T) {
	cases := []struct {
		name string
		opts Options
		host string // ServerName for TLS
	}{
		{"plain IPv4", Options{}, ""},
		{"IPv6", Options{IPv6: true}, ""},
		{"explicit TLS", Options{TLS: true}, "127.0.0.1"},
		{"explicit TLS 1.3 allowed", Options{TLS: true, TLSv13: true}, "127.0.0.1"},
		{"explicit TLS over IPv6", Options{TLS: true, TLSv13: true, IPv6: true}, "::1"},
		{"implicit TLS", Options{ImplicitTLS: true}, "127.0.0.1"},
		{"implicit TLS 1.3 allowed", Options{ImplicitTLS: true, TLSv13: true}, "127.0.0.1"},
		{"require_ssl_reuse NO", Options{TLS: true, RequireSSLReuse: boolPtr(false)}, "127.0.0.1"},
		{"require_ssl_reuse YES", Options{TLS: true, RequireSSLReuse: boolPtr(true)}, "127.0.0.1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := Start(t, tc.opts)
			wantPrefix := "127.0.0.1:"
			if tc.opts.IPv6 {
				wantPrefix = "[::1]:"
			}
			if !strings.HasPrefix(srv.Addr, wantPrefix) {
				t.Errorf("Addr = %q, want %s…", srv.Addr, wantPrefix)
			}
			var c *ctrl
			switch {
			case tc.opts.ImplicitTLS:
				c = dial(t, srv, tlsConfig(t, srv, tc.host))
				st := c.conn.(*tls.Conn).ConnectionState()
				t.Logf("implicit TLS: negotiated %s, %s, key exchange %v, HelloRetryRequest %v", tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite), st.CurveID, st.HelloRetryRequest)
			case tc.opts.TLS:
				c = dial(t, srv, nil)
				st := c.authTLS(tlsConfig(t, srv, tc.host))
				t.Logf("AUTH TLS: negotiated %s, %s, key exchange %v, HelloRetryRequest %v", tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite), st.CurveID, st.HelloRetryRequest)
				want := uint16(tls.VersionTLS12)
				if tc.opts.TLSv13 {
					want = tls.VersionTLS13
				}
				if st.Version != want {
					t.Errorf("negotiated %s, want %s", tls.VersionName(st.Version), tls.VersionName(want))
				}
			default:
				if srv.CertPEM != nil {
					t.Error("CertPEM is set on a server without TLS")
				}
				c = dial(t, srv, nil)
			}
			c.login(srv)
			c.quit()
		})
	}
}

func TestClearLoginOnTLSServer(t *testing.T) {
	t.Parallel()
	srv := Start(t, Options{TLS: true})
	c := dial(t, srv, nil)
	c.login(srv)
	c.quit()
}

// TestWrongPassword checks that a wrong password gets 530. It still takes
// 1 to 3 seconds: delay_failed_login=0 removes vsftpd's own delay, but
// pam_unix asks for a fail delay of 2 seconds randomized by ±50%.
func TestWrongPassword(t *testing.T) {
	t.Parallel()
	srv := Start(t, Options{})
	c := dial(t, srv, nil)
	c.do("USER "+srv.User, 331)
	start := time.Now()
	c.do("PASS wrong", 530)
	t.Logf("the 530 took %v", time.Since(start))
}

func TestPassiveRetrieve(t *testing.T) {
	t.Parallel()
	srv := Start(t, Options{})
	c := dial(t, srv, nil)
	c.login(srv)
	c.do("TYPE I", 200)
	c.do("SIZE big.bin", 213)
	addr, _ := c.pasv()
	if !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Fatalf("PASV announced %s, want 127.0.0.1", addr)
	}
	data, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("connecting to the passive port: %v", err)
	}
	defer data.Close()
	if err := data.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	c.do("RETR big.bin", 150)
	h := sha256.New()
	n, err := io.Copy(h, data)
	if err != nil {
		t.Fatalf("reading big.bin: %v", err)
	}
	c.expect(226)
	if n != 1<<20 {
		t.Errorf("received %d bytes, want 1 MiB", n)
	}
	const want = "a22f0721574b82e6f8bd7a5537e9e5bfb7338730c68ef80d9c6e7fea445e57de"
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("big.bin SHA-256 = %s, want %s (the one in the Server.Root documentation)", got, want)
	}
	c.quit()
}

func TestRootContent(t *testing.T) {
	t.Parallel()
	srv := Start(t, Options{})
	b, err := os.ReadFile(srv.Root + "/hello.txt")
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "hello from vsftpd\n" {
		t.Errorf("hello.txt = %q", b)
	}
	if got := sha256.Sum256(bigContent()); hex.EncodeToString(got[:]) != "a22f0721574b82e6f8bd7a5537e9e5bfb7338730c68ef80d9c6e7fea445e57de" {
		t.Errorf("big.bin SHA-256 = %x", got)
	}
}

// TestPasvAddress checks that pasv_address changes the announced address
// only: vsftpd still listens on the control connection's address, so a
// client behind this "NAT" must connect to 127.0.0.1, not to 127.0.0.2.
func TestPasvAddress(t *testing.T) {
	t.Parallel()
	srv := Start(t, Options{PasvAddress: "127.0.0.2"})
	c := dial(t, srv, nil)
	c.login(srv)
	addr, text := c.pasv()
	if !strings.Contains(text, "(127,0,0,2,") {
		t.Fatalf("227 reply %q does not announce 127,0,0,2", text)
	}
	if conn, err := net.DialTimeout("tcp", addr, 2*time.Second); err == nil {
		conn.Close()
		t.Errorf("connecting to the announced %s worked; want it refused", addr)
	}
	_, port, _ := net.SplitHostPort(addr)
	retrieveHello(t, c, net.JoinHostPort("127.0.0.1", port))
	c.quit()
}

// retrieveHello opens a data connection to addr, sends RETR hello.txt and
// checks the bytes and the 150/226 replies.
func retrieveHello(t *testing.T, c *ctrl, addr string) {
	t.Helper()
	data, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("connect to the passive port %s: %v", addr, err)
	}
	if err := data.SetDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	c.do("RETR hello.txt", 150)
	b, err := io.ReadAll(data)
	data.Close()
	if err != nil || string(b) != "hello from vsftpd\n" {
		t.Errorf("hello.txt = %q, %v", b, err)
	}
	c.expect(226)
}

// TestHelloASCII checks that hello.txt comes unchanged in TYPE A, as the
// Server.Root documentation says.
func TestHelloASCII(t *testing.T) {
	t.Parallel()
	srv := Start(t, Options{})
	c := dial(t, srv, nil)
	c.login(srv)
	c.do("TYPE A", 200)
	addr, _ := c.pasv()
	retrieveHello(t, c, addr)
	c.quit()
}

func TestExtra(t *testing.T) {
	t.Parallel()
	srv := Start(t, Options{Extra: map[string]string{
		"ftpd_banner": "ftpscope extra banner",
		"pasv_enable": "NO", // set to YES by Start: Extra must override it
	}})
	c := dial(t, srv, nil)
	if c.greeting != "220 ftpscope extra banner" {
		t.Errorf("greeting = %q, want the ftpd_banner from Options.Extra", c.greeting)
	}
	c.login(srv)
	c.send("PASV")
	if code, text := c.reply(); code != 550 {
		t.Errorf("PASV with pasv_enable=NO got %q, want 550", text)
	}
	c.quit()
}

// TestImplicitTLSData shows that under implicit_ssl=YES vsftpd sends data
// in the clear until PROT P, and that a protected data connection sharing
// the control connection's session cache passes require_ssl_reuse.
func TestImplicitTLSData(t *testing.T) {
	t.Parallel()
	srv := Start(t, Options{ImplicitTLS: true, TLSv13: true})
	cfg := tlsConfig(t, srv, "127.0.0.1")
	cfg.ClientSessionCache = tls.NewLRUClientSessionCache(4)
	c := dial(t, srv, cfg)
	c.login(srv)

	addr, _ := c.pasv()
	raw, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := raw.SetDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	c.do("NLST", 150)
	clear, err := io.ReadAll(raw)
	raw.Close()
	if err != nil || !strings.Contains(string(clear), "big.bin") {
		t.Errorf("clear listing %q, %v", clear, err)
	}
	c.expect(226)

	c.do("PBSZ 0", 200)
	c.do("PROT P", 200)
	res := listOverTLS(t, c, cfg)
	if res.err != nil || res.final != "226 Directory send OK." || !strings.Contains(res.listing, "big.bin") || !res.state.DidResume {
		t.Errorf("protected LIST: %q, %q, resumed=%v, %v", res.final, res.listing, res.state.DidResume, res.err)
	}
	c.quit()
}

func TestUpload(t *testing.T) {
	t.Parallel()
	srv := Start(t, Options{})
	c := dial(t, srv, nil)
	c.login(srv)
	addr, _ := c.pasv()
	data, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.do("STOR up.txt", 150)
	if _, err := io.WriteString(data, "uploaded\n"); err != nil {
		t.Fatal(err)
	}
	data.Close()
	c.expect(226)
	c.quit()
	b, err := os.ReadFile(srv.Root + "/up.txt")
	if err != nil || string(b) != "uploaded\n" {
		t.Errorf("up.txt = %q, %v", b, err)
	}
}

// tlsList is what happened to a LIST on a protected data connection.
type tlsList struct {
	first, final string // the first reply (150) and the final one
	listing      string
	state        tls.ConnectionState // of the data connection
	err          error               // of the handshake or the read
}

// listOverTLS runs LIST on a protected data connection whose TLS client
// uses cfg.
func listOverTLS(t *testing.T, c *ctrl, cfg *tls.Config) tlsList {
	t.Helper()
	addr, _ := c.pasv()
	raw, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("connecting to the passive port: %v", err)
	}
	defer raw.Close()
	if err := raw.SetDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	c.send("LIST")
	var res tlsList
	data := tls.Client(raw, cfg)
	if err := data.Handshake(); err != nil {
		res.err = fmt.Errorf("data handshake: %w", err)
	} else {
		res.state = data.ConnectionState()
		b, err := io.ReadAll(data)
		res.listing = string(b)
		if err != nil {
			res.err = fmt.Errorf("reading the listing: %w", err)
		}
		// vsftpd sends close_notify after the listing and then waits
		// for the client's close_notify (or the TCP close) before it
		// sends 226: close before reading the reply.
		data.Close()
	}
	code, text := c.reply()
	res.first, res.final = text, text
	if code == 150 {
		_, res.final = c.reply()
	}
	return res
}

// TestSessionReuse is the experiment behind the package documentation: a
// Go TLS client on the data connection that shares the control
// connection's ClientSessionCache and ServerName resumes its session, and
// vsftpd's require_ssl_reuse=YES accepts that, under TLS 1.2 and TLS 1.3.
// Without a shared cache vsftpd refuses the transfer with 522.
func TestSessionReuse(t *testing.T) {
	cases := []struct {
		name   string
		max    uint16
		shared bool
		reuse  bool
		want   string
	}{
		{"TLS 1.2 shared cache", tls.VersionTLS12, true, true, "226 Directory send OK."},
		{"TLS 1.3 shared cache", tls.VersionTLS13, true, true, "226 Directory send OK."},
		{"TLS 1.2 no cache", tls.VersionTLS12, false, true, "522 SSL connection failed: session reuse required"},
		{"TLS 1.3 no cache", tls.VersionTLS13, false, true, "522 SSL connection failed: session reuse required"},
		{"TLS 1.2 no cache, reuse not required", tls.VersionTLS12, false, false, "226 Directory send OK."},
		{"TLS 1.3 no cache, reuse not required", tls.VersionTLS13, false, false, "226 Directory send OK."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := Start(t, Options{TLS: true, TLSv13: true, RequireSSLReuse: boolPtr(tc.reuse), Extra: map[string]string{"debug_ssl": "YES"}})
			cfg := tlsConfig(t, srv, "127.0.0.1")
			cfg.MaxVersion = tc.max
			cfg.ClientSessionCache = tls.NewLRUClientSessionCache(4)
			c := dial(t, srv, nil)
			st := c.authTLS(cfg)
			if st.Version != tc.max {
				t.Fatalf("control connection negotiated %s, want %s", tls.VersionName(st.Version), tls.VersionName(tc.max))
			}
			c.login(srv)
			c.do("PBSZ 0", 200)
			c.do("PROT P", 200)
			dataCfg := cfg
			if !tc.shared {
				dataCfg = cfg.Clone()
				dataCfg.ClientSessionCache = nil
			}
			res := listOverTLS(t, c, dataCfg)
			t.Logf("data connection: %s, resumed=%v; replies %q then %q; listing %q; error %v",
				tls.VersionName(res.state.Version), res.state.DidResume, res.first, res.final, res.listing, res.err)
			if res.err != nil {
				t.Error(res.err)
			}
			if res.state.DidResume != tc.shared {
				t.Errorf("the data connection resumed=%v, want %v", res.state.DidResume, tc.shared)
			}
			if res.first != "150 Here comes the directory listing." {
				t.Errorf("first reply %q, want 150", res.first)
			}
			if res.final != tc.want {
				t.Errorf("final reply %q, want %q", res.final, tc.want)
			}
			if strings.HasPrefix(tc.want, "522") {
				// vsftpd ends the whole session after this 522.
				if line, err := c.r.ReadString('\n'); err != io.EOF {
					t.Errorf("after the 522 the control connection gave %q, %v; want EOF", line, err)
				}
				return
			}
			if !strings.Contains(res.listing, "big.bin") {
				t.Errorf("the listing %q does not show big.bin", res.listing)
			}
			c.quit()
		})
	}
}
