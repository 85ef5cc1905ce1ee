package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestPresentNarrationIsBold checks that in presentation mode the
// presenter's narration is drawn bold, not in italics alone, which a
// projector thins out and many terminals do not draw at all.
func TestPresentNarrationIsBold(t *testing.T) {
	m := newTestModel(120, 30)
	m.setPresent(true)
	m.narrate("The listing came over the data connection.")
	for _, row := range strings.Split(m.render(), "\n") {
		if !strings.Contains(ansi.Strip(row), "The listing came over") {
			continue
		}
		if !strings.Contains(row, "\x1b[1;") && !strings.Contains(row, "\x1b[1m") {
			t.Errorf("the narration is not bold: %q", row)
		}
		return
	}
	t.Fatalf("the narration is not on screen:\n%s", screen(m))
}
