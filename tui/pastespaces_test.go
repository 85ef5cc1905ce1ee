package tui

import (
	"strings"
	"testing"
)

// TestPasteListShowsTrailingSpaces pastes lines whose names end in a
// space: the queue listed before anything is sent shows them as the
// transcript will (␠), since they are sent as pasted; it used to show the
// lines trimmed, not what enter sends.
func TestPasteListShowsTrailingSpaces(t *testing.T) {
	m := newTestModel(120, 30)
	m = pasted(m, "CWD pub \nPASS secret \nPWD\n")
	pane := strings.Join(m.paneLines(), "\n")
	for _, want := range []string{"1  CWD pub␠", "2  PASS ****", "3  PWD"} {
		if !strings.Contains(pane, want) {
			t.Errorf("the paste list lacks %q:\n%s", want, pane)
		}
	}
	if strings.Contains(pane, "secret") {
		t.Errorf("the paste list shows the password:\n%s", pane)
	}
}
