package protocol

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// Default timeouts, used when a Config leaves them zero.
const (
	DefaultConnectTimeout = 10 * time.Second
	DefaultReplyTimeout   = 60 * time.Second
	writeTimeout          = 10 * time.Second
)

// Config says where and how a Session connects.
type Config struct {
	// Addr is the server's host:port.
	Addr string
	// ConnectTimeout bounds dialling the control connection.
	ConnectTimeout time.Duration
	// ReplyTimeout bounds the wait for each reply once a command is sent.
	// When it runs out the session reports an error and closes.
	ReplyTimeout time.Duration
}

// GreetingVerb is the Verb of the reply to opening the connection.
const GreetingVerb = "(connection)"

// pendingCommand is a command that still waits for its final reply.
type pendingCommand struct {
	cmd    Command
	masked string
	sentAt time.Time
}

// Session is one FTP control connection driven by hand. Commands are sent
// in the order given and never wait for earlier replies, as with telnet;
// replies are matched to commands in order (RFC 959 answers commands
// strictly in sequence), so each reply knows the command it answers.
// Everything that happens is reported as an Event on Events(); no method
// blocks on the network.
type Session struct {
	cfg    Config
	events *Queue
	cmds   chan Command
	ctx    context.Context
	cancel context.CancelFunc

	mu        sync.Mutex
	conn      net.Conn
	pending   []pendingCommand
	closed    bool
	endErr    error
	endReason string
	done      chan struct{}
}

// Dial starts a session. It returns at once; the connection is made in the
// background and reported as an EventConnect, or an EventError followed by
// an EventClose.
func Dial(cfg Config) *Session {
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	if cfg.ReplyTimeout <= 0 {
		cfg.ReplyTimeout = DefaultReplyTimeout
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Session{
		cfg:     cfg,
		events:  NewQueue(),
		cmds:    make(chan Command, 256),
		ctx:     ctx,
		cancel:  cancel,
		pending: []pendingCommand{{masked: GreetingVerb, sentAt: time.Now()}},
		done:    make(chan struct{}),
	}
	go s.run()
	return s
}

// Events returns the queue the session reports to.
func (s *Session) Events() *Queue { return s.events }

// Done returns a channel closed once the session has ended and its last
// event (an EventClose) is queued: after Done, Drain returns every event
// that remains.
func (s *Session) Done() <-chan struct{} { return s.done }

// Send checks a command line and queues it for sending. It returns an error
// at once for a line that must not be sent (see ParseCommand), or when the
// session is closed or too many commands are already waiting.
func (s *Session) Send(line string) error {
	cmd, err := ParseCommand(line)
	if err != nil {
		return err
	}
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return errors.New("not connected: use :connect or :reconnect first")
	}
	select {
	case s.cmds <- cmd:
		return nil
	default:
		return errors.New("too many commands are waiting to be sent; wait for replies first")
	}
}

// Pending returns how many commands wait for a reply and when the oldest
// was sent, for showing elapsed time.
func (s *Session) Pending() (n int, since time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) == 0 {
		return 0, time.Time{}
	}
	return len(s.pending), s.pending[0].sentAt
}

// Close ends the session without sending QUIT. Commands not yet sent are
// dropped; an EventClose reports the end.
func (s *Session) Close() {
	s.fail(nil, "closed by ftpscope")
}

// run connects, then reads replies until the connection ends, while a
// second goroutine writes commands. It alone reports the end, after both
// loops have stopped, so the EventClose is always the last event.
func (s *Session) run() {
	defer close(s.done)
	defer s.reportEnd()
	dialCtx, cancel := context.WithTimeout(s.ctx, s.cfg.ConnectTimeout)
	var d net.Dialer
	conn, err := d.DialContext(dialCtx, "tcp", s.cfg.Addr)
	cancel()
	if err != nil {
		s.fail(fmt.Errorf("connect to %s: %w", s.cfg.Addr, err), "")
		return
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		conn.Close()
		return
	}
	s.conn = conn
	s.armReadDeadline()
	s.mu.Unlock()
	s.events.Push(Event{Kind: EventConnect, Line: fmt.Sprintf("connected to %s from %s", conn.RemoteAddr(), conn.LocalAddr())})
	var writer sync.WaitGroup
	writer.Add(1)
	go func() {
		defer writer.Done()
		s.writeLoop(conn)
	}()
	s.readLoop(conn)
	writer.Wait()
}

// readLoop reads replies and matches each to the command it answers.
func (s *Session) readLoop(conn net.Conn) {
	rr := NewReplyReader(conn)
	for {
		reply, err := rr.ReadReply()
		if reply != nil {
			s.deliver(reply)
		}
		if err != nil {
			switch {
			case errors.Is(err, io.EOF):
				s.fail(nil, "the server closed the connection")
			case errors.Is(err, os.ErrDeadlineExceeded):
				s.fail(s.timeoutError(), "")
			default:
				s.fail(err, "")
			}
			return
		}
	}
}

// deliver matches a reply to the oldest waiting command and reports it. A
// 1yz reply is preliminary: the command keeps waiting for its final reply.
func (s *Session) deliver(reply *Reply) {
	now := time.Now()
	ev := Event{Kind: EventReply, Time: now, Reply: reply}
	s.mu.Lock()
	if len(s.pending) > 0 {
		p := s.pending[0]
		ev.Command, ev.Verb, ev.RTT = p.masked, p.cmd.Verb, now.Sub(p.sentAt)
		if p.masked == GreetingVerb {
			ev.Verb = GreetingVerb
		}
		if reply.Class() != 1 {
			s.pending = s.pending[1:]
		}
	}
	s.armReadDeadline()
	s.mu.Unlock()
	s.events.Push(ev)
}

// armReadDeadline sets the read deadline: ReplyTimeout from now while a
// command waits for a reply, none while idle (a quiet server is normal).
// Callers hold s.mu, so the reader and writer cannot undo each other.
func (s *Session) armReadDeadline() {
	if s.conn == nil {
		return
	}
	if len(s.pending) > 0 {
		s.conn.SetReadDeadline(time.Now().Add(s.cfg.ReplyTimeout))
	} else {
		s.conn.SetReadDeadline(time.Time{})
	}
}

func (s *Session) timeoutError() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	what := "reply"
	if len(s.pending) > 0 {
		what = "reply to " + s.pending[0].masked
	}
	return fmt.Errorf("no %s within %v; closing the connection", what, s.cfg.ReplyTimeout)
}

// writeLoop sends queued commands in order.
func (s *Session) writeLoop(conn net.Conn) {
	for {
		select {
		case <-s.ctx.Done():
			return
		case cmd := <-s.cmds:
			if err := s.write(conn, cmd); err != nil {
				s.fail(fmt.Errorf("send %s: %w", cmd.Verb, err), "")
				return
			}
		}
	}
}

func (s *Session) write(conn net.Conn, cmd Command) error {
	masked := cmd.Masked()
	s.mu.Lock()
	s.pending = append(s.pending, pendingCommand{cmd: cmd, masked: masked, sentAt: time.Now()})
	s.armReadDeadline()
	s.mu.Unlock()
	s.events.Push(Event{Kind: EventSend, Line: masked})
	conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	_, err := conn.Write(cmd.Wire())
	return err
}

// fail ends the session once: it records why (err when something failed,
// otherwise reason), stops both loops and closes the connection. The first
// cause wins: after Close, the read error it provokes is not reported.
func (s *Session) fail(err error, reason string) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.endErr, s.endReason = err, reason
	conn := s.conn
	s.mu.Unlock()
	s.cancel()
	if conn != nil {
		conn.Close()
	}
}

// reportEnd queues the final events: an EventError when the session failed,
// then the EventClose.
func (s *Session) reportEnd() {
	s.fail(nil, "the connection ended")
	s.mu.Lock()
	err, reason := s.endErr, s.endReason
	s.mu.Unlock()
	if err != nil {
		s.events.Push(Event{Kind: EventError, Line: err.Error(), Err: err})
		reason = "connection lost: " + err.Error()
	}
	s.events.Push(Event{Kind: EventClose, Line: reason, Err: err})
}
