package diagnose

import "github.com/ftpscope/ftpscope/protocol"

// eventRing keeps the newest recentEvents events for evidence, in a fixed
// array written in turn: adding an event copies that one event and
// nothing else, however long the session (a slice trimmed from the front
// copied the whole window from time to time, and grew with it).
type eventRing struct {
	events [recentEvents]protocol.Event
	// next is where the next event goes; n counts the events held.
	next, n int
}

// add keeps ev, forgetting the oldest event when the ring is full.
func (r *eventRing) add(ev protocol.Event) {
	r.events[r.next] = ev
	r.next = (r.next + 1) % recentEvents
	if r.n < recentEvents {
		r.n++
	}
}

// clear forgets every event, and the values they point to.
func (r *eventRing) clear() {
	*r = eventRing{}
}

// len is the number of events held.
func (r *eventRing) len() int { return r.n }

// at returns the i-th event held, oldest first (0 ≤ i < len).
func (r *eventRing) at(i int) *protocol.Event {
	return &r.events[(r.next-r.n+i+recentEvents)%recentEvents]
}

// firedKey is one rule reported for one command.
type firedKey struct {
	rule string
	seq  int
}

// recentCommands is how many command numbers back a rule is remembered
// as reported for a command: an event about an older command than that
// (the newest seen, less recentCommands) is not expected, so the
// remembered pairs stay bounded however long the connection.
const recentCommands = 256

// firedSet remembers the rule and command pairs already reported, so one
// fault gives one finding however many events show it. Only pairs of the
// newest recentCommands commands are kept: it is pruned, in one pass,
// each time it has doubled since the last pruning.
type firedSet struct {
	m map[firedKey]struct{}
	// newest is the newest command number added.
	newest int
	// pruneAt is the size at which the set is pruned next.
	pruneAt int
}

// minPrune is the smallest size at which a firedSet is pruned.
const minPrune = 64

// has reports whether rule was reported for command seq.
func (s *firedSet) has(k firedKey) bool {
	_, ok := s.m[k]
	return ok
}

// add remembers that rule was reported for command seq.
func (s *firedSet) add(k firedKey) {
	if s.m == nil {
		s.m, s.pruneAt = map[firedKey]struct{}{}, minPrune
	}
	s.m[k] = struct{}{}
	s.newest = max(s.newest, k.seq)
	if len(s.m) < s.pruneAt {
		return
	}
	for old := range s.m {
		if old.seq != 0 && old.seq <= s.newest-recentCommands {
			delete(s.m, old)
		}
	}
	s.pruneAt = max(minPrune, 2*len(s.m))
}

// clear forgets every pair (a new connection numbers commands from 1).
func (s *firedSet) clear() { *s = firedSet{} }
