package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLocalFileCompletion checks that tab completes the local file after
// "<" and ">", so that a learner need not type a lesson's practice file,
// /tmp/ftpscope-practice-1253574007/upload-me.txt, letter by letter.
func TestLocalFileCompletion(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"upload-me.txt", "notes.txt", "notes.md", ".hidden"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		typed, want string
		hint        []string // in the list of candidates
	}{
		{"STOR x.txt < " + dir + "/up", "STOR x.txt < " + dir + "/upload-me.txt", nil},
		{"STOR x.txt < " + dir + "/no", "STOR x.txt < " + dir + "/notes.", []string{"notes.md", "notes.txt"}},
		{"RETR pub/hello.txt > " + dir + "/su", "RETR pub/hello.txt > " + dir + "/sub/", nil},
		{"STOR x.txt < " + dir + "/nothing", "STOR x.txt < " + dir + "/nothing", nil},
		{"STOR x.txt < " + dir + "/missing/x", "STOR x.txt < " + dir + "/missing/x", nil},
	}
	for _, tt := range tests {
		m := press(newTestModel(120, 30), "type:"+tt.typed, "tab")
		if got := m.input.Value(); got != tt.want {
			t.Errorf("%q then tab: input %q, want %q", tt.typed, got, tt.want)
		}
		hint := m.renderHint()
		for _, h := range tt.hint {
			if !strings.Contains(hint, h) {
				t.Errorf("%q then tab: the hint %q lacks %q", tt.typed, hint, h)
			}
		}
		if strings.Contains(hint, ".hidden") {
			t.Errorf("%q then tab: a hidden file is offered: %q", tt.typed, hint)
		}
	}
}
