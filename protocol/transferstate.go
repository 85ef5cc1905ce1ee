package protocol

// The life of one transfer: what it knows, and the signals that keep the
// transcript in protocol order (the 150 before the data connection's end,
// that end before the final reply, the final reply before the local
// file's fate).

import (
	"context"
	"fmt"
	"net"
	"os"
	"sync"
	"time"
)

// transferSettle is how long the final reply to a transfer command waits
// for the data connection's end to be reported, so the transcript reads
// "data connection closed" before 226 even when the reply is read first.
// It is longer than the grace given to an active connection that has not
// arrived (stopUnlessConnected), so that one ends first.
const transferSettle = 3 * time.Second

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
	// answered is closed when the server's first reply to the command
	// has been reported, so the data connection's end is reported after
	// the 150.
	answerOnce sync.Once
	answered   chan struct{}
	// ended is closed once the data connection's end has been reported,
	// so the final reply is reported after it.
	endOnce sync.Once
	ended   chan struct{}
	// final is closed when the final reply has been reported; finalCode
	// is its code. A download decides whether to keep its file then.
	finalOnce sync.Once
	final     chan struct{}
	finalCode int

	mu         sync.Mutex
	conn       net.Conn // the connection in use, once there is one
	stopReason string   // why ftpscope stopped the transfer, once it did
}

func newTransfer() *transfer {
	return &transfer{
		stopped:  make(chan struct{}),
		answered: make(chan struct{}),
		ended:    make(chan struct{}),
		final:    make(chan struct{}),
	}
}

// replied notes that the server's first reply to the command has been
// reported.
func (t *transfer) replied() { t.answerOnce.Do(func() { close(t.answered) }) }

// waitAnswered waits, briefly, for the server's first reply, so the
// transcript reads 150, data closed, 226, as the protocol unfolds, even
// when the data arrives before the control connection's reply is read.
func (t *transfer) waitAnswered() {
	select {
	case <-t.answered:
	case <-t.stopped:
	case <-time.After(time.Second):
	}
}

// markEnded notes that the data connection's end has been reported.
func (t *transfer) markEnded() { t.endOnce.Do(func() { close(t.ended) }) }

// waitEnded waits, at most limit, for the data connection's end to be
// reported.
func (t *transfer) waitEnded(ctx context.Context, limit time.Duration) {
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case <-t.ended:
	case <-ctx.Done():
	case <-timer.C:
	}
}

// finished records the final reply's code, once it has been reported.
func (t *transfer) finished(code int) {
	t.finalOnce.Do(func() {
		t.finalCode = code
		close(t.final)
	})
}

// waitFinal waits for the final reply's code: 0 when the session ended or
// limit passed without one.
func (t *transfer) waitFinal(ctx context.Context, limit time.Duration) int {
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case <-t.final:
		return t.finalCode
	case <-ctx.Done():
	case <-timer.C:
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
func (t *transfer) stop(reason string) {
	t.stopOnce.Do(func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		t.stopReason = reason
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

// stopUnlessConnected stops the transfer if it has no data connection
// after wait.
func (t *transfer) stopUnlessConnected(wait time.Duration) {
	select {
	case <-time.After(wait):
		if !t.connected() {
			t.stop(fmt.Sprintf("the server did not connect within %v of its final reply", wait))
		}
	case <-t.stopped:
	}
}

// connected reports whether the data connection exists yet.
func (t *transfer) connected() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.conn != nil
}

func (t *transfer) setConn(c net.Conn) {
	t.mu.Lock()
	t.conn = c
	t.mu.Unlock()
}
