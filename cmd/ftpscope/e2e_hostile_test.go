package main

import (
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/internal/badserver"
	"github.com/ftpscope/ftpscope/internal/tmuxtest"
)

// TestE2EHostileServer runs the real binary in a real terminal against
// misbehaving servers, as a troubleshooter would: the screen stays intact
// (no control sequence from the server gets through), and an endless
// reply ends the session with the bound named, the transcript kept.
func TestE2EHostileServer(t *testing.T) {
	bin := buildBinary(t)
	t.Run("escape sequences", func(t *testing.T) {
		srv := badserver.Start(t, badserver.Escapes())
		term := tmuxtest.Start(t, 160, 45, []string{"TERM=xterm-256color", "XDG_STATE_HOME=" + t.TempDir()}, bin, srv.Addr)
		term.WaitFor("ready")
		term.Type("FEAT")
		screen := term.WaitFor(`211 \x1b[2J`)
		// Shown as text, and nothing cleared: the greeting is still there.
		for _, want := range []string{`\x1b]0;pwned\x07`, `\u202eevil`, "ready"} {
			if !strings.Contains(screen, want) {
				t.Errorf("the screen lacks %q:\n%s", want, screen)
			}
		}
		term.Keys("C-c")
		term.WaitFor("[exited 0]")
	})
	t.Run("an endless reply", func(t *testing.T) {
		srv := badserver.Start(t, badserver.EndlessReply())
		term := tmuxtest.Start(t, 160, 45, []string{"TERM=xterm-256color", "XDG_STATE_HOME=" + t.TempDir()}, bin, srv.Addr)
		term.WaitFor("badserver ready")
		term.Type("STAT")
		screen := term.WaitFor("disconnected")
		if !strings.Contains(screen, "bound on bytes read for one reply") {
			t.Errorf("the end does not name the bound:\n%s", screen)
		}
		term.Keys("C-c")
		term.WaitFor("[exited 0]")
	})
}
