package protocol

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/sandbox"
)

// testServer describes a real server the scenarios run against: the
// embedded sandbox in every test run, vsftpd where it is installed.
type testServer struct {
	name       string
	addr       string
	user, pass string
	// root is the folder the user lands in, on this machine, so tests can
	// check uploads and prepare files.
	root string
	// bigFile is the path of a 1 MiB file, relative to the login folder,
	// and bigContent its bytes.
	bigFile    string
	bigContent []byte
	// listed is a name that LIST of the login folder shows.
	listed string
	// roots trusts the server's certificate when it offers TLS.
	roots   *x509.CertPool
	logPath string
}

// conversation opens a session to srv and logs its events on failure.
func conversation(t *testing.T, srv testServer, cfg Config) *Conversation {
	t.Helper()
	cfg.Addr = srv.addr
	if cfg.RootCAs == nil {
		cfg.RootCAs = srv.roots
	}
	if cfg.ReplyTimeout == 0 {
		cfg.ReplyTimeout = 10 * time.Second
	}
	var log []string
	c := NewConversation(Dial(cfg), func(ev Event) {
		entry := string(ev.Kind) + " " + ev.Line
		if ev.Reply != nil {
			entry += strings.Join(ev.Reply.Lines, " | ")
		}
		if ev.Note != "" {
			entry += " [" + ev.Note + "]"
		}
		log = append(log, entry)
	})
	t.Cleanup(func() {
		c.Close()
		if t.Failed() {
			t.Logf("events:\n%s", strings.Join(log, "\n"))
			if srv.logPath != "" {
				if b, err := os.ReadFile(srv.logPath); err == nil {
					t.Logf("server log:\n%s", b)
				}
			}
		}
	})
	if _, err := c.Greeting(context.Background()); err != nil {
		t.Fatalf("greeting: %v", err)
	}
	return c
}

// expect sends a command and checks its final reply's class or code.
func expect(t *testing.T, c *Conversation, line string, code int) *Exchange {
	t.Helper()
	x, err := c.Do(context.Background(), line)
	if err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	if x.Final == nil {
		t.Fatalf("%s: no final reply", line)
	}
	got := x.Final.Code
	if code < 10 {
		got = x.Final.Class()
	}
	if got != code {
		t.Fatalf("%s: final reply %q, want %d", line, x.Final.Lines, code)
	}
	return x
}

func login(t *testing.T, c *Conversation, srv testServer) {
	t.Helper()
	expect(t, c, "USER "+srv.user, 331)
	expect(t, c, "PASS "+srv.pass, 230)
}

// runScenarios runs every scenario against srv.
func runScenarios(t *testing.T, srv testServer, ipv6 *testServer) {
	t.Run("login", func(t *testing.T) {
		c := conversation(t, srv, Config{})
		login(t, c, srv)
		expect(t, c, "QUIT", 221)
	})
	t.Run("PASV LIST", func(t *testing.T) {
		c := conversation(t, srv, Config{})
		login(t, c, srv)
		x := expect(t, c, "PASV", 227)
		if !strings.Contains(noteOf(x), "×256+") {
			t.Errorf("the 227 reply has no decoded address: %q", noteOf(x))
		}
		x = expect(t, c, "LIST", 2)
		checkPreliminary(t, x)
		if x.Data == nil || x.Data.Err != nil || !bytes.Contains(x.Data.Preview, []byte(srv.listed)) {
			t.Fatalf("LIST data = %+v, want a listing naming %s", x.Data, srv.listed)
		}
	})
	t.Run("EPSV RETR 1 MiB", func(t *testing.T) {
		c := conversation(t, srv, Config{})
		login(t, c, srv)
		expect(t, c, "TYPE I", 200)
		expect(t, c, "EPSV", 229)
		local := filepath.Join(t.TempDir(), "big.bin")
		x := expect(t, c, "RETR "+srv.bigFile+" > "+local, 2)
		checkPreliminary(t, x)
		if x.Data == nil || x.Data.Bytes != int64(len(srv.bigContent)) {
			t.Fatalf("RETR moved %+v, want %d bytes", x.Data, len(srv.bigContent))
		}
		if len(x.Data.Preview) != PreviewSize {
			t.Errorf("preview holds %d bytes, want the first %d", len(x.Data.Preview), PreviewSize)
		}
		checkFile(t, local, srv.bigContent)
		checkTransferOrder(t, x)
		if x.Saved == nil || !x.Saved.Saved || x.Saved.Err != nil {
			t.Errorf("the saved report is %+v, want the file kept", x.Saved)
		}
	})
	t.Run("without TYPE, bytes move unchanged", func(t *testing.T) {
		c := conversation(t, srv, Config{})
		login(t, c, srv)
		content := []byte("one\r\ntwo\r\n\x00\xff\r")
		os.WriteFile(filepath.Join(srv.root, "raw.bin"), content, 0o644)
		expect(t, c, "PASV", 227)
		local := filepath.Join(t.TempDir(), "raw.bin")
		expect(t, c, "RETR raw.bin > "+local, 2)
		checkFile(t, local, content)
	})
	t.Run("a refused RETR leaves the local file alone", func(t *testing.T) {
		c := conversation(t, srv, Config{})
		login(t, c, srv)
		local := filepath.Join(t.TempDir(), "precious.txt")
		os.WriteFile(local, []byte("precious"), 0o644)
		expect(t, c, "PASV", 227)
		x := expect(t, c, "RETR no-such-file.bin > "+local, 5)
		checkFile(t, local, []byte("precious"))
		if x.Saved == nil || x.Saved.Saved || x.Saved.Err == nil {
			t.Errorf("the saved report is %+v, want the file not kept, with the reason", x.Saved)
		}
		if entries, _ := os.ReadDir(filepath.Dir(local)); len(entries) != 1 {
			t.Errorf("the folder holds %d entries, want the file alone (no temporary file left)", len(entries))
		}
		expect(t, c, "NOOP", 200)
	})
	t.Run("a refused resumed RETR leaves the local file whole", func(t *testing.T) {
		c := conversation(t, srv, Config{})
		login(t, c, srv)
		expect(t, c, "TYPE I", 200)
		local := filepath.Join(t.TempDir(), "partial.bin")
		os.WriteFile(local, srv.bigContent[:1000], 0o644)
		expect(t, c, "PASV", 227)
		expect(t, c, "REST 100", 350)
		x := expect(t, c, "RETR no-such-file.bin > "+local, 5)
		checkFile(t, local, srv.bigContent[:1000])
		if x.Saved == nil || x.Saved.Saved {
			t.Errorf("the saved report is %+v, want the file left as it was", x.Saved)
		}
	})
	t.Run("a pipe is written to, not replaced", func(t *testing.T) {
		c := conversation(t, srv, Config{})
		login(t, c, srv)
		expect(t, c, "TYPE I", 200)
		fifo := filepath.Join(t.TempDir(), "pipe")
		if err := makeFIFO(fifo); err != nil {
			t.Skipf("cannot make a FIFO here: %v", err)
		}
		got := make(chan []byte, 1)
		go func() {
			f, err := os.Open(fifo)
			if err != nil {
				got <- nil
				return
			}
			defer f.Close()
			b, _ := io.ReadAll(f)
			got <- b
		}()
		expect(t, c, "PASV", 227)
		expect(t, c, "RETR "+srv.bigFile+" > "+fifo, 2)
		if b := <-got; !bytes.Equal(b, srv.bigContent) {
			t.Errorf("the pipe's reader got %d bytes, want the %d of the file", len(b), len(srv.bigContent))
		}
		if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
			t.Errorf("%s is no longer a pipe (%v)", fifo, err)
		}
	})
	t.Run("REST past the local file's end is refused before RETR", func(t *testing.T) {
		c := conversation(t, srv, Config{})
		login(t, c, srv)
		expect(t, c, "TYPE I", 200)
		expect(t, c, "REST 5", 350)
		local := filepath.Join(t.TempDir(), "absent.bin")
		_, err := c.Do(context.Background(), "RETR "+srv.bigFile+" > "+local)
		if err == nil || !strings.Contains(err.Error(), "gap") {
			t.Fatalf("RETR after REST 5 into a missing file: %v, want a refusal that explains the gap", err)
		}
		if _, err := os.Stat(local); err == nil {
			t.Errorf("%s was created", local)
		}
		expect(t, c, "NOOP", 200)
	})
	t.Run("STOR then RETR round trip", func(t *testing.T) {
		c := conversation(t, srv, Config{})
		login(t, c, srv)
		expect(t, c, "TYPE I", 200)
		content := make([]byte, 100_000)
		rand.Read(content)
		up := filepath.Join(t.TempDir(), "up.bin")
		os.WriteFile(up, content, 0o644)
		expect(t, c, "PASV", 227)
		x := expect(t, c, "STOR roundtrip.bin < "+up, 2)
		if x.Data == nil || x.Data.Bytes != int64(len(content)) {
			t.Fatalf("STOR moved %+v, want %d bytes", x.Data, len(content))
		}
		down := filepath.Join(t.TempDir(), "down.bin")
		expect(t, c, "PASV", 227)
		expect(t, c, "RETR roundtrip.bin > "+down, 2)
		checkFile(t, down, content)
	})
	t.Run("REST resumes RETR", func(t *testing.T) {
		c := conversation(t, srv, Config{})
		login(t, c, srv)
		expect(t, c, "TYPE I", 200)
		local := filepath.Join(t.TempDir(), "partial.bin")
		os.WriteFile(local, srv.bigContent[:1000], 0o644)
		expect(t, c, "PASV", 227)
		expect(t, c, "REST 1000", 350)
		x := expect(t, c, "RETR "+srv.bigFile+" > "+local, 2)
		if want := int64(len(srv.bigContent) - 1000); x.Data == nil || x.Data.Bytes != want {
			t.Fatalf("resumed RETR moved %+v, want %d bytes", x.Data, want)
		}
		checkFile(t, local, srv.bigContent)
	})
	t.Run("active mode EPRT", func(t *testing.T) {
		c := conversation(t, srv, Config{})
		login(t, c, srv)
		x := expect(t, c, "EPRT", 200)
		if sent := sentLine(x); !strings.HasPrefix(sent, "EPRT |1|127.0.0.1|") {
			t.Errorf("EPRT was sent as %q, want it filled in with ftpscope's listener", sent)
		}
		x = expect(t, c, "LIST", 2)
		if x.Data == nil || x.Data.Err != nil || !bytes.Contains(x.Data.Preview, []byte(srv.listed)) {
			t.Fatalf("active LIST data = %+v", x.Data)
		}
	})
	t.Run("TYPE A converts line endings", func(t *testing.T) {
		c := conversation(t, srv, Config{})
		login(t, c, srv)
		os.WriteFile(filepath.Join(srv.root, "crlf.txt"), []byte("one\r\ntwo\r\n"), 0o644)
		for _, tt := range []struct {
			typ, want string
		}{{"TYPE A", "one\ntwo\n"}, {"TYPE I", "one\r\ntwo\r\n"}} {
			expect(t, c, tt.typ, 200)
			expect(t, c, "PASV", 227)
			local := filepath.Join(t.TempDir(), "crlf.txt")
			expect(t, c, "RETR crlf.txt > "+local, 2)
			checkFile(t, local, []byte(tt.want))
		}
	})
	t.Run("AUTH TLS, PBSZ, PROT P, LIST", func(t *testing.T) {
		if srv.roots == nil {
			t.Skip("this server offers no TLS")
		}
		c := conversation(t, srv, Config{})
		expect(t, c, "AUTH TLS", 234)
		login(t, c, srv)
		expect(t, c, "PBSZ 0", 200)
		expect(t, c, "PROT P", 200)
		expect(t, c, "PASV", 227)
		x := expect(t, c, "LIST", 2)
		if x.Data == nil || x.Data.Err != nil || !x.Data.Protected || !bytes.Contains(x.Data.Preview, []byte(srv.listed)) {
			t.Fatalf("protected LIST data = %+v", x.Data)
		}
	})
	t.Run("missing local file is refused before sending", func(t *testing.T) {
		c := conversation(t, srv, Config{})
		login(t, c, srv)
		_, err := c.Do(context.Background(), "STOR x < /nonexistent/file")
		if err == nil || !strings.Contains(err.Error(), "nothing was sent") {
			t.Fatalf("STOR of a missing file: %v, want a refusal", err)
		}
		expect(t, c, "NOOP", 200)
	})
	runActiveScenarios(t, srv, ipv6)
	if srv.roots != nil {
		runProtectedActive(t, srv)
	}
	if ipv6 != nil {
		t.Run("IPv6 EPSV and EPRT", func(t *testing.T) {
			c := conversation(t, *ipv6, Config{})
			login(t, c, *ipv6)
			expect(t, c, "EPSV", 229)
			x := expect(t, c, "LIST", 2)
			if x.Data == nil || !strings.HasPrefix(x.Data.Remote, "[::1]:") {
				t.Fatalf("IPv6 passive LIST data = %+v", x.Data)
			}
			x = expect(t, c, "EPRT", 200)
			if !strings.HasPrefix(sentLine(x), "EPRT |2|::1|") {
				t.Errorf("EPRT was sent as %q", sentLine(x))
			}
			x = expect(t, c, "LIST", 2)
			if x.Data == nil || x.Data.Err != nil {
				t.Fatalf("IPv6 active LIST data = %+v", x.Data)
			}
		})
	}
}

// sentLine returns the line an exchange sent.
func sentLine(x *Exchange) string {
	for _, ev := range x.Events {
		if ev.Kind == EventSend {
			return ev.Line
		}
	}
	return ""
}

// noteOf returns the note of an exchange's reply event.
func noteOf(x *Exchange) string {
	for _, ev := range x.Events {
		if ev.Kind == EventReply {
			return ev.Note
		}
	}
	return ""
}

// checkTransferOrder checks that a transfer's events come as the protocol
// unfolds: the data connection opened (numbered as the command), the
// command, the 1yz reply, the data connection's end, the final reply.
func checkTransferOrder(t *testing.T, x *Exchange) {
	t.Helper()
	checkOrder(t, x, []string{DataOpened, "send", "1xx", DataClosed, "2xx"})
}

// checkActiveOrder checks an active transfer's events are in protocol
// order: the command, the server's 150, then the connection it opened to
// ftpscope, its end, the final reply and the saved file.
func checkActiveOrder(t *testing.T, x *Exchange) {
	t.Helper()
	checkOrder(t, x, []string{"send", "1xx", DataOpened, DataClosed, "2xx"})
}

// checkOrder checks the order of a transfer's events against want (with
// DataSaved added when the download was saved).
func checkOrder(t *testing.T, x *Exchange, want []string) {
	t.Helper()
	var order []string
	for _, ev := range x.Events {
		switch {
		case ev.Kind == EventData && ev.Data.Phase != DataProgress:
			order = append(order, ev.Data.Phase)
			if ev.Seq != x.Seq {
				t.Errorf("data event %q has seq %d, want the command's %d", ev.Data.Phase, ev.Seq, x.Seq)
			}
		case ev.Kind == EventSend:
			order = append(order, "send")
		case ev.Kind == EventReply:
			order = append(order, fmt.Sprintf("%dxx", ev.Reply.Class()))
		}
	}
	if x.Saved != nil {
		want = append(want, DataSaved)
	}
	if !slices.Equal(order, want) {
		t.Errorf("events in the order %v, want %v", order, want)
	}
}

// checkPreliminary checks the 150/125 → 226/250 sequence of a transfer.
func checkPreliminary(t *testing.T, x *Exchange) {
	t.Helper()
	if len(x.Replies) < 2 || x.Replies[0].Class() != 1 {
		t.Errorf("transfer replies %v, want a 1yz reply before the final one", codesOf(x.Replies))
	}
	if f := x.Final.Code; f != 226 && f != 250 {
		t.Errorf("transfer final reply %d, want 226 or 250", f)
	}
}

func codesOf(replies []*Reply) []int {
	var codes []int
	for _, r := range replies {
		codes = append(codes, r.Code)
	}
	return codes
}

func checkFile(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s: %d bytes differ from the %d expected (first bytes %q)", path, len(got), len(want), got[:min(len(got), 20)])
	}
}

func sandboxServer(t *testing.T, opts sandbox.Options) testServer {
	t.Helper()
	srv, err := sandbox.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	big, _ := io.ReadAll(io.LimitReader(sandbox.BigFileReader(), sandbox.BigFileSize))
	ts := testServer{
		name: "sandbox", addr: srv.Addr, user: sandbox.DemoUser, pass: sandbox.DemoPassword,
		root: srv.Root, bigFile: sandbox.BigFileName, bigContent: big, listed: "README.txt",
	}
	if srv.Cert != nil {
		ts.roots = srv.Cert.Pool()
	}
	return ts
}

func TestScenariosSandbox(t *testing.T) {
	srv := sandboxServer(t, sandbox.Options{TLS: true})
	v6 := sandboxServer(t, sandbox.Options{Host: "::1"})
	runScenarios(t, srv, &v6)
}

// TestPassiveAddressBehindNAT plays a server that announces another
// address in 227: ftpscope connects to the control connection's peer
// instead, and says so.
func TestPassiveAddressBehindNAT(t *testing.T) {
	srv := sandboxServer(t, sandbox.Options{PublicIP: "127.0.0.2"})
	c := conversation(t, srv, Config{})
	login(t, c, srv)
	x := expect(t, c, "PASV", 227)
	var warned bool
	for _, ev := range x.Events {
		for _, w := range ev.Warnings {
			warned = warned || strings.Contains(w, "127.0.0.2") && strings.Contains(w, "connect to 127.0.0.1:")
		}
	}
	if !warned {
		t.Error("no warning naming the announced and the used address")
	}
	x = expect(t, c, "LIST", 2)
	if x.Data == nil || !strings.HasPrefix(x.Data.Remote, "127.0.0.1:") {
		t.Fatalf("LIST data = %+v, want a connection to 127.0.0.1", x.Data)
	}
}

func TestTransferWithoutPASVIsSentWithAWarning(t *testing.T) {
	srv := sandboxServer(t, sandbox.Options{})
	c := conversation(t, srv, Config{})
	login(t, c, srv)
	x, err := c.Do(context.Background(), "LIST")
	if err != nil {
		t.Fatal(err)
	}
	var warned bool
	for _, ev := range x.Events {
		warned = warned || ev.Kind == EventWarning && strings.Contains(ev.Line, "PASV")
	}
	// ftpscope's part is to send it and say why it will probably fail;
	// the sandbox, like vsftpd, answers 425.
	if !warned || sentLine(x) != "LIST" || x.Final == nil || x.Final.Code != 425 {
		t.Fatalf("LIST without PASV: warned %v, sent %q, final %v; want a warning, the command sent and 425", warned, sentLine(x), x.Final)
	}
}

func TestRequireTLSRefusesClearTextLogin(t *testing.T) {
	srv := sandboxServer(t, sandbox.Options{}) // no TLS: AUTH TLS is refused
	s := Dial(Config{Addr: srv.addr, RequireTLS: true})
	var sent []string
	c := NewConversation(s, func(ev Event) {
		if ev.Kind == EventSend {
			sent = append(sent, ev.Line)
		}
	})
	_, err := c.Greeting(context.Background())
	if !errors.Is(err, ErrClosed) || !strings.Contains(err.Error(), "refused AUTH TLS") {
		t.Fatalf("greeting with TLS required: %v, want the refusal explained", err)
	}
	if len(sent) != 1 || sent[0] != "AUTH TLS" {
		t.Errorf("sent %q, want only AUTH TLS", sent)
	}
	if err := s.Send("USER demo"); err == nil {
		t.Error("USER was accepted after TLS was refused")
	}
}

func TestUntrustedCertificateStopsTheHandshake(t *testing.T) {
	srv := sandboxServer(t, sandbox.Options{TLS: true})
	srv.roots = x509.NewCertPool() // trust nothing
	c := conversation(t, srv, Config{RootCAs: srv.roots})
	_, err := c.Do(context.Background(), "AUTH TLS")
	checkCertificateRefused(t, err, "self-signed")
}

// checkCertificateRefused checks that err is a refused certificate, given
// in a short sentence that says why (reason), with the certificate's
// details at hand.
func checkCertificateRefused(t *testing.T, err error, reason string) {
	t.Helper()
	var ce *CertificateError
	var he *HandshakeError
	if !errors.Is(err, ErrClosed) || !errors.Is(err, ErrUntrusted) || !errors.As(err, &ce) || !errors.As(err, &he) {
		t.Fatalf("AUTH TLS with an untrusted certificate: %v, want ErrClosed wrapping a HandshakeError with a CertificateError", err)
	}
	if ce.Cert.SHA256 == "" || !strings.Contains(ce.Error(), reason) {
		t.Errorf("certificate error %q (fingerprint %q), want it to say %q and describe the certificate", ce, ce.Cert.SHA256, reason)
	}
	if len(ce.Error()) > 200 {
		t.Errorf("the certificate error is %d characters long, want one short sentence: %q", len(ce.Error()), ce)
	}
}

func TestInsecureAcceptsAndSaysSo(t *testing.T) {
	srv := sandboxServer(t, sandbox.Options{TLS: true})
	srv.roots = x509.NewCertPool()
	c := conversation(t, srv, Config{RootCAs: srv.roots, Insecure: true})
	x := expect(t, c, "AUTH TLS", 234)
	var said bool
	for _, ev := range x.Events {
		said = said || ev.Kind == EventTLS && strings.Contains(ev.Line, "NOT verified")
	}
	if !said {
		t.Error("an unverified certificate was accepted silently")
	}
	login(t, c, srv)
}
