package tui

import (
	"slices"
	"strings"
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
