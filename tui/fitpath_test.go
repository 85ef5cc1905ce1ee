package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestFitPath(t *testing.T) {
	long := "/tmp/rtwd/a-rather-long-folder-name-for-the-class/handouts-of-the-week/first-session-handout.md"
	tests := []struct {
		path string
		room int
		want string
	}{
		{"handout.md", 20, "handout.md"},
		{long, 200, long},
		{long, 50, "/tmp/rtwd/…/first-session-handout.md"},
		{long, 36, "/tmp/rtwd/…/first-session-handout.md"},
		{long, 35, "/tmp/…/first-session-handout.md"},
		{long, 27, "/…/first-session-handout.md"},
		{long, 26, "…/first-session-handout.md"},
		{long, 25, "…first-session-handout.md"},
		{long, 12, "…-handout.md"},
		{"relative-folder/and-another/notes.md", 20, "…/notes.md"},
		{long, 0, ""},
	}
	for _, tt := range tests {
		got := fitPath(tt.path, tt.room)
		if got != tt.want || ansi.StringWidth(got) > max(tt.room, 0) {
			t.Errorf("fitPath(%q, %d) = %q, want %q", tt.path, tt.room, got, tt.want)
		}
	}
}

// TestSaveQuestionFitsTheRow checks the hint row while :save asks about
// an existing file with a long path, at 80 columns: it was cut at the
// width with "…" inside the path, so the row never said how to answer.
func TestSaveQuestionFitsTheRow(t *testing.T) {
	path := "/tmp/rtwd/a-rather-long-folder-name-for-the-class/handouts-of-the-week/first-session-handout.md"
	for _, tt := range []struct {
		width int
		name  string // what is left of the file's name
	}{{80, "/first-session-handout.md"}, {160, path}, {60, "…sion-handout.md"}} {
		width := tt.width
		m := newTestModel(width, 24)
		m.saveAsk = &saveQuestion{path: path}
		hint := strings.TrimRight(ansi.Strip(m.renderHint()), " ")
		if !strings.HasSuffix(hint, tt.name+" exists: y replaces it · n or esc keeps it") || ansi.StringWidth(hint) > width {
			t.Errorf("at %d columns the hint row is %q; want the file's name and the whole question within the width", width, hint)
		}
	}
}
