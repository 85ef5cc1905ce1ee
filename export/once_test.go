package export

import (
	"context"
	"crypto/x509"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/internal/badserver"
	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
)

// TestEveryFormatGivesTheFixOnce writes a real session, ftps:// against a
// plain FTP port, in each format: the error line and the finding under it
// once both told the user to use ftp:// with --tls; now the error says
// what happened and the finding the fix.
func TestEveryFormatGivesTheFixOnce(t *testing.T) {
	srv := badserver.Raw(t, func(c net.Conn) { _, _ = io.WriteString(c, "220 FTP server ready\r\n") })
	s := protocol.Dial(protocol.Config{Addr: srv.Addr, ImplicitTLS: true, ConnectTimeout: 10 * time.Second})
	<-s.Done()
	events := s.Events().Drain()
	for _, f := range []struct {
		name string
		new  func(io.Writer) Writer
	}{
		{"text", func(w io.Writer) Writer { return NewText(w, testCatalog) }},
		{"markdown", func(w io.Writer) Writer { return NewMarkdown(w, testCatalog) }},
		{"json", func(w io.Writer) Writer { return NewJSON(w, testCatalog) }},
	} {
		t.Run(f.name, func(t *testing.T) {
			out := writeEvents(t, f.new, events)
			if n := strings.Count(out, "--tls"); n != 1 {
				t.Errorf("the fix (--tls) is given %d times, want once:\n%s", n, out)
			}
			if !strings.Contains(out, "greeted in clear text") {
				t.Errorf("the error is not said:\n%s", out)
			}
		})
	}
}

// TestEveryFormatGivesTheAcceptedCertificateOnce writes a real session
// over a certificate --insecure accepted, with a listing over PROT P, in
// each format: the accepted certificate's finding is given once, as a
// warning, whose fix is to compare the fingerprint; the data connection's
// handshake adds no second finding and no reminder. JSON has the one
// finding object. Before the fix no format gave a finding.
func TestEveryFormatGivesTheAcceptedCertificateOnce(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Options{TLS: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	var events []protocol.Event
	s := protocol.Dial(protocol.Config{Addr: srv.Addr, RequireTLS: true, Insecure: true, RootCAs: x509.NewCertPool(),
		ConnectTimeout: 10 * time.Second, ReplyTimeout: 10 * time.Second})
	conv := protocol.NewConversation(s, func(ev protocol.Event) { events = append(events, ev) })
	if _, err := conv.Greeting(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"USER " + sandbox.DemoUser, "PASS " + sandbox.DemoPassword, "PBSZ 0", "PROT P", "PASV", "LIST", "QUIT"} {
		if _, err := conv.Do(context.Background(), l); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
	}
	conv.Close()
	const cause = "The server's certificate is self-signed or signed by an authority this machine does not trust; nothing shows that you are talking to the server"
	const fix = "Compare the certificate's SHA-256 fingerprint (shown with the certificate) with the one the server's administrator gives you"
	for _, f := range []struct {
		name string
		new  func(io.Writer) Writer
		once []string
	}{
		{"text", func(w io.Writer) Writer { return NewText(w, testCatalog) }, []string{"? warning: " + cause, "?   fix: " + fix}},
		{"log", NewLog, []string{"Finding:  warning: " + cause, "Finding:  fix: " + fix}},
		{"markdown", func(w io.Writer) Writer { return NewMarkdown(w, testCatalog) }, []string{"**Finding (warning):** " + cause, "- **Fix:** " + fix}},
		{"json", func(w io.Writer) Writer { return NewJSON(w, testCatalog) }, []string{`"kind":"finding"`, `"id":"certificate-accepted-untrusted","severity":"warning"`}},
	} {
		t.Run(f.name, func(t *testing.T) {
			out := writeEvents(t, f.new, events)
			for _, want := range f.once {
				if n := strings.Count(out, want); n != 1 {
					t.Errorf("%q appears %d times, want once", want, n)
				}
			}
			if strings.Contains(out, "the same as above") || !strings.Contains(out, "data connection protected") {
				t.Errorf("a reminder, or no protected data connection to prove that it gives none")
			}
			if t.Failed() {
				t.Logf("output:\n%s", out)
			}
		})
	}
}

// writeEvents writes events with the writer newWriter makes, closes it and
// returns what it wrote.
func writeEvents(t *testing.T, newWriter func(io.Writer) Writer, events []protocol.Event) string {
	t.Helper()
	var b strings.Builder
	w := newWriter(&b)
	for _, ev := range events {
		w.Event(ev)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
