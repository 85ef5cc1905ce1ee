package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/ftpscope/ftpscope/protocol"
)

// TestFindingsOfAConnectionWithoutReplies connects with ftps:// to a
// plain FTP server: no reply ever comes, so no reply could carry the
// finding, and its server-side fixes and source were shown nowhere in
// the terminal UI (run printed them). The side panel now shows the
// finding above its "Not connected" text, and forgets it on reconnect.
func TestFindingsOfAConnectionWithoutReplies(t *testing.T) {
	addr := startFakeServer(t).ln.Addr().String()
	m := newTestModel(160, 45)
	m.opts.History = NewHistory("")
	m.opts.Connect = func(protocol.Target) *protocol.Session {
		return protocol.Dial(protocol.Config{Addr: addr, ImplicitTLS: true})
	}
	next, _ := m.Update(connectMsg{})
	m = next.(Model)
	t.Cleanup(func() { m.session.Close() })
	m = pumpUntil(t, m, "the end of the session", func(m Model) bool { return m.sessionOver })
	side := ansi.Strip(m.sideView())
	for _, want := range []string{"implicit_ssl=YES", "Source: RFC 4217", "Not connected"} {
		if !strings.Contains(strings.Join(strings.Fields(side), " "), want) {
			t.Errorf("the side panel lacks %q:\n%s", want, side)
		}
	}
	m.findings.observe(protocol.Event{Kind: protocol.EventConnect}, -1)
	if fs := m.findings.of(noReply); len(fs) != 0 {
		t.Errorf("a new connection keeps the old connection's findings: %v", fs)
	}
}
