package diagnose

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/protocol"
)

// TestEventLineForSaysEachThingOnce runs real sessions through an Engine
// and checks the error line shown with the findings the same event
// completed: when a finding gives the fix, the error says only what
// happened (it used to give its own fix just above the finding's); when
// none does, the error keeps its fix.
func TestEventLineForSaysEachThingOnce(t *testing.T) {
	pki := newTestPKI(t)
	plain := serve(t, func(c net.Conn) { io.WriteString(c, "220 FTP server ready\r\n") })
	silent := serve(t, func(c net.Conn) { time.Sleep(time.Second) })
	tests := []struct {
		name    string
		cfg     protocol.Config
		finding string // the finding's ID, "" for none
		line    string // the error line
	}{
		{"ftps:// to plain FTP", protocol.Config{Addr: plain, ImplicitTLS: true}, "implicit-tls-on-explicit-port",
			`the server greeted in clear text ("220 F…") where ftpscope expected TLS`},
		{"untrusted certificate", protocol.Config{Addr: serveTLS(t, pki.selfSigned, nil), ImplicitTLS: true}, "certificate-not-trusted",
			"the server's certificate (subject ftpscope self-signed) is self-signed: no authority this system trusts vouches for it"},
		{"no greeting", protocol.Config{Addr: silent, ReplyTimeout: 10 * time.Millisecond}, "plain-on-implicit-port",
			"the server sent no greeting within 10ms"},
		{"refused, which no finding explains", protocol.Config{Addr: closedPort(t)}, "",
			", so the connection was refused: check the host and port, and that the server is running"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.ConnectTimeout = 10 * time.Second
			s := protocol.Dial(tt.cfg)
			<-s.Done()
			eng := New()
			var line string
			var ids []string
			for _, ev := range s.Events().Drain() {
				found := eng.Observe(ev)
				if ev.Kind != protocol.EventError {
					continue
				}
				line = EventLineFor(ev, found)
				for _, f := range found {
					ids = append(ids, f.ID)
				}
			}
			if got := strings.Join(ids, " "); got != tt.finding {
				t.Errorf("findings of the error: %q, want %q", got, tt.finding)
			}
			if !strings.HasSuffix(line, tt.line) {
				t.Errorf("error line:\n got %q\nwant it to end with %q", line, tt.line)
			}
		})
	}
}

// TestDescribeACertificateTheUserRefused checks the error after the user
// said no to a certificate: they were shown why it did not verify, so
// the line says what followed, not the problem again with advice to
// accept it.
func TestDescribeACertificateTheUserRefused(t *testing.T) {
	pki := newTestPKI(t)
	s := protocol.Dial(protocol.Config{Addr: serveTLS(t, pki.selfSigned, nil), ImplicitTLS: true, AskTrust: true, ConnectTimeout: 10 * time.Second})
	defer s.Close()
	for {
		select {
		case <-s.Events().Ready():
		case <-s.Done():
		}
		for _, ev := range s.Events().Drain() {
			switch {
			case ev.Kind == protocol.EventTLS && ev.TLS.NeedsDecision:
				s.Trust(false)
			case ev.Kind == protocol.EventError:
				const want = "the connection was closed, as the server's certificate was refused"
				if got := EventLine(ev); got != want {
					t.Errorf("error line %q, want %q", got, want)
				}
				return
			case ev.Kind == protocol.EventClose:
				t.Fatalf("closed without an error: %s", ev.Line)
			}
		}
	}
}
