package export

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/internal/badserver"
	"github.com/ftpscope/ftpscope/protocol"
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
			var b strings.Builder
			w := f.new(&b)
			for _, ev := range events {
				w.Event(ev)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if n := strings.Count(out, "--tls"); n != 1 {
				t.Errorf("the fix (--tls) is given %d times, want once:\n%s", n, out)
			}
			if !strings.Contains(out, "greeted in clear text") {
				t.Errorf("the error is not said:\n%s", out)
			}
		})
	}
}
