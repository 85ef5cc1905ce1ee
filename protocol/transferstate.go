package protocol

// The life of one transfer: what it knows, and the signals between its
// goroutine and the session (the data connection's end, the final reply's
// code that decides a download's file). The transcript's order is the
// sequencer's business (sequencer.go).

import (
	"context"
	"fmt"
	"net"
	"os"
	"sync"
	"time"
)

// transfer is one data connection, from its preparation to its end.
type transfer struct {
	seq       int
	verb      string
	direction string
	ascii     bool
	protected bool

	// Exactly one of dialled (passive) and listener (active) is set.
	dialled  net.Conn
	listener net.Listener
	peer     net.IP // active: the only address allowed to connect
	// opened reports the passive connection; it is pushed once the
	// command has its number, just before the command.
	opened *Event
	// openTime is the time opening the data connection took; opened is
	// when it was ready (after TLS), firstByte the wait for the first
	// byte of a download after that.
	openTime  time.Duration
	openedAt  time.Time
	firstByte time.Duration

	upload     *os.File
	uploadSize int64
	savePath   string
	restart    int64

	stopOnce sync.Once
	stopped  chan struct{}
	// ended is closed once the data connection's end has been reported:
	// the control connection's reply clock then runs again.
	endOnce sync.Once
	ended   chan struct{}
	// preliminary is closed when the command's 1xx reply has come: an
	// upload starts sending then, not before (see Session.upload).
	prelimOnce  sync.Once
	preliminary chan struct{}
	// final is closed when the final reply has been reported; finalCode
	// is its code. A download decides whether to keep its file then.
	finalOnce sync.Once
	final     chan struct{}
	finalCode int

	mu         sync.Mutex
	conn       net.Conn // the connection in use, once there is one
	stopReason string   // why ftpscope stopped the transfer, once it did
	// answered is the code of the negative final reply that stopped the
	// transfer (stopForReply), or 0.
	answered int
}

func newTransfer() *transfer {
	return &transfer{
		stopped:     make(chan struct{}),
		ended:       make(chan struct{}),
		preliminary: make(chan struct{}),
		final:       make(chan struct{}),
	}
}

// started records that the command's 1xx reply has come.
func (t *transfer) started() { t.prelimOnce.Do(func() { close(t.preliminary) }) }

// markEnded notes that the data connection's end has been reported.
func (t *transfer) markEnded() { t.endOnce.Do(func() { close(t.ended) }) }

// hasEnded reports whether the data connection's end has been reported.
func (t *transfer) hasEnded() bool {
	select {
	case <-t.ended:
		return true
	default:
		return false
	}
}

// finished records the final reply's code, once it has been reported.
func (t *transfer) finished(code int) {
	t.finalOnce.Do(func() {
		t.finalCode = code
		close(t.final)
	})
}

// waitFinal waits for the final reply's code: 0 when the session ended
// without one. The session's own reply timeout bounds the wait.
func (t *transfer) waitFinal(ctx context.Context) int {
	select {
	case <-t.final:
		return t.finalCode
	case <-ctx.Done():
	}
	// The reply may have been reported just as the wait gave up.
	select {
	case <-t.final:
		return t.finalCode
	default:
		return 0
	}
}

// stop ends the transfer early: it closes whatever is open, so a blocked
// accept, read or write returns. The reason is shown if the data
// connection was cut.
func (t *transfer) stop(reason string) { t.halt(reason, 0) }

// stopForReply stops the transfer because its command got a final reply
// with code (a refusal, or a final reply without a 1xx).
func (t *transfer) stopForReply(code int) {
	t.halt(fmt.Sprintf("the server answered %d", code), code)
}

// halt is stop, remembering the final reply's code when that stopped it.
func (t *transfer) halt(reason string, code int) {
	t.stopOnce.Do(func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		t.stopReason, t.answered = reason, code
		close(t.stopped)
		if t.listener != nil {
			t.listener.Close()
		}
		if t.dialled != nil {
			t.dialled.Close()
		}
		if t.conn != nil {
			t.conn.Close()
		}
	})
}

// stoppedBecause returns why ftpscope stopped the transfer, or "" if it
// did not.
func (t *transfer) stoppedBecause() string {
	select {
	case <-t.stopped:
		t.mu.Lock()
		defer t.mu.Unlock()
		return t.stopReason
	default:
		return ""
	}
}

// answeredWith returns the code of the final reply that stopped the
// transfer, or 0 when none did.
func (t *transfer) answeredWith() int {
	select {
	case <-t.stopped:
		t.mu.Lock()
		defer t.mu.Unlock()
		return t.answered
	default:
		return 0
	}
}

func (t *transfer) setConn(c net.Conn) {
	t.mu.Lock()
	t.conn = c
	t.mu.Unlock()
}
