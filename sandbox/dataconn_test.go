package sandbox

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rawClient speaks FTP over a bare connection, so that the tests see the
// server's replies as they are.
type rawClient struct {
	t    *testing.T
	s    *Server
	conn net.Conn
	r    *bufio.Reader
}

// startServer starts a sandbox for one test and closes it at the end.
func startServer(t *testing.T, opts Options) *Server {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func dialRaw(t *testing.T, s *Server) *rawClient {
	t.Helper()
	conn, err := net.DialTimeout("tcp", s.Addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	c := &rawClient{t: t, s: s, conn: conn, r: bufio.NewReader(conn)}
	c.reply(220)
	return c
}

// reply reads one reply, multi-line or not, and fails the test unless its
// code is want. It returns the reply's text.
func (c *rawClient) reply(want int) string {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	var text strings.Builder
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			c.t.Fatalf("read reply (want %d): %v", want, err)
		}
		text.WriteString(line)
		// A reply ends with a line of its code and a space.
		if first := text.String(); len(line) >= 4 && line[3] == ' ' && line[:3] == first[:3] {
			if code, _ := strconv.Atoi(line[:3]); code != want {
				c.t.Fatalf("got %q, want %d", strings.TrimSpace(first), want)
			}
			return strings.TrimSpace(first)
		}
	}
}

func (c *rawClient) send(line string) {
	c.t.Helper()
	if _, err := fmt.Fprintf(c.conn, "%s\r\n", line); err != nil {
		c.t.Fatal(err)
	}
}

func (c *rawClient) expect(line string, want int) string {
	c.t.Helper()
	c.send(line)
	return c.reply(want)
}

func (c *rawClient) login() {
	c.t.Helper()
	c.expect("USER "+DemoUser, 331)
	c.expect("PASS "+DemoPassword, 230)
}

func (c *rawClient) tlsConfig() *tls.Config {
	return &tls.Config{RootCAs: c.s.Cert.Pool(), ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}

func (c *rawClient) authTLS() {
	c.t.Helper()
	c.expect("AUTH TLS", 234)
	tc := tls.Client(c.conn, c.tlsConfig())
	tc.SetDeadline(time.Now().Add(5 * time.Second))
	if err := tc.Handshake(); err != nil {
		c.t.Fatalf("TLS handshake on the control connection: %v", err)
	}
	tc.SetDeadline(time.Time{})
	c.conn, c.r = tc, bufio.NewReader(tc)
}

var pasvReply = regexp.MustCompile(`\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)`)

// pasv sends PASV and connects to the address it announces.
func (c *rawClient) pasv() net.Conn {
	c.t.Helper()
	m := pasvReply.FindStringSubmatch(c.expect("PASV", 227))
	if m == nil {
		c.t.Fatal("no address in the 227 reply")
	}
	p1, _ := strconv.Atoi(m[5])
	p2, _ := strconv.Atoi(m[6])
	return c.dialData(net.JoinHostPort(strings.Join(m[1:5], "."), strconv.Itoa(p1*256+p2)))
}

// epsv sends EPSV and connects to the port it announces.
func (c *rawClient) epsv() net.Conn {
	c.t.Helper()
	m := regexp.MustCompile(`\(\|\|\|(\d+)\|\)`).FindStringSubmatch(c.expect("EPSV", 229))
	if m == nil {
		c.t.Fatal("no port in the 229 reply")
	}
	host, _, _ := net.SplitHostPort(c.s.Addr)
	return c.dialData(net.JoinHostPort(host, m[1]))
}

func (c *rawClient) dialData(addr string) net.Conn {
	c.t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { conn.Close() })
	return conn
}

// readData reads a data connection to its end. A short deadline makes a
// connection that the server protects without being asked fail quickly:
// the server then waits for a TLS hello that a clear reader never sends.
func (c *rawClient) readData(conn net.Conn, protected bool) string {
	c.t.Helper()
	if protected {
		tc := tls.Client(conn, c.tlsConfig())
		if err := tc.SetDeadline(time.Now().Add(3 * time.Second)); err != nil {
			c.t.Fatal(err)
		}
		if err := tc.Handshake(); err != nil {
			c.t.Fatalf("TLS handshake on the data connection: %v", err)
		}
		conn = tc
	}
	conn.SetDeadline(time.Now().Add(3 * time.Second))
	data, err := io.ReadAll(conn)
	if err != nil {
		c.t.Fatalf("read data connection (protected: %v): %v; read %q", protected, err, data)
	}
	return string(data)
}

// list sends LIST over the prepared connection conn and returns the listing.
func (c *rawClient) list(conn net.Conn, protected bool) string {
	c.t.Helper()
	c.expect("LIST", 150)
	listing := c.readData(conn, protected)
	c.reply(226)
	if !strings.Contains(listing, "README.txt") {
		c.t.Fatalf("LIST sent %q, want a listing with README.txt", listing)
	}
	return listing
}

func TestTransferNeedsDataConnection(t *testing.T) {
	c := dialRaw(t, startServer(t, Options{}))
	c.login()

	for _, cmd := range []string{"LIST", "NLST", "MLSD", "RETR README.txt", "STOR new.txt", "APPE new.txt"} {
		c.expect(cmd, 425)
	}
	if _, err := os.Stat(filepath.Join(c.s.Root, "new.txt")); !os.IsNotExist(err) {
		t.Errorf("STOR or APPE without a data connection made new.txt: %v", err)
	}

	c.list(c.pasv(), false)
	c.expect("LIST", 425) // the PASV was used up

	c.expect("NLST", 425)
	data := c.epsv()
	c.expect("NLST", 150)
	if got := c.readData(data, false); !strings.Contains(got, "README.txt") {
		t.Errorf("NLST sent %q", got)
	}
	c.reply(226)

	// A RETR refused before its 150 leaves the connection prepared, as in
	// vsftpd.
	data = c.pasv()
	c.expect("RETR no-such-file", 550)
	c.expect("RETR README.txt", 150)
	want, err := os.ReadFile(filepath.Join(c.s.Root, "README.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.readData(data, false); got != string(want) {
		t.Errorf("RETR sent %q, want %q", got, want)
	}
	c.reply(226)
	c.expect("RETR README.txt", 425)

	// An upload uses up its data connection too.
	data = c.pasv()
	c.expect("STOR new.txt", 150)
	if _, err := io.WriteString(data, "uploaded\n"); err != nil {
		t.Fatal(err)
	}
	data.Close()
	c.reply(226)
	c.expect("STOR new.txt", 425)
	c.expect("APPE new.txt", 425)
	if got, err := os.ReadFile(filepath.Join(c.s.Root, "new.txt")); err != nil || string(got) != "uploaded\n" {
		t.Errorf("new.txt holds %q (%v), want the upload", got, err)
	}

	// Active mode: the server connects to the client when the transfer
	// needs it, as vsftpd does.
	c.activeList(false)
	c.expect("LIST", 425)

	// PORT to another address than the client's is refused, as in
	// vsftpd without port_promiscuous: the server connects to no one else.
	c.expect("PORT 127,0,0,2,4,1", 500)
	c.expect("EPRT |1|127.0.0.2|1025|", 500)
	c.expect("PORT 127,0,0,1,300,1", 500)
}

// activeList prepares an active data connection with PORT, sends LIST and
// accepts the server's connection.
func (c *rawClient) activeList(protected bool) {
	c.t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		c.t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	c.expect(fmt.Sprintf("PORT 127,0,0,1,%d,%d", port/256, port%256), 200)
	c.send("LIST")
	l.(*net.TCPListener).SetDeadline(time.Now().Add(5 * time.Second))
	active, err := l.Accept()
	if err != nil {
		c.t.Fatal(err)
	}
	defer active.Close()
	c.reply(150)
	if listing := c.readData(active, protected); !strings.Contains(listing, "README.txt") {
		c.t.Fatalf("LIST sent %q, want a listing with README.txt", listing)
	}
	c.reply(226)
}

func TestTransfersRefusedUntilProtP(t *testing.T) {
	c := dialRaw(t, startServer(t, Options{TLS: true}))
	c.authTLS()
	c.login()

	// Without PROT P, every transfer is refused, and the connection it
	// would have used is gone; the control connection goes on.
	for _, cmd := range []string{"LIST", "NLST", "MLSD", "RETR README.txt", "STOR new.txt", "APPE new.txt"} {
		c.pasv()
		c.expect(cmd, 522)
		c.expect(cmd, 425)
	}
	c.epsv()
	c.expect("LIST", 522)
	c.expect("NOOP", 200)
	if _, err := os.Stat(filepath.Join(c.s.Root, "new.txt")); !os.IsNotExist(err) {
		t.Errorf("a refused STOR or APPE made new.txt: %v", err)
	}

	c.expect("PBSZ 0", 200)
	c.expect("PROT P", 200)
	c.list(c.pasv(), true)
	c.list(c.epsv(), true)

	c.expect("PROT C", 200)
	c.pasv()
	c.expect("LIST", 522)
	c.expect("LIST", 425)

	// The PROT level in force when the transfer runs decides, whenever
	// the connection was prepared, and active connections are protected
	// too (the server is the TLS server on them, RFC 4217).
	data := c.pasv()
	c.expect("PROT P", 200)
	c.list(data, true)
	c.activeList(true)

	c.expect("PROT S", 536)
	c.expect("PROT E", 536)
	c.expect("PROT X", 504)
	c.list(c.pasv(), true) // still P
}

// A passive connection prepared before AUTH TLS is protected if PROT P
// is in force when the transfer runs.
func TestPassiveBeforeAuthTLS(t *testing.T) {
	c := dialRaw(t, startServer(t, Options{TLS: true}))
	c.login()
	data := c.pasv()
	c.authTLS()
	c.expect("PBSZ 0", 200)
	c.expect("PROT P", 200)
	c.list(data, true)
}

// A client that answers 234 with something other than a TLS hello has
// nothing left to say on the connection: the server closes it.
func TestAuthTLSWithoutHandshake(t *testing.T) {
	c := dialRaw(t, startServer(t, Options{TLS: true}))
	c.login()
	c.expect("AUTH TLS", 234)
	// A handshake record holding an empty ClientHello, which the server
	// cannot parse: it answers with an alert, which tells the test that the
	// handshake is over, and reads no further.
	if _, err := c.conn.Write([]byte{0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00}); err != nil {
		t.Fatal(err)
	}
	c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	alert := make([]byte, 7)
	if _, err := io.ReadFull(c.r, alert); err != nil {
		t.Fatalf("read the TLS alert: %v", err)
	}
	if alert[0] != 0x15 {
		t.Fatalf("got % x, want a TLS alert", alert)
	}
	if rest, err := io.ReadAll(c.r); err != nil || len(rest) != 0 {
		t.Fatalf("after the alert: %q, %v; want the connection closed", rest, err)
	}
}

func TestProtWithoutTLS(t *testing.T) {
	c := dialRaw(t, startServer(t, Options{TLS: true}))
	c.login()
	c.expect("PROT P", 503)
	c.expect("PBSZ 0", 503)
	c.list(c.pasv(), false)
}

// TestHelpAndStat checks the two answers the sandbox gives itself: HELP
// lists the commands, and STAT describes the session in one CRLF line.
func TestHelpAndStat(t *testing.T) {
	c := dialRaw(t, startServer(t, Options{}))
	help := c.expect("HELP", 214)
	for _, name := range []string{" ABOR ", " EPSV ", " HELP ", " RETR ", " USER"} {
		if !strings.Contains(help, name) {
			t.Errorf("HELP %q does not list%s", help, name)
		}
	}
	if strings.Contains(help, "REIN") {
		t.Errorf("HELP %q lists REIN, which the sandbox answers with 502", help)
	}
	if strings.ContainsRune(help, 0xff) {
		t.Errorf("HELP lists the Telnet form of ABOR: %q", help)
	}
	c.login()
	stat := c.expect("STAT", 211)
	if !strings.Contains(stat, "logged in as demo") || !strings.Contains(stat, "127.0.0.1") {
		t.Errorf("STAT = %q, want the client's address and the user", stat)
	}
}
