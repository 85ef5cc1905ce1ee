package diagnose

import (
	"fmt"
	"testing"

	"github.com/ftpscope/ftpscope/protocol"
)

// BenchmarkObserve measures the findings' cost per event, on a stream of
// ordinary replies and transfers where no rule fires (the common case).
func BenchmarkObserve(b *testing.B) {
	tr := protocol.NewTracker()
	var events []protocol.Event
	add := func(ev protocol.Event) {
		tr.Observe(&ev)
		events = append(events, ev)
	}
	add(protocol.Event{Kind: protocol.EventConnect, Connect: &protocol.ConnectInfo{Remote: "127.0.0.1:21"}})
	for i := 1; i <= 100; i++ {
		add(protocol.Event{Kind: protocol.EventSend, Seq: i, Line: "NOOP"})
		add(protocol.Event{Kind: protocol.EventReply, Seq: i, Command: "NOOP", Verb: "NOOP", Reply: &protocol.Reply{Code: 200, Lines: []string{fmt.Sprintf("200 NOOP ok %d.", i)}}})
	}
	eng := New()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		eng.Observe(events[i%len(events)])
	}
}

// BenchmarkLoadRules measures reading the findings data, which every
// Engine (every transcript writer, the terminal UI) does once.
func BenchmarkLoadRules(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := LoadRules(); err != nil {
			b.Fatal(err)
		}
	}
}
