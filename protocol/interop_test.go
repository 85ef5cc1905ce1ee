package protocol

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/internal/vsftpdtest"
)

// vsftpdServer starts vsftpd with opts and describes it for the scenarios.
func vsftpdServer(t *testing.T, opts vsftpdtest.Options) testServer {
	t.Helper()
	srv := vsftpdtest.Start(t, opts)
	big, err := os.ReadFile(filepath.Join(srv.Root, "big.bin"))
	if err != nil {
		t.Fatal(err)
	}
	ts := testServer{
		name: "vsftpd", addr: srv.Addr, user: srv.User, pass: srv.Password, root: srv.Root,
		bigFile: "big.bin", bigContent: big, listed: "hello.txt", logPath: srv.LogPath,
	}
	if srv.CertPEM != nil {
		ts.roots = x509.NewCertPool()
		ts.roots.AppendCertsFromPEM(srv.CertPEM)
	}
	return ts
}

// TestScenariosVsftpd runs the same scenarios as the sandbox's against a
// real vsftpd (TLS 1.3 allowed, as Debian ships it) and its IPv6 twin.
func TestScenariosVsftpd(t *testing.T) {
	srv := vsftpdServer(t, vsftpdtest.Options{TLS: true, TLSv13: true})
	v6 := vsftpdServer(t, vsftpdtest.Options{IPv6: true})
	runScenarios(t, srv, &v6)
}

// TestVsftpdProtectedDataResumesTheSession checks PROT P under both TLS
// versions against vsftpd's default require_ssl_reuse=YES, which fails
// clients whose data connection does not resume the control session
// ("522 SSL connection failed: session reuse required").
func TestVsftpdProtectedDataResumesTheSession(t *testing.T) {
	for _, tt := range []struct {
		name    string
		tlsv13  bool
		version string
	}{{"TLS 1.2", false, "TLS 1.2"}, {"TLS 1.3", true, "TLS 1.3"}} {
		t.Run(tt.name, func(t *testing.T) {
			srv := vsftpdServer(t, vsftpdtest.Options{TLS: true, TLSv13: tt.tlsv13})
			c := conversation(t, srv, Config{})
			x := expect(t, c, "AUTH TLS", 234)
			if v := tlsVersionOf(x); v != tt.version {
				t.Errorf("control connection negotiated %q, want %q", v, tt.version)
			}
			login(t, c, srv)
			expect(t, c, "PBSZ 0", 200)
			expect(t, c, "PROT P", 200)
			expect(t, c, "TYPE I", 200)
			expect(t, c, "EPSV", 229)
			local := filepath.Join(t.TempDir(), "big.bin")
			x = expect(t, c, "RETR big.bin > "+local, 226)
			if x.Data == nil || !x.Data.Protected || x.Data.Bytes != int64(len(srv.bigContent)) {
				t.Fatalf("protected RETR data = %+v", x.Data)
			}
			var resumed bool
			for _, ev := range x.Events {
				resumed = resumed || ev.Kind == EventTLS && ev.TLS.Data && ev.TLS.Resumed
			}
			if !resumed {
				t.Error("the data connection did not resume the control connection's TLS session")
			}
			checkFile(t, local, srv.bigContent)
		})
	}
}

func tlsVersionOf(x *Exchange) string {
	for _, ev := range x.Events {
		if ev.Kind == EventTLS && ev.TLS != nil && !ev.TLS.Data {
			return ev.TLS.Version
		}
	}
	return ""
}

// TestVsftpdImplicitTLS connects with TLS from the first byte (ftps://).
func TestVsftpdImplicitTLS(t *testing.T) {
	srv := vsftpdServer(t, vsftpdtest.Options{ImplicitTLS: true, TLSv13: true})
	c := conversation(t, srv, Config{ImplicitTLS: true})
	login(t, c, srv)
	expect(t, c, "PBSZ 0", 200)
	expect(t, c, "PROT P", 200)
	expect(t, c, "PASV", 227)
	x := expect(t, c, "LIST", 226)
	if x.Data == nil || !x.Data.Protected || !strings.Contains(string(x.Data.Preview), "hello.txt") {
		t.Fatalf("implicit-TLS LIST data = %+v", x.Data)
	}
}

// TestVsftpdNATPassiveAddress makes vsftpd announce 127.0.0.2 in 227, as
// a server behind NAT announces its private address.
func TestVsftpdNATPassiveAddress(t *testing.T) {
	srv := vsftpdServer(t, vsftpdtest.Options{PasvAddress: "127.0.0.2"})
	c := conversation(t, srv, Config{})
	login(t, c, srv)
	x := expect(t, c, "PASV", 227)
	if len(warningsOf(x)) == 0 {
		t.Error("no warning for a 227 that names another address")
	}
	x = expect(t, c, "LIST", 226)
	if x.Data == nil || !strings.HasPrefix(x.Data.Remote, "127.0.0.1:") {
		t.Fatalf("LIST data = %+v, want a connection to the control peer", x.Data)
	}
}

func warningsOf(x *Exchange) []string {
	var out []string
	for _, ev := range x.Events {
		out = append(out, ev.Warnings...)
	}
	return out
}

// TestVsftpdTransferWithoutDataConnection shows vsftpd's own answer when
// no PASV or PORT came first.
func TestVsftpdTransferWithoutDataConnection(t *testing.T) {
	srv := vsftpdServer(t, vsftpdtest.Options{})
	c := conversation(t, srv, Config{})
	login(t, c, srv)
	expect(t, c, "LIST", 425)
}

// TestVsftpdABOR aborts a slow download: vsftpd answers 426 for the
// transfer, then 226 for the ABOR, and the reply of each is attributed to
// its own command.
func TestVsftpdABOR(t *testing.T) {
	srv := vsftpdServer(t, vsftpdtest.Options{Extra: map[string]string{
		"async_abor_enable": "YES", "local_max_rate": "65536",
	}})
	s := Dial(Config{Addr: srv.addr, ReplyTimeout: 10 * time.Second})
	defer s.Close()
	c := &collector{t: t, s: s}
	c.reply(GreetingVerb)
	for _, line := range []string{"USER " + srv.user, "PASS " + srv.pass, "TYPE I", "PASV", "RETR big.bin"} {
		c.send(line)
	}
	c.waitFor("data flowing", func(e Event) bool { return e.Kind == EventData && e.Data.Phase == DataProgress })
	c.send("ABOR")
	retr := c.reply("RETR")
	abor := c.reply("ABOR")
	if retr.Code != 426 && retr.Code != 226 || abor.Code != 226 && abor.Code != 225 {
		t.Fatalf("RETR answered %d and ABOR %d; want 426 then 226", retr.Code, abor.Code)
	}
	c.next = 0 // the data connection may close before or after the replies
	closed := c.waitFor("the data connection's end", func(e Event) bool { return e.Kind == EventData && e.Data.Phase == DataClosed })
	if closed.Data.Bytes >= int64(len(srv.bigContent)) {
		t.Errorf("the aborted transfer moved all %d bytes", closed.Data.Bytes)
	}
	c.next = 0
	abort := c.waitFor("ABOR's send event", func(e Event) bool { return e.Kind == EventSend && e.Line == "ABOR" })
	if !strings.Contains(abort.Note, "Synch") {
		t.Errorf("ABOR during a transfer was sent without the Telnet Synch: note %q", abort.Note)
	}
}

// TestVsftpdUntrustedCertificate checks the handshake stops, naming the
// certificate, when it is not trusted.
func TestVsftpdUntrustedCertificate(t *testing.T) {
	srv := vsftpdServer(t, vsftpdtest.Options{TLS: true})
	srv.roots = x509.NewCertPool()
	c := conversation(t, srv, Config{RootCAs: srv.roots, MinTLS: tls.VersionTLS12})
	_, err := c.Do(context.Background(), "AUTH TLS")
	checkCertificateRefused(t, err, "not trusted")
}
