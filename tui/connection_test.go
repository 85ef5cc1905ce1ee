package tui

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ftpscope/ftpscope/internal/badserver"
	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
)

// TestEveryConnectionEndSaysDisconnected checks that however a session
// ends, each place says its part once: the transcript why, in plain
// words, not in Go's; the status line that the session is disconnected
// (never "connecting" forever); and the input line, alone, how to connect
// again. It used to say ":reconnect" in the transcript, the status line,
// the input line and the panel at once. Both screen sizes are checked,
// the wide one with the side panel.
func TestEveryConnectionEndSaysDisconnected(t *testing.T) {
	tests := []struct {
		name string
		// dial starts the session; act, when set, runs once it is live.
		dial func(t *testing.T) protocol.Config
		act  func(t *testing.T, m Model) Model
		why  string // in the transcript
		// once, when set, is advice the transcript must give only once:
		// the error line and the finding under it once both gave it.
		once string
	}{
		{name: "refused", dial: func(t *testing.T) protocol.Config {
			return protocol.Config{Addr: closedAddr(t)}
		}, why: "nothing is listening on 127.0.0.1:"},
		{name: "ftps:// to a plain FTP port", dial: func(t *testing.T) protocol.Config {
			return protocol.Config{Addr: startFakeServer(t).ln.Addr().String(), ImplicitTLS: true}
		}, why: "greeted in clear text", once: "--tls"},
		{name: "a failed TLS handshake", dial: func(t *testing.T) protocol.Config {
			return protocol.Config{Addr: oldTLSServer(t), ImplicitTLS: true}
		}, why: "the server refused the TLS handshake"},
		{name: "an untrusted certificate", dial: func(t *testing.T) protocol.Config {
			return protocol.Config{Addr: tlsSandbox(t), RequireTLS: true, RootCAs: x509.NewCertPool()}
		}, why: "the server's certificate (subject ftpscope sandbox) is self-signed", once: "--insecure"},
		{name: "a certificate the user refuses", dial: func(t *testing.T) protocol.Config {
			return protocol.Config{Addr: tlsSandbox(t), RequireTLS: true, RootCAs: x509.NewCertPool(), AskTrust: true}
		}, act: func(t *testing.T, m Model) Model {
			m = pumpUntil(t, m, "the certificate question", func(m Model) bool { return m.trustPrompt != nil })
			if got := ansi.Strip(m.renderInput()); !strings.Contains(got, trustQuestion) {
				t.Errorf("the input line %q does not ask about the certificate", got)
			}
			if n := strings.Count(screen(m), "type yes"); n != 1 {
				t.Errorf("the question is asked %d times, want once:\n%s", n, screen(m))
			}
			return press(m, "type:no", "enter")
		}, why: "the connection was closed, as the server's certificate was refused"},
		{name: "no greeting in time", dial: func(t *testing.T) protocol.Config {
			return protocol.Config{Addr: silentServer(t), ReplyTimeout: time.Millisecond}
		}, why: "the server sent no greeting"},
		{name: "421 at the greeting", dial: func(t *testing.T) protocol.Config {
			return protocol.Config{Addr: listen(t, func(c net.Conn) {
				io.WriteString(c, "421 There are too many connections from your internet address.\r\n")
				c.Close()
			})}
		}, why: "disconnected: the server closed the session (421)"},
		{name: "reset by the server", dial: func(t *testing.T) protocol.Config {
			return protocol.Config{Addr: resettingServer(t)}
		}, why: "the server reset the connection"},
		{name: "the server closes", dial: func(t *testing.T) protocol.Config {
			srv := startFakeServer(t)
			go func() {
				srv.next(t) // NOOP
				srv.hangUp(0)
			}()
			return protocol.Config{Addr: srv.ln.Addr().String()}
		}, act: func(t *testing.T, m Model) Model {
			return press(m, "type:NOOP", "enter")
		}, why: "the server closed the connection"},
		{name: ":disconnect", dial: func(t *testing.T) protocol.Config {
			srv := startFakeServer(t)
			go func() {
				srv.next(t) // QUIT
				srv.reply(0, "221 bye")
			}()
			return protocol.Config{Addr: srv.ln.Addr().String()}
		}, act: func(t *testing.T, m Model) Model {
			return press(m, "type::disconnect", "enter")
		}, why: "disconnected: the session ended (221)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.dial(t)
			m := newTestModel(120, 30)
			m.opts.History = NewHistory("")
			m.opts.Connect = func(protocol.Target) *protocol.Session { return protocol.Dial(cfg) }
			next, _ := m.Update(connectMsg{})
			m = next.(Model)
			t.Cleanup(func() { m.session.Close() })
			if tt.act != nil {
				m = pumpUntil(t, m, "the greeting", func(m Model) bool { return m.connected && m.paneHas("220 ") })
				m = tt.act(t, m)
			}
			m = pumpUntil(t, m, "the end of the session", func(m Model) bool { return m.sessionOver })
			pane := strings.Join(m.paneLines(), "\n")
			if !strings.Contains(pane, tt.why) {
				t.Errorf("the transcript does not say %q:\n%s", tt.why, pane)
			}
			if n := strings.Count(pane, tt.once); tt.once != "" && n != 1 {
				t.Errorf("the transcript gives the advice %q %d times, want once:\n%s", tt.once, n, pane)
			}
			// Go's own words may be shown only apart, on a "details" line.
			for _, l := range m.paneLines() {
				for _, raw := range []string{"dial tcp", "read tcp", "tls: ", "x509: "} {
					if strings.Contains(l, raw) && !strings.HasPrefix(l, "details: ") {
						t.Errorf("Go's raw %q reached the transcript:\n%s", raw, pane)
					}
				}
			}
			for _, size := range []tea.WindowSizeMsg{{Width: 80, Height: 24}, {Width: 160, Height: 45}} {
				next, _ := m.Update(size)
				m := next.(Model)
				status := ansi.Strip(m.renderStatus())
				if !strings.Contains(status, "○ disconnected from 127.0.0.1:2121") || strings.Contains(status, "connecting") {
					t.Errorf("%dx%d: status line %q, want it disconnected", size.Width, size.Height, status)
				}
				if got := ansi.Strip(m.renderInput()); !strings.Contains(got, disconnectedPlaceholder) {
					t.Errorf("%dx%d: the input line %q does not say how to connect again", size.Width, size.Height, got)
				}
				if n := strings.Count(screen(m), ":reconnect"); n != 1 {
					t.Errorf("%dx%d: the screen says :reconnect %d times, want once, in the input line:\n%s", size.Width, size.Height, n, screen(m))
				}
				// Before any reply, the panel suggested commands; once the
				// session is over it says that no reply came.
				side := ansi.Strip(m.sideView())
				if _, _, replied := m.transcript.Reply(); !replied && (!strings.Contains(side, "Not connected") || strings.Contains(side, "Try: USER")) {
					t.Errorf("%dx%d: the panel still suggests commands after the session ended:\n%s", size.Width, size.Height, side)
				}
			}
		})
	}
}

// oldTLSServer accepts only TLS 1.0, which ftpscope refuses, so that
// every TLS handshake with it fails; it returns its address.
func oldTLSServer(t *testing.T) string {
	t.Helper()
	cert, _ := badserver.SelfSigned(t, badserver.CertOptions{})
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MaxVersion: tls.VersionTLS10}
	return listen(t, func(c net.Conn) {
		defer c.Close()
		tls.Server(c, cfg).Handshake()
	})
}

// tlsSandbox starts a sandbox offering TLS with a certificate nothing
// here trusts, and returns its address.
func tlsSandbox(t *testing.T) string {
	t.Helper()
	srv, err := sandbox.Start(sandbox.Options{TLS: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv.Addr
}

// closedAddr returns a loopback address where nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// listen starts a loopback server that hands every connection to handle.
func listen(t *testing.T, handle func(net.Conn)) string {
	t.Helper()
	return badserver.Raw(t, handle).Addr
}

// silentServer accepts connections and never says a word.
func silentServer(t *testing.T) string {
	return listen(t, func(c net.Conn) {
		defer c.Close()
		io.Copy(io.Discard, c)
	})
}

// resettingServer greets, then resets the connection at the first
// command.
func resettingServer(t *testing.T) string {
	return listen(t, func(c net.Conn) {
		io.WriteString(c, "220 about to reset\r\n")
		c.(*net.TCPConn).SetLinger(0)
		c.Close()
	})
}

// TestInsecureShowsTheCertificate checks that a certificate accepted
// unverified (--insecure) is shown: subject, issuer and fingerprint, as
// run and :save show it.
func TestInsecureShowsTheCertificate(t *testing.T) {
	tm := startModelWith(t, sandbox.Options{TLS: true}, protocol.Config{RootCAs: x509.NewCertPool(), Insecure: true})
	waitForText(t, tm, "Service ready")
	typeLine(tm, "AUTH TLS")
	waitForText(t, tm, "control connection protected")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	pane := strings.Join(final.paneLines(), "\n")
	for _, want := range []string{"certificate NOT verified", "certificate: subject CN=ftpscope sandbox,O=ftpscope, issued by CN=ftpscope sandbox", "SHA-256 "} {
		if !strings.Contains(pane, want) {
			t.Errorf("the transcript lacks %q:\n%s", want, pane)
		}
	}
}

// TestRefusedLoginIsSaidPlainly checks a line the session refuses before
// sending (USER while TLS is required and not there): one sentence with
// what to do.
func TestRefusedLoginIsSaidPlainly(t *testing.T) {
	srv := startFakeServer(t)
	m := newTestModel(120, 30)
	m.opts.History = NewHistory("")
	m.opts.Connect = func(protocol.Target) *protocol.Session {
		return protocol.Dial(protocol.Config{Addr: srv.ln.Addr().String(), RequireTLS: true})
	}
	next, _ := m.Update(connectMsg{})
	m = next.(Model)
	t.Cleanup(func() { m.session.Close() })
	m = pumpUntil(t, m, "the greeting", func(m Model) bool { return m.paneHas("220 fake server ready") })
	m = press(m, "type:USER demo", "enter")
	if got := lastLine(m); !strings.Contains(got, "USER was not sent") || !strings.Contains(got, "send AUTH TLS first") {
		t.Errorf("last line %q, want why USER was not sent and what to do", got)
	}
}

// TestGoldenRefusedConnection draws the screen after a refused connection,
// made for real to 127.0.0.1:1, where nothing listens: the transcript
// says why, the status line that the session is disconnected, and only
// the input line how to connect again.
func TestGoldenRefusedConnection(t *testing.T) {
	for _, size := range []struct{ width, height int }{{80, 24}, {160, 45}} {
		name := fmt.Sprintf("refused-%dx%d", size.width, size.height)
		t.Run(name, func(t *testing.T) {
			m := newTestModel(size.width, size.height)
			m.opts.History = NewHistory("")
			m.target = protocol.Target{Host: "127.0.0.1", Port: 1}
			m.opts.Connect = dialWith(protocol.Config{})
			next, _ := m.Update(connectMsg{})
			m = next.(Model)
			t.Cleanup(func() { m.session.Close() })
			m = pumpUntil(t, m, "the end of the session", func(m Model) bool { return m.sessionOver })
			if m.paneHas("connected to 127.0.0.1:1") {
				t.Fatal("something listens on 127.0.0.1:1; this test needs that port closed")
			}
			golden(t, name, screen(m))
		})
	}
}
