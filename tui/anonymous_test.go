package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ftpscope/ftpscope/export"
	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
)

// TestTeaClearTextNoteByUser: against the sandbox, a PASS in clear text
// warns that the password was exposed for a named user, and for an
// anonymous login notes only that the session is in clear text: its
// password, an e-mail address by convention, is no secret.
func TestTeaClearTextNoteByUser(t *testing.T) {
	_, target := startSandbox(t, sandbox.Options{})
	for _, tt := range []struct {
		user, pass, want, notWant string
	}{
		{sandbox.DemoUser, sandbox.DemoPassword, export.ClearTextWarning, export.AnonymousClearTextNote},
		{"anonymous", "me@example.org", export.AnonymousClearTextNote, "the password was sent in clear text"},
	} {
		t.Run(tt.user, func(t *testing.T) {
			m := New(Options{
				Catalog: testCatalog,
				Connect: dialWith(protocol.Config{ReplyTimeout: 10 * time.Second}),
				Target:  target,
			})
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(200, 50))
			waitForText(t, tm, "sandbox ready")
			typeLine(tm, "USER "+tt.user)
			waitForText(t, tm, "331")
			typeLine(tm, "PASS "+tt.pass)
			waitForText(t, tm, "230")
			if err := tm.Quit(); err != nil {
				t.Fatal(err)
			}
			final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
			pane := strings.Join(final.paneLines(), "\n")
			if !strings.Contains(pane, tt.want) || strings.Contains(pane, tt.notWant) {
				t.Errorf("the transcript should say %q and not %q:\n%s", tt.want, tt.notWant, pane)
			}
		})
	}
}
