package tui

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// browserKey builds the key message for a key name, or for one character.
func browserKey(name string) tea.KeyPressMsg {
	codes := map[string]rune{
		"up": tea.KeyUp, "down": tea.KeyDown, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
		"home": tea.KeyHome, "end": tea.KeyEnd, "enter": tea.KeyEnter, "esc": tea.KeyEscape,
		"backspace": tea.KeyBackspace, "tab": tea.KeyTab, "f3": tea.KeyF3,
	}
	if code, ok := codes[name]; ok {
		return tea.KeyPressMsg{Code: code}
	}
	r := []rune(name)[0]
	return tea.KeyPressMsg{Code: r, Text: name}
}

// feed sends keys to the browser ("type:TEXT" types TEXT) and returns the
// message of the last command, if any.
func feed(b *Browser, keys ...string) tea.Msg {
	var msg tea.Msg
	for _, k := range keys {
		var cmd tea.Cmd
		if text, ok := strings.CutPrefix(k, "type:"); ok {
			for _, r := range text {
				cmd = b.Update(browserKey(string(r)))
			}
		} else {
			cmd = b.Update(browserKey(k))
		}
		msg = nil
		if cmd != nil {
			msg = cmd()
		}
	}
	return msg
}

func newTestBrowser(styles Styles, width, height int) *Browser {
	b := NewBrowser(styles, testCatalog)
	b.SetSize(width, height)
	b.Open()
	return b
}

// matchNames returns the names the browser lists, best first.
func matchNames(b *Browser) []string {
	names := make([]string, len(b.matches))
	for i, m := range b.matches {
		names[i] = b.entries[m].name
	}
	return names
}

func TestBrowserRanking(t *testing.T) {
	tests := []struct {
		query string
		// first are the first matches, in order.
		first []string
		// also must be listed somewhere; never must not be.
		also, never []string
		// every match's name starts with prefix, or its title holds the
		// query, when prefix is set.
		prefix string
	}{
		{query: "227", first: []string{"227"}, never: []string{"220", "27", "PASV"}},
		{query: "pasv", first: []string{"PASV"}, never: []string{"PASS", "331", "APPE", "227"}},
		{query: "PASV", first: []string{"PASV"}},
		{query: "22", first: []string{"220", "221", "225", "226", "227", "228", "229"}, never: []string{"212", "122", "522"}, prefix: "22"},
		{query: "user", first: []string{"USER"}, also: []string{"230", "331"}, never: []string{"PASS", "ACCT"}},
		{query: "STOR", first: []string{"STOR"}, also: []string{"452", "552"}, never: []string{"STOU", "RETR", "APPE"}},
		{query: "  stor ", first: []string{"STOR"}},
		{query: "passive", also: []string{"227", "229"}, never: []string{"PASV"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			b := newTestBrowser(DefaultStyles(), 100, 30)
			b.query.SetValue(tt.query)
			b.filter()
			got := matchNames(b)
			if len(got) < len(tt.first) || !slices.Equal(got[:len(tt.first)], tt.first) {
				t.Errorf("%q lists %v first, want %v", tt.query, got[:min(len(got), len(tt.first)+2)], tt.first)
			}
			for _, name := range tt.also {
				if !slices.Contains(got, name) {
					t.Errorf("%q does not list %s; it lists %v", tt.query, name, got)
				}
			}
			for _, name := range tt.never {
				if slices.Contains(got, name) {
					t.Errorf("%q lists %s; it lists %v", tt.query, name, got)
				}
			}
			if tt.prefix != "" {
				for _, m := range b.matches {
					e := b.entries[m]
					if !strings.HasPrefix(e.name, tt.prefix) && !strings.Contains(e.lowerTitle, tt.query) {
						t.Errorf("%q lists %s (%q), which holds it neither at the start of its name nor in its title", tt.query, e.name, e.title)
					}
				}
			}
		})
	}
}

func TestBrowserEmptyQueryListsEverything(t *testing.T) {
	b := newTestBrowser(DefaultStyles(), 100, 30)
	want := len(testCatalog.Codes()) + len(testCatalog.Commands())
	if len(b.matches) != want {
		t.Errorf("an empty query lists %d entries, want all %d", len(b.matches), want)
	}
}

func TestBrowserKeys(t *testing.T) {
	codes := testCatalog.Codes()
	commands := testCatalog.Commands()
	last := commands[len(commands)-1]
	const rows = 10 - 2 // height 10 less the query and the hint
	tests := []struct {
		name string
		keys []string
		// selected is the highlighted entry afterwards; query the text in
		// the query line.
		selected, query string
		// msg is what the last key reported.
		msg tea.Msg
	}{
		{name: "open highlights the first entry", selected: codes[0]},
		{name: "down moves from the first keystroke", keys: []string{"down", "down", "down"}, selected: codes[3]},
		{name: "enter shows the highlighted entry", keys: []string{"down", "down", "down", "enter"}, selected: codes[3], msg: browserChoiceMsg{name: codes[3]}},
		{name: "down after typing is not swallowed", keys: []string{"type:22", "down", "down"}, selected: "225", query: "22"},
		{name: "enter after typing shows the third match", keys: []string{"type:22", "down", "down", "enter"}, selected: "225", query: "22", msg: browserChoiceMsg{name: "225"}},
		{name: "typing again goes back to the best match", keys: []string{"type:22", "down", "type:7"}, selected: "227", query: "227"},
		{name: "up stops at the first entry", keys: []string{"up", "up"}, selected: codes[0]},
		{name: "page down moves one screen", keys: []string{"pgdown"}, selected: codes[rows]},
		{name: "page up comes back", keys: []string{"pgdown", "pgdown", "pgup"}, selected: codes[rows]},
		{name: "end and home", keys: []string{"end"}, selected: last},
		{name: "home goes back to the first", keys: []string{"end", "home"}, selected: codes[0]},
		{name: "backspace edits the query", keys: []string{"type:227", "backspace"}, selected: "220", query: "22"},
		{name: "tab is not typed", keys: []string{"type:22", "tab"}, selected: "220", query: "22"},
		{name: "esc clears the query first", keys: []string{"type:pasv", "esc"}, selected: codes[0], query: ""},
		{name: "esc with no query closes", keys: []string{"type:pasv", "esc", "esc"}, selected: codes[0], msg: browserClosedMsg{}},
		{name: "enter with no match does nothing", keys: []string{"type:zzz", "enter"}, query: "zzz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newTestBrowser(DefaultStyles(), 100, 10)
			msg := feed(b, tt.keys...)
			if got, _ := b.Selected(); got != tt.selected {
				t.Errorf("after %v the highlight is on %q, want %q", tt.keys, got, tt.selected)
			}
			if got := b.query.Value(); got != tt.query {
				t.Errorf("after %v the query is %q, want %q", tt.keys, got, tt.query)
			}
			if msg != tt.msg {
				t.Errorf("after %v the last key reported %#v, want %#v", tt.keys, msg, tt.msg)
			}
		})
	}
}

func TestBrowserViewMarksTheSelectionWithoutColour(t *testing.T) {
	b := newTestBrowser(PlainStyles(), 100, 20)
	feed(b, "type:22", "down", "down")
	var marked []string
	for _, line := range strings.Split(ansi.Strip(b.View()), "\n") {
		if strings.HasPrefix(line, "▌") {
			marked = append(marked, line)
		}
	}
	if len(marked) != 1 || !strings.HasPrefix(marked[0], "▌ 225 ") {
		t.Errorf("with plain styles the marked rows are %q, want one, for 225:\n%s", marked, ansi.Strip(b.View()))
	}
}

func TestBrowserViewUsesOnlyTheSixteenColours(t *testing.T) {
	wide := regexp.MustCompile(`38;5;|48;5;|38;2;|48;2;`)
	const width, height = 80, 12
	tests := []struct {
		name string
		keys []string
	}{
		{name: "open"},
		{name: "filtered", keys: []string{"type:22", "down"}},
		{name: "scrolled", keys: []string{"pgdown", "pgdown", "down"}},
		{name: "no match", keys: []string{"type:zzz"}},
		{name: "end", keys: []string{"end"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newTestBrowser(DefaultStyles(), width, height)
			feed(b, tt.keys...)
			view := b.View()
			if loc := wide.FindStringIndex(view); loc != nil {
				t.Errorf("the view uses a 256-colour or truecolor sequence near %q", view[max(loc[0]-20, 0):min(loc[1]+20, len(view))])
			}
			if strings.Contains(ansi.Strip(view), "? more") {
				t.Errorf("the view shows the list's default help:\n%s", ansi.Strip(view))
			}
			lines := strings.Split(view, "\n")
			if len(lines) != height {
				t.Errorf("the view has %d lines, want %d", len(lines), height)
			}
			for i, line := range lines {
				if w := ansi.StringWidth(line); w > width {
					t.Errorf("line %d is %d cells wide, more than %d: %q", i, w, width, ansi.Strip(line))
				}
			}
		})
	}
}

func TestBrowserViewDrawsOnlyTheVisibleRows(t *testing.T) {
	b := newTestBrowser(PlainStyles(), 100, 10)
	feed(b, "end")
	view := ansi.Strip(b.View())
	commands := testCatalog.Commands()
	first, last := testCatalog.Codes()[0], commands[len(commands)-1]
	if strings.Contains(view, "  "+first+" ") {
		t.Errorf("at the end the view still shows the first entry %s:\n%s", first, view)
	}
	if !strings.Contains(view, "▌ "+last+" ") {
		t.Errorf("at the end the view does not mark the last entry %s:\n%s", last, view)
	}
	if rows := strings.Count(view, "\n") - 1; rows != 10-2 {
		t.Errorf("the view has %d rows between the query and the hint, want 8", rows)
	}
}

func TestF3BrowsesTheCatalogue(t *testing.T) {
	m := newTestModel(100, 30)
	var cmd tea.Cmd
	var next tea.Model = m
	for _, k := range []string{"f3", "type:22", "down", "down", "enter"} {
		keys := []string{k}
		if text, ok := strings.CutPrefix(k, "type:"); ok {
			keys = strings.Split(text, "")
		}
		for _, k := range keys {
			next, cmd = next.Update(browserKey(k))
		}
	}
	if cmd == nil {
		t.Fatal("enter in the browser reported nothing")
	}
	msg := cmd()
	if want := (browserChoiceMsg{name: "225"}); msg != want {
		t.Fatalf("f3 22 ↓↓ enter reported %#v, want %#v", msg, want)
	}
	next, _ = next.Update(msg)
	if next.(Model).showBrowser {
		t.Error("the browser is still shown after a choice")
	}
}
