package tui

import (
	tea "charm.land/bubbletea/v2"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/ftpscope/ftpscope/export"
	"github.com/ftpscope/ftpscope/protocol"
)

// dataEvents opens and closes a data connection for command seq.
func dataEvents(seq int, verb string, bytes int64, failed error) []protocol.Event {
	closed := &protocol.DataInfo{Phase: protocol.DataClosed, Direction: "download", Verb: verb, Bytes: bytes, Err: failed}
	if failed != nil && bytes == 0 {
		return []protocol.Event{{Kind: protocol.EventData, Seq: seq, Line: "data connection failed", Data: closed}}
	}
	return []protocol.Event{
		{Kind: protocol.EventData, Seq: seq, Line: "data connection open", Data: &protocol.DataInfo{Phase: protocol.DataOpened, Local: "127.0.0.1:5", Remote: "127.0.0.1:6"}},
		{Kind: protocol.EventData, Seq: seq, Line: "data connection closed", Data: closed},
	}
}

// TestLadderRows checks the ladder's drawing: every row exactly the
// pane's width whatever the labels hold (escapes, wide characters, a
// kilobyte of text), lanes for overlapping data connections, a failed
// connection, and the selected reply marked.
func TestLadderRows(t *testing.T) {
	v := NewLadderView(DefaultStyles())
	events := []protocol.Event{{Kind: protocol.EventConnect, Line: "connected to 127.0.0.1:21 from 127.0.0.1:5"}}
	events = append(events, reply(protocol.GreetingVerb, time.Millisecond, "220 hi \x1b[2J 漢字 "+strings.Repeat("x", 1000)))
	events = append(events, sent("RETR a"), reply("RETR a", time.Millisecond, "150 go"))
	events = append(events, dataEvents(1, "RETR", 10, nil)[0])
	events = append(events, dataEvents(2, "RETR", 20, nil)[0]) // a second one while the first is open
	events = append(events, dataEvents(1, "RETR", 10, nil)[1], dataEvents(2, "RETR", 20, nil)[1])
	events = append(events, dataEvents(3, "LIST", 0, fmt.Errorf("connection refused"))...)
	selected := reply("LIST", time.Millisecond, "425 Can't open data connection")
	events = append(events, selected)
	for i, ev := range events {
		v.Add(ev, i)
	}
	for _, width := range []int{60, 80, 120} {
		v.SetSize(width, 20)
		got := ansi.Strip(v.View(len(events) - 1))
		rows := strings.Split(got, "\n")
		if len(rows) != 20 {
			t.Errorf("width %d: %d rows, want 20", width, len(rows))
		}
		for i, row := range rows {
			if w := ansi.StringWidth(row); w != width {
				t.Errorf("width %d: row %d is %d cells: %q", width, i, w, row)
			}
		}
		for _, want := range []string{"data 1", "data 2", "┬", "┴", "✗", `\x1b[2J`} {
			if !strings.Contains(got, want) {
				t.Errorf("width %d: the ladder lacks %q:\n%s", width, want, got)
			}
		}
		if strings.Contains(got, "\x1b[2J") {
			t.Errorf("an escape sequence reached the ladder")
		}
		marked := 0
		for _, row := range rows {
			if strings.HasPrefix(row, "▌") {
				marked++
				if !strings.Contains(row, "425") {
					t.Errorf("width %d: the marked row is not the selected reply: %q", width, row)
				}
			}
		}
		if marked != 1 {
			t.Errorf("width %d: %d rows marked, want the selected reply's alone:\n%s", width, marked, got)
		}
	}
}

// TestLadderFollowsTheTranscriptSelection checks that ctrl+p in the
// transcript moves the ladder's highlight, scrolling the ladder to it.
func TestLadderFollowsTheTranscriptSelection(t *testing.T) {
	m := newTestModel(80, 24)
	for i := 1; i <= 40; i++ {
		m = apply(m, sent(fmt.Sprintf("NOOP %d", i)), reply(fmt.Sprintf("NOOP %d", i), time.Millisecond, fmt.Sprintf("200 ok %d", i)))
	}
	m = pressKeys(m, "f5")
	if got := screen(m); !strings.Contains(got, "200 ok 40") || strings.Contains(got, "▌") {
		t.Errorf("the ladder does not follow the newest step:\n%s", got)
	}
	for range 30 {
		m = pressKeys(m, "ctrl+p")
	}
	got := screen(m)
	var marked string
	for _, row := range strings.Split(got, "\n") {
		if strings.HasPrefix(row, "▌") {
			marked = row
		}
	}
	if !strings.Contains(marked, "200 ok 10") {
		t.Errorf("the ladder does not highlight the reply selected in the transcript (200 ok 10); marked %q:\n%s", marked, got)
	}
	m = pressKeys(m, "esc") // closes the ladder
	if m.showLadder {
		t.Error("esc did not close the ladder")
	}
	m = pressKeys(m, "esc", "f5") // follows the newest reply again
	if got := screen(m); strings.Contains(got, "▌") || !strings.Contains(got, "200 ok 40") {
		t.Errorf("after esc the ladder still highlights a reply:\n%s", got)
	}
}

// BenchmarkLadderView draws one frame of a ladder of a long session: the
// cost is that of the rows on screen, not of the session.
func BenchmarkLadderView(b *testing.B) {
	for _, steps := range []int{1_000, 100_000} {
		b.Run(fmt.Sprint(steps), func(b *testing.B) {
			v := NewLadderView(DefaultStyles())
			v.SetSize(100, 45)
			for i := range steps / 2 {
				v.Add(sent("NOOP"), 2*i)
				v.Add(reply("NOOP", time.Millisecond, fmt.Sprintf("200 ok %d", i)), 2*i+1)
			}
			b.ResetTimer()
			for b.Loop() {
				_ = v.View(-1)
			}
		})
	}
}

// TestLadderScrolls checks that pgup and pgdn scroll the ladder where it
// takes the transcript's place, and that scrolling back down follows the
// newest step again.
func TestLadderScrolls(t *testing.T) {
	m := newTestModel(80, 24)
	for i := 1; i <= 40; i++ {
		m = apply(m, sent(fmt.Sprintf("NOOP %d", i)), reply(fmt.Sprintf("NOOP %d", i), time.Millisecond, fmt.Sprintf("200 ok %d", i)))
	}
	m = pressKeys(m, "f5", "pgup")
	got := screen(m)
	if strings.Contains(got, "200 ok 40") || !strings.Contains(got, "newer steps below") {
		t.Errorf("pgup did not scroll the ladder up:\n%s", got)
	}
	m = pressKeys(m, "pgdown", "pgdown")
	if got := screen(m); !strings.Contains(got, "200 ok 40") || strings.Contains(got, "newer steps below") {
		t.Errorf("pgdn did not bring the ladder back to the newest step:\n%s", got)
	}
}

// TestLadderScrollHint checks that the ladder's title names the way to
// read on that works: pgdn where the ladder takes the transcript's place,
// the wheel beside the transcript, where pgdn scrolls the transcript.
func TestLadderScrollHint(t *testing.T) {
	for _, tt := range []struct {
		w, h      int
		scroll    func(Model) Model
		want, not string
	}{
		{80, 24, func(m Model) Model { return pressKeys(m, "pgup") }, "pgdn", "· the wheel scrolls"},
		{160, 45, func(m Model) Model {
			next, _ := m.Update(tea.MouseWheelMsg{X: 150, Y: 10, Button: tea.MouseWheelUp})
			return next.(Model)
		}, "· the wheel scrolls", "pgdn"},
	} {
		m := newTestModel(tt.w, tt.h)
		for i := 1; i <= 60; i++ {
			m = apply(m, sent(fmt.Sprintf("NOOP %d", i)), reply(fmt.Sprintf("NOOP %d", i), time.Millisecond, fmt.Sprintf("200 ok %d", i)))
		}
		m = tt.scroll(pressKeys(m, "f5"))
		got := screen(m)
		var title string
		for _, l := range strings.Split(got, "\n") {
			if strings.Contains(l, "newer steps below") || strings.Contains(l, "more below") {
				title = l
			}
		}
		if title == "" || !strings.Contains(title, tt.want) || strings.Contains(title, tt.not) {
			t.Errorf("%dx%d: the ladder's title is %q, want it to say %q and not %q:\n%s", tt.w, tt.h, title, tt.want, tt.not, got)
		}
	}
}

// TestLadderNarrationWraps checks that a script's narration, which at 80
// columns takes the transcript's place, is wrapped whole rather than cut:
// the class reads every word, and the newest step stays at the bottom.
func TestLadderNarrationWraps(t *testing.T) {
	v := NewLadderView(DefaultStyles())
	narration := "The listing came over the data connection, which opened, carried the bytes and closed. The control connection only said 150 (starting) and 226 (done)."
	v.Add(protocol.Event{Kind: protocol.EventConnect, Line: "connected to 127.0.0.1:21 from 127.0.0.1:5"}, -1)
	for range 10 {
		v.Add(sent("NOOP"), -1)
		v.Add(reply("NOOP", time.Millisecond, "200 ok"), -1)
	}
	v.Add(export.Narration(narration, time.Time{}), -1)
	v.Add(sent("PWD"), -1)
	v.SetSize(80, 10)
	got := ansi.Strip(v.View(-1))
	rows := strings.Split(got, "\n")
	if len(rows) != 10 {
		t.Fatalf("%d rows, want 10:\n%s", len(rows), got)
	}
	var words []string
	for _, row := range rows {
		if strings.HasPrefix(row, "# ") || (strings.HasPrefix(row, "  ") && !strings.Contains(row, "│")) {
			words = append(words, strings.Fields(row)...)
		}
	}
	if text := strings.TrimPrefix(strings.Join(words, " "), "# "); text != narration {
		t.Errorf("the narration reads %q, want it whole:\n%s", text, got)
	}
	if !strings.Contains(rows[len(rows)-1], "PWD") {
		t.Errorf("the newest step is not the last row:\n%s", got)
	}
}

// TestLadderLongLabelsWrap checks that at 80 columns what a NAT
// demonstration points at reads whole: the address in a 227 and the
// address a data connection failed to reach, wrapped under their arrows
// rather than cut; the rows keep the pane's width.
func TestLadderLongLabelsWrap(t *testing.T) {
	v := NewLadderView(DefaultStyles())
	v.Add(protocol.Event{Kind: protocol.EventConnect, Line: "connected to 127.0.0.1:21 from 127.0.0.1:5"}, -1)
	v.Add(sent("PASV"), -1)
	v.Add(reply("PASV", time.Millisecond, "227 Entering Passive Mode (127,0,0,2,195,80)."), -1)
	dataErr := &protocol.DataError{Verb: "LIST", Op: protocol.DataDial, Addr: "127.0.0.2:50000", Err: fmt.Errorf("connection refused")}
	v.Add(protocol.Event{Kind: protocol.EventError, Seq: 3, Refused: true, Err: dataErr,
		Line: "could not open the data connection to 127.0.0.2:50000: connection refused; LIST was not sent"}, -1)
	v.SetSize(80, 12)
	got := ansi.Strip(v.View(-1))
	for _, want := range []string{"(127,0,0,2,195,80)", "127.0.0.2:50000", "✗"} {
		if !strings.Contains(got, want) {
			t.Errorf("the ladder lacks %q:\n%s", want, got)
		}
	}
	for i, row := range strings.Split(got, "\n") {
		if w := ansi.StringWidth(row); w != 80 {
			t.Errorf("row %d is %d cells: %q", i, w, row)
		}
	}
}

// TestLadderNotesWrap checks the ladder's notes (a connection, a TLS
// handshake, the close) at 80 and 160 columns: a note longer than the
// room between the lanes is wrapped under itself, every word kept and
// escapes shown escaped, rather than cut.
func TestLadderNotesWrap(t *testing.T) {
	tls := "TLSv1.3 (OUT), TLS handshake, Finished (20) \x1b[31m;evil"
	events := []protocol.Event{
		{Kind: protocol.EventConnect, Line: "connected to [2001:db8:85a3:1234:5678:8a2e:370:7334]:2121 from [2001:db8::5]:50000",
			Connect: &protocol.ConnectInfo{Remote: "[2001:db8:85a3:1234:5678:8a2e:370:7334]:2121"}},
		reply(protocol.GreetingVerb, time.Millisecond, "220 ready"),
		sent("AUTH TLS"), reply("AUTH TLS", time.Millisecond, "234 Proceed with negotiation."),
		{Kind: protocol.EventTLS, Line: "TLS", TLS: &protocol.TLSInfo{Version: tls}},
		sent("QUIT"), reply("QUIT", time.Millisecond, "221 Goodbye."),
		{Kind: protocol.EventClose, Line: "closed"},
	}
	want := []string{
		"connected to [2001:db8:85a3:1234:5678:8a2e:370:7334]:2121",
		"control connection protected by " + protocol.Escape(tls),
		"connection closed",
	}
	for _, size := range []struct{ width, height int }{{80, 24}, {160, 45}} {
		v := NewLadderView(DefaultStyles())
		for i, ev := range events {
			v.Add(ev, i)
		}
		v.SetSize(size.width, size.height)
		got := ansi.Strip(v.View(-1))
		golden(t, fmt.Sprintf("ladder-notes-%dx%d", size.width, size.height), got)
		// The notes' rows: those with a "·" or that continue one, between
		// the client's lane and the control connection's.
		var notes []string
		var note []string
		for _, row := range strings.Split(got, "\n")[ladderHeader:] {
			if w := ansi.StringWidth(row); w != size.width {
				t.Errorf("%d columns: a row of %d cells: %q", size.width, w, row)
			}
			inner := row
			if l, r := strings.Index(row, "│"), strings.LastIndex(row, "│"); l >= 0 && r > l {
				inner = row[l+len("│") : r]
			}
			inner = strings.TrimSpace(inner)
			switch {
			case strings.HasPrefix(inner, "· "):
				note = []string{strings.TrimPrefix(inner, "· ")}
			case note != nil && inner != "" && !strings.ContainsAny(inner, "─▶◀│"):
				note = append(note, inner)
			default:
				continue
			}
			if strings.HasSuffix(inner, " ·") {
				note[len(note)-1] = strings.TrimSuffix(note[len(note)-1], " ·")
				notes = append(notes, strings.Join(note, " "))
				note = nil
			}
		}
		// A word longer than the room is split, not cut: compared
		// without spaces, every character is there, in order.
		squeeze := func(lines []string) string {
			for i, l := range lines {
				lines[i] = strings.Join(strings.Fields(l), "")
			}
			return strings.Join(lines, "\n")
		}
		if squeeze(slices.Clone(notes)) != squeeze(slices.Clone(want)) {
			t.Errorf("%d columns: the notes read\n%s\nwant every word of\n%s\n%s", size.width, strings.Join(notes, "\n"), strings.Join(want, "\n"), got)
		}
	}
}

// TestLadderNamesTheClient checks the client lane's heading: the tool a
// recording comes from, shortened to its name on a narrow pane, and
// "client" for ftpscope's own session or one a recording does not name.
func TestLadderNamesTheClient(t *testing.T) {
	tests := []struct {
		client string
		width  int
		want   string
	}{
		{"curl", 80, "curl (client) "},
		{"FileZilla", 80, "FileZilla (client) "},
		{"FileZilla", 40, "FileZilla "},
		{"FileZilla", 24, "FileZi… "},
		{"", 80, "client "}, // ftpscope's own connection
		{"client", 80, "client "},
		{"a-client-with-a-long-name/1.0 \x1b[31m", 80, "a-client-with-a-long-name/1.0 … "}, // escaped, then cut
	}
	for _, tt := range tests {
		v := NewLadderView(DefaultStyles())
		v.Add(protocol.Event{Kind: protocol.EventConnect, Line: "connected to 127.0.0.1:21",
			Connect: &protocol.ConnectInfo{Remote: "127.0.0.1:21", Client: tt.client}}, 0)
		v.SetSize(tt.width, 10)
		header := strings.Split(ansi.Strip(v.View(-1)), "\n")[1]
		if !strings.HasPrefix(header, tt.want) {
			t.Errorf("client %q at %d columns: the heading is %q, want it to start %q", tt.client, tt.width, header, tt.want)
		}
	}
}
