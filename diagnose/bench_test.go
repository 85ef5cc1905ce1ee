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

// BenchmarkObserveFiring measures a long connection where a rule fires
// for every command (a wrong password, tried again and again): the
// evidence window and the remembered findings must not grow with it.
// fired-pairs is how many rule and command pairs the engine remembers at
// the end.
func BenchmarkObserveFiring(b *testing.B) {
	tr := protocol.NewTracker()
	eng := New()
	observe := func(ev protocol.Event) []Finding {
		tr.Observe(&ev)
		return eng.Observe(ev)
	}
	observe(protocol.Event{Kind: protocol.EventConnect, Connect: &protocol.ConnectInfo{Remote: "127.0.0.1:21"}})
	reply := &protocol.Reply{Code: 530, Lines: []string{"530 Login incorrect."}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		seq := i + 1
		observe(protocol.Event{Kind: protocol.EventSend, Seq: seq, Line: "PASS ****"})
		if fs := observe(protocol.Event{Kind: protocol.EventReply, Seq: seq, Command: "PASS ****", Verb: "PASS", Reply: reply}); len(fs) != 1 {
			b.Fatalf("command %d: %d findings, want 1", seq, len(fs))
		}
	}
	b.ReportMetric(float64(firedPairs(eng)), "fired-pairs")
}
