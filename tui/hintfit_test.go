package tui

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestFitHint checks how a hint is fitted to a width: parts are kept by
// rank, each in the longest wording that fits, and never cut.
func TestFitHint(t *testing.T) {
	parts := []hintPart{
		part(0, "▶ demo.ftp 1/9", "▶ 1/9"),
		part(1, "enter shows the next line", "enter: next line"),
		part(3, "alt+p back"),
		part(2, "alt+n skips"),
	}
	tests := []struct {
		width int
		want  string
	}{
		{80, "▶ demo.ftp 1/9 · enter shows the next line · alt+p back · alt+n skips"},
		// Every part, some said shorter, before fewer parts said longer.
		{60, "▶ demo.ftp 1/9 · enter: next line · alt+p back · alt+n skips"},
		{51, "▶ 1/9 · enter: next line · alt+p back · alt+n skips"},
		{50, "▶ demo.ftp 1/9 · enter: next line · alt+n skips"},
		{45, "▶ 1/9 · enter: next line · alt+n skips"},
		{38, "▶ 1/9 · enter: next line · alt+n skips"},
		{30, "▶ 1/9 · enter: next line"},
		{24, "▶ 1/9 · enter: next line"},
		{5, "▶ 1/9"},
		{3, "▶ …"}, // nothing fits: the most important part, cut
	}
	for _, tt := range tests {
		got := fitHint(tt.width, parts...)
		if got != tt.want {
			t.Errorf("width %d:\n got %q\nwant %q", tt.width, got, tt.want)
		}
		if w := ansi.StringWidth(got); w > tt.width {
			t.Errorf("width %d: %q is %d cells wide", tt.width, got, w)
		}
	}
}

// TestClauses checks the shorter wordings of a catalogue summary: each
// ends where the sentence pauses, so each reads whole.
func TestClauses(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Sends your login name, the first step of logging in.", []string{"Sends your login name, the first step of logging in.", "Sends your login name"}},
		{"Passive mode: asks the server to listen on a data port and tell you where to connect.", []string{"Passive mode: asks the server to listen on a data port and tell you where to connect.", "Passive mode"}},
		{"Sets how file data is represented in transfer, usually A (ASCII text) or I (binary).", []string{
			"Sets how file data is represented in transfer, usually A (ASCII text) or I (binary).",
			"Sets how file data is represented in transfer, usually A (ASCII text) or I",
			"Sets how file data is represented in transfer, usually A",
			"Sets how file data is represented in transfer",
		}},
		{"Ends the session.", []string{"Ends the session."}},
	}
	for _, tt := range tests {
		if got := clauses(tt.in); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("clauses(%q):\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// TestPlayHintIsNeverCut walks the demonstrations shipped in docs/demos at
// 80 and 160 columns, line by line, and checks that the hint row says
// where the script stands without a word cut: at each line loaded in the
// input, and with the input cleared (enter would show the next line).
func TestPlayHintIsNeverCut(t *testing.T) {
	paths, err := filepath.Glob("../docs/demos/*.ftp")
	if err != nil || len(paths) < 2 {
		t.Fatalf("the example demonstrations: %v, %v", paths, err)
	}
	for _, path := range paths {
		s, err := LoadScript(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, width := range []int{80, 160} {
			m := playModel(t, width, 24, "USER demo\n")
			m.play = &player{script: s, loaded: -1}
			check := func(state string) {
				t.Helper()
				hint := ansi.Strip(m.renderHint())
				if strings.Contains(hint, "…") || !strings.Contains(hint, "▶") || ansi.StringWidth(hint) > width {
					t.Errorf("%s at %d columns, %s: the hint row is cut or lost:\n%q", filepath.Base(path), width, state, hint)
				}
			}
			check("at the start")
			for i := 0; i < len(s.Lines); i++ {
				m = pressKeys(m, "alt+n")
				check("line " + m.input.Value())
				m = pressKeys(m, "ctrl+u")
				check("after line " + m.input.Value())
			}
		}
	}
}

// TestPlayHintGolden draws a demonstration with a long name at 80×24 and
// 160×45, with a command loaded and with the next line to show: at 80
// columns the hint row says less, in whole words.
func TestPlayHintGolden(t *testing.T) {
	script := "# First the user name.\nUSER demo\n# Then the password.\nPASS demo\n# Now a listing, with its data connection.\nEPRT |1|127.0.0.1|50001|\nLIST\n"
	for _, size := range []struct{ width, height int }{{80, 24}, {160, 45}} {
		for _, state := range []struct {
			name string
			keys []string
		}{
			{"loaded", []string{"enter"}},
			{"next", []string{"enter", "alt+n", "ctrl+u"}},
		} {
			m := playModelNamed(t, size.width, size.height, "a-fifteen-minute-demonstration-of-passive-mode.ftp", script)
			m = apply(m, loginSession()[:2]...)
			m = pressKeys(m, state.keys...)
			got := screen(m)
			checkScreenSize(t, got, size.width, size.height)
			golden(t, fmt.Sprintf("play-hint-%s-%dx%d", state.name, size.width, size.height), got)
		}
	}
}
