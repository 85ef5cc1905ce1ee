package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/ftpscope/ftpscope/internal/badserver"
	"github.com/ftpscope/ftpscope/protocol"
)

// hostileModel returns a model connected to a badserver scenario, its
// greeting shown.
func hostileModel(t *testing.T, script badserver.Script, cfg protocol.Config) Model {
	t.Helper()
	srv := badserver.Start(t, script)
	cfg.Addr = srv.Addr
	m := newTestModel(120, 30)
	m.opts.History = NewHistory("")
	m.opts.Connect = func(protocol.Target) *protocol.Session { return protocol.Dial(cfg) }
	next, _ := m.Update(connectMsg{})
	m = next.(Model)
	t.Cleanup(func() { m.session.Close() })
	return pumpUntil(t, m, "the greeting", func(m Model) bool { return m.connected && m.paneHas("220") })
}

// TestHostileServerInTheUI drives the real model against misbehaving
// servers: whatever they send, the screen holds no terminal control, the
// session ends when a bound is hit, and the transcript says which.
func TestHostileServerInTheUI(t *testing.T) {
	t.Run("escape sequences everywhere", func(t *testing.T) {
		m := hostileModel(t, badserver.Escapes(), protocol.Config{})
		m = press(m, "type:FEAT", "enter")
		m = pumpUntil(t, m, "the FEAT reply", func(m Model) bool { return m.paneHas(`211 \x1b[2J`) })
		view := m.render()
		if strings.Contains(ansi.Strip(view), "\x1b") || strings.Contains(view, "\x1b]0;") || strings.Contains(view, "\u202e") {
			t.Errorf("a control sequence from the server reached the screen")
		}
	})
	t.Run("an endless multi-line reply", func(t *testing.T) {
		m := hostileModel(t, badserver.EndlessReply(), protocol.Config{MaxReplyRead: 1 << 20})
		m = press(m, "type:STAT", "enter")
		m = pumpUntil(t, m, "the end of the session", func(m Model) bool { return m.sessionOver })
		if !m.paneHas("211-start") || !m.paneHas("bound on bytes read for one reply") {
			t.Errorf("the transcript does not show the reply's start and the bound:\n%s", strings.Join(m.paneLines(), "\n"))
		}
	})
	t.Run("a flood of 200,000 lines", func(t *testing.T) {
		m := hostileModel(t, badserver.Flood(badserver.FloodLines), protocol.Config{})
		m = press(m, "type:STAT", "enter")
		m = pumpUntil(t, m, "the end of the flood", func(m Model) bool { return m.paneHas("211 End of flood") })
		if n := m.transcript.Len(); n > protocol.MaxReplyLines+100 {
			t.Errorf("the transcript holds %d lines, more than the bound of %d lines per reply", n, protocol.MaxReplyLines)
		}
		if !m.paneHas("lines dropped") {
			t.Error("the dropped lines are not said")
		}
	})
}
