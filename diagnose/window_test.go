package diagnose

import (
	"testing"

	"github.com/ftpscope/ftpscope/protocol"
)

// TestEventRingKeepsNewestOldestFirst checks the evidence window before
// and after it wraps around.
func TestEventRingKeepsNewestOldestFirst(t *testing.T) {
	for _, added := range []int{0, 1, recentEvents - 1, recentEvents, recentEvents + 1, 3*recentEvents + 5} {
		var r eventRing
		for i := 1; i <= added; i++ {
			r.add(protocol.Event{Seq: i})
		}
		want := min(added, recentEvents)
		if r.len() != want {
			t.Fatalf("after %d events: len %d, want %d", added, r.len(), want)
		}
		for i := range r.len() {
			if got, wantSeq := r.at(i).Seq, added-want+1+i; got != wantSeq {
				t.Errorf("after %d events: at(%d) is event %d, want %d", added, i, got, wantSeq)
			}
		}
	}
}

// TestFiredSetStaysBounded checks that a long connection's findings are
// remembered for its recent commands (and its connection-level events),
// and forgotten for old ones, so the set does not grow with the session.
func TestFiredSetStaysBounded(t *testing.T) {
	var s firedSet
	s.add(firedKey{rule: "conn", seq: 0})
	for seq := 1; seq <= 100*recentCommands; seq++ {
		s.add(firedKey{rule: "a", seq: seq})
		s.add(firedKey{rule: "b", seq: seq})
	}
	if n := len(s.m); n > 4*2*recentCommands+1 {
		t.Errorf("after %d commands the set holds %d pairs; want at most %d", 100*recentCommands, n, 4*2*recentCommands+1)
	}
	newest := 100 * recentCommands
	for _, k := range []firedKey{{"conn", 0}, {"a", newest}, {"b", newest}, {"a", newest - recentCommands + 1}} {
		if !s.has(k) {
			t.Errorf("%v forgotten; a recent command's finding must not be reported twice", k)
		}
	}
	if s.has(firedKey{"a", 1}) {
		t.Errorf("command 1's pair still kept after %d commands", newest)
	}
}

// TestFindingOncePerCommandInLongSession checks that a finding is reported
// once for its command, again for a new command, however many commands
// came before (the fired set pruned many times over).
func TestFindingOncePerCommandInLongSession(t *testing.T) {
	eng := New()
	tr := protocol.NewTracker()
	observe := func(ev protocol.Event) []Finding {
		tr.Observe(&ev)
		return eng.Observe(ev)
	}
	observe(protocol.Event{Kind: protocol.EventConnect, Connect: &protocol.ConnectInfo{Remote: "127.0.0.1:21"}})
	reply := func(seq int) protocol.Event {
		return protocol.Event{Kind: protocol.EventReply, Seq: seq, Command: "PASS ****", Verb: "PASS",
			Reply: &protocol.Reply{Code: 530, Lines: []string{"530 Login incorrect."}}}
	}
	for seq := 1; seq <= 10*recentCommands; seq++ {
		observe(protocol.Event{Kind: protocol.EventSend, Seq: seq, Line: "PASS ****"})
		first := observe(reply(seq))
		if len(first) != 1 || first[0].ID != "login-incorrect" || first[0].Seq != seq {
			t.Fatalf("command %d: findings %v, want login-incorrect once", seq, ids(first))
		}
		if again := observe(reply(seq)); len(again) != 0 {
			t.Fatalf("command %d: the same reply again gave %v, want nothing", seq, ids(again))
		}
	}
}
