package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ftpscope/ftpscope/protocol"
)

// pressKeys sends key names (see keyPress) and typed text ("type:")
// to the model, running the commands that come back at once, as Bubble
// Tea would, except those that wait for something (quit, blink).
func pressKeys(m Model, keys ...string) Model {
	for _, k := range keys {
		if text, ok := strings.CutPrefix(k, "type:"); ok {
			m = press(m, "type:"+text)
			continue
		}
		next, _ := m.Update(keyPress(k))
		m = next.(Model)
	}
	return m
}

// demoSession is the classic demonstration with a listing: what the
// layout goldens show.
func demoSession() []protocol.Event {
	return append(loginSession(), transferEvents("LIST", []byte(
		"-rw-r--r-- 1 ftp ftp  219 Nov 30 03:25 README.txt\r\n-rw-r--r-- 1 ftp ftp   84 Nov 30 03:25 café.txt\r\ndrwxr-xr-x 1 ftp ftp 4096 Nov 30 03:25 pub\r\n"))...)
}

// TestLayoutGoldens draws the screen at the sizes a classroom sees, in
// normal and presentation modes, with and without the ladder diagram.
func TestLayoutGoldens(t *testing.T) {
	sizes := []struct{ width, height int }{{200, 50}, {160, 45}, {100, 30}, {80, 24}}
	modes := []struct {
		name string
		keys []string
	}{
		{"layout", nil},
		{"present", []string{"f6"}},
		{"ladder", []string{"f5"}},
	}
	for _, size := range sizes {
		for _, mode := range modes {
			name := fmt.Sprintf("%s-%dx%d", mode.name, size.width, size.height)
			t.Run(name, func(t *testing.T) {
				m := apply(newTestModel(size.width, size.height), demoSession()...)
				m = pressKeys(m, "esc") // the transcript, not the listing's data
				m = pressKeys(m, mode.keys...)
				got := screen(m)
				checkScreenSize(t, got, size.width, size.height)
				golden(t, name, got)
			})
		}
	}
}

// checkScreenSize checks that a screen fills the terminal exactly.
func checkScreenSize(t *testing.T, got string, width, height int) {
	t.Helper()
	if h := strings.Count(got, "\n") + 1; h != height {
		t.Errorf("screen has %d rows, want %d", h, height)
	}
	for i, row := range strings.Split(got, "\n") {
		if w := ansi.StringWidth(row); w > width {
			t.Errorf("row %d is %d cells wide, more than the terminal's %d: %q", i, w, width, row)
		}
	}
}

// TestPanelGrowsWithTheScreen checks the side panel's width: 40% of a wide
// screen by default, adjustable by steps, bounded, hidden by f9.
func TestPanelGrowsWithTheScreen(t *testing.T) {
	tests := []struct {
		width int
		keys  []string
		panel int // 0: hidden
	}{
		{100, nil, 40},
		{160, nil, 64},
		{200, nil, 80},
		{240, nil, 96},
		{200, []string{"f8"}, 90},
		{200, []string{"f8", "f8", "f8", "f8", "f8", "f8", "f8", "f8"}, 150},
		{200, []string{"f7", "f7", "f7", "f7", "f7", "f7"}, 40},
		{100, []string{"f7", "f7", "f7", "f7"}, 36},
		{100, []string{"f8", "f8", "f8", "f8", "f8", "f8", "f8"}, 52},
		{200, []string{"f9"}, 0},
		{200, []string{"f9", "f9"}, 80},
	}
	for _, tt := range tests {
		m := pressKeys(apply(newTestModel(tt.width, 40), loginSession()...), tt.keys...)
		m.render() // sizes are settled per frame
		m.layoutBody(m.bodyHeight)
		got := m.panel.width
		if !m.sideShown() {
			got = 0
		}
		if got != tt.panel {
			t.Errorf("width %d after %v: panel %d columns, want %d", tt.width, tt.keys, got, tt.panel)
		}
		if tt.panel == 0 && m.transcript.width != tt.width {
			t.Errorf("width %d with the panel hidden: transcript %d columns, want all", tt.width, m.transcript.width)
		}
	}
}

// TestLayoutIsRemembered checks that f8 saves the split where LayoutPath
// says, and that it is read back; a damaged file gives the default and an
// error, and a missing one the default alone.
func TestLayoutIsRemembered(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "ftpscope", "layout.json")
	m := New(Options{Catalog: testCatalog, LayoutPath: path, Layout: DefaultLayout()})
	next, _ := m.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
	m = next.(Model)
	next, cmd := m.Update(keyPress("f8"))
	if m = next.(Model); m.split.Panel != 45 {
		t.Errorf("f8 made the panel %d%%, want 45%%", m.split.Panel)
	}
	if cmd == nil {
		t.Fatal("f8 returned no command to save the layout")
	}
	if msg, ok := cmd().(layoutSavedMsg); !ok || msg.err != nil {
		t.Fatalf("saving the layout: %#v", msg)
	}
	got, err := LoadLayout(path)
	if err != nil || got != (Layout{Panel: 45}) {
		t.Errorf("LoadLayout = %+v, %v; want panel 45", got, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the layout file's mode: %v, %v", fi, err)
	}
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := LoadLayout(path); err == nil || got != DefaultLayout() {
		t.Errorf("a damaged file: %+v, %v; want the default and an error", got, err)
	}
	if got, err := LoadLayout(filepath.Join(t.TempDir(), "none.json")); err != nil || got != DefaultLayout() {
		t.Errorf("a missing file: %+v, %v; want the default", got, err)
	}
	if got, _ := LoadLayout(writeTemp(t, `{"panel": 500, "hidden": true}`)); got != (Layout{Panel: MaxPanel, Hidden: true}) {
		t.Errorf("an out-of-range split was read as %+v", got)
	}
}

func writeTemp(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestNarrowExplanationSwitchesToThePanel checks that on an 80×24 screen
// every way of asking for an explanation shows the panel at once, and
// that esc goes back to the transcript.
func TestNarrowExplanationSwitchesToThePanel(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		want string
	}{
		{"explain", []string{"type::explain 421", "enter"}, "421 Service not available"},
		{"compare", []string{"type::compare 450 550", "enter"}, "450"},
		{"select a reply", []string{"ctrl+p"}, "230 User logged in"},
		{"browser", []string{"f3", "type:PASV", "enter"}, "PASV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := apply(newTestModel(80, 24), loginSession()...)
			if tt.name == "browser" {
				// The browser filters off the update loop and reports by
				// message.
				m = pressKeysRunning(t, m, tt.keys...)
			} else {
				m = pressKeys(m, tt.keys...)
			}
			if !m.showPanel {
				t.Fatalf("the panel is not shown after %v:\n%s", tt.keys, screen(m))
			}
			if got := screen(m); !strings.Contains(got, tt.want) || strings.Contains(got, "> USER demo") {
				t.Errorf("the screen does not show the explanation alone (%q):\n%s", tt.want, got)
			}
			m = pressKeys(m, "esc")
			if got := screen(m); m.showPanel || !strings.Contains(got, "> USER demo") {
				t.Errorf("esc did not go back to the transcript:\n%s", got)
			}
		})
	}
}

// pressKeysRunning is pressKeys for keys whose work arrives by message,
// such as the browser's filter: each key's command runs and its message,
// if any, is delivered, a few rounds deep.
func pressKeysRunning(t *testing.T, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		if text, ok := strings.CutPrefix(k, "type:"); ok {
			for _, r := range text {
				m = deliver(m, tea.KeyPressMsg{Code: r, Text: string(r)})
			}
			continue
		}
		m = deliver(m, keyPress(k))
	}
	return m
}

// deliver sends msg and then the messages of the commands it returns,
// skipping those that block (a tick, a wait for events).
func deliver(m Model, msg tea.Msg) Model {
	queue := []tea.Msg{msg}
	for round := 0; len(queue) > 0 && round < 8; round++ {
		next, cmd := m.Update(queue[0])
		m, queue = next.(Model), queue[1:]
		queue = append(queue, runQuick(cmd)...)
	}
	return m
}

// runQuick runs a command that answers at once and returns its messages;
// commands that wait (blink, spinner ticks, event waits) are dropped.
func runQuick(cmd tea.Cmd) []tea.Msg { return runWithin(cmd, 200*time.Millisecond) }

// runWithin is runQuick with another limit, for a command that does real
// work, such as writing a file on a loaded machine.
func runWithin(cmd tea.Cmd, limit time.Duration) []tea.Msg {
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		if batch, ok := msg.(tea.BatchMsg); ok {
			var out []tea.Msg
			for _, c := range batch {
				out = append(out, runWithin(c, limit)...)
			}
			return out
		}
		if msg == nil {
			return nil
		}
		return []tea.Msg{msg}
	case <-time.After(limit):
		return nil // a command that waits for time or the network
	}
}

// TestPresentModeKeepsTheExplanation checks presentation mode at 80×24:
// the newest reply's explanation stays on screen under the transcript,
// commands get a blank row before them, and round-trip times go.
func TestPresentModeKeepsTheExplanation(t *testing.T) {
	m := pressKeys(apply(newTestModel(80, 24), loginSession()...), "f6")
	got := screen(m)
	for _, want := range []string{"> ALLO 100", "202 Command superfluous"} {
		if !strings.Contains(got, want) {
			t.Errorf("presentation mode lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "900µs") {
		t.Errorf("presentation mode shows round-trip times:\n%s", got)
	}
	if !strings.Contains(got, "\n\n  > ALLO 100") && !strings.Contains(got, "\n  \n  > ALLO") {
		rows := strings.Split(got, "\n")
		for i, row := range rows {
			if strings.Contains(row, "> ALLO 100") && (i == 0 || strings.TrimSpace(rows[i-1]) != "") {
				t.Errorf("no blank row before a command in presentation mode:\n%s", got)
			}
		}
	}
	m = pressKeys(m, "f6")
	if got := screen(m); !strings.Contains(got, "900µs") {
		t.Errorf("leaving presentation mode did not bring the round-trip times back:\n%s", got)
	}
}

// TestStripScrolls checks that shift+↓ scrolls the explanation strip of
// presentation mode when it stands in for the panel.
func TestStripScrolls(t *testing.T) {
	m := pressKeys(apply(newTestModel(80, 24), loginSession()...), "f6")
	before := screen(m)
	next, _ := m.Update(tea.KeyPressMsg{Code: tea.KeyDown, Mod: tea.ModShift})
	m = next.(Model)
	if after := screen(m); after == before || m.strip.scroll == 0 {
		t.Errorf("shift+↓ did not scroll the strip:\n%s", after)
	}
}

// TestEveryScreenFits checks, at sizes from the smallest to very wide and
// in every combination of the presenter's views, that the screen fills
// the terminal exactly and no row is wider than it.
func TestEveryScreenFits(t *testing.T) {
	views := [][]string{nil, {"f6"}, {"f5"}, {"f6", "f5"}, {"f9"}, {"f6", "f9"}, {"f8", "f8", "f8", "f8", "f8", "f8", "f8", "f8", "f8", "f8"}, {"f6", "f4"}, {"f6", "type::explain 227", "enter"}}
	for _, size := range []struct{ w, h int }{{60, 15}, {79, 20}, {99, 30}, {100, 24}, {133, 41}, {220, 60}} {
		for _, keys := range views {
			m := pressKeys(apply(newTestModel(size.w, size.h), demoSession()...), keys...)
			got := screen(m)
			if h := strings.Count(got, "\n") + 1; h != size.h {
				t.Errorf("%dx%d after %v: %d rows", size.w, size.h, keys, h)
			}
			for i, row := range strings.Split(got, "\n") {
				if w := ansi.StringWidth(row); w > size.w {
					t.Errorf("%dx%d after %v: row %d is %d cells: %q", size.w, size.h, keys, i, w, row)
				}
			}
		}
	}
}

// TestPresentContrast checks presentation mode's colours on the drawn
// screen: no grey (colour 8, the first thing a projector loses), and
// reply codes in reverse video, so the class tells them apart without
// colour; the default mode keeps its grey.
func TestPresentContrast(t *testing.T) {
	grey := regexp.MustCompile(`\x1b\[(?:[0-9;]*;)?90(?:;[0-9;]*)?m`)
	reverse := regexp.MustCompile(`\x1b\[(?:[0-9;]*;)?7(?:;[0-9;]*)?m230`)
	normal := apply(newTestModel(160, 45), loginSession()...)
	if !grey.MatchString(normal.render()) {
		t.Fatal("the default mode draws no grey: the test no longer sees the colours")
	}
	present := pressKeys(normal, "f6")
	got := present.render()
	if loc := grey.FindStringIndex(got); loc != nil {
		t.Errorf("presentation mode draws grey text: %q", got[max(loc[0]-40, 0):min(loc[1]+40, len(got))])
	}
	if !reverse.MatchString(got) {
		t.Errorf("presentation mode does not draw the reply code 230 in reverse video")
	}
}
