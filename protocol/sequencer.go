package protocol

// The sequencer puts a session's events in protocol order, keyed by
// command number, without ever making a goroutine wait. Three goroutines
// report: the reader (replies, in the order read), the writer (sends,
// warnings, refusals) and one per transfer (its data connection). For a
// transfer command the transcript must read as the protocol unfolds:
//
//	> RETR f   · data open   < 150   · data closed   < 226   · saved
//
// but the 226 is often read before the data connection's end is seen,
// and the data can end before the 150 is read. So the sequencer holds
// events back instead of waiting for them:
//
//   - the data events of command N wait until a reply to N has been
//     emitted, or until N's final reply is next to go (a command answered
//     without a 1xx, such as 425);
//   - the final reply to a transfer command waits until its data
//     connection's end has been emitted, and every reply read after it
//     waits behind it, so replies keep the order they were read in;
//   - everything else goes out at once.
//
// A held event is released by the event it waits for, whoever reports it;
// at the session's end, flush releases whatever is left, in order, so
// nothing is lost and EventClose stays last.

import (
	"sync"
	"time"
)

// sequencer orders a session's events on their way to its Queue.
type sequencer struct {
	out *Queue

	mu sync.Mutex
	// last is the time of the last event out: an event held back goes
	// out dated no earlier, so the transcript's times never go back.
	last time.Time
	// transfers holds the state of each command with a data connection.
	transfers map[int]*seqTransfer
	// replies are reader events waiting behind a held final reply, in the
	// order read.
	replies []Event
}

// seqTransfer is what the sequencer knows of one transfer command.
type seqTransfer struct {
	dataFree  bool    // data events may go out
	dataEnded bool    // the data connection's end has gone out
	data      []Event // data events waiting for dataFree
}

func newSequencer(out *Queue) *sequencer {
	return &sequencer{out: out, transfers: map[int]*seqTransfer{}}
}

// transfer registers command seq as one with a data connection, before
// any of its events is reported.
func (q *sequencer) transfer(seq int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.transfers[seq] = &seqTransfer{}
}

// other reports an event that waits for nothing: a send, a warning, a
// refusal, the connection's own events.
func (q *sequencer) other(ev Event) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.push(ev)
}

// push dates ev, no earlier than the last event out, and queues it.
// Callers hold q.mu.
func (q *sequencer) push(ev Event) {
	if ev.Time.IsZero() {
		ev.Time = time.Now()
	}
	if ev.Time.Before(q.last) {
		ev.Time = q.last
	}
	q.last = ev.Time
	q.out.Push(ev)
}

// reader reports an event of the reader goroutine: a reply, or the
// control connection's TLS handshake that follows a 234.
func (q *sequencer) reader(ev Event) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.replies = append(q.replies, ev)
	q.advance()
}

// data reports an event of a transfer: open, TLS, progress, close or
// saved. A close (DataClosed) ends the data connection.
func (q *sequencer) data(ev Event) {
	q.mu.Lock()
	defer q.mu.Unlock()
	t := q.transfers[ev.Seq]
	if t == nil || t.dataFree {
		q.emitData(t, ev)
		q.advance()
		return
	}
	t.data = append(t.data, ev)
}

// flush releases every held event, replies first and then each
// transfer's data in command order, at the session's end.
func (q *sequencer) flush() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, ev := range q.replies {
		q.push(ev)
	}
	q.replies = nil
	for seq := 0; len(q.transfers) > 0; seq++ {
		if t, ok := q.transfers[seq]; ok {
			for _, ev := range t.data {
				q.push(ev)
			}
			delete(q.transfers, seq)
		}
	}
}

// advance emits the held replies that may go, in order, and frees the
// data events they were holding. Callers hold q.mu.
func (q *sequencer) advance() {
	for len(q.replies) > 0 {
		ev := q.replies[0]
		t := q.transfers[ev.Seq]
		if t != nil && isFinal(ev) {
			// The data's end goes first, as it happened first.
			q.free(t)
			if !t.dataEnded {
				return
			}
			delete(q.transfers, ev.Seq)
		}
		q.push(ev)
		q.replies = q.replies[1:]
		if t != nil && ev.Kind == EventReply && !isFinal(ev) {
			q.free(t) // a 1xx: the data connection may report
		}
	}
}

// free lets a transfer's data events go out, the held ones first.
// Callers hold q.mu.
func (q *sequencer) free(t *seqTransfer) {
	if t.dataFree {
		return
	}
	t.dataFree = true
	held := t.data
	t.data = nil
	for _, ev := range held {
		q.emitData(t, ev)
	}
}

// emitData sends out one data event and notes a data connection's end.
// Callers hold q.mu.
func (q *sequencer) emitData(t *seqTransfer, ev Event) {
	q.push(ev)
	if t != nil && ev.Data != nil && ev.Data.Phase == DataClosed {
		t.dataEnded = true
	}
}

// isFinal reports whether ev is a final reply (not 1xx).
func isFinal(ev Event) bool {
	return ev.Kind == EventReply && ev.Reply != nil && ev.Reply.Class() != 1
}
