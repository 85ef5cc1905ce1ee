package tui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/protocol"
)

// waitForFile waits until the file at path holds want, failing with what
// it holds after 5 seconds. The log is written by a goroutine of its
// own; this waits for it, it does not time it.
func waitForFile(t *testing.T, path, want string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, _ := os.ReadFile(path)
		if strings.Contains(string(got), want) {
			return string(got)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s does not hold %q; it holds:\n%s", filepath.Base(path), want, got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// logLine matches a line of the message log: date, time, word, text.
var logLine = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} (Status|Command|Response|Warning|Error|Note|Finding):\s+\S`)

// TestLogIsWrittenAsTheSessionRuns checks --log: each event reaches the
// file while the session goes on, passwords masked, one dated line each;
// a second run appends; the file is private.
func TestLogIsWrittenAsTheSessionRuns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.log")
	l, err := OpenLog(path)
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Catalog: testCatalog, Target: protocol.Target{Host: "127.0.0.1", Port: 2121}, Log: l})
	m = apply(m, loginSession()[:4]...)
	waitForFile(t, path, "Response: 331 User name ok")
	m = apply(m, loginSession()[4:]...)
	got := waitForFile(t, path, "Response: 202 Obsolete")
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "PASS demo") || !strings.Contains(got, "Command:  PASS ****") {
		t.Errorf("the password is not masked:\n%s", got)
	}
	if !strings.Contains(got, "Warning:  the password was sent in clear text") {
		t.Errorf("the clear-text warning is missing:\n%s", got)
	}
	for _, line := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
		if !logLine.MatchString(line) {
			t.Errorf("not a line of the message log: %q", line)
		}
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the log's mode: %v, %v; want 0600", fi, err)
	}

	l2, err := OpenLog(path)
	if err != nil {
		t.Fatal(err)
	}
	l2.Add(protocol.Event{Kind: protocol.EventSend, Line: "QUIT", Time: time.Now()})
	if err := l2.Close(); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(again), got) || !strings.HasSuffix(string(again), "Command:  QUIT\n") {
		t.Errorf("a second log did not append:\n%s", again)
	}
	if err := l2.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	_ = m
}

// TestLogCommand checks :log FILE mid-session (the session so far comes
// first), :log alone, :log off, and a folder refused.
func TestLogCommand(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	m := apply(newTestModel(160, 30), loginSession()[:4]...)
	m = runLocalLine(t, m, ":log class.log")
	if m.logFile == nil || !strings.Contains(screen(m), "appending the session to class.log") {
		t.Fatalf(":log did not start a log:\n%s", screen(m))
	}
	m = apply(m, loginSession()[4:]...)
	got := waitForFile(t, "class.log", "Response: 202 Obsolete")
	if !strings.Contains(got, "Response: 220 ftpscope sandbox ready.") {
		t.Errorf("the log lacks the session before :log:\n%s", got)
	}
	m = runLocalLine(t, m, ":log")
	if !strings.Contains(screen(m), "being appended to class.log") {
		t.Errorf(":log alone does not say where the log goes:\n%s", screen(m))
	}
	m = runLocalLine(t, m, ":log off")
	if m.logFile != nil || !strings.Contains(screen(m), "logging to class.log stopped") {
		t.Errorf(":log off did not stop:\n%s", screen(m))
	}
	if err := os.Mkdir("folder", 0o755); err != nil {
		t.Fatal(err)
	}
	m = runLocalLine(t, m, ":log folder")
	if m.logFile != nil || !strings.Contains(screen(m), "not a regular file") {
		t.Errorf("a folder was accepted as a log:\n%s", screen(m))
	}
}

// TestLogDatesNarrationWithItsOwnTime checks --log with --play: a "#"
// line of the script is logged with the time it was shown, not the time
// of the reply before it.
func TestLogDatesNarrationWithItsOwnTime(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.log")
	l, err := OpenLog(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseScript("demo.ftp", strings.NewReader("# Now the user.\nUSER demo\n"))
	if err != nil {
		t.Fatal(err)
	}
	replied := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	clock := replied
	m := New(Options{Catalog: testCatalog, Target: protocol.Target{Host: "127.0.0.1", Port: 2121}, Play: s, Log: l,
		Now: func() time.Time { return clock }})
	next, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	m = next.(Model)
	greeting := reply(protocol.GreetingVerb, 300*time.Microsecond, "220 ftpscope sandbox ready.")
	greeting.Time = replied
	m = apply(m, greeting)
	clock = replied.Add(42 * time.Second)
	_ = pressKeys(m, "enter") // shows the narration and the next line
	got := waitForFile(t, path, "Now the user.")
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	want := clock.Format("2006-01-02 15:04:05.000") + " Note:     Now the user."
	if !strings.Contains(got, want) {
		t.Errorf("the narration is not dated with its own time; want the line %q in:\n%s", want, got)
	}
}
