package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/internal/tmuxtest"
)

// TestE2EPlayAt80x24 plays a demonstration with the real binary in a real
// 80×24 terminal: narration, a login, a listing on the ladder diagram, a
// handout saved at the end, and the message log written meanwhile.
func TestE2EPlayAt80x24(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "demo.ftp")
	err := os.WriteFile(script, []byte(`# Logging in.
USER demo
PASS demo
# A listing needs a second connection.
:ladder
PASV
LIST
:save `+filepath.Join(dir, "handout.md")+`
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "class.log")
	term := tmuxtest.Start(t, 80, 24, []string{"TERM=xterm-256color", "XDG_STATE_HOME=" + dir}, bin, "--play", script, "--log", logPath)
	term.WaitFor("220 ")
	term.WaitFor("demo.ftp 1/6")
	steps := []struct{ keys, want string }{
		{"Enter", "ftp> USER demo"},
		{"M-n", "ftp> PASS demo"}, // skip a line
		{"M-p", "ftp> USER demo"}, // and step back
		{"Enter", "331 "},
		{"Enter", "ftp> PASS demo"},
		{"Enter", "230 "},
		{"Enter", "ftp> :ladder"},
		{"Enter", "the connections, as a ladder"},
		{"Enter", "ftp> PASV"},
		{"Enter", "227 "},
		{"Enter", "ftp> LIST"},
		{"Enter", "then closed"},
		{"Enter", "ftp> :save"},
	}
	for _, st := range steps {
		term.Keys(st.keys)
		term.WaitFor(st.want)
	}
	screen := term.Screen()
	for _, want := range []string{"── USER demo", "data connection 1 open", "┴"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the ladder lacks %q:\n%s", want, screen)
		}
	}
	term.Keys("F5") // back to the transcript, to read the save's line
	term.Keys("Enter")
	term.WaitFor("Markdown handout (passwords masked)")
	handout, err := os.ReadFile(filepath.Join(dir, "handout.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Contents", "```mermaid", "Logging in.", "C->>S: USER demo", "D1--)C:"} {
		if !strings.Contains(string(handout), want) {
			t.Errorf("the handout lacks %q", want)
		}
	}
	log, _ := os.ReadFile(logPath)
	if !strings.Contains(string(log), "Command:  PASS ****") || strings.Contains(string(log), "PASS demo") {
		t.Errorf("the log does not mask the password:\n%s", log)
	}
	if !strings.Contains(string(log), "Note:     A listing needs a second connection.") {
		t.Errorf("the log lacks the narration:\n%s", log)
	}
	term.Keys("C-c")
	term.WaitFor("[exited 0]")
}

// TestE2EPresentAt200x50 starts presentation mode on a wide terminal:
// the panel takes its share of the width, and f9 hides it.
func TestE2EPresentAt200x50(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	term := tmuxtest.Start(t, 200, 50, []string{"TERM=xterm-256color", "XDG_STATE_HOME=" + dir}, bin, "--present")
	term.WaitFor("220 ")
	term.Type("USER demo")
	screen := term.WaitFor("User name okay, need password")
	// The panel's explanation starts at 60% of the width (120 columns).
	found := false
	for _, row := range strings.Split(screen, "\n") {
		if strings.Contains(row, "User name okay, need password") && strings.Index(row, "User name okay") > 110 {
			found = true
		}
	}
	if !found {
		t.Errorf("the explanation is not in a panel of 40%% of the width:\n%s", screen)
	}
	term.PressUntil("side panel 45% of the width", "F8")
	// The layout is saved off the update loop: wait for the file.
	path := filepath.Join(dir, "ftpscope", "layout.json")
	deadline := time.Now().Add(5 * time.Second)
	for data, _ := os.ReadFile(path); !strings.Contains(string(data), `"panel":45`); data, _ = os.ReadFile(path) {
		if time.Now().After(deadline) {
			t.Fatalf("the wider panel was not remembered in %s: %q", path, data)
		}
		time.Sleep(20 * time.Millisecond)
	}
	term.Keys("C-c")
	term.WaitFor("[exited 0]")
}
