package tui

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/protocol"
)

// TestEventLogKeepsEverything stores events of every shape and checks that
// each comes back exactly as stored: the compact encoding drops nothing.
func TestEventLogKeepsEverything(t *testing.T) {
	local := time.Date(2026, 12, 6, 21, 0, 0, 123456789, time.Local)
	utc := time.Date(2026, 12, 6, 21, 0, 1, 5, time.UTC)
	zone := time.Date(2026, 12, 6, 21, 0, 2, 0, time.FixedZone("X", 3600))
	feat := reply("FEAT", time.Millisecond, "211-Extensions supported:", " EPSV", " UTF8", "211 End")
	feat.Time, feat.Seq = local, 7
	odd := &protocol.Reply{
		Code:     0,
		Lines:    []string{"hello \xff", "", "x"},
		Raw:      [][]byte{[]byte("hello \xff\xff\n"), {}, nil},
		Problems: []string{"bare LF", "malformed first line"},
	}
	tests := []struct {
		name string
		ev   protocol.Event
	}{
		{"zero event", protocol.Event{}},
		{"send with raw bytes", protocol.Event{Kind: protocol.EventSend, Time: local, Line: "PASS ****", Raw: []byte("PASS ****\r\n"), Seq: 3, Transfer: true}},
		{"send with empty raw", protocol.Event{Kind: protocol.EventSend, Raw: []byte{}}},
		{"multi-line reply", feat},
		{"reply with problems and odd raw", protocol.Event{Kind: protocol.EventReply, Time: utc, Reply: odd, Command: "NOOP", Verb: "NOOP", RTT: -5, Seq: 1 << 40}},
		{"reply with nil lines", protocol.Event{Kind: protocol.EventReply, Reply: &protocol.Reply{Code: 200}}},
		{"time in another zone", protocol.Event{Kind: protocol.EventWarning, Time: zone, Line: "w"}},
		{"far future", protocol.Event{Kind: protocol.EventClose, Time: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"error", protocol.Event{Kind: protocol.EventError, Err: errors.New("boom"), Refused: true, Note: "n", Warnings: []string{"a", "b"}}},
		{"data", protocol.Event{Kind: protocol.EventData, Data: &protocol.DataInfo{Phase: protocol.DataClosed, Bytes: 10, Preview: []byte("abc")}}},
		{"tls", protocol.Event{Kind: protocol.EventTLS, TLS: &protocol.TLSInfo{Version: "TLS 1.3"}, Line: "tls"}},
		{"unknown kind", protocol.Event{Kind: "future-kind", Line: "x"}},
	}
	var log eventLog
	for _, tt := range tests {
		log.Append(tt.ev)
	}
	for i, tt := range tests {
		if got := log.stored(i); !reflect.DeepEqual(got, tt.ev) {
			t.Errorf("%s: stored %+v\ngot back %+v", tt.name, tt.ev, got)
		}
	}
	snap := log.Snapshot()
	log.Append(protocol.Event{Kind: protocol.EventSend, Line: "after the snapshot"})
	if snap.Len() != len(tests) {
		t.Errorf("snapshot has %d events, want %d", snap.Len(), len(tests))
	}
	n := 0
	for ev := range snap.All {
		ev.State, ev.Effect = nil, nil // worked out by All's tracker
		if !reflect.DeepEqual(ev, tests[n].ev) {
			t.Errorf("snapshot event %d: got %+v", n, ev)
		}
		n++
	}
}

// TestEventLogAtIsACopy checks that changing an event read back does not
// change the log, and that reading another event in between (the memo of
// the last one read) changes nothing either.
func TestEventLogAtIsACopy(t *testing.T) {
	var log eventLog
	log.Append(protocol.Event{Kind: protocol.EventReply, Line: "first", Reply: &protocol.Reply{Code: 500, Lines: []string{"500 x"}}})
	log.Append(protocol.Event{Kind: protocol.EventSend, Line: "second"})
	got := log.At(0)
	got.Line, got.Seq = "changed", 9
	if again := log.At(0); again.Line != "first" || again.Seq != 0 {
		t.Errorf("the stored event changed: %+v", again)
	}
	if second := log.At(1); second.Line != "second" {
		t.Errorf("event 1 reads %q", second.Line)
	}
	if first := log.At(0); first.Line != "first" || first.Reply.Code != 500 {
		t.Errorf("event 0 reads %+v after event 1", first)
	}
}

// TestEventLogWorksOutStates checks that the State and Effect of an event
// read back are those the session's tracker gave it, though the log keeps
// only every stateEvery-th state.
func TestEventLogWorksOutStates(t *testing.T) {
	tracker := protocol.NewTracker()
	events := append([]protocol.Event{{Kind: protocol.EventConnect, Line: "connected"}}, benchEvents(5*stateEvery, 0)...)
	var log eventLog
	for i := range events {
		tracker.Observe(&events[i])
		log.Append(events[i])
	}
	for _, i := range []int{0, 1, 2, stateEvery - 1, stateEvery, stateEvery + 1, 3*stateEvery + 7, len(events) - 1} {
		got := log.At(i)
		if !reflect.DeepEqual(got.State, events[i].State) {
			t.Errorf("event %d: state %+v, want %+v", i, got.State, events[i].State)
		}
		if !reflect.DeepEqual(got.Effect, events[i].Effect) {
			t.Errorf("event %d: effect %+v, want %+v", i, got.Effect, events[i].Effect)
		}
	}
}
