package protocol

import (
	"sync"
	"time"
)

// EventKind names what happened in an Event. The names are also the "kind"
// values of ftpscope run --json.
type EventKind string

// The kinds of event a Session reports.
const (
	// EventConnect: the control connection is open (Line holds the peer).
	EventConnect EventKind = "connect"
	// EventSend: a command was written (Line holds it, password masked).
	EventSend EventKind = "send"
	// EventReply: a reply was read (Reply, Command, RTT are set).
	EventReply EventKind = "reply"
	// EventData: a data connection opened, moved bytes or closed.
	EventData EventKind = "data"
	// EventTLS: a TLS handshake finished (Line describes it).
	EventTLS EventKind = "tls"
	// EventWarning: something worth the user's attention that is not fatal.
	EventWarning EventKind = "warning"
	// EventError: an operation failed (Err is set).
	EventError EventKind = "error"
	// EventClose: the control connection is closed; no more events follow.
	EventClose EventKind = "close"
)

// Event is one step of a session, in the order it happened.
type Event struct {
	Kind EventKind
	Time time.Time
	// Line is the text of the event: the masked command of a send, or a
	// sentence for connect, tls, warning, error and close.
	Line string
	// Reply is the reply of an EventReply; Reply.Raw holds its bytes as
	// read.
	Reply *Reply
	// Raw is, for an EventSend, the bytes written to the connection:
	// the command with 0xFF doubled, CRLF, and the Telnet Data Mark before
	// an ABOR sent with the Synch, with a password masked as in Line.
	Raw []byte
	// Command is, for an EventReply, the masked command line the reply
	// answers, "(connection)" for the greeting, or "" when no command was
	// waiting for a reply.
	Command string
	// Verb is Command's verb, such as "USER", or "(connection)".
	Verb string
	// RTT is, for an EventReply, the time since its command was sent.
	RTT time.Duration
	// Err is the error of an EventError or of an EventClose caused by one,
	// or, on an EventReply, the error that cut the reply short: the
	// session ends after it.
	Err error
	// Refused marks an EventError about a command that was not sent
	// (its data connection could not be prepared); the session goes on.
	Refused bool
	// Seq numbers the commands sent, from 1; send, reply and data events
	// carry the number of the command they belong to (0 for the greeting).
	Seq int
	// Transfer is set on an EventSend whose command opens a data
	// connection that ftpscope prepared; an EventData with Phase
	// DataClosed for the same Seq always follows, and for a download saved
	// to a file one with Phase DataSaved after the final reply.
	Transfer bool
	// Note annotates a send or a reply with what ftpscope did or read:
	// the listener it opened for PORT/EPRT, a decoded passive address.
	Note string
	// Warnings are problems ftpscope noticed in a reply, such as a passive
	// address that is not the server's; they are shown after it.
	Warnings []string
	// Data describes an EventData.
	Data *DataInfo
	// TLS describes an EventTLS.
	TLS *TLSInfo
	// State is the session's state after this event, and Effect what a
	// final reply changed (nil when nothing): worked out once, by the
	// queue's Tracker, for every consumer (see state.go).
	State  *SessionState
	Effect *Effect
	// Connect describes an EventConnect: the addresses and the time the
	// name lookup and the TCP connect took.
	Connect *ConnectInfo
}

// Phases of a data connection, in DataInfo.Phase.
const (
	DataOpened   = "open"
	DataProgress = "progress"
	DataClosed   = "close"
	// DataSaved follows the final reply to a download saved to a file
	// (RETR name > file): whether the file was kept, and where.
	DataSaved = "saved"
)

// DataInfo describes a data connection at one phase of its life.
type DataInfo struct {
	// Phase is DataOpened, DataProgress, DataClosed or DataSaved.
	Phase string
	// Direction is "download" (LIST, NLST, MLSD, RETR) or "upload".
	Direction string
	// Verb is the transfer command, such as "RETR".
	Verb string
	// Local and Remote are the data connection's addresses.
	Local, Remote string
	// Protected reports whether the data connection runs over TLS.
	Protected bool
	// LocalFile is the file written (RETR > file) or read (STOR < file).
	LocalFile string
	// Bytes counts the bytes moved on the connection so far.
	Bytes int64
	// Uncounted reports, on DataClosed, a connection whose byte count is
	// not known: a recording (lftp's debug log) shows the connection open
	// and close but not what it carried. Bytes is then 0 and means
	// nothing; outputs say "size not recorded".
	Uncounted bool
	// Size is the total to upload, or the size announced for a download
	// when known; 0 when unknown.
	Size int64
	// Elapsed is the time since the connection opened.
	Elapsed time.Duration
	// OpenTime is the time it took to open the connection (connect in
	// passive mode, the server's connection in active mode), and
	// FirstByte the time from opening to the first byte received.
	OpenTime, FirstByte time.Duration
	// Preview holds the first PreviewSize bytes received (on DataClosed).
	Preview []byte
	// ASCII reports a TYPE A transfer, whose line endings were converted.
	ASCII bool
	// Err is why the connection ended early, on DataClosed, or why the
	// download is incomplete, on DataSaved; nil when all went well.
	Err error
	// Saved reports, on DataSaved, whether LocalFile now holds what was
	// received: complete when Err is nil, the part received otherwise.
	// When false, LocalFile is as it was before the download.
	Saved bool
}

// Queue hands events from a session's goroutines to one consumer. Pushing
// never blocks, so a slow consumer never stalls the network; the consumer
// takes everything pending at once with Drain, so a burst of events costs
// one wake-up.
type Queue struct {
	mu      sync.Mutex
	events  []Event
	ready   chan struct{}
	tracker *Tracker
}

// NewQueue returns an empty queue.
func NewQueue() *Queue {
	return &Queue{ready: make(chan struct{}, 1), tracker: NewTracker()}
}

// Push interprets an event (its State and Effect, in the order events are
// queued), appends it and wakes the consumer.
func (q *Queue) Push(e Event) {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	q.mu.Lock()
	q.tracker.Observe(&e)
	q.events = append(q.events, e)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// State returns the session's state after the newest event queued.
func (q *Queue) State() *SessionState {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.tracker.State()
}

// Ready returns a channel that receives a value when events are pending.
func (q *Queue) Ready() <-chan struct{} { return q.ready }

// Drain removes and returns all pending events, oldest first.
func (q *Queue) Drain() []Event {
	q.mu.Lock()
	defer q.mu.Unlock()
	events := q.events
	q.events = nil
	return events
}
