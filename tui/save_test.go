package tui

import (
	"os"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// runLocalLine types a ':' line, sends it, and delivers the messages of
// the commands it starts (the save runs off the update loop).
func runLocalLine(t *testing.T, m Model, line string) Model {
	t.Helper()
	m.input.SetValue(line)
	next, cmd := m.Update(keyPress("enter"))
	m = next.(Model)
	for _, msg := range runSaving(cmd) {
		if _, ok := msg.(HistorySavedMsg); ok {
			continue
		}
		next, _ = m.Update(msg)
		m = next.(Model)
	}
	return m
}

// runSaving runs the commands of a :save: the file is written by a
// command, which on a loaded machine takes longer than runQuick waits.
func runSaving(cmd tea.Cmd) []tea.Msg { return runWithin(cmd, 10*time.Second) }

// answer presses a key and runs the save it may start.
func answer(t *testing.T, m Model, k string) Model {
	t.Helper()
	next, cmd := m.Update(keyPress(k))
	m = next.(Model)
	for _, msg := range runSaving(cmd) {
		next, _ = m.Update(msg)
		m = next.(Model)
	}
	return m
}

// TestSaveAsksBeforeReplacing checks :save on an existing file: it asks,
// n (or any other key) keeps the file, y replaces it, and :save! replaces
// without asking. A new file is written at once.
func TestSaveAsksBeforeReplacing(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // a short name, so the messages fit on one row
	path := "handout.md"
	m := apply(newTestModel(160, 30), loginSession()...)

	m = runLocalLine(t, m, ":save "+path)
	if got, err := os.ReadFile(path); err != nil || !strings.HasPrefix(string(got), "# FTP session transcript") {
		t.Fatalf("a new file was not written: %v", err)
	}
	if err := os.WriteFile(path, []byte("the teacher's notes"), 0o644); err != nil {
		t.Fatal(err)
	}

	m = runLocalLine(t, m, ":save "+path)
	if m.saveAsk == nil || !strings.Contains(screen(m), "handout.md exists: press y to replace it") {
		t.Fatalf("no question about the existing file:\n%s", screen(m))
	}
	if hint := m.renderHint(); !strings.Contains(hint, "y replaces it") {
		t.Errorf("the hint line does not say how to answer: %q", hint)
	}
	m = answer(t, m, "n")
	if got, _ := os.ReadFile(path); string(got) != "the teacher's notes" {
		t.Errorf("n replaced the file: %q", got)
	}
	if m.saveAsk != nil || !strings.Contains(screen(m), "kept as it was") {
		t.Errorf("n did not say the file was kept:\n%s", screen(m))
	}
	if m.input.Value() != "" {
		t.Errorf("the answer went into the input line: %q", m.input.Value())
	}

	m = runLocalLine(t, m, ":save "+path)
	m = answer(t, m, "y")
	if got, _ := os.ReadFile(path); !strings.HasPrefix(string(got), "# FTP session transcript") {
		t.Errorf("y did not replace the file: %q", got)
	}
	if !strings.Contains(screen(m), "saved") {
		t.Errorf("no confirmation after y:\n%s", screen(m))
	}

	if err := os.WriteFile(path, []byte("again"), 0o644); err != nil {
		t.Fatal(err)
	}
	m = runLocalLine(t, m, ":save! "+path)
	if got, _ := os.ReadFile(path); !strings.HasPrefix(string(got), "# FTP session transcript") || m.saveAsk != nil {
		t.Errorf(":save! did not replace the file without asking: %q", got)
	}
	if names, _ := os.ReadDir(dir); len(names) != 1 {
		t.Errorf("the folder holds %d entries, want the handout alone", len(names))
	}
}

// TestSaveRefusesUnknownFormats checks that :save x.html writes nothing
// and lists the formats.
func TestSaveRefusesUnknownFormats(t *testing.T) {
	t.Chdir(t.TempDir())
	path := "x.html"
	m := runLocalLine(t, apply(newTestModel(200, 30), loginSession()...), ":save "+path)
	view := screen(m)
	for _, want := range []string{"does not write .html files", ".txt", ".md", ".jsonl", "nothing was written"} {
		if !strings.Contains(view, want) {
			t.Errorf("the refusal lacks %q:\n%s", want, view)
		}
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("x.html was written")
	}
}

var _ tea.Msg = savedMsg{}

// TestSaveNamesTheFormat checks that a save says which format it wrote
// in the words of :help and of the error for an unknown extension ("as
// JSON Lines"), not export's internal name ("as json").
func TestSaveNamesTheFormat(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, tt := range []struct{ file, want string }{
		{"s.txt", "as text (passwords masked)"},
		{"s.md", "as a Markdown handout (passwords masked)"},
		{"s.jsonl", "as JSON Lines (passwords masked)"},
	} {
		m := runLocalLine(t, apply(newTestModel(160, 30), loginSession()...), ":save "+tt.file)
		if got := lastLine(m); !strings.Contains(got, tt.want) {
			t.Errorf(":save %s said %q, want %q", tt.file, got, tt.want)
		}
	}
}
