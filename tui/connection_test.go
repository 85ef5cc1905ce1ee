package tui

import (
	"crypto/x509"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
)

// TestEveryConnectionEndSaysDisconnected checks that however a session
// ends, the status line says disconnected with the reconnect hint (never
// "connecting" forever), and the transcript says why in plain words,
// not in Go's.
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
		{name: "an untrusted certificate", dial: func(t *testing.T) protocol.Config {
			srv, err := sandbox.Start(sandbox.Options{TLS: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { srv.Close() })
			return protocol.Config{Addr: srv.Addr, RequireTLS: true, RootCAs: x509.NewCertPool()}
		}, why: "the server's certificate (subject ftpscope sandbox) is self-signed", once: "--insecure"},
		{name: "no greeting in time", dial: func(t *testing.T) protocol.Config {
			return protocol.Config{Addr: silentServer(t), ReplyTimeout: time.Millisecond}
		}, why: "the server sent no greeting"},
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
			status := ansi.Strip(m.renderStatus())
			if !strings.Contains(status, "○ disconnected from 127.0.0.1:2121 · :reconnect") || strings.Contains(status, "connecting") {
				t.Errorf("status line %q, want it disconnected with the reconnect hint", status)
			}
			pane := strings.Join(m.paneLines(), "\n")
			if !strings.Contains(pane, tt.why) {
				t.Errorf("the transcript does not say %q:\n%s", tt.why, pane)
			}
			if n := strings.Count(pane, tt.once); tt.once != "" && n != 1 {
				t.Errorf("the transcript gives the advice %q %d times, want once:\n%s", tt.once, n, pane)
			}
			for _, raw := range []string{"dial tcp", "read tcp", "tls: ", "x509: "} {
				if strings.Contains(pane, raw) {
					t.Errorf("Go's raw %q reached the transcript:\n%s", raw, pane)
				}
			}
			if got := lastLine(m); !strings.Contains(got, ":reconnect connects again") {
				t.Errorf("last line %q, want the reconnect hint", got)
			}
			if got := ansi.Strip(m.renderInput()); !strings.Contains(got, "not connected: :reconnect connects again") {
				t.Errorf("the input line %q still invites an FTP command", got)
			}
			// Before any reply, the panel suggested commands; once the
			// session is over it says how to connect again.
			if _, _, replied := m.transcript.Reply(); !replied && (!strings.Contains(ansi.Strip(m.sideView()), "Not connected") || strings.Contains(ansi.Strip(m.sideView()), "Try: USER")) {
				t.Errorf("the panel still suggests commands after the session ended:\n%s", ansi.Strip(m.sideView()))
			}
		})
	}
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
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go handle(c)
		}
	}()
	return ln.Addr().String()
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
