package diagnose

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/internal/badserver"
	"github.com/ftpscope/ftpscope/protocol"
)

// Every error in these tests is produced for real on loopback: a closed
// port, a server that resets, a TLS client talking to a plain server, a
// DNS server that answers "no such name". Only the unreachable network,
// which loopback cannot produce, is built by hand in the shape Go returns.

func TestDescribe(t *testing.T) {
	pki := newTestPKI(t)
	tests := []struct {
		name string
		err  func(t *testing.T) error
		kind ErrorKind
		// what and fix must appear in Plain.What and Plain.Fix.
		what, fix string
	}{
		{"connection refused", dialClosedPort, KindRefused, "nothing is listening on 127.0.0.1:", "check the host and port"},
		{"connection reset", readReset, KindReset, "reset the connection", "connect again"},
		{"read timeout", readTimeout, KindTimeout, "did not answer in time", "connect again"},
		{"dial timeout", dialTimeout, KindTimeout, "did not answer the connection attempt", "check the host and port"},
		{"server closed", readClosed, KindClosed, "the server closed the connection", "log"},
		{"host not found", lookupNotFound, KindDNS, `"nosuch.test" was not found`, "IP address"},
		{"no resolver", lookupNoResolver, KindDNS, `"nosuch.test" could not be looked up`, "DNS settings"},
		{"network unreachable", unreachable, KindUnreachable, "no route to 192.0.2.1:21", "network connection"},
		{"missing port", missingPort, KindAddress, `"127.0.0.1" is not a usable address`, "host:port"},
		{"ftps:// against plain FTP", tlsToPlainGreeting, KindNotTLS, `greeted in clear text ("220 F…")`, "use ftp:// with --tls"},
		{"TLS to clear text that is not a greeting", tlsToPlainError, KindNotTLS, `answered in clear text ("421 T…")`, "ftp:// with --tls"},
		{"TLS to binary", tlsToBinary, KindNotTLS, "not TLS", "ftps:// is for implicit TLS"},
		{"clear text after the handshake", tlsThenOOPS, KindNotTLS, `sent clear text ("500 O…")`, "its log says why"},
		{"TLS alert", tlsAlert, KindTLS, "refused the TLS handshake with an alert", "another TLS version"},
		{"self-signed", pki.dial(pki.selfSigned, "localhost"), KindCertificate, "(subject ftpscope self-signed) is self-signed", "--insecure"},
		{"unknown authority", pki.dial(pki.fromUnknownCA, "localhost"), KindCertificate, "issued by ftpscope test CA, an authority this system does not trust", "accept it when the terminal UI asks"},
		{"expired", pki.dial(pki.expired, "localhost"), KindCertificate, "(subject ftpscope expired) expired on 2020-01-02", "renew"},
		{"wrong name", pki.dial(pki.fromTrustedCA, "127.0.0.2"), KindCertificate, `is for localhost, 127.0.0.1, not for "127.0.0.2"`, "a name the certificate covers"},
		{"canceled", func(*testing.T) error { return fmt.Errorf("connect: %w", context.Canceled) }, KindCanceled, "stopped", ""},
		{"ftpscope's own words", func(*testing.T) error { return errors.New("no reply to PWD within 1m0s; closing the connection") }, KindOther, "no reply to PWD within 1m0s", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err(t)
			if err == nil {
				t.Fatal("the scenario produced no error")
			}
			p := Describe(err)
			if p.Kind != tt.kind {
				t.Errorf("Describe(%q).Kind = %q, want %q", err, p.Kind, tt.kind)
			}
			if !strings.Contains(p.What, tt.what) {
				t.Errorf("Describe(%q).What = %q, want it to contain %q", err, p.What, tt.what)
			}
			if !strings.Contains(p.Fix, tt.fix) {
				t.Errorf("Describe(%q).Fix = %q, want it to contain %q", err, p.Fix, tt.fix)
			}
			if p.Detail != protocol.Escape(err.Error()) {
				t.Errorf("Detail = %q, want the error's own text %q", p.Detail, err.Error())
			}
			// Go's raw wording never reaches the user's line: not its
			// prefixes, and not its last words (the system's name of
			// the error), glued in parentheses or after a colon. The
			// detail is apart.
			raws := []string{"dial tcp", "read tcp", "connect:", "tls:", "x509:", "lookup "}
			if i := strings.LastIndex(p.Detail, ": "); i >= 0 {
				raws = append(raws, p.Detail[i+2:])
			}
			for _, raw := range raws {
				if tt.kind != KindOther && strings.Contains(p.What, raw) && !strings.Contains(tt.what, raw) {
					t.Errorf("What = %q contains Go's raw %q", p.What, raw)
				}
			}
		})
	}
}

func TestDescribeNil(t *testing.T) {
	if p := Describe(nil); p != (Plain{}) {
		t.Errorf("Describe(nil) = %+v, want the zero Plain", p)
	}
}

// TestDescribeOtherNetworkError checks that an unrecognised error from
// Go's network code says what ftpscope was doing, not "read tcp …".
func TestDescribeOtherNetworkError(t *testing.T) {
	err := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("message too long")}
	p := Describe(err)
	if p.Kind != KindOther || p.What != "reading from the server failed" || !p.DetailNeeded || p.Detail != "read tcp: message too long" {
		t.Errorf("Describe(%q) = %+v, want reading from the server failed, with Go's words as the detail to show", err, p)
	}
	ev := protocol.Event{Kind: protocol.EventError, Line: err.Error(), Err: err}
	if got := EventLine(ev); strings.Contains(got, "message too long") {
		t.Errorf("EventLine = %q glues Go's words in", got)
	}
	if got := EventDetail(ev); got != "read tcp: message too long" {
		t.Errorf("EventDetail = %q, want Go's words, apart", got)
	}
}

func TestPlainString(t *testing.T) {
	if got := (Plain{What: "a", Fix: "b"}).String(); got != "a: b" {
		t.Errorf("String() = %q, want %q", got, "a: b")
	}
	if got := (Plain{What: "a"}).String(); got != "a" {
		t.Errorf("String() without a fix = %q, want %q", got, "a")
	}
}

// TestDescribeSessionErrors checks the errors a real protocol.Session
// reports, as wrapped by protocol, and EventLine's wording of them.
func TestDescribeSessionErrors(t *testing.T) {
	pki := newTestPKI(t)
	closed := closedPort(t)
	plain := serve(t, func(c net.Conn) { io.WriteString(c, "220 FTP server ready\r\n") })
	untrusted := serveTLS(t, pki.selfSigned, nil)
	tests := []struct {
		name  string
		cfg   protocol.Config
		kind  ErrorKind
		error string // EventLine of the EventError
		close string // EventLine of the EventClose
	}{
		{"refused", protocol.Config{Addr: closed},
			KindRefused,
			"nothing is listening on " + closed + ", so the connection was refused: check the host and port, and that the server is running",
			"connection lost: nothing is listening on " + closed + ", so the connection was refused"},
		{"ftps:// to plain FTP", protocol.Config{Addr: plain, ImplicitTLS: true},
			KindNotTLS,
			`the server greeted in clear text ("220 F…") where ftpscope expected TLS: this port speaks plain FTP, not implicit FTPS: use ftp:// with --tls, which asks for TLS with AUTH TLS, instead of ftps://`,
			`connection lost: the server greeted in clear text ("220 F…") where ftpscope expected TLS`},
		{"untrusted certificate", protocol.Config{Addr: untrusted, ImplicitTLS: true},
			KindCertificate,
			"the server's certificate (subject ftpscope self-signed) is self-signed: no authority this system trusts vouches for it: if you know this certificate is the server's, use --insecure, or accept it when the terminal UI asks",
			"connection lost: the server's certificate (subject ftpscope self-signed) is self-signed: no authority this system trusts vouches for it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.ConnectTimeout = 10 * time.Second
			s := protocol.Dial(tt.cfg)
			<-s.Done()
			var errLine, closeLine string
			for _, ev := range s.Events().Drain() {
				switch ev.Kind {
				case protocol.EventError:
					errLine = EventLine(ev)
					if k := Describe(ev.Err).Kind; k != tt.kind {
						t.Errorf("kind of %q = %q, want %q", ev.Err, k, tt.kind)
					}
				case protocol.EventClose:
					closeLine = EventLine(ev)
				}
			}
			if errLine != tt.error {
				t.Errorf("error line:\n got %q\nwant %q", errLine, tt.error)
			}
			if closeLine != tt.close {
				t.Errorf("close line:\n got %q\nwant %q", closeLine, tt.close)
			}
		})
	}
}

func TestEventLineKeepsOtherEvents(t *testing.T) {
	for _, ev := range []protocol.Event{
		{Kind: protocol.EventClose, Line: "the server closed the connection"},
		{Kind: protocol.EventError, Line: "could not open the data connection; LIST was not sent", Err: io.EOF, Refused: true},
		{Kind: protocol.EventWarning, Line: "a warning"},
	} {
		if got := EventLine(ev); got != ev.Line {
			t.Errorf("EventLine(%+v) = %q, want its Line", ev, got)
		}
	}
}

// --- real errors on loopback ---

// closedPort returns an address where nothing listens: a port that was
// just listened on and closed.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func dialClosedPort(t *testing.T) error {
	_, err := net.Dial("tcp", closedPort(t))
	return fmt.Errorf("connect to server: %w", err)
}

// serve starts a TCP server on loopback that hands each connection to
// handle and closes it afterwards; it returns the server's address.
func serve(t *testing.T, handle func(net.Conn)) string {
	t.Helper()
	return badserver.Raw(t, handle).Addr
}

// dialAndRead connects to a server and reads until an error. A reset can
// arrive before the connection attempt is complete: that error is
// returned too.
func dialAndRead(addr string) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = io.ReadAll(c)
	if err == nil {
		return io.EOF // ReadAll hides the end of the stream
	}
	return err
}

func readReset(t *testing.T) error {
	addr := serve(t, func(c net.Conn) {
		c.(*net.TCPConn).SetLinger(0) // closing sends RST
	})
	return dialAndRead(addr)
}

func readClosed(t *testing.T) error {
	addr := serve(t, func(net.Conn) {})
	return fmt.Errorf("read reply: %w", dialAndRead(addr))
}

func readTimeout(t *testing.T) error {
	hold := make(chan struct{})
	addr := serve(t, func(net.Conn) { <-hold })
	t.Cleanup(func() { close(hold) }) // before the server's end, which waits for the handler
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(-time.Second))
	_, err = c.Read(make([]byte, 1))
	return err
}

func dialTimeout(t *testing.T) error {
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	var d net.Dialer
	_, err := d.DialContext(ctx, "tcp", closedPort(t))
	return err
}

func unreachable(*testing.T) error {
	return &net.OpError{Op: "dial", Net: "tcp",
		Addr: &net.TCPAddr{IP: net.ParseIP("192.0.2.1"), Port: 21},
		Err:  os.NewSyscallError("connect", syscall.ENETUNREACH),
	}
}

func missingPort(*testing.T) error {
	_, err := net.Dial("tcp", "127.0.0.1")
	return err
}

// lookup resolves nosuch.test with a resolver that asks the DNS server
// at dnsAddr over UDP on loopback, and returns the dial error.
func lookup(t *testing.T, dnsAddr string) error {
	d := net.Dialer{Resolver: &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "udp", dnsAddr)
		},
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := d.DialContext(ctx, "tcp", "nosuch.test:21")
	if err == nil {
		c.Close()
	}
	return err
}

func lookupNotFound(t *testing.T) error {
	return lookup(t, nxdomainServer(t))
}

func lookupNoResolver(t *testing.T) error {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := pc.LocalAddr().String()
	pc.Close() // nothing answers there: the lookup is refused
	return lookup(t, addr)
}

// nxdomainServer starts a DNS server on loopback that answers every
// query with "no such name" (RCODE 3), and returns its address.
func nxdomainServer(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 512)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if n < 12 {
				continue
			}
			// The query with its header turned into an authoritative
			// response (QR, AA, RD copied, RA) with RCODE 3 and no records
			// past the question.
			resp := append([]byte(nil), buf[:n]...)
			resp[2] = 0x84 | resp[2]&0x01
			resp[3] = 0x83
			for i := 6; i < 12; i++ {
				resp[i] = 0 // no answer, authority or additional records
			}
			resp = resp[:12+questionLen(resp[12:])]
			pc.WriteTo(resp, from)
		}
	}()
	return pc.LocalAddr().String()
}

// questionLen is the length of the first question of a DNS message body.
func questionLen(b []byte) int {
	i := 0
	for i < len(b) && b[i] != 0 {
		i += int(b[i]) + 1
	}
	return min(i+1+4, len(b)) // the root label, QTYPE, QCLASS
}

// handshake runs a TLS client handshake with the server at addr.
func handshake(addr string, cfg *tls.Config) error {
	c, err := tls.Dial("tcp", addr, cfg)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Read(make([]byte, 64))
	return err
}

func tlsToPlainGreeting(t *testing.T) error {
	addr := serve(t, func(c net.Conn) { io.WriteString(c, "220 FTP server ready\r\n") })
	return handshake(addr, &tls.Config{InsecureSkipVerify: true})
}

func tlsToPlainError(t *testing.T) error {
	addr := serve(t, func(c net.Conn) { io.WriteString(c, "421 Too many connections\r\n") })
	return handshake(addr, &tls.Config{InsecureSkipVerify: true})
}

func tlsToBinary(t *testing.T) error {
	addr := serve(t, func(c net.Conn) { c.Write([]byte{0x00, 0xff, 0x10, 0x20, 0x30, 0x40}) })
	return handshake(addr, &tls.Config{InsecureSkipVerify: true})
}

// tlsThenOOPS completes a TLS handshake, then writes an FTP error in
// clear text on the raw connection, as vsftpd does when its TLS setup
// fails after it started.
func tlsThenOOPS(t *testing.T) error {
	pki := newTestPKI(t)
	addr := serveTLS(t, pki.selfSigned, func(raw net.Conn) {
		io.WriteString(raw, "500 OOPS: SSL: cannot load RSA certificate\r\n")
	})
	return handshake(addr, &tls.Config{InsecureSkipVerify: true})
}

func tlsAlert(t *testing.T) error {
	pki := newTestPKI(t)
	addr := serve(t, func(c net.Conn) {
		tls.Server(c, &tls.Config{Certificates: []tls.Certificate{pki.selfSigned}, MinVersion: tls.VersionTLS13}).Handshake()
	})
	return handshake(addr, &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS12})
}

// serveTLS starts an implicit-TLS server with cert; after the handshake,
// then(raw) runs on the connection underneath, when given.
func serveTLS(t *testing.T, cert tls.Certificate, then func(raw net.Conn)) string {
	return serve(t, func(c net.Conn) {
		tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{cert}})
		if err := tc.Handshake(); err != nil {
			return
		}
		if then != nil {
			then(c)
			return
		}
		io.WriteString(tc, "220 ready\r\n")
		io.Copy(io.Discard, tc)
	})
}

// testPKI holds certificates for the certificate scenarios: a trusted CA
// and an untrusted one, and leaves signed by them or by themselves.
type testPKI struct {
	roots                                             *x509.CertPool
	selfSigned, fromUnknownCA, expired, fromTrustedCA tls.Certificate
}

func newTestPKI(t *testing.T) *testPKI {
	t.Helper()
	now := time.Now()
	trusted, trustedKey := makeCert(t, "ftpscope trusted CA", nil, nil, true, now.Add(-time.Hour), now.Add(time.Hour), nil)
	unknown, unknownKey := makeCert(t, "ftpscope test CA", nil, nil, true, now.Add(-time.Hour), now.Add(time.Hour), nil)
	names := []string{"localhost"}
	p := &testPKI{roots: x509.NewCertPool()}
	p.roots.AddCert(trusted)
	p.selfSigned = leaf(makeCert(t, "ftpscope self-signed", nil, nil, false, now.Add(-time.Hour), now.Add(time.Hour), names))
	p.fromUnknownCA = leaf(makeCert(t, "ftpscope leaf", unknown, unknownKey, false, now.Add(-time.Hour), now.Add(time.Hour), names))
	p.expired = leaf(makeCert(t, "ftpscope expired", trusted, trustedKey, false,
		time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC), names))
	p.fromTrustedCA = leaf(makeCert(t, "ftpscope leaf", trusted, trustedKey, false, now.Add(-time.Hour), now.Add(time.Hour), names))
	return p
}

// dial returns a scenario: a TLS client that trusts the test CA, with
// serverName, against a server presenting cert.
func (p *testPKI) dial(cert tls.Certificate, serverName string) func(*testing.T) error {
	return func(t *testing.T) error {
		addr := serveTLS(t, cert, nil)
		return handshake(addr, &tls.Config{RootCAs: p.roots, ServerName: serverName})
	}
}

func leaf(cert *x509.Certificate, key *ecdsa.PrivateKey) tls.Certificate {
	return tls.Certificate{Certificate: [][]byte{cert.Raw}, PrivateKey: key, Leaf: cert}
}

// makeCert creates a certificate for cn, signed by parent (itself when
// nil), valid from notBefore to notAfter, for names plus 127.0.0.1.
func makeCert(t *testing.T, cn string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, ca bool, notBefore, notAfter time.Time, names []string) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  ca,
		DNSNames:              names,
	}
	if names != nil {
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

// TestEventLineWordsCertificates checks the handshake lines of a
// certificate that did not verify: the question, and the connection
// protected all the same, saying who accepted the certificate: --insecure
// without asking, or the user when asked (both once read "accepted by
// your choice").
func TestEventLineWordsCertificates(t *testing.T) {
	pki := newTestPKI(t)
	addr := serveTLS(t, pki.selfSigned, nil)
	const problem = "it is self-signed: no authority this system trusts vouches for it"
	tests := []struct {
		name string
		cfg  protocol.Config
		// accept answers the question, when there is one.
		accept bool
		want   string
	}{
		{"--insecure", protocol.Config{Addr: addr, ImplicitTLS: true, Insecure: true}, false,
			"; certificate NOT verified (" + problem + "), accepted without asking because of --insecure"},
		{"asking", protocol.Config{Addr: addr, ImplicitTLS: true, AskTrust: true}, false,
			"the server's certificate is not trusted: " + problem},
		{"accepted when asked", protocol.Config{Addr: addr, ImplicitTLS: true, AskTrust: true}, true,
			"; certificate NOT verified (" + problem + "), accepted by you for this session"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := protocol.Dial(tt.cfg)
			defer s.Close()
			for {
				<-s.Events().Ready()
				for _, ev := range s.Events().Drain() {
					if ev.Kind == protocol.EventClose {
						t.Fatalf("the session ended without a TLS event: %s", ev.Line)
					}
					if ev.Kind != protocol.EventTLS {
						continue
					}
					if ev.TLS.NeedsDecision && tt.accept {
						s.Trust(true)
						continue
					}
					if got := EventLine(ev); !strings.HasSuffix(got, tt.want) || strings.Contains(got, "x509:") {
						t.Errorf("EventLine = %q, want it to end with %q", got, tt.want)
					}
					if got := CertProblem(ev.TLS.Cert); got != problem {
						t.Errorf("CertProblem = %q, want %q", got, problem)
					}
					return
				}
			}
		})
	}
}

// TestEventLineWordsDataAndRefusedErrors checks the lines of a command
// not sent because its data connection was refused, and of a data
// connection that failed: Go's "dial tcp … connection refused" is
// replaced by plain words, the rest of protocol's line kept.
func TestEventLineWordsDataAndRefusedErrors(t *testing.T) {
	addr := closedPort(t)
	_, dialErr := net.Dial("tcp", addr)
	data := &protocol.DataError{Verb: "LIST", Op: protocol.DataDial, Addr: addr, Err: dialErr}
	refused := protocol.Event{Kind: protocol.EventError, Refused: true,
		Line: data.Error() + "; LIST was not sent", Err: &protocol.RefusedError{Verb: "LIST", Err: data}}
	failed := protocol.Event{Kind: protocol.EventData, Line: "data connection for LIST failed: " + data.Error(),
		Data: &protocol.DataInfo{Phase: protocol.DataClosed, Verb: "LIST", Err: data}}
	plain := "the data connection to " + addr + " was refused: a firewall blocks"
	if got := EventLine(refused); !strings.HasPrefix(got, plain) || !strings.HasSuffix(got, "; LIST was not sent") || strings.Contains(got, "dial tcp") {
		t.Errorf("refused line %q, want %q … LIST was not sent", got, plain)
	}
	if got := EventLine(failed); !strings.HasPrefix(got, "data connection for LIST failed: "+plain) || strings.Contains(got, "dial tcp") {
		t.Errorf("data line %q, want the plain words", got)
	}
	// A refusal Describe has no better words for keeps protocol's line.
	own := protocol.Event{Kind: protocol.EventError, Refused: true, Line: "open missing.txt: no such file; STOR was not sent",
		Err: &protocol.RefusedError{Verb: "STOR", Err: errors.New("open missing.txt: no such file")}}
	if got := EventLine(own); got != own.Line {
		t.Errorf("EventLine = %q, want protocol's line %q", got, own.Line)
	}
}

// TestLongCommandInAnErrorLine checks that an error naming a 3,000-
// character command quotes its start and says how long it is.
func TestLongCommandInAnErrorLine(t *testing.T) {
	long := "CWD " + strings.Repeat("a", 3000)
	p := Describe(&protocol.TimeoutError{Command: long, After: time.Minute})
	if !strings.HasPrefix(p.What, "no reply to CWD aaa") || !strings.Contains(p.What, "… (3004 characters) within 1m0s") || len(p.What) > 120 {
		t.Errorf("What = %q, want the command's start and its length", p.What)
	}
	if short := Describe(&protocol.TimeoutError{Command: "NOOP", After: time.Minute}); short.What != "no reply to NOOP within 1m0s" {
		t.Errorf("What = %q, want the short command whole", short.What)
	}
}
