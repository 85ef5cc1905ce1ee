package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// historyWith returns an in-memory history holding lines, added in order.
func historyWith(t *testing.T, lines ...string) *History {
	t.Helper()
	h := NewHistory("")
	for _, l := range lines {
		h.Add(l)
	}
	return h
}

// histLines formats entries one per line, quoted, for failure messages.
func histLines(entries []string) string {
	if len(entries) == 0 {
		return "  (none)"
	}
	var b strings.Builder
	for i, e := range entries {
		fmt.Fprintf(&b, "  %d: %q\n", i, e)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func TestHistoryAdd(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []string
	}{
		{"lines are kept oldest first", []string{"USER demo", "PWD", "LIST"}, []string{"USER demo", "PWD", "LIST"}},
		{"consecutive duplicates collapse", []string{"PWD", "PWD", "LIST", "LIST", "LIST"}, []string{"PWD", "LIST"}},
		{"duplicates apart are kept", []string{"PWD", "LIST", "PWD"}, []string{"PWD", "LIST", "PWD"}},
		{"surrounding spaces are trimmed", []string{"  LIST pub \t", "LIST pub"}, []string{"LIST pub"}},
		{"local commands are stored", []string{":help", ":explain 331"}, []string{":help", ":explain 331"}},
		{"empty and blank lines are not stored", []string{"", "   ", "\t"}, nil},
		{"a line with CR or LF is not stored", []string{"LIST\r\nDELE x", "USER a\n", "NOOP\r", "PWD"}, []string{"PWD"}},
		{"a line with NUL is not stored", []string{"RETR a\x00b"}, nil},
		{"a line longer than 4096 bytes is not stored", []string{"RETR " + strings.Repeat("a", 4092), "RETR " + strings.Repeat("b", 4091)}, []string{"RETR " + strings.Repeat("b", 4091)}},
		{"PASS is never stored", []string{"USER demo", "PASS secret", "PWD"}, []string{"USER demo", "PWD"}},
		{"pass with leading spaces", []string{"  pass secret"}, nil},
		{"Pass in mixed case", []string{"Pass x"}, nil},
		{"PASS after a tab", []string{"\tPASS x"}, nil},
		{"PASS then a tab", []string{"PASS\tsecret"}, nil},
		{"PASS then a no-break space", []string{"PASS\u00a0secret"}, nil},
		{"PASS after a zero-width space", []string{"\u200bPASS secret"}, nil},
		{"PASS glued to the password", []string{"PASSsecret"}, nil},
		{"PASS alone", []string{"PASS"}, nil},
		{"ACCT is never stored", []string{"ACCT 1234", "acct x", "  Acct y"}, nil},
		{"verbs that merely contain PASS are stored", []string{"PASV", "USER pass", ":explain PASS"}, []string{"PASV", "USER pass", ":explain PASS"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := historyWith(t, tt.lines...)
			if got := h.Entries(); !slices.Equal(got, tt.want) {
				t.Errorf("after adding %q\ngot entries:\n%s\nwant:\n%s", tt.lines, histLines(got), histLines(tt.want))
			}
		})
	}
}

func TestHistoryAddReportsChange(t *testing.T) {
	h := NewHistory("")
	for _, step := range []struct {
		line string
		want bool
	}{
		{"PWD", true},
		{"PWD", false},
		{"PASS secret", false},
		{"LIST", true},
		{"", false},
	} {
		if got := h.Add(step.line); got != step.want {
			t.Errorf("Add(%q) = %v, want %v", step.line, got, step.want)
		}
	}
}

func TestHistoryLimit(t *testing.T) {
	tests := []struct {
		name  string
		limit int
		adds  int
		want  []string
	}{
		{"the oldest are dropped", 3, 5, []string{"CWD 2", "CWD 3", "CWD 4"}},
		{"under the limit nothing is dropped", 3, 2, []string{"CWD 0", "CWD 1"}},
		{"zero means the default limit", 0, DefaultHistoryLimit + 5, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := NewHistory("")
			h.Limit = tt.limit
			for i := range tt.adds {
				h.Add(fmt.Sprintf("CWD %d", i))
			}
			got := h.Entries()
			if tt.want == nil {
				if len(got) != DefaultHistoryLimit || got[0] != "CWD 5" {
					t.Errorf("got %d entries starting with %q, want %d starting with %q", len(got), got[0], DefaultHistoryLimit, "CWD 5")
				}
				return
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("limit %d after %d adds\ngot:\n%s\nwant:\n%s", tt.limit, tt.adds, histLines(got), histLines(tt.want))
			}
		})
	}
}

// histStep is one action on a History and what it should return. op is
// prev, next, reset, add, start, input, older or end; arg is the current
// line for prev, the line for add and the query for input.
type histStep struct {
	op     string
	arg    string
	want   string
	wantOK bool
}

// run performs the step and fails the test when the result differs.
func (s histStep) run(t *testing.T, i int, h *History) {
	t.Helper()
	var got string
	var ok bool
	switch s.op {
	case "prev":
		got, ok = h.Prev(s.arg)
	case "next":
		got, ok = h.Next()
	case "input":
		got, ok = h.SearchInput(s.arg)
	case "older":
		got, ok = h.SearchOlder()
	case "reset":
		h.Reset()
		return
	case "add":
		h.Add(s.arg)
		return
	case "start":
		h.SearchStart()
		return
	case "end":
		h.SearchEnd()
		return
	default:
		t.Fatalf("step %d: unknown op %q", i, s.op)
	}
	if got != s.want || ok != s.wantOK {
		call := s.op + "()"
		if s.arg != "" {
			call = fmt.Sprintf("%s(%q)", s.op, s.arg)
		}
		t.Errorf("step %d: %s = %q, %v; want %q, %v", i, call, got, ok, s.want, s.wantOK)
	}
}

func TestHistoryNavigation(t *testing.T) {
	entries := []string{"USER demo", "PWD", "LIST"}
	tests := []struct {
		name    string
		entries []string
		steps   []histStep
	}{
		{"up to the oldest and down to the draft", entries, []histStep{
			{"prev", "LI", "LIST", true},
			{"prev", "ignored", "PWD", true},
			{"prev", "", "USER demo", true},
			{"prev", "", "", false},
			{"next", "", "PWD", true},
			{"next", "", "LIST", true},
			{"next", "", "LI", true},
			{"next", "", "", false},
		}},
		{"the draft can be empty", entries, []histStep{
			{"prev", "", "LIST", true},
			{"next", "", "", true},
			{"next", "", "", false},
		}},
		{"next before prev does nothing", entries, []histStep{
			{"next", "", "", false},
			{"prev", "typed", "LIST", true},
		}},
		{"empty history", nil, []histStep{
			{"prev", "typed", "", false},
			{"next", "", "", false},
		}},
		{"reset forgets the draft", entries, []histStep{
			{"prev", "draft", "LIST", true},
			{"prev", "", "PWD", true},
			{"reset", "", "", false},
			{"next", "", "", false},
			{"prev", "new", "LIST", true},
			{"next", "", "new", true},
		}},
		{"adding a line resets navigation", entries, []histStep{
			{"prev", "draft", "LIST", true},
			{"prev", "", "PWD", true},
			{"add", "CWD pub", "", false},
			{"next", "", "", false},
			{"prev", "", "CWD pub", true},
			{"prev", "", "LIST", true},
		}},
		{"a refused line resets navigation too", entries, []histStep{
			{"prev", "draft", "LIST", true},
			{"add", "PASS secret", "", false},
			{"prev", "x", "LIST", true},
			{"next", "", "x", true},
		}},
		{"a search ends navigation", entries, []histStep{
			{"prev", "draft", "LIST", true},
			{"start", "", "", false},
			{"end", "", "", false},
			{"next", "", "", false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := historyWith(t, tt.entries...)
			for i, s := range tt.steps {
				s.run(t, i, h)
			}
		})
	}
}

func TestHistorySearch(t *testing.T) {
	entries := []string{
		"USER demo",       // 0
		"CWD pub",         // 1
		"LIST pub",        // 2
		"RETR README.txt", // 3
		"LIST",            // 4
		"PWD",             // 5
		"LIST pub",        // 6
	}
	tests := []struct {
		name  string
		steps []histStep
		// view is SearchView(0) after the steps, unless empty.
		view string
	}{
		{"newest match first", []histStep{
			{"start", "", "", false},
			{"input", "list", "LIST pub", true},
		}, "(reverse-i-search)'list': LIST pub"},
		{"older matches, each line once", []histStep{
			{"start", "", "", false},
			{"input", "list", "LIST pub", true},
			{"older", "", "LIST", true},
			{"older", "", "", false}, // entry 2 repeats "LIST pub"
		}, "(failed reverse-i-search)'list': LIST"},
		{"case is ignored", []histStep{
			{"start", "", "", false},
			{"input", "readme", "RETR README.txt", true},
		}, "(reverse-i-search)'readme': RETR README.txt"},
		{"typing resumes from the match shown", []histStep{
			{"start", "", "", false},
			{"input", "l", "LIST pub", true},
			{"older", "", "LIST", true},
			{"input", "li", "LIST", true},
			{"input", "list p", "LIST pub", true}, // entry 2, older than 4
			{"older", "", "", false},
		}, "(failed reverse-i-search)'list p': LIST pub"},
		{"deleting a character searches from the newest", []histStep{
			{"start", "", "", false},
			{"input", "pw", "PWD", true},
			{"input", "p", "LIST pub", true},
		}, "(reverse-i-search)'p': LIST pub"},
		{"no match keeps the last match shown", []histStep{
			{"start", "", "", false},
			{"input", "cw", "CWD pub", true},
			{"input", "cwx", "", false},
		}, "(failed reverse-i-search)'cwx': CWD pub"},
		{"no match at all", []histStep{
			{"start", "", "", false},
			{"input", "xyz", "", false},
			{"older", "", "", false},
		}, "(failed reverse-i-search)'xyz': "},
		{"empty query matches nothing", []histStep{
			{"start", "", "", false},
			{"older", "", "", false},
			{"input", "", "", false},
			{"older", "", "", false},
		}, "(reverse-i-search)'': "},
		{"clearing the query clears the match", []histStep{
			{"start", "", "", false},
			{"input", "p", "LIST pub", true},
			{"input", "", "", false},
			{"input", "p", "LIST pub", true},
		}, "(reverse-i-search)'p': LIST pub"},
		{"a new search starts from the newest", []histStep{
			{"start", "", "", false},
			{"input", "list", "LIST pub", true},
			{"older", "", "LIST", true},
			{"end", "", "", false},
			{"start", "", "", false},
			{"input", "list", "LIST pub", true},
		}, "(reverse-i-search)'list': LIST pub"},
		{"older works without start", []histStep{
			{"older", "", "", false},
			{"input", "cwd", "CWD pub", true},
		}, "(reverse-i-search)'cwd': CWD pub"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := historyWith(t, entries...)
			for i, s := range tt.steps {
				s.run(t, i, h)
			}
			if got := h.SearchView(0); got != tt.view {
				t.Errorf("SearchView(0) = %q\nwant            %q", got, tt.view)
			}
		})
	}
}

func TestHistorySearchAcceptAndCancel(t *testing.T) {
	h := historyWith(t, "USER demo", "LIST pub", "PWD")
	if h.Searching() {
		t.Fatal("Searching() = true before SearchStart")
	}
	h.SearchStart()
	if !h.Searching() {
		t.Fatal("Searching() = false after SearchStart")
	}
	if m, ok := h.SearchMatch(); ok {
		t.Errorf("SearchMatch() before any input = %q, true; want false", m)
	}
	h.SearchInput("us")
	if q := h.SearchQuery(); q != "us" {
		t.Errorf("SearchQuery() = %q, want %q", q, "us")
	}
	h.SearchInput("usx")
	if !h.SearchFailed() {
		t.Error("SearchFailed() = false after a query that matches nothing")
	}
	if m, ok := h.SearchMatch(); m != "USER demo" || !ok {
		t.Errorf("SearchMatch() after a failed step = %q, %v; want the last match %q, true", m, ok, "USER demo")
	}
	h.SearchEnd()
	if h.Searching() || h.SearchFailed() || h.SearchQuery() != "" {
		t.Errorf("after SearchEnd: Searching %v, SearchFailed %v, SearchQuery %q; want false, false, \"\"", h.Searching(), h.SearchFailed(), h.SearchQuery())
	}
	if m, ok := h.SearchMatch(); ok {
		t.Errorf("SearchMatch() after SearchEnd = %q, true; want false", m)
	}

	h.SearchStart()
	h.SearchInput("pwd")
	h.Add("NOOP")
	if h.Searching() {
		t.Error("Searching() = true after Add; Add must end the search")
	}
}

func TestHistorySearchView(t *testing.T) {
	h := historyWith(t, "RETR "+strings.Repeat("x", 80), "LIST \x1b[2J")
	h.SearchStart()

	h.SearchInput("list")
	if got, want := h.SearchView(0), `(reverse-i-search)'list': LIST \x1b[2J`; got != want {
		t.Errorf("a control character is not shown escaped:\ngot  %q\nwant %q", got, want)
	}
	h.SearchInput("\x07")
	if got := h.SearchView(0); !strings.Contains(got, `'\x07'`) {
		t.Errorf("a control character in the query is not shown escaped: %q", got)
	}

	h.SearchInput("retr")
	for _, width := range []int{10, 40} {
		got := h.SearchView(width)
		if w := ansi.StringWidth(got); w > width {
			t.Errorf("SearchView(%d) is %d cells wide: %q", width, w, got)
		}
		if !strings.HasSuffix(got, "…") {
			t.Errorf("SearchView(%d) = %q, want it cut with …", width, got)
		}
	}
	if got := h.SearchView(0); !strings.HasSuffix(got, strings.Repeat("x", 80)) {
		t.Errorf("SearchView(0) cut the line: %q", got)
	}
}

func TestDefaultHistoryPath(t *testing.T) {
	home := t.TempDir()
	state := filepath.Join(t.TempDir(), "state")
	tests := []struct {
		name string
		xdg  string
		want string
	}{
		{"XDG_STATE_HOME set", state, filepath.Join(state, "ftpscope", "history")},
		{"XDG_STATE_HOME empty", "", filepath.Join(home, ".local", "state", "ftpscope", "history")},
		{"XDG_STATE_HOME relative is ignored", "relative/state", filepath.Join(home, ".local", "state", "ftpscope", "history")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("HOME", home)        // Unix
			t.Setenv("USERPROFILE", home) // Windows
			t.Setenv("home", home)        // Plan 9
			t.Setenv("XDG_STATE_HOME", tt.xdg)
			got, err := DefaultHistoryPath()
			if err != nil {
				t.Fatalf("DefaultHistoryPath() with XDG_STATE_HOME=%q: %v", tt.xdg, err)
			}
			if got != tt.want {
				t.Errorf("DefaultHistoryPath() with XDG_STATE_HOME=%q\n = %s\nwant %s", tt.xdg, got, tt.want)
			}
		})
	}
}

func TestDefaultHistoryPathUnset(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	t.Setenv("home", home)
	t.Setenv("XDG_STATE_HOME", "x") // restored after the test
	os.Unsetenv("XDG_STATE_HOME")
	got, err := DefaultHistoryPath()
	if err != nil {
		t.Fatalf("DefaultHistoryPath() with XDG_STATE_HOME unset: %v", err)
	}
	if want := filepath.Join(home, ".local", "state", "ftpscope", "history"); got != want {
		t.Errorf("DefaultHistoryPath() with XDG_STATE_HOME unset\n = %s\nwant %s", got, want)
	}
}

// histDirNames lists the names in dir.
func histDirNames(t *testing.T, dir string) []string {
	t.Helper()
	list, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range list {
		names = append(names, e.Name())
	}
	return names
}

func TestHistorySaveLoadRoundTrip(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	path, err := DefaultHistoryPath()
	if err != nil {
		t.Fatal(err)
	}
	h, err := LoadHistory(path)
	if err != nil {
		t.Fatalf("LoadHistory of a missing file: %v, want an empty history and no error", err)
	}
	if h.Len() != 0 || h.Path() != path {
		t.Fatalf("LoadHistory of a missing file: %d entries, path %q; want 0 entries, path %q", h.Len(), h.Path(), path)
	}
	lines := []string{"USER demo", "PASS demo", "PWD", ":explain 331", "RETR café.txt", "ACCT 42", "LIST"}
	for _, l := range lines {
		h.Add(l)
	}
	if err := h.Save(); err != nil {
		t.Fatalf("Save: %v", err)
	}

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("Save wrote no file at %s: %v", path, err)
	}
	if want := "USER demo\nPWD\n:explain 331\nRETR café.txt\nLIST\n"; string(data) != want {
		t.Errorf("history file:\n%s\nwant:\n%s", data, want)
	}
	if names := histDirNames(t, filepath.Dir(path)); !slices.Equal(names, []string{"history"}) {
		t.Errorf("the history directory holds %q, want only history: a temporary file was left", names)
	}
	if runtime.GOOS != "windows" {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("history file mode = %v (%v), want 0600", fi.Mode().Perm(), err)
		}
		if fi, err := os.Stat(filepath.Dir(path)); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("history directory mode = %v (%v), want 0700", fi.Mode().Perm(), err)
		}
	}

	again, err := LoadHistory(path)
	if err != nil {
		t.Fatalf("LoadHistory after Save: %v", err)
	}
	if got, want := again.Entries(), h.Entries(); !slices.Equal(got, want) {
		t.Errorf("loaded entries:\n%s\nwant what was saved:\n%s", histLines(got), histLines(want))
	}

	// A second save replaces the file, still leaving no temporary file.
	again.Add("QUIT")
	if err := again.Save(); err != nil {
		t.Fatalf("second Save: %v", err)
	}
	if names := histDirNames(t, filepath.Dir(path)); !slices.Equal(names, []string{"history"}) {
		t.Errorf("after a second save the directory holds %q, want only history", names)
	}
	third, err := LoadHistory(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := third.Entries(); len(got) == 0 || got[len(got)-1] != "QUIT" {
		t.Errorf("after the second save, loaded:\n%s\nwant QUIT last", histLines(got))
	}
}

func TestHistoryFailedSaveLeavesNoTempFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "history")
	// A non-empty directory where the file should be: the rename fails.
	if err := os.MkdirAll(filepath.Join(path, "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	h := NewHistory(path)
	h.Add("PWD")
	if err := h.Save(); err == nil {
		t.Fatal("Save over a directory succeeded, want an error")
	}
	if names := histDirNames(t, dir); !slices.Equal(names, []string{"history"}) {
		t.Errorf("after a failed save the directory holds %q, want only history", names)
	}
}

func TestHistoryInMemory(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	h, err := LoadHistory("")
	if err != nil || h == nil {
		t.Fatalf("LoadHistory(\"\") = %v, %v; want an empty history, nil", h, err)
	}
	h.Add("PWD")
	if err := h.Save(); err != nil {
		t.Errorf("Save of an in-memory history: %v, want nil", err)
	}
	if cmd := h.SaveCmd(); cmd != nil {
		t.Error("SaveCmd of an in-memory history is not nil")
	}
	if names := histDirNames(t, dir); len(names) != 0 {
		t.Errorf("an in-memory history wrote %q", names)
	}
	if h.Len() != 1 {
		t.Errorf("Len() = %d, want 1", h.Len())
	}
}

func TestLoadHistoryDropsSecrets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history")
	// As an older version, or a hand edit, might have left it.
	crafted := "USER demo\r\n" +
		"PASS hunter2\n" +
		"  pass secret\n" +
		"Pass x\n" +
		"ACCT 1234\n" +
		"PWD\n" +
		"PWD\n" +
		"\n" +
		"   \n" +
		"RETR " + strings.Repeat("y", 5000) + "\n" +
		":help\n" +
		"LIST" // no final newline
	if err := os.WriteFile(path, []byte(crafted), 0o600); err != nil {
		t.Fatal(err)
	}
	h, err := LoadHistory(path)
	if err != nil {
		t.Fatalf("LoadHistory: %v", err)
	}
	want := []string{"USER demo", "PWD", ":help", "LIST"}
	if got := h.Entries(); !slices.Equal(got, want) {
		t.Errorf("loaded entries:\n%s\nwant:\n%s", histLines(got), histLines(want))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"hunter2", "secret", "Pass", "1234"} {
		if strings.Contains(string(data), secret) {
			t.Errorf("the history file still holds %q after LoadHistory:\n%s", secret, data)
		}
	}
	if names := histDirNames(t, filepath.Dir(path)); !slices.Equal(names, []string{"history"}) {
		t.Errorf("after rewriting, the directory holds %q, want only history", names)
	}
}

func TestLoadHistoryReadsOnlyTheNewestMiB(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history")
	var b strings.Builder
	for i := 0; b.Len() < 3<<20; i++ {
		fmt.Fprintf(&b, "RETR file-%07d-%s\n", i, strings.Repeat("z", 100))
	}
	b.WriteString("PWD\n")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	h, err := LoadHistory(path)
	if err != nil {
		t.Fatalf("LoadHistory: %v", err)
	}
	got := h.Entries()
	if len(got) != DefaultHistoryLimit || got[len(got)-1] != "PWD" {
		t.Fatalf("got %d entries ending %q, want %d ending PWD", len(got), got[len(got)-1], DefaultHistoryLimit)
	}
	for i, e := range got {
		if !strings.HasPrefix(e, "RETR file-") && e != "PWD" {
			t.Errorf("entry %d is a partial line: %q", i, e)
		}
	}
}

func TestLoadHistoryWindowAtALineStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history")
	// The newest 1 MiB starts exactly at "CWD first", which must be kept
	// whole; the filler line after it is too long to be loaded.
	first := "CWD first\n"
	filler := "NOOP " + strings.Repeat("x", 1<<20-len(first)-len("NOOP \n")) + "\n"
	data := "RETR older\n" + first + filler
	if len(first+filler) != 1<<20 {
		t.Fatalf("test setup: the window is %d bytes, want 1 MiB", len(first+filler))
	}
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	h, err := LoadHistory(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.Entries(), []string{"CWD first"}; !slices.Equal(got, want) {
		t.Errorf("loaded:\n%s\nwant only the line the window starts with:\n%s", histLines(got), histLines(want))
	}
}

func TestLoadHistoryErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadHistory(dir); err == nil {
		t.Error("LoadHistory of a directory: no error")
	}
	h, err := LoadHistory(filepath.Join(dir, "missing", "history"))
	if err != nil || h == nil || h.Len() != 0 {
		t.Errorf("LoadHistory of a missing file = %v, %v; want an empty history, nil", h, err)
	}
}

func TestHistorySaveCmd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "history")
	h := NewHistory(path)
	if cmd := h.SaveCmd(); cmd != nil {
		t.Error("SaveCmd with nothing to save is not nil")
	}
	h.Add("USER demo")
	older := h.SaveCmd()
	h.Add("PWD")
	newer := h.SaveCmd()
	if older == nil || newer == nil {
		t.Fatal("SaveCmd after Add returned nil")
	}
	// Commands run in any order: the newer snapshot must win.
	if msg, ok := newer().(HistorySavedMsg); !ok || msg.Err != nil {
		t.Fatalf("newer save reported %#v, want HistorySavedMsg with no error", msg)
	}
	if msg, ok := older().(HistorySavedMsg); !ok || msg.Err != nil {
		t.Fatalf("older save reported %#v, want HistorySavedMsg with no error", msg)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := "USER demo\nPWD\n"; string(data) != want {
		t.Errorf("after the older save ran last, the file holds %q, want the newer %q", data, want)
	}
	if cmd := h.SaveCmd(); cmd != nil {
		t.Error("SaveCmd right after a save is not nil: nothing changed")
	}
}

func TestHistorySaveCmdRunsConcurrently(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history")
	h := NewHistory(path)
	var wg sync.WaitGroup
	for i := range 20 {
		h.Add(fmt.Sprintf("CWD %d", i))
		if cmd := h.SaveCmd(); cmd != nil {
			wg.Go(func() { _ = cmd() })
		}
	}
	wg.Wait()
	if err := h.Save(); err != nil {
		t.Fatal(err)
	}
	again, err := LoadHistory(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := again.Entries(); len(got) != 20 || got[19] != "CWD 19" {
		t.Errorf("after concurrent saves, loaded:\n%s\nwant CWD 0 … CWD 19", histLines(got))
	}
	if names := histDirNames(t, filepath.Dir(path)); !slices.Equal(names, []string{"history"}) {
		t.Errorf("after concurrent saves the directory holds %q, want only history", names)
	}
}
