package tui

import (
	"fmt"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/protocol"
)

// TestAnnouncedDownloadSize checks that the size a 150 reply announces is
// found in the wordings of real servers, so the progress bar can show how
// much is left.
func TestAnnouncedDownloadSize(t *testing.T) {
	tests := []struct {
		text string
		want int64
	}{
		{"150 Opening BINARY mode data connection for big.bin (1048576 bytes).", 1048576},
		{"150 Data transfer starting 20000000 bytes", 20000000},
		{"150 Opening ASCII mode data connection for file list", 0},
		{"150 Here comes 12bytes of nonsense", 0},
	}
	for _, tt := range tests {
		st := newSessionState()
		r := &protocol.Reply{Code: 150, Lines: []string{tt.text}}
		st.learn(protocol.Event{Kind: protocol.EventReply, Reply: r, Verb: "RETR", Command: "RETR big.bin"})
		if st.expected != tt.want {
			t.Errorf("%q: expected size %d, want %d", tt.text, st.expected, tt.want)
		}
	}
}

// TestRoundTripIsTheFirstReplys: the status line's round trip is the time
// to a command's first reply. A transfer's final reply comes after the
// data, so its time is the transfer's: the 150 before it is the round trip.
func TestRoundTripIsTheFirstReplys(t *testing.T) {
	st := newSessionState()
	ev := func(seq int, verb string, code int, rtt time.Duration) protocol.Event {
		return protocol.Event{Kind: protocol.EventReply, Seq: seq, Verb: verb, Command: verb, RTT: rtt,
			Reply: &protocol.Reply{Code: code, Lines: []string{fmt.Sprint(code, " text")}}}
	}
	steps := []struct {
		ev   protocol.Event
		want time.Duration
	}{
		{ev(1, "NOOP", 200, 3*time.Millisecond), 3 * time.Millisecond},
		{ev(2, "RETR", 150, 2*time.Millisecond), 2 * time.Millisecond},
		{ev(2, "RETR", 226, 900*time.Millisecond), 2 * time.Millisecond},
		{ev(3, "RETR", 550, 4*time.Millisecond), 4 * time.Millisecond},
		{ev(4, "LIST", 125, 5*time.Millisecond), 5 * time.Millisecond},
		{ev(4, "LIST", 150, 6*time.Millisecond), 5 * time.Millisecond},
		{ev(4, "LIST", 226, 40*time.Millisecond), 5 * time.Millisecond},
	}
	for i, s := range steps {
		st.learn(s.ev)
		if st.lastRTT != s.want {
			t.Errorf("step %d (%d to %s): round trip %v, want %v", i+1, s.ev.Reply.Code, s.ev.Verb, st.lastRTT, s.want)
		}
	}
}
