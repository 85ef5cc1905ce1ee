package tui

import (
	"slices"
	"strings"
	"testing"
)

func TestCleanPasted(t *testing.T) {
	tests := []struct {
		in, want string
		removed  []string
	}{
		{"NOOP", "NOOP", nil},
		{"MKD upload/\x1b[31mred\x07", "MKD upload/red", []string{`\x1b[31m`, `\x07`}},
		{"CWD \x1b[1;32mgreen\x1b[0m", "CWD green", []string{`\x1b[1;32m`, `\x1b[0m`}},
		{"CWD \x1b]0;title\x07dir", "CWD dir", []string{`\x1b]0;title\x07`}},
		{"CWD \x1b]8;;http://x\x1b\\link", "CWD link", []string{`\x1b]8;;http://x\x1b\`}},
		{"RETR\ta.txt", "RETR a.txt", []string{`\t (now a space)`}},
		{"DELE x\x08y", "DELE xy", []string{`\x08`}},
		{"DELE \u009bx", "DELE x", []string{`\u009b`}},
		{"NLST \xffbad", "NLST bad", []string{`\xff`}},
		{"CWD café", "CWD café", nil},
		{"CWD broken\x1b[", "CWD broken", []string{`\x1b[`}},
	}
	for _, tt := range tests {
		got, removed := cleanPasted(tt.in)
		if got != tt.want || !slices.Equal(removed, tt.removed) {
			t.Errorf("cleanPasted(%q) = %q, %q; want %q, %q", tt.in, got, removed, tt.want, tt.removed)
		}
	}
}

// TestPastedEscapesAreRemovedAndSaid checks that escape sequences and
// control characters in a paste are removed, never silently.
func TestPastedEscapesAreRemovedAndSaid(t *testing.T) {
	m := pasted(newTestModel(120, 30), "MKD upload/\x1b[31mred\x07")
	if got := m.input.Value(); got != "MKD upload/red" {
		t.Errorf("input %q, want %q", got, "MKD upload/red")
	}
	want := `the pasted line held what a command cannot carry, now removed: \x1b[31m, \x07 (terminal colours and control characters); check the line before pressing enter`
	if got := lastLine(m); got != want {
		t.Errorf("last line\n %q\nwant\n %q", got, want)
	}

	m = pasted(newTestModel(120, 30), "NOOP\nMKD upload/\x1b[31mred\x07\n")
	if !m.paneHas(`pasted line 2 held what a command cannot carry, now removed: \x1b[31m, \x07`) {
		t.Errorf("the multi-line paste does not say what was removed:\n%s", strings.Join(m.paneLines(), "\n"))
	}
	if got := m.paste.lines; !slices.Equal(got, []string{"NOOP", "MKD upload/red"}) {
		t.Errorf("the paste holds %q", got)
	}
}

// TestPasteListsItsCommands checks that a paste shows the commands it
// holds before the first enter, passwords masked, every one of them
// however many, so that none is sent unseen.
func TestPasteListsItsCommands(t *testing.T) {
	m := pasted(newTestModel(120, 30), "USER demo\nPASS secret\nPWD\n")
	pane := strings.Join(m.paneLines(), "\n")
	for _, want := range []string{"the paste holds 3 commands, none sent yet:", "  1  USER demo", "  2  PASS ****", "  3  PWD"} {
		if !strings.Contains(pane, want) {
			t.Errorf("the transcript lacks %q:\n%s", want, pane)
		}
	}
	if strings.Contains(pane, "secret") {
		t.Errorf("the pasted password is on screen:\n%s", pane)
	}

	var many []string
	for i := range 25 {
		many = append(many, "NOOP "+strings.Repeat("x", i))
	}
	m = pasted(newTestModel(120, 30), strings.Join(many, "\n"))
	pane = strings.Join(m.paneLines(), "\n")
	if !strings.Contains(pane, "  25  NOOP "+strings.Repeat("x", 24)) || strings.Contains(pane, "more") {
		t.Errorf("25 pasted commands are not all listed:\n%s", pane)
	}
}
