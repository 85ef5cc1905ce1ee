package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestWrapWordsKeepsHyphenatedWordsWhole checks that wrapping never cuts
// a flag or a hyphenated name at its hyphen: ":explain" in the help at 80
// columns ended a line with "--" and began the next with "after CMD".
func TestWrapWordsKeepsHyphenatedWordsWhole(t *testing.T) {
	tests := []struct {
		text  string
		width int
		want  string
	}{
		{"show entries in the side panel, --after CMD too", 34, "show entries in the side panel,\n--after CMD too"},
		{"unless told to follow the server (--pasv-address=server); that", 40, "unless told to follow the server\n(--pasv-address=server); that"},
		{"a self-signed certificate", 16, "a self-signed\ncertificate"},
		// A word longer than the width must be broken, and then breaks
		// after a hyphen rather than in the middle of a name.
		{"saved to /tmp/a-rather-long-folder/first-session-handout.md exists", 30, "saved to /tmp/a-rather-long-\nfolder/first-session-\nhandout.md exists"},
		{"ftpscope-sandbox-1524613761", 10, "ftpscope-\nsandbox-\n1524613761"},
		// Text that holds the stand-in itself comes back as it was.
		{"a\u2011b c-d", 40, "a\u2011b c-d"},
	}
	for _, tt := range tests {
		for name, wrap := range map[string]func(string, int) string{"wrapWords": wrapWords, "wrapANSI": wrapANSI} {
			if got := wrap(tt.text, tt.width); got != tt.want {
				t.Errorf("%s(%q, %d) =\n%s\nwant\n%s", name, tt.text, tt.width, got, tt.want)
			}
			squash := strings.NewReplacer("\n", "", " ", "")
			if got := wrap(tt.text, tt.width); squash.Replace(got) != squash.Replace(tt.text) {
				t.Errorf("%s(%q, %d) changed the text: %q", name, tt.text, tt.width, got)
			}
		}
	}
}

// TestHelpKeepsFlagsWhole checks the help screen at 80 columns, where
// ":explain" said "in the side panel, --" and then "after CMD too".
func TestHelpKeepsFlagsWhole(t *testing.T) {
	m := newTestModel(80, 24)
	for _, line := range m.helpLines() {
		if trimmed := strings.TrimRight(ansi.Strip(line), " "); strings.HasSuffix(trimmed, "-") {
			t.Errorf("a help line ends in a hyphen, cutting a word in two: %q", trimmed)
		}
	}
}
