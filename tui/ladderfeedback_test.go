package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLadderShowsLocalFeedback checks that at 80 columns, where the ladder
// takes the transcript's place, what ftpscope answers to a local command
// (a refused :save, a saved handout, an unknown command) reaches the
// screen, in the row under the input.
func TestLadderShowsLocalFeedback(t *testing.T) {
	dir := t.TempDir()
	handout := filepath.Join(dir, "handout.md")
	for _, tc := range []struct {
		line, want string
	}{
		{":save x.html", "✗ x.html: ftpscope does not write .html files"},
		{":save! " + handout, "saved "},
		{":sav", `✗ there is no local command named ":sav" (did you mean :save?)`},
	} {
		m := pressKeys(newTestModel(80, 24), "f5")
		if !m.showLadder {
			t.Fatal("f5 did not show the ladder")
		}
		m = pressKeysRunning(t, pressKeys(m, "type:"+tc.line), "enter")
		if got := screen(m); !strings.Contains(got, tc.want) {
			t.Errorf("%s: the screen does not show %q:\n%s", tc.line, tc.want, got)
		}
	}
	if _, err := os.Stat(handout); err != nil {
		t.Errorf(":save! wrote nothing: %v", err)
	}
}
