package protocol

// NewTrackerAt returns a tracker that goes on from state s, as if it had
// observed the events that led there. s is not modified (Observe works on
// copies). A consumer that keeps every event without its State (which
// costs a SessionState per event) keeps the state of every so many events
// and works out the others with it. A nil s is the state before any
// connection.
func NewTrackerAt(s *SessionState) *Tracker {
	if s == nil {
		return NewTracker()
	}
	return &Tracker{state: s}
}
