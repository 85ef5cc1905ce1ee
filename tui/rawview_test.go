package tui

import (
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/protocol"
)

// TestRawText checks that what a packet capture would show is visible:
// CRLF, a bare LF, trailing spaces, control bytes, non-UTF-8 bytes.
func TestRawText(t *testing.T) {
	tests := []struct {
		in, want string
		notes    []string
	}{
		{"220 ready\r\n", `220 ready\r\n`, nil},
		{"220 ready\n", `220 ready\n`, []string{"ends with LF alone: RFC 959 §4.2 requires CRLF"}},
		{"214 help  \r\n", `214 help␠␠\r\n`, []string{"2 trailing space(s) before the line ending"}},
		{"226 caf\xe9\r\n", `226 caf\xe9\r\n`, []string{"not UTF-8 from byte 7 (0xe9): probably Latin-1 or another legacy encoding"}},
		{"226 café\r\n", `226 caf\xc3\xa9\r\n`, nil},
		{"500 \x1b[2J a\\b\t", `500 \x1b[2J a\\b\t`, []string{"no line ending: the line was cut at the line cap, or the connection ended"}},
	}
	for _, tt := range tests {
		if got := rawText([]byte(tt.in)); got != tt.want {
			t.Errorf("rawText(%q) = %s, want %s", tt.in, got, tt.want)
		}
		if got := rawNotes([]byte(tt.in)); !slices.Equal(got, tt.notes) {
			t.Errorf("rawNotes(%q) = %q, want %q", tt.in, got, tt.notes)
		}
	}
}

// TestHexRows checks the hex dump: offsets, padding of the last row, and
// dots for bytes that are not printable.
func TestHexRows(t *testing.T) {
	got := hexRows([]byte("220 (vsFTPd)\r\n"))
	want := []string{
		"0000  32 32 30 20 28 76 73 46  220 (vsF",
		"0008  54 50 64 29 0d 0a        TPd)..",
	}
	if !slices.Equal(got, want) {
		t.Errorf("hexRows = %q, want %q", got, want)
	}
}

// TestRawAndTimingViews drives the real model: the raw view of the
// selected reply shows its bytes and those of its command, and the
// timing view the breakdown of the connection.
func TestRawAndTimingViews(t *testing.T) {
	m := newTestModel(160, 45)
	r, err := protocol.NewReplyReader(strings.NewReader("530 Login incorrect.  \n")).ReadReply()
	if err != nil {
		t.Fatal(err)
	}
	connected := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	greeting := reply(protocol.GreetingVerb, time.Millisecond, "220 (vsFTPd 3.0.3)")
	greeting.Time = connected.Add(2 * time.Millisecond)
	events := []protocol.Event{
		{Kind: protocol.EventConnect, Line: "connected to 127.0.0.1:21 from 127.0.0.1:50000", Time: connected,
			Connect: &protocol.ConnectInfo{Remote: "127.0.0.1:21", Lookup: 1200 * time.Microsecond, Connect: 300 * time.Microsecond}},
		greeting,
		{Kind: protocol.EventSend, Seq: 1, Line: "PASS ****", Raw: []byte("PASS ****\r\n")},
		{Kind: protocol.EventReply, Seq: 1, Command: "PASS ****", Verb: "PASS", Reply: r},
	}
	m = apply(m, events...)
	m = enterLine(m, ":raw")
	s := screen(m)
	for _, want := range []string{`PASS ****\r\n`, `530 Login incorrect.␠␠\n`, "ends with LF alone", "2 trailing space(s)", "35 33 30 20"} {
		if !strings.Contains(s, want) {
			t.Errorf("the raw view lacks %q:\n%s", want, s)
		}
	}
	m = enterLine(m, ":timing")
	s = screen(m)
	for _, want := range []string{"Where the time went", "name lookup: 1.2ms", "TCP connect: 300µs", "greeting after the connect: 2ms"} {
		if !strings.Contains(s, want) {
			t.Errorf("the timing view lacks %q:\n%s", want, s)
		}
	}
}

// TestLatin1ListingShownAsText: a listing whose names are Latin-1 is shown
// as text with the odd bytes escaped, not as a hex dump, and the finding
// says why.
func TestLatin1ListingShownAsText(t *testing.T) {
	listing := []byte("-rw-r--r-- 1 ftp ftp 12 Jan 01 00:00 caf\xe9.txt\r\n")
	m := apply(newTestModel(160, 45), append(loginSession(), transferEvents("LIST", listing)...)...)
	s := screen(m)
	for _, want := range []string{`caf\xe9.txt`, "? warning: The listing holds file names whose bytes are not UTF-8"} {
		if !strings.Contains(s, want) {
			t.Errorf("the screen lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "2d 72 77") {
		t.Errorf("the listing is shown as a hex dump:\n%s", s)
	}
}

// TestFindingOfAnErrorGoesToTheNewestReply: a passive port refused before
// LIST is sent has no reply of its own; its finding is shown with the
// newest reply (the 227), not with the greeting.
func TestFindingOfAnErrorGoesToTheNewestReply(t *testing.T) {
	refused := &protocol.DataError{Verb: "LIST", Op: protocol.DataDial, Addr: "127.0.0.1:40000", Err: syscall.ECONNREFUSED}
	events := append(loginSession(),
		sent("PASV"), reply("PASV", time.Millisecond, "227 Entering Passive Mode (127,0,0,1,156,64)"),
		protocol.Event{Kind: protocol.EventError, Line: refused.Error(), Err: refused, Refused: true})
	m := apply(newTestModel(160, 45), events...)
	ev, key, _ := m.transcript.SelectedReply()
	fs := m.findings.of(key)
	if len(fs) != 1 || fs[0].ID != "passive-port-refused" || ev.Reply.Code != 227 {
		t.Fatalf("the newest reply %v has findings %+v, want the refused passive port", ev.Reply.Lines, fs)
	}
}

// TestPresentationStripShowsTheFinding: in presentation mode the
// explanation strip leads with the finding's cause and fix, so a class
// sees why a demonstration failed.
func TestPresentationStripShowsTheFinding(t *testing.T) {
	m := newTestModel(80, 30) // narrow: the strip under the transcript
	m.setPresent(true)
	m = apply(m, oopsSession()...)
	// Once in the transcript's "?" line, once in the strip.
	if s := screen(m); strings.Count(s, "? error: vsftpd refuses to log this user in") < 2 {
		t.Errorf("the strip does not show the finding:\n%s", s)
	}
}
