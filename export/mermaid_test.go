package export

import (
	"errors"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/protocol"
)

// safeMermaid matches what mermaidText may produce: plain characters and
// numeric entities, nothing else.
var safeMermaid = regexp.MustCompile(`^(?:[A-Za-z0-9 .,()/_\-+=?!'*@\[\]|^$~]|[\p{L}\p{N}]|#[0-9]+;)+$`)

// entity matches one numeric entity, to decode mermaidText's output.
var entity = regexp.MustCompile(`#([0-9]+);`)

// unmermaid decodes mermaidText's output as Mermaid does.
func unmermaid(s string) string {
	return entity.ReplaceAllStringFunc(s, func(e string) string {
		n, _ := strconv.Atoi(e[1 : len(e)-1])
		return string(rune(n))
	})
}

func TestMermaidText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"USER demo", "USER demo"},
		{"227 Entering Passive Mode (127,0,0,1,156,64)", "227 Entering Passive Mode (127,0,0,1,156,64)"},
		{"a;b", "a#59;b"},                    // would end the statement
		{"%% comment", "#37;#37; comment"},   // would start a comment
		{"#9829; love", "#35;9829#59; love"}, // would be an entity
		{"<b>bold</b> &amp;", "#60;b#62;bold#60;/b#62; #38;amp#59;"},
		{"```", "#96;#96;#96;"}, // would close the Markdown fence
		{"A->>B: hi", "A-#62;#62;B#58; hi"},
		{"line\nNote over C: x", "line#10;Note over C#58; x"},
		{"café", "café"},
		{"", "#160;"},
		{"   ", "#160;"},
		{"{x} \"q\"", "#123;x#125; #34;q#34;"},
	}
	for _, tt := range tests {
		if got := mermaidText(tt.in); got != tt.want {
			t.Errorf("mermaidText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzMermaidText checks that any text, however hostile, becomes a label
// of safe characters and entities that decodes back to the text.
func FuzzMermaidText(f *testing.F) {
	for _, s := range []string{"a;b", "%%{init: {}}%%", "</script>", "```\nend", "#35;", "\x1b[2J", "é\u202e", "\r\n\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := mermaidText(s)
		if !safeMermaid.MatchString(got) {
			t.Fatalf("mermaidText(%q) = %q holds a character that means something to Mermaid", s, got)
		}
		if strings.TrimSpace(s) != "" && !strings.ContainsRune(s, '\uFFFD') && unmermaid(got) != strings.ToValidUTF8(s, "\uFFFD") {
			t.Fatalf("mermaidText(%q) = %q decodes to %q", s, got, unmermaid(got))
		}
	})
}

// TestMermaidHostileReplies checks that a diagram of replies built to
// break it still has one statement per line, each of a known form, and
// cannot close the Markdown fence around it.
func TestMermaidHostileReplies(t *testing.T) {
	hostile := []string{
		"220 ok;\r\n    C->>S: forged",
		"220 %%{init: {'theme':'forest'}}%%",
		"220 ``` end of the fence",
		"220 <img src=x onerror=alert(1)>",
		"220 #quot; #59; &lt;",
		"220 Note over C,S: forged note",
		"220 \x1b]0;title\x07 \u202e reversed",
		"220 " + strings.Repeat("x", 5000),
	}
	var l Ladder
	l.Add(protocol.Event{Kind: protocol.EventConnect, Line: "connected to 127.0.0.1:21;evil from 127.0.0.1:5"})
	for _, text := range hostile {
		r, err := protocol.NewReplyReader(strings.NewReader(text + "\r\n")).ReadReply()
		if err != nil {
			t.Fatal(err)
		}
		l.Add(protocol.Event{Kind: protocol.EventReply, Reply: r, Command: "NOOP", Verb: "NOOP", Time: time.Now()})
		l.Add(protocol.Event{Kind: protocol.EventSend, Line: text})
	}
	l.Add(Narration("# ; %% ``` <b>", time.Time{}))
	statement := regexp.MustCompile(`^    (?:participant [A-Z][0-9]* as |[A-Z][0-9]*(?:->>|-->>|-\)|--\)|-x)[A-Z][0-9]*: |Note over [A-Z][0-9]*,[A-Z][0-9]*: )(.*)$`)
	lines := strings.Split(strings.TrimSuffix(Mermaid(&l), "\n"), "\n")
	if lines[0] != "sequenceDiagram" {
		t.Fatalf("the diagram starts with %q", lines[0])
	}
	if want := 4 + 2*len(hostile) + 1; len(lines) != want {
		t.Errorf("the diagram has %d lines, want %d:\n%s", len(lines), want, strings.Join(lines, "\n"))
	}
	for _, line := range lines[1:] {
		m := statement.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("not a statement of the diagram: %q", line)
			continue
		}
		if !safeMermaid.MatchString(m[1]) {
			t.Errorf("an unsafe label: %q", m[1])
		}
		if strings.Contains(line, "`") || len(line) > 4*labelLimit+64 {
			t.Errorf("a label that could close the fence or is not bounded: %q", line)
		}
	}
}

// TestLadderDataFailures checks which refused commands draw a failed data
// connection: one whose connection could not be made does, one whose
// local file is missing does not.
func TestLadderDataFailures(t *testing.T) {
	var l Ladder
	l.Add(protocol.Event{Kind: protocol.EventError, Refused: true, Line: "could not open the data connection to 127.0.0.2:5; LIST was not sent",
		Err: &protocol.RefusedError{Verb: "LIST", Err: &protocol.DataError{Verb: "LIST", Op: protocol.DataDial, Addr: "127.0.0.2:5", Err: errors.New("connection refused")}}})
	l.Add(protocol.Event{Kind: protocol.EventError, Refused: true, Line: "open x: no such file; STOR was not sent",
		Err: &protocol.RefusedError{Verb: "STOR", Err: &protocol.DataError{Verb: "STOR", Op: protocol.DataLocalFile, Err: errors.New("no such file")}}})
	if len(l.Steps) != 1 || l.Steps[0].Kind != StepDataFailed || !strings.Contains(l.Steps[0].Label, "127.0.0.2:5") {
		t.Errorf("steps %+v, want one failed data connection", l.Steps)
	}
	if l.Slots != 1 {
		t.Errorf("%d data slots, want 1", l.Slots)
	}
	// A recording shows a client's data connection failing, not a
	// command ftpscope refused; its connection names no "connected to".
	var rec Ladder
	rec.Add(protocol.Event{Kind: protocol.EventConnect, Line: "TCP connection 127.0.0.1:4000 → 127.0.0.1:2480",
		Connect: &protocol.ConnectInfo{Remote: "127.0.0.1:2480"}})
	rec.Add(protocol.Event{Kind: protocol.EventError, Line: "data connection never opened",
		Err: &protocol.DataError{Op: protocol.DataDial, Addr: "127.0.0.2:2481", Err: errors.New("connection refused")}})
	if len(rec.Steps) != 2 || rec.Steps[0].Label != "connected to 127.0.0.1:2480" || rec.Steps[1].Kind != StepDataFailed {
		t.Errorf("recording steps %+v, want the connection to 127.0.0.1:2480 and a failed data connection", rec.Steps)
	}
}

// TestLadderDataErrorsInPlainWords checks that a data connection that
// broke or failed is labelled in the transcript's plain words, not with
// Go's error text ("read tcp 127.0.0.1:5->127.0.0.1:6: read: connection
// reset by peer"), in the terminal's ladder and the handout's diagram.
func TestLadderDataErrorsInPlainWords(t *testing.T) {
	reset := &net.OpError{Op: "read", Net: "tcp",
		Source: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 53676}, Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 42627},
		Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	tests := []struct {
		name   string
		events []protocol.Event
		want   string
	}{
		{"broke during a transfer", []protocol.Event{
			{Kind: protocol.EventData, Seq: 3, Data: &protocol.DataInfo{Phase: protocol.DataOpened, Verb: "RETR", Local: "127.0.0.1:53676", Remote: "127.0.0.1:42627"}},
			{Kind: protocol.EventData, Seq: 3, Data: &protocol.DataInfo{Phase: protocol.DataClosed, Verb: "RETR", Direction: "download", Bytes: 524288, Err: reset}},
		}, "524288 bytes RETR, then broke: the server reset the connection"},
		{"closed without opening", []protocol.Event{
			{Kind: protocol.EventData, Seq: 3, Data: &protocol.DataInfo{Phase: protocol.DataClosed, Verb: "LIST", Direction: "download", Err: reset}},
		}, "data connection for LIST failed: the server reset the connection"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l Ladder
			for _, ev := range tt.events {
				l.Add(ev)
			}
			last := l.Steps[len(l.Steps)-1]
			if last.Kind != StepDataFailed || last.Label != tt.want {
				t.Errorf("the failed data connection is labelled %q (kind %d), want %q", last.Label, last.Kind, tt.want)
			}
			if mermaid := unmermaid(Mermaid(&l)); strings.Contains(mermaid, "read tcp") {
				t.Errorf("the diagram quotes Go's error:\n%s", mermaid)
			}
		})
	}
}

// TestMermaidLongSession checks that a long session's diagram stays
// within what Mermaid draws: at most mermaidMaxSteps arrows and under
// its 50,000-character limit, with a note saying where it stops.
func TestMermaidLongSession(t *testing.T) {
	var l Ladder
	for i := range 5000 {
		l.Add(protocol.Event{Kind: protocol.EventSend, Line: "NOOP " + strings.Repeat("x", 200), Seq: i + 1})
	}
	out := Mermaid(&l)
	if len(out) >= 50000 {
		t.Errorf("the diagram is %d characters, more than Mermaid draws", len(out))
	}
	if !strings.Contains(out, "the diagram stops here#59; ") || !strings.Contains(out, " more steps are in the sections below") {
		t.Errorf("no note where the diagram stops:\n%s", out[len(out)-300:])
	}
}

// longNotes are the notes of a session whose notes are longer than any
// width: a connection to a long IPv6 address, a TLS version as a
// recording names it, with escapes, and a narration of more than a
// paragraph.
func longNotes() []protocol.Event {
	narration := strings.Repeat("The listing came over the data connection, which opened, carried the bytes and closed; ", 6) + "the end."
	return []protocol.Event{
		{Kind: protocol.EventConnect, Line: "connected to [2001:db8:85a3:1234:5678:8a2e:370:7334]:2121 from [2001:db8::5]:50000",
			Connect: &protocol.ConnectInfo{Remote: "[2001:db8:85a3:1234:5678:8a2e:370:7334]:2121"}},
		{Kind: protocol.EventTLS, Line: "TLS", TLS: &protocol.TLSInfo{Version: "TLSv1.3 (OUT), TLS handshake, Finished (20) \x1b[31m;evil"}},
		Narration(narration, time.Time{}),
		{Kind: protocol.EventClose, Line: "closed"},
	}
}

// TestMermaidNotesWrap checks that the diagram's notes keep every word,
// wrapped with <br/> at mermaidNoteWidth rather than cut, each line a
// safe label.
func TestMermaidNotesWrap(t *testing.T) {
	var l Ladder
	events := longNotes()
	for _, ev := range events {
		l.Add(ev)
	}
	out := Mermaid(&l)
	golden(t, "mermaid-notes.golden", out)
	var notes []string
	for _, line := range strings.Split(out, "\n") {
		text, ok := strings.CutPrefix(line, "    Note over C,S: ")
		if !ok {
			continue
		}
		var decoded []string
		for _, piece := range strings.Split(text, "<br/>") {
			if !safeMermaid.MatchString(piece) {
				t.Errorf("an unsafe line of a note: %q", piece)
			}
			if n := len([]rune(unmermaid(piece))); n > mermaidNoteWidth {
				t.Errorf("a line of a note is %d characters, more than %d: %q", n, mermaidNoteWidth, piece)
			}
			decoded = append(decoded, unmermaid(piece))
		}
		notes = append(notes, strings.Join(decoded, " "))
	}
	want := []string{
		"connected to [2001:db8:85a3:1234:5678:8a2e:370:7334]:2121",
		"control connection protected by " + protocol.Escape("TLSv1.3 (OUT), TLS handshake, Finished (20) \x1b[31m;evil"),
		strings.Join(strings.Fields(events[2].Line), " "),
		"connection closed",
	}
	if strings.Join(notes, "\n") != strings.Join(want, "\n") {
		t.Errorf("the notes read\n%s\nwant every word of\n%s", strings.Join(notes, "\n"), strings.Join(want, "\n"))
	}
}
