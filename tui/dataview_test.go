package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
)

// The data view (f2) used to end a long listing with "… N more lines"
// and no key to read them: a directory of 200 entries showed its first
// screenful only. These tests read such a listing to its last entry.

// longListing is a LIST of n files named entry-001.txt and on.
func longListing(n int) []byte {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "-rw-r--r-- 1 ftp ftp %4d Nov 30 03:25 entry-%03d.txt\r\n", i, i)
	}
	return []byte(b.String())
}

// manyFilesRoot returns a folder of n empty files named as longListing
// names them, for a sandbox to serve.
func manyFilesRoot(t *testing.T, n int) string {
	t.Helper()
	root := t.TempDir()
	for i := 1; i <= n; i++ {
		if err := os.WriteFile(filepath.Join(root, fmt.Sprintf("entry-%03d.txt", i)), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

var (
	entryRow    = regexp.MustCompile(`entry-(\d{3})\.txt`)
	aboveMarker = regexp.MustCompile(`↑ (\d+) lines above`)
)

// checkDataEnd checks a screen that shows the end of a listing of n
// entries: its last entries in order up to the last one, and a marker
// that counts the entries above them and says no more is below.
func checkDataEnd(t *testing.T, got string, n int) {
	t.Helper()
	var shown []int
	for _, row := range strings.Split(got, "\n") {
		if m := entryRow.FindStringSubmatch(row); m != nil {
			i, _ := strconv.Atoi(m[1])
			shown = append(shown, i)
		}
	}
	if len(shown) == 0 || shown[len(shown)-1] != n {
		t.Fatalf("the last entry, entry-%03d.txt, is not on screen (entries shown: %v):\n%s", n, shown, got)
	}
	for i, e := range shown {
		if want := n - len(shown) + 1 + i; e != want {
			t.Fatalf("entries shown are %v, not the last %d in order:\n%s", shown, len(shown), got)
		}
	}
	m := aboveMarker.FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("no marker says how many lines are above:\n%s", got)
	}
	if above, _ := strconv.Atoi(m[1]); above != n-len(shown) {
		t.Errorf("the marker says %d lines above; %d of %d entries are on screen, so %d are above:\n%s", above, len(shown), n, n-len(shown), got)
	}
	if strings.Contains(got, "more line") {
		t.Errorf("the marker says there is more below the last entry:\n%s", got)
	}
}

// TestTeaDataViewReadsToTheLastEntry lists a directory of 200 files on
// the real sandbox, opens the data with f2 and scrolls to its end, at
// 80×24 with pgdn and at 160×45 with ctrl+end.
func TestTeaDataViewReadsToTheLastEntry(t *testing.T) {
	const n = 200
	tests := []struct {
		width, height int
		scroll        []tea.KeyPressMsg
	}{
		{80, 24, repeatKey(tea.KeyPressMsg{Code: tea.KeyPgDown}, 20)},
		{160, 45, []tea.KeyPressMsg{{Code: tea.KeyEnd, Mod: tea.ModCtrl}}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%dx%d", tt.width, tt.height), func(t *testing.T) {
			_, target := startSandbox(t, sandbox.Options{Root: manyFilesRoot(t, n)})
			m := New(Options{Catalog: testCatalog, Connect: dialWith(protocol.Config{}), Target: target})
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(tt.width, tt.height))
			waitForText(t, tm, "< 220")
			for _, line := range []string{"USER demo", "PASS demo", "PASV", "LIST"} {
				typeLine(tm, line)
			}
			waitForText(t, tm, "226 Directory send OK")
			// esc puts the data away where the transfer showed it; f2
			// brings it back, as a user does later.
			tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
			tm.Send(tea.KeyPressMsg{Code: tea.KeyF2})
			for _, k := range tt.scroll {
				tm.Send(k)
			}
			if err := tm.Quit(); err != nil {
				t.Fatal(err)
			}
			got := screen(tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model))
			checkScreenSize(t, got, tt.width, tt.height)
			if !strings.Contains(got, "Data of LIST") {
				t.Fatalf("f2 did not show the listing:\n%s", got)
			}
			checkDataEnd(t, got, n)
		})
	}
}

func repeatKey(k tea.KeyPressMsg, n int) []tea.KeyPressMsg {
	out := make([]tea.KeyPressMsg, n)
	for i := range out {
		out[i] = k
	}
	return out
}

// dataModel returns a model of the given size that listed 200 entries
// and shows them.
func dataModel(t *testing.T, width, height int) Model {
	t.Helper()
	m := apply(newTestModel(width, height), append(loginSession(), transferEvents("LIST", longListing(200))...)...)
	if !strings.Contains(screen(m), "Data of LIST") {
		m = press(m, "f2")
	}
	if !strings.Contains(screen(m), "Data of LIST") {
		t.Fatalf("the listing is not on screen:\n%s", screen(m))
	}
	return m
}

// firstEntry returns the number of the first entry on screen.
func firstEntry(t *testing.T, got string) int {
	t.Helper()
	m := entryRow.FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("no entry on screen:\n%s", got)
	}
	i, _ := strconv.Atoi(m[1])
	return i
}

// TestDataViewKeys checks each key that scrolls the data, and the marker
// at the top, in the middle and at the end.
func TestDataViewKeys(t *testing.T) {
	m := dataModel(t, 80, 24)
	got := screen(m)
	if firstEntry(t, got) != 1 || !strings.Contains(got, "↓ 184 more lines · pgdn reads on") {
		t.Fatalf("the top of the data does not start at the first entry or does not say how to read on:\n%s", got)
	}
	steps := []struct {
		key   string
		first int
		mark  string
	}{
		{"shift+down", 2, "↓ 183 more lines · pgdn reads on · pgup goes back"},
		{"pgdown", 17, "↓ 168 more lines"},
		{"shift+up", 16, "↓ 169 more lines"},
		{"pgup", 1, "↓ 184 more lines"},
		{"ctrl+end", 185, "↑ 184 lines above · pgup goes back · ctrl+home goes to the top"},
		{"pgdown", 185, "↑ 184 lines above"},
		{"ctrl+home", 1, "↓ 184 more lines · pgdn reads on · ctrl+end goes to the end"},
	}
	for _, s := range steps {
		m = press(m, s.key)
		got := screen(m)
		checkScreenSize(t, got, 80, 24)
		if first := firstEntry(t, got); first != s.first || !strings.Contains(got, s.mark) {
			t.Fatalf("after %s: first entry %d, want %d, and the marker should say %q:\n%s", s.key, first, s.first, s.mark, got)
		}
	}
	// The transcript keeps its own pgup once the data is put away.
	m = press(m, "esc")
	if strings.Contains(screen(m), "Data of LIST") {
		t.Fatal("esc did not put the data away")
	}
}

// TestDataViewWheel checks that the wheel over the data scrolls it, and
// over the transcript beside it, the transcript.
func TestDataViewWheel(t *testing.T) {
	m := dataModel(t, 160, 45)
	wheel := func(x int, b tea.MouseButton) {
		next, _ := m.Update(tea.MouseWheelMsg{X: x, Y: 10, Button: b})
		m = next.(Model)
	}
	wheel(150, tea.MouseWheelDown)
	if first := firstEntry(t, screen(m)); first != 4 {
		t.Errorf("the wheel over the data scrolled it to entry %d, want 4:\n%s", first, screen(m))
	}
	wheel(10, tea.MouseWheelDown)
	if first := firstEntry(t, screen(m)); first != 4 {
		t.Errorf("the wheel over the transcript moved the data to entry %d:\n%s", first, screen(m))
	}
}

// TestDataViewHelp checks that help lists the data view's keys while it
// is on screen, in place of the keys it takes over, and not otherwise.
func TestDataViewHelp(t *testing.T) {
	for _, width := range []int{80, 160} {
		m := dataModel(t, width, 45)
		open := strings.Join(m.helpLines(), "\n")
		for _, want := range []string{"read on in the data, a page", "go to the data's last line", "ctrl+home", "scroll the data up a line"} {
			if !strings.Contains(open, want) {
				t.Errorf("%d columns: help lacks %q while the data is on screen:\n%s", width, want, open)
			}
		}
		if strings.Contains(open, "scroll the transcript up") || strings.Contains(open, "scroll the side panel up") {
			t.Errorf("%d columns: help lists keys the data view took over:\n%s", width, open)
		}
		m = press(m, "esc")
		closed := strings.Join(m.helpLines(), "\n")
		if strings.Contains(closed, "read on in the data") || !strings.Contains(closed, "scroll the transcript up") {
			t.Errorf("%d columns: help with the data put away:\n%s", width, closed)
		}
	}
}

// TestDataViewLongLine shows a line of 1 MiB with no line break, with
// escape sequences in it: the first frame comes quickly, the end of the
// line can be reached, and every row is escaped and fits the screen.
func TestDataViewLongLine(t *testing.T) {
	chunk := strings.Repeat("a", 1000) + "\x1b[2J"
	line := []byte(strings.Repeat(chunk, (1<<20)/len(chunk)) + "THE-END")
	m := apply(newTestModel(80, 24), append(loginSession(), transferEvents("LIST", line)...)...)
	start := time.Now()
	m = press(m, "f2", "ctrl+end")
	got := m.render()
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the first frames took %v", d)
	}
	if strings.Contains(got, "\x1b[2J") {
		t.Fatal("a server escape sequence reached the screen")
	}
	plain := ansi.Strip(got)
	checkScreenSize(t, plain, 80, 24)
	// The line's rows, joined, end as the line does.
	var text strings.Builder
	for _, row := range strings.Split(plain, "\n") {
		if data, ok := strings.CutPrefix(row, "│ "); ok && !strings.Contains(data, "↑") {
			text.WriteString(strings.TrimRight(data, " "))
		}
	}
	if !strings.HasSuffix(text.String(), `\x1b[2JTHE-END`) || !aboveMarker.MatchString(plain) {
		t.Errorf("the end of the line is not shown, escaped, above a marker:\n%s", plain)
	}
}

// TestDataViewFrameIsCached checks that a frame with nothing changed is
// the one drawn before, and that scrolling draws a new one.
func TestDataViewFrameIsCached(t *testing.T) {
	m := dataModel(t, 80, 24)
	a, b := m.data.viewRows(), m.data.viewRows()
	if &a[0] != &b[0] {
		t.Error("the data view drew an unchanged frame again")
	}
	m = press(m, "shift+down")
	if c := m.data.viewRows(); &c[0] == &a[0] {
		t.Error("the data view kept its frame after scrolling")
	}
}

// TestF2ShowsTheData checks f2 after a transfer on a narrow screen, where
// the transfer opens the data without showing the panel (f2 used to put
// it away unseen and show the explanation instead), and on a wide screen
// whose panel f9 hid.
func TestF2ShowsTheData(t *testing.T) {
	for _, tt := range []struct {
		name  string
		width int
		keys  []string
	}{
		{"narrow", 80, nil},
		{"wide, panel hidden", 160, []string{"f9"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := apply(newTestModel(tt.width, 24), append(loginSession(), transferEvents("LIST", longListing(200))...)...)
			m = pressKeys(m, tt.keys...)
			if strings.Contains(screen(m), "Data of LIST") {
				t.Fatalf("the data is on screen before f2:\n%s", screen(m))
			}
			m = pressKeys(m, "f2")
			if !strings.Contains(screen(m), "Data of LIST") {
				t.Fatalf("f2 did not show the data:\n%s", screen(m))
			}
			m = pressKeys(m, "f2")
			if strings.Contains(screen(m), "Data of LIST") {
				t.Fatalf("f2 again did not put the data away:\n%s", screen(m))
			}
		})
	}
}

// TestDataViewSmallSizes scrolls the data in panes from one row high:
// each draws exactly its height and reaches the last entry once there is
// room for it.
func TestDataViewSmallSizes(t *testing.T) {
	d := NewDataView(DefaultStyles(), DefaultDataKeyMap())
	d.SetData(1, &protocol.DataInfo{Verb: "LIST", Direction: "download", Bytes: 10800, Preview: longListing(200)}, "LIST")
	for h := 1; h <= 9; h++ {
		d.SetSize(40, h)
		d.Update(keyPress("ctrl+end"))
		got := ansi.Strip(d.View())
		checkScreenSize(t, got, 40, h)
		if h >= 2 && !strings.Contains(got, "entry-200") {
			t.Errorf("height %d: ctrl+end does not show the last entry:\n%s", h, got)
		}
		d.Update(keyPress("ctrl+home"))
	}
}

// TestDataViewPresentation checks the data view in presentation mode: it
// is drawn in presentation's styles as a fresh view would be, and the
// explanation strip under it keeps shift+↑ and shift+↓, which its marker
// names, while pgdn still reads on in the data.
func TestDataViewPresentation(t *testing.T) {
	var names strings.Builder
	for i := 1; i <= 200; i++ {
		fmt.Fprintf(&names, "entry-%03d.txt\r\n", i)
	}
	events := append(loginSession(), transferEvents("NLST", []byte(names.String()))...)
	m := apply(newTestModel(100, 24), events...)
	if !strings.Contains(screen(m), "Data of NLST") { // drawn in the default styles
		t.Fatalf("the data is not on screen:\n%s", screen(m))
	}
	m = pressKeys(m, "f6")
	fresh := pressKeys(apply(newTestModel(100, 24), events...), "f6")
	if !strings.Contains(screen(m), "Data of NLST") {
		t.Fatalf("the data is not on screen:\n%s", screen(m))
	}
	if got, want := m.render(), fresh.render(); got != want {
		t.Errorf("the data view kept its old styles after f6:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(screen(m), "shift+↓ scrolls") {
		t.Fatalf("no explanation strip that scrolls with shift+↓:\n%s", screen(m))
	}
	m = press(m, "shift+down")
	if first := firstEntry(t, screen(m)); first != 1 {
		t.Errorf("shift+↓ scrolled the data (to entry %d), not the strip that says it scrolls:\n%s", first, screen(m))
	}
	help := strings.Join(m.helpLines(), "\n")
	if !strings.Contains(help, "scroll the side panel down") || strings.Contains(help, "scroll the data down a line") {
		t.Errorf("help in presentation mode does not give shift+↓ to the strip:\n%s", help)
	}
	m = press(m, "pgdown")
	if first := firstEntry(t, screen(m)); first == 1 {
		t.Errorf("pgdn did not read on in the data:\n%s", screen(m))
	}
}
