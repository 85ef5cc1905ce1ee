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
	"strings"
	"sync"
	"time"
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
	// FollowPassiveAddress connects data connections to the address a 227
	// or 228 reply announces even when it is not the control connection's
	// peer. By default ftpscope connects to the peer and says so.
	FollowPassiveAddress bool
}

// ErrNotConnected is returned by Send once the session has ended.
var ErrNotConnected = errors.New("not connected")

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
	cmds   chan queued
	ctx    context.Context
	cancel context.CancelFunc
	tls    *tlsState
	trust  chan bool
	// answered receives a value after each final reply, for a writer
	// waiting for earlier replies.
	answered chan struct{}

	mu        sync.Mutex
	conn      net.Conn
	pending   []pendingCommand
	seq       int
	closed    bool
	endErr    error
	endReason string
	done      chan struct{}

	// Protocol state learned from replies.
	protected bool             // the control connection runs over TLS
	prot      bool             // PROT P is in force
	ascii     bool             // TYPE A (the default) rather than TYPE I
	restart   int64            // REST offset for the next transfer
	passive   *net.TCPAddr     // where the next transfer connects
	active    *net.TCPListener // where the next transfer is accepted
	transfers map[int]*transfer
	// transferWG counts running transfers.
	transferWG sync.WaitGroup
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
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		host = cfg.Addr
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Session{
		cfg:       cfg,
		host:      host,
		events:    NewQueue(),
		cmds:      make(chan queued, 256),
		ctx:       ctx,
		cancel:    cancel,
		trust:     make(chan bool, 1),
		answered:  make(chan struct{}, 1),
		pending:   []pendingCommand{{masked: GreetingVerb, sentAt: time.Now()}},
		done:      make(chan struct{}),
		ascii:     true,
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
// returns an error at once, with nothing sent, for a line that must not be
// sent, a local file that cannot be read, a login in clear text when
// RequireTLS is set, a closed session, or a full queue.
func (s *Session) Send(text string) error {
	line, err := ParseLine(text)
	if err != nil {
		return err
	}
	s.mu.Lock()
	closed, protected := s.closed, s.protected
	s.mu.Unlock()
	if closed {
		return ErrNotConnected
	}
	switch line.Command.Verb {
	case "USER", "PASS", "ACCT":
		if s.cfg.RequireTLS && !protected {
			return fmt.Errorf("refusing to send %s in clear text: TLS was required and the control connection is not protected", line.Command.Verb)
		}
	}
	upload, size, err := line.openLocal()
	if err != nil {
		return err
	}
	select {
	case s.cmds <- queued{line: line, upload: upload, uploadSize: size}:
		return nil
	default:
		if upload != nil {
			upload.Close()
		}
		return errors.New("too many commands are waiting to be sent; wait for replies first")
	}
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
	s.events.Push(Event{Kind: EventTLS, Line: "the server's certificate is not trusted: " + info.Cert.Problem, TLS: &info})
	select {
	case ok := <-s.trust:
		return ok
	case <-s.ctx.Done():
		return false
	case <-time.After(trustTimeout):
		return false
	}
}

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
// dropped; an EventClose reports the end.
func (s *Session) Close() {
	s.fail(nil, "closed by ftpscope")
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
	var d net.Dialer
	conn, err := d.DialContext(dialCtx, "tcp", s.cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", s.cfg.Addr, err)
	}
	s.events.Push(Event{Kind: EventConnect, Line: fmt.Sprintf("connected to %s from %s", conn.RemoteAddr(), conn.LocalAddr())})
	if !s.cfg.ImplicitTLS {
		return conn, nil
	}
	tc, err := s.handshake(conn)
	if err != nil {
		conn.Close()
		return nil, err
	}
	s.mu.Lock()
	s.protected = true
	s.mu.Unlock()
	s.reportHandshake(tc)
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
		return nil, fmt.Errorf("TLS handshake with %s: %w", s.cfg.Addr, err)
	}
	return tc, nil
}

// reportHandshake reports the control connection's finished handshake.
func (s *Session) reportHandshake(tc *tls.Conn) {
	info := s.tls.describeState(tc.ConnectionState(), false)
	line := "control connection protected: " + info.Summary()
	if !info.Trusted {
		line += "; certificate NOT verified (" + info.Cert.Problem + "), accepted by your choice"
	}
	s.events.Push(Event{Kind: EventTLS, Line: line, TLS: &info})
}

// readLoop reads replies and matches each to the command it answers.
func (s *Session) readLoop(conn net.Conn) {
	rr := NewReplyReader(conn)
	for {
		reply, err := rr.ReadReply()
		if reply != nil {
			if upgraded := s.deliver(reply); upgraded != nil {
				conn, rr = upgraded, NewReplyReader(upgraded)
			}
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
		if s.isClosed() {
			return
		}
	}
}

func (s *Session) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// deliver matches a reply to the oldest waiting command, learns from it,
// and reports it. A 1yz reply is preliminary: the command keeps waiting
// for its final reply. When the reply starts TLS (234 to AUTH TLS), deliver
// runs the handshake and returns the protected connection.
func (s *Session) deliver(reply *Reply) net.Conn {
	now := time.Now()
	ev := Event{Kind: EventReply, Time: now, Reply: reply}
	var done *pendingCommand
	s.mu.Lock()
	if len(s.pending) > 0 {
		p := s.pending[0]
		ev.Command, ev.Verb, ev.RTT, ev.Seq = p.masked, p.cmd.Verb, now.Sub(p.sentAt), p.seq
		if p.masked == GreetingVerb {
			ev.Verb = GreetingVerb
		}
		if reply.Class() != 1 {
			s.pending = s.pending[1:]
			done = &p
		}
	}
	if t := s.transfers[ev.Seq]; t != nil {
		t.replied()
	}
	if done != nil {
		ev.Note, ev.Warnings = s.learn(done, reply)
	}
	s.armReadDeadline()
	s.mu.Unlock()
	s.events.Push(ev)
	if done == nil {
		return nil
	}
	if ev.Verb == GreetingVerb && reply.Code == 220 && s.cfg.RequireTLS && !s.cfg.ImplicitTLS {
		s.enqueueInternal("AUTH TLS")
	}
	var upgraded net.Conn
	if done.cmd.Verb == "AUTH" && (reply.Code == 234 || reply.Code == 334) && isTLSMechanism(done.cmd.Arg) {
		upgraded = s.upgrade()
	}
	if done.cmd.Verb == "AUTH" && reply.Class() >= 4 && s.cfg.RequireTLS {
		s.fail(fmt.Errorf("the server refused AUTH TLS (%s); nothing more was sent, so no password crossed the network in clear text", Escape(reply.Lines[0])), "")
	}
	if done.barrier != nil {
		close(done.barrier)
	}
	select {
	case s.answered <- struct{}{}:
	default:
	}
	return upgraded
}

// learn updates the session from a final reply and returns a note for the
// reply event and warnings to report after it. Callers hold s.mu.
func (s *Session) learn(p *pendingCommand, reply *Reply) (note string, warnings []string) {
	ok := reply.Class() == 2
	verb, arg := p.cmd.Verb, strings.ToUpper(strings.TrimSpace(p.cmd.Arg))
	if t := s.transfers[p.seq]; t != nil {
		switch {
		case reply.Class() >= 4:
			// A refused or failed transfer: its data connection is over.
			go t.stop()
		case t.listener != nil:
			// An active transfer the server has not joined yet may still
			// be in the accept queue (some servers connect at PORT time);
			// give it a moment before giving up.
			go t.stopUnlessConnected(2 * time.Second)
		}
	}
	switch {
	case verb == "PASV" && reply.Code == 227, verb == "LPSV" && reply.Code == 228:
		parse := ParsePASV
		if verb == "LPSV" {
			parse = ParseLPSV
		}
		pasv, err := parse(reply.Text())
		if err != nil {
			return "", []string{err.Error()}
		}
		return s.choosePassive(pasv)
	case verb == "EPSV" && reply.Code == 229:
		pasv, err := ParseEPSV(reply.Text())
		if err != nil {
			return "", []string{err.Error()}
		}
		return s.choosePassive(pasv)
	case verb == "TYPE" && ok:
		s.ascii = strings.HasPrefix(arg, "A")
		if s.ascii {
			return "transfers now use TYPE A: line endings are converted (CRLF on the wire)", nil
		}
		return "transfers now use TYPE " + arg + ": bytes are moved unchanged", nil
	case verb == "PROT" && ok:
		s.prot = arg == "P"
		if s.prot {
			return "data connections will be protected with TLS, resuming the control connection's session", nil
		}
		return "data connections will be sent in clear text", nil
	case verb == "REST" && reply.Code == 350:
		var n int64
		if _, err := fmt.Sscan(arg, &n); err == nil && n >= 0 {
			s.restart = n
			return fmt.Sprintf("the next RETR, STOR or APPE starts at byte %d", n), nil
		}
	case verb == "REIN" && ok:
		s.ascii, s.prot, s.restart = true, false, 0
		return "the session was reset: TYPE A, no PROT, logged out", nil
	}
	return "", nil
}

// choosePassive records where the next transfer connects. A 227 or 228
// address that is not the control connection's peer (a private address
// behind NAT, 0.0.0.0, another host) is replaced by the peer's, unless the
// user asked to follow the server. Callers hold s.mu.
func (s *Session) choosePassive(p Passive) (string, []string) {
	peer := s.peerIP()
	if s.active != nil {
		s.active.Close()
		s.active = nil
	}
	if p.IP == nil { // EPSV: the port only
		s.passive = &net.TCPAddr{IP: peer, Port: p.Port}
		return fmt.Sprintf("data address: %s (%s)", s.passive, p.Working), nil
	}
	note := "data address: " + p.Working
	if p.IP.Equal(peer) {
		s.passive = &net.TCPAddr{IP: p.IP, Port: p.Port}
		return note, nil
	}
	if s.cfg.FollowPassiveAddress {
		s.passive = &net.TCPAddr{IP: p.IP, Port: p.Port}
		return note, []string{fmt.Sprintf("the server announced %s, which is not the control connection's address %s; following it as --pasv-address=server asks", p.IP, peer)}
	}
	s.passive = &net.TCPAddr{IP: peer, Port: p.Port}
	why := "another host"
	switch {
	case p.IP.IsUnspecified():
		why = "an unspecified address"
	case p.IP.IsPrivate():
		why = "a private address, typical of a server behind NAT"
	case p.IP.IsLoopback():
		why = "a loopback address other than the one you connected to"
	}
	return note, []string{fmt.Sprintf("the server announced %s (%s), not %s where the control connection goes; ftpscope will connect to %s instead (--pasv-address=server follows the server)", p.IP, why, peer, s.passive)}
}

// peerIP is the control connection's remote address. Callers hold s.mu.
func (s *Session) peerIP() net.IP {
	if s.conn == nil {
		return nil
	}
	if a, ok := s.conn.RemoteAddr().(*net.TCPAddr); ok {
		return a.IP
	}
	return nil
}

// upgrade runs the TLS handshake after a 234 and switches both loops to the
// protected connection. A failed handshake ends the session: the server
// expects TLS and the connection cannot go back to clear text.
func (s *Session) upgrade() net.Conn {
	s.mu.Lock()
	conn := s.conn
	s.mu.Unlock()
	tc, err := s.handshake(conn)
	if err != nil {
		s.fail(err, "")
		return nil
	}
	s.mu.Lock()
	s.conn, s.protected = tc, true
	s.armReadDeadline()
	s.mu.Unlock()
	s.reportHandshake(tc)
	return tc
}

func isTLSMechanism(arg string) bool {
	switch strings.ToUpper(strings.TrimSpace(arg)) {
	case "TLS", "SSL", "TLS-C", "TLS-P":
		return true
	}
	return false
}

// enqueueInternal queues a command ftpscope sends by itself.
func (s *Session) enqueueInternal(text string) {
	cmd, _ := ParseCommand(text)
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
func (s *Session) writeLoop() {
	for {
		select {
		case <-s.ctx.Done():
			return
		case q := <-s.cmds:
			if err := s.write(q); err != nil {
				s.fail(fmt.Errorf("send %s: %w", q.line.Command.Verb, err), "")
				return
			}
		}
	}
}

// write prepares and sends one command: for a transfer it first opens (or
// listens for) the data connection; PORT and EPRT without an argument are
// filled in with a listener of ftpscope's. After AUTH it waits for the
// reply and the TLS handshake before sending anything else.
func (s *Session) write(q queued) error {
	cmd := q.line.Command
	var t *transfer
	var err error
	var note string
	switch {
	case cmd.Verb == "PORT" || cmd.Verb == "EPRT":
		cmd, note, err = s.prepareActive(cmd)
	case IsTransfer(cmd.Verb):
		// The data connection depends on the replies to earlier commands
		// (PASV, TYPE, PROT, REST), so wait for them first.
		s.waitForReplies()
		t, err = s.prepareTransfer(q)
	}
	if err != nil {
		if q.upload != nil {
			q.upload.Close()
		}
		s.events.Push(Event{Kind: EventError, Line: err.Error() + "; " + cmd.Verb + " was not sent", Err: err, Refused: true})
		return nil
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		if t != nil {
			t.stop()
		}
		return nil
	}
	s.seq++
	p := pendingCommand{seq: s.seq, cmd: cmd, masked: cmd.Masked(), sentAt: time.Now()}
	if cmd.Verb == "AUTH" {
		p.barrier = make(chan struct{})
	}
	s.pending = append(s.pending, p)
	if t != nil {
		t.seq = p.seq
		s.transfers[p.seq] = t
	}
	conn := s.conn
	busy := len(s.transfers) > 0
	s.armReadDeadline()
	s.mu.Unlock()
	wire := cmd.Wire()
	if cmd.Verb == "ABOR" && busy {
		wire, note = s.synch(conn, wire)
	}
	s.events.Push(Event{Kind: EventSend, Line: p.masked, Seq: p.seq, Transfer: t != nil, Note: note})
	conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	if _, err := conn.Write(wire); err != nil {
		if t != nil {
			t.stop()
			s.startTransfer(t) // reports the close
		}
		return err
	}
	if t != nil {
		s.startTransfer(t)
	}
	if p.barrier != nil {
		select {
		case <-p.barrier:
		case <-s.ctx.Done():
		}
	}
	return nil
}

// Telnet bytes for interrupting a server during a transfer (RFC 854).
const (
	telnetIAC = 0xff // Interpret As Command
	telnetIP  = 0xf4 // Interrupt Process
	telnetDM  = 0xf2 // Data Mark, the end of a Synch
)

// synch precedes ABOR with the Telnet "Interrupt Process" and "Synch"
// signals, as RFC 959 §4.1.3 asks, so a server busy sending data notices
// the ABOR (vsftpd's async_abor_enable needs this): IAC IP IAC goes as TCP
// urgent data, and the Data Mark starts the command line. Over TLS urgent
// data cannot be sent, and ABOR goes alone.
func (s *Session) synch(conn net.Conn, wire []byte) ([]byte, string) {
	if !sendUrgent(conn, []byte{telnetIAC, telnetIP, telnetIAC}) {
		return wire, "sent without the Telnet Synch (not possible on this connection): the server may notice ABOR only after the transfer"
	}
	return append([]byte{telnetDM}, wire...), "preceded by the Telnet signals IP and Synch (IAC IP, urgent IAC DM), as RFC 959 §4.1.3 asks, so the server notices ABOR during the transfer"
}

// waitForReplies waits until every command sent so far has its final
// reply, the session ends, or ReplyTimeout passes.
func (s *Session) waitForReplies() {
	timeout := time.NewTimer(s.cfg.ReplyTimeout)
	defer timeout.Stop()
	for {
		s.mu.Lock()
		n := len(s.pending)
		s.mu.Unlock()
		if n == 0 {
			return
		}
		select {
		case <-s.answered:
		case <-s.ctx.Done():
			return
		case <-timeout.C:
			return
		}
	}
}

// prepareTransfer readies the data connection for a transfer command:
// it dials the passive address, or takes the active listener. Without
// either, the command is sent anyway, with a warning, so the user sees the
// server's own answer (usually 425).
func (s *Session) prepareTransfer(q queued) (*transfer, error) {
	s.mu.Lock()
	passive, active := s.passive, s.active
	s.passive, s.active = nil, nil
	restart := s.restart
	s.restart = 0
	t := newTransfer()
	t.verb, t.direction = q.line.Command.Verb, transferVerbs[q.line.Command.Verb]
	t.ascii, t.protected = s.ascii, s.prot
	t.upload, t.uploadSize, t.savePath, t.restart = q.upload, q.uploadSize, q.line.SaveTo, restart
	peer := s.peerIP()
	clearData := s.protected && !s.prot
	s.mu.Unlock()
	if clearData {
		s.events.Push(Event{Kind: EventWarning, Line: "the control connection is protected but PROT P was not sent, so this data connection goes in clear text; send PBSZ 0 and PROT P first (some servers refuse clear data with 521, others, such as ftpscope's sandbox, expect TLS anyway and the transfer stalls)"})
	}
	if restart > 0 && t.verb != "RETR" && t.verb != "STOR" && t.verb != "APPE" {
		t.restart = 0
	}
	switch {
	case passive != nil:
		ctx, cancel := context.WithTimeout(s.ctx, s.cfg.ConnectTimeout)
		defer cancel()
		var d net.Dialer
		conn, err := d.DialContext(ctx, "tcp", passive.String())
		if err != nil {
			return nil, fmt.Errorf("could not open the data connection to %s (%w); send PASV or EPSV again", passive, err)
		}
		t.dialled = conn
		s.events.Push(Event{Kind: EventData, Line: fmt.Sprintf("data connection open: %s → %s", conn.LocalAddr(), conn.RemoteAddr()), Data: &DataInfo{
			Phase: DataOpened, Direction: t.direction, Verb: t.verb, Local: conn.LocalAddr().String(), Remote: conn.RemoteAddr().String(), Protected: t.protected,
		}})
	case active != nil:
		t.listener, t.peer = active, peer
	default:
		s.events.Push(Event{Kind: EventWarning, Line: t.verb + " needs a data connection, and none is prepared: send PASV or EPSV (or PORT/EPRT) first. Sending it anyway; expect 425."})
		if q.upload != nil {
			q.upload.Close()
		}
		return nil, nil
	}
	return t, nil
}

// prepareActive opens the listener for active mode. PORT or EPRT typed
// without an argument listens on the control connection's local address,
// and the command is filled in; with an argument, ftpscope listens where
// it says, which must be an address of this machine.
func (s *Session) prepareActive(cmd Command) (Command, string, error) {
	s.mu.Lock()
	local := s.conn.LocalAddr().(*net.TCPAddr)
	s.mu.Unlock()
	var want *net.TCPAddr
	var err error
	switch {
	case cmd.Arg == "":
		want = &net.TCPAddr{IP: local.IP}
	case cmd.Verb == "PORT":
		want, err = ParsePORT(cmd.Arg)
	default:
		want, err = ParseEPRT(cmd.Arg)
	}
	if err != nil {
		return cmd, "", err
	}
	if cmd.Verb == "PORT" && want.IP.To4() == nil {
		return cmd, "", errors.New("PORT carries only IPv4 addresses; on an IPv6 connection use EPRT")
	}
	l, err := net.ListenTCP("tcp", want)
	if err != nil {
		return cmd, "", fmt.Errorf("cannot listen on %s for the data connection: %w", want, err)
	}
	addr := l.Addr().(*net.TCPAddr)
	if cmd.Arg == "" {
		if cmd.Verb == "PORT" {
			if cmd.Arg, err = FormatPORT(addr); err != nil {
				l.Close()
				return cmd, "", err
			}
		} else {
			cmd.Arg = FormatEPRT(addr)
		}
	}
	s.mu.Lock()
	if s.active != nil {
		s.active.Close()
	}
	s.active, s.passive = l, nil
	s.mu.Unlock()
	return cmd, fmt.Sprintf("ftpscope listens on %s for the server's data connection (port %d = %d×256+%d)", addr, addr.Port, addr.Port/256, addr.Port%256), nil
}

// startTransfer runs a transfer in its own goroutine, so the writer stays
// free to send ABOR while data flows.
func (s *Session) startTransfer(t *transfer) {
	s.transferWG.Add(1)
	go s.runTransfer(t)
}

// endTransfer forgets a finished transfer.
func (s *Session) endTransfer(t *transfer) {
	s.mu.Lock()
	delete(s.transfers, t.seq)
	s.mu.Unlock()
	s.transferWG.Done()
}

// stopTransfers stops every transfer and waits for each to report its
// end, so that EventClose stays the last event. Stopping closes their
// connections, so none of them can keep the wait going.
func (s *Session) stopTransfers() {
	s.mu.Lock()
	var running []*transfer
	for _, t := range s.transfers {
		running = append(running, t)
	}
	if s.active != nil {
		s.active.Close()
		s.active = nil
	}
	s.mu.Unlock()
	for _, t := range running {
		t.stop()
	}
	s.transferWG.Wait()
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
