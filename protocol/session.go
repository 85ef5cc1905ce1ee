package protocol

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// Limits on replies no command waited for: a server may send one (a 421
// before it hangs up), not a stream. Past either limit the session ends,
// so an idle session's memory stays bounded.
const (
	maxUnsolicitedReplies = 100
	maxUnsolicitedBytes   = 4 << 20
)

// Default timeouts, used when a Config leaves them zero.
const (
	DefaultConnectTimeout = 10 * time.Second
	DefaultReplyTimeout   = 60 * time.Second
	writeTimeout          = 10 * time.Second
	trustTimeout          = 5 * time.Minute
)

// Config says where and how a Session connects.
type Config struct {
	// Addr is the server's host:port.
	Addr string
	// ConnectTimeout bounds dialling and TLS handshakes.
	ConnectTimeout time.Duration
	// ReplyTimeout bounds the wait for each reply once a command is sent,
	// and the silence allowed on a data connection. When it runs out the
	// session reports an error and closes.
	ReplyTimeout time.Duration

	// ImplicitTLS starts TLS as soon as the connection opens (ftps://).
	ImplicitTLS bool
	// RequireTLS sends AUTH TLS after the greeting and refuses to send
	// USER, PASS or ACCT until the control connection is protected.
	RequireTLS bool
	// RootCAs verifies server certificates; nil means the system's roots.
	RootCAs *x509.CertPool
	// Insecure accepts a certificate that does not verify. The TLS event
	// still describes it and says it was not verified.
	Insecure bool
	// AskTrust, when set, makes an untrusted certificate wait for the
	// user's decision (Session.Trust) instead of failing the handshake.
	AskTrust bool
	// MinTLS and MaxTLS bound the TLS version (tls.VersionTLS12 …); zero
	// leaves Go's defaults.
	MinTLS, MaxTLS uint16
	// MaxReplyTime bounds one reply from its first byte to its last
	// line, and MaxReplyRead the bytes read for it; past either the
	// session ends with a *BoundError. Zero means MaxReplyTime and
	// MaxReplyRead, the package's bounds.
	MaxReplyTime time.Duration
	MaxReplyRead int64
	// FollowPassiveAddress connects data connections to the address a 227
	// or 228 reply announces even when it is not the control connection's
	// peer. By default ftpscope connects to the peer and says so.
	FollowPassiveAddress bool
}

// GreetingVerb is the Verb of the reply to opening the connection.
const GreetingVerb = "(connection)"

// pendingCommand is a command that still waits for its final reply.
type pendingCommand struct {
	seq    int
	cmd    Command
	masked string
	sentAt time.Time
	// barrier, when not nil, is closed once the command's final reply has
	// been handled; the writer sends nothing else until then.
	barrier chan struct{}
}

// queued is a command accepted by Send, with its local files prepared.
type queued struct {
	line       Line
	upload     *os.File
	uploadSize int64
	// afterData holds the command until every data connection has
	// reported its end: Quit's QUIT follows the transfers it stopped.
	afterData bool
}

// Session is one FTP control connection driven by hand. Commands are sent
// in the order given and do not wait for earlier replies, as with telnet;
// replies are matched to commands in order (RFC 959 answers commands
// strictly in sequence), so each reply knows the command it answers.
// Data connections for LIST, RETR, STOR … are opened from the user's own
// PASV, EPSV, LPSV, PORT or EPRT. Everything that happens is reported as
// an Event on Events(); no method blocks on the network.
type Session struct {
	cfg    Config
	host   string
	events *Queue
	// order puts events in protocol order on their way to events.
	order  *sequencer
	cmds   chan queued
	ctx    context.Context
	cancel context.CancelFunc
	tls    *tlsState
	trust  chan bool
	// answered receives a value after each final reply, for a writer
	// waiting for earlier replies.
	answered chan struct{}

	mu      sync.Mutex
	conn    net.Conn
	pending []pendingCommand
	seq     int
	closed  bool
	// replyDeadline is when the reply being read must have ended
	// (MaxReplyTime after its first byte); zero between replies.
	replyDeadline time.Time
	endErr        error
	endReason     string
	done          chan struct{}

	// Protocol state learned from replies.
	protected bool // the control connection runs over TLS
	prot      bool // PROT P is in force
	// ascii is set once the server accepted TYPE A. Until then data moves
	// unchanged: RFC 959 makes TYPE A the default, but most servers
	// (vsftpd among them) send files byte for byte until told otherwise.
	ascii     bool
	restart   int64            // REST offset for the next transfer
	loggedIn  bool             // a 230 answered USER, PASS or ACCT
	quitting  bool             // Quit was called
	passive   *net.TCPAddr     // where the next transfer connects
	active    *net.TCPListener // where the next transfer is accepted
	transfers map[int]*transfer
	// transferWG counts running transfers.
	transferWG sync.WaitGroup
	// unsolicited counts replies in a row that no command waited for,
	// and their bytes, to stop a server that floods an idle session.
	unsolicited, unsolicitedBytes int
	// passiveErr says why the last PASV, EPSV or LPSV left no data
	// address, for the next transfer's warning.
	passiveErr string
	// refusedPassive are the passive-mode commands (PASV, EPSV, LPSV) the
	// server refused since it last gave a data address, for the next
	// transfer's warning not to advise the command just refused.
	refusedPassive []string
	// secrets are the passwords sent (PASS, ACCT), masked in replies;
	// lastUser is the last USER's name.
	secrets  []string
	lastUser string
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
	if cfg.MaxReplyTime <= 0 {
		cfg.MaxReplyTime = MaxReplyTime
	}
	if cfg.MaxReplyRead <= 0 {
		cfg.MaxReplyRead = MaxReplyRead
	}
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		host = cfg.Addr
	}
	ctx, cancel := context.WithCancel(context.Background())
	events := NewQueue()
	s := &Session{
		cfg:       cfg,
		host:      host,
		events:    events,
		order:     newSequencer(events),
		cmds:      make(chan queued, 256),
		ctx:       ctx,
		cancel:    cancel,
		trust:     make(chan bool, 1),
		answered:  make(chan struct{}, 1),
		pending:   []pendingCommand{{masked: GreetingVerb, sentAt: time.Now()}},
		done:      make(chan struct{}),
		transfers: map[int]*transfer{},
	}
	s.tls = &tlsState{
		serverName: host, roots: cfg.RootCAs, insecure: cfg.Insecure,
		cache: tls.NewLRUClientSessionCache(8), minVersion: cfg.MinTLS, maxVersion: cfg.MaxTLS,
	}
	if cfg.AskTrust {
		s.tls.ask = s.askTrust
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

// Send checks a typed line (see ParseLine) and queues it for sending. It
// returns a *RefusedError at once, with nothing sent, for a line that must
// not be sent, a local file that cannot be read, a login in clear text
// when RequireTLS is set (ErrTLSRequired), a closed session
// (ErrNotConnected), or a full queue (ErrQueueFull).
func (s *Session) Send(text string) error {
	line, err := ParseLine(text)
	if err != nil {
		return refused("", err)
	}
	verb := line.Command.Verb
	s.mu.Lock()
	protected := s.protected
	s.mu.Unlock()
	switch verb {
	case "USER", "PASS", "ACCT":
		if s.cfg.RequireTLS && !protected {
			return refused(verb, &TLSRequiredError{Verb: verb})
		}
	case "CCC":
		if protected {
			return refused(verb, ErrCCC)
		}
	}
	if s.isClosed() {
		return refused(verb, ErrNotConnected)
	}
	upload, size, err := line.openLocal()
	if err != nil {
		return refused(verb, err)
	}
	// Checked and queued under s.mu, which fail takes to mark the session
	// closed: a command is either queued before the end, and then sent or
	// reported refused (reportEnd drains the queue after fail), or
	// refused here. None is lost between the two.
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		err = ErrNotConnected
	} else {
		select {
		case s.cmds <- queued{line: line, upload: upload, uploadSize: size}:
			return nil
		default:
			err = ErrQueueFull
		}
	}
	if upload != nil {
		upload.Close()
	}
	return refused(verb, err)
}

// Trust answers a certificate question (an EventTLS with NeedsDecision):
// true accepts the certificate for this session, false refuses it.
func (s *Session) Trust(accept bool) {
	select {
	case s.trust <- accept:
	default:
	}
}

// askTrust reports an untrusted certificate and waits for Trust.
func (s *Session) askTrust(info TLSInfo) bool {
	for len(s.trust) > 0 {
		<-s.trust // a stale answer
	}
	s.order.other(Event{Kind: EventTLS, Line: "the server's certificate is not trusted: " + info.Cert.Problem, TLS: &info})
	select {
	case ok := <-s.trust:
		return ok
	case <-s.ctx.Done():
		return false
	case <-time.After(trustTimeout):
		return false
	}
}

// TLSRequired reports whether the session was asked to protect the
// control connection before any login (Config.RequireTLS).
func (s *Session) TLSRequired() bool { return s.cfg.RequireTLS && !s.cfg.ImplicitTLS }

// Protected reports whether the control connection runs over TLS.
func (s *Session) Protected() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.protected
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
// reported as not sent; an EventClose reports the end.
func (s *Session) Close() {
	s.fail(nil, "closed by ftpscope")
}

// Quit ends the session politely: it stops any running transfer (why says
// why, in the transfer's report), sends QUIT, and closes the connection
// once QUIT has its final reply. When QUIT cannot be sent, or the server
// still owes replies to earlier commands (it is stuck, and would not
// answer QUIT either), it closes at once. The reply timeout bounds the
// wait for the server's answer.
func (s *Session) Quit(why string) {
	s.mu.Lock()
	running := make([]*transfer, 0, len(s.transfers))
	for _, t := range s.transfers {
		running = append(running, t)
	}
	stuck := false
	for _, p := range s.pending {
		// A transfer's own final reply is still to come, and comes once
		// its data connection is stopped; anything else owed means the
		// server is not answering.
		if s.transfers[p.seq] == nil {
			stuck = true
		}
	}
	connected := s.conn != nil
	s.quitting = true
	s.mu.Unlock()
	for _, t := range running {
		t.stop(why)
	}
	if stuck || !connected || !s.enqueue(queued{line: Line{Command: Command{Verb: "QUIT"}}, afterData: true}) {
		s.Close()
	}
}

// enqueue queues a command unless the session has ended, and reports
// whether it did.
func (s *Session) enqueue(q queued) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	select {
	case s.cmds <- q:
		return true
	default:
		return false
	}
}

// waitForData waits until every transfer has reported its data
// connection's end, or the session ends. Only the writer waits here.
func (s *Session) waitForData() {
	s.mu.Lock()
	running := make([]*transfer, 0, len(s.transfers))
	for _, t := range s.transfers {
		running = append(running, t)
	}
	s.mu.Unlock()
	for _, t := range running {
		select {
		case <-t.ended:
		case <-s.ctx.Done():
			return
		}
	}
}

// endAfterFinal ends the session after a final reply that closes it: the
// answer to QUIT when Quit sent it or the server said 221. (A 421, which
// any command or none may get, is handled by readLoop.) The transcript
// then ends in the same order in every run, without waiting to see the
// server hang up.
func (s *Session) endAfterFinal(verb string, reply *Reply) {
	s.mu.Lock()
	quitting := s.quitting
	s.mu.Unlock()
	switch {
	case verb == "QUIT" && reply.Code == 221:
		s.fail(nil, "the session ended (221)")
	case verb == "QUIT" && quitting:
		s.fail(nil, fmt.Sprintf("closed by ftpscope after QUIT was answered %s", reply.CodeString()))
	}
}

// run connects, then reads replies until the connection ends, while a
// second goroutine writes commands. It alone reports the end, after both
// loops and every transfer have stopped, so EventClose is the last event.
func (s *Session) run() {
	defer close(s.done)
	defer s.reportEnd()
	conn, err := s.connect()
	if err != nil {
		s.fail(err, "")
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
	var writer sync.WaitGroup
	writer.Add(1)
	go func() {
		defer writer.Done()
		s.writeLoop()
	}()
	s.readLoop(conn)
	writer.Wait()
	s.stopTransfers()
}

// connect dials the server, and for implicit FTPS completes the TLS
// handshake before the greeting.
func (s *Session) connect() (net.Conn, error) {
	dialCtx, cancel := context.WithTimeout(s.ctx, s.cfg.ConnectTimeout)
	defer cancel()
	conn, info, err := dialTimed(dialCtx, s.cfg.Addr)
	if err != nil {
		return nil, &ConnectError{Addr: s.cfg.Addr, Err: err}
	}
	s.order.other(Event{Kind: EventConnect, Line: fmt.Sprintf("connected to %s from %s", conn.RemoteAddr(), conn.LocalAddr()), Connect: info})
	if !s.cfg.ImplicitTLS {
		return conn, nil
	}
	start := time.Now()
	tc, err := s.handshake(conn)
	if err != nil {
		conn.Close()
		return nil, err
	}
	s.mu.Lock()
	s.protected = true
	s.mu.Unlock()
	s.reportHandshake(tc, time.Since(start))
	return tc, nil
}

// handshake runs the control connection's TLS handshake. The caller marks
// the connection protected, then reports it with reportHandshake, so that
// nobody learns of the handshake before Send accepts a login.
func (s *Session) handshake(conn net.Conn) (*tls.Conn, error) {
	conn.SetDeadline(time.Time{})
	tc := tls.Client(conn, s.tls.config(false))
	timeout := s.cfg.ConnectTimeout
	if s.cfg.AskTrust {
		timeout += trustTimeout // the user may take time to decide
	}
	ctx, cancel := context.WithTimeout(s.ctx, timeout)
	defer cancel()
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, &HandshakeError{Addr: s.cfg.Addr, Err: err}
	}
	return tc, nil
}

// reportHandshake reports the control connection's finished handshake.
func (s *Session) reportHandshake(tc *tls.Conn, took time.Duration) {
	info := s.tls.describeState(tc.ConnectionState(), false)
	info.Handshake = took
	line := "control connection protected: " + info.Summary()
	if !info.Trusted {
		line += "; certificate NOT verified (" + info.Cert.Problem + "), " + info.Acceptance()
	}
	s.order.reader(Event{Kind: EventTLS, Line: line, TLS: &info})
}

// readLoop reads replies and matches each to the command it answers.
func (s *Session) readLoop(conn net.Conn) {
	rr := s.replyReader(conn)
	for {
		reply, err := rr.ReadReply()
		started := s.replyEnded()
		var end error
		switch {
		case err == nil, errors.Is(err, io.EOF):
		case errors.Is(err, os.ErrDeadlineExceeded) && started:
			code := 0
			if reply != nil {
				code = reply.Code
			}
			end = &BoundError{Bound: BoundReplyTime, Limit: s.cfg.MaxReplyTime.String(), Code: code, Read: formatBytes(rr.Read())}
		case errors.Is(err, os.ErrDeadlineExceeded):
			end = s.timeoutError()
		default:
			end = err
		}
		if reply != nil {
			if upgraded := s.deliver(reply, end); upgraded != nil {
				conn, rr = upgraded, s.replyReader(upgraded)
			}
			if reply.Code == 421 && end == nil {
				// The server announces it is closing the connection (RFC
				// 959 §4.2), asked or not: end here, so the transcript
				// ends the same way whether or not its hang-up is seen.
				s.fail(nil, "the server closed the session (421)")
				return
			}
		}
		if err != nil {
			if end == nil {
				s.fail(nil, "the server closed the connection")
			} else {
				s.fail(end, "")
			}
			return
		}
		if s.isClosed() {
			return
		}
	}
}

// replyReader reads replies from conn within the session's bounds.
func (s *Session) replyReader(conn net.Conn) *ReplyReader {
	rr := NewReplyReader(conn)
	rr.MaxRead, rr.OnStart = s.cfg.MaxReplyRead, s.replyStarted
	return rr
}

// replyStarted starts a reply's clock as its first byte arrives: from now
// on the read deadline is MaxReplyTime away, whatever waits.
func (s *Session) replyStarted() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replyDeadline = time.Now().Add(s.cfg.MaxReplyTime)
	s.armReadDeadline()
}

// replyEnded stops the reply's clock and reports whether a reply had
// started.
func (s *Session) replyEnded() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	started := !s.replyDeadline.IsZero()
	s.replyDeadline = time.Time{}
	return started
}

func (s *Session) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// notSent reports a queued command that was not sent because the session
// ended, closes its upload file, and stops its prepared transfer.
func (s *Session) notSent(q queued, t *transfer) {
	if q.upload != nil {
		q.upload.Close()
	}
	if t != nil {
		t.stop("the connection ended")
	}
	verb := q.line.Command.Verb
	err := refused(verb, ErrNotConnected)
	s.order.other(Event{Kind: EventError, Line: verb + " was not sent: the connection had ended", Err: err, Refused: true})
}

// enqueueInternal queues a command ftpscope sends by itself.
func (s *Session) enqueueInternal(text string) {
	cmd, _ := ParseCommand(text)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	select {
	case s.cmds <- queued{line: Line{Command: cmd}}:
	default:
	}
}

// keepWaiting extends the reply deadline while a data connection makes
// progress: a long transfer is not a silent server.
func (s *Session) keepWaiting() {
	s.mu.Lock()
	s.armReadDeadline()
	s.mu.Unlock()
}

// armReadDeadline sets the read deadline: the reply's own bound while a
// reply is being read; none while a data connection is open, since its
// own silence bound (ReplyTimeout per read) then decides, and one clock
// rather than two racing ones names a stall the same way in every run;
// ReplyTimeout from now while a command waits for a reply; none while
// idle (a quiet server is normal). Callers hold s.mu, so the reader and
// writer cannot undo each other.
func (s *Session) armReadDeadline() {
	if s.conn == nil {
		return
	}
	if !s.replyDeadline.IsZero() {
		s.conn.SetReadDeadline(s.replyDeadline)
		return
	}
	for _, t := range s.transfers {
		if !t.hasEnded() {
			s.conn.SetReadDeadline(time.Time{})
			return
		}
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
	err := &TimeoutError{After: s.cfg.ReplyTimeout}
	switch {
	case len(s.pending) > 0 && s.pending[0].masked == GreetingVerb:
		err.Greeting = true
	case len(s.pending) > 0:
		err.Command = s.pending[0].masked
	}
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
	// Commands queued but never sent are reported, and their upload files
	// closed. Send queues nothing once fail has run, so this is all.
	for {
		select {
		case q := <-s.cmds:
			s.notSent(q, nil)
			continue
		default:
		}
		break
	}
	s.mu.Lock()
	err, reason := s.endErr, s.endReason
	s.mu.Unlock()
	// Every goroutine has stopped: what the sequencer still holds (a reply
	// behind a data connection that never ended) goes out now, in order.
	s.order.flush()
	if err != nil {
		s.order.other(Event{Kind: EventError, Line: err.Error(), Err: err})
		reason = "connection lost: " + err.Error()
	}
	s.order.other(Event{Kind: EventClose, Line: reason, Err: err})
}
