package doctor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/protocol"
)

// conn is one control connection of a run, with the findings engine that
// reads its events.
type conn struct {
	session *protocol.Session
	conv    *protocol.Conversation
	engine  *diagnose.Engine
	// state is the session's state after the newest event.
	state *protocol.SessionState
	// closed is set once the session has ended.
	closed bool
	// protected and prot say whether AUTH TLS and PROT P succeeded.
	protected, prot bool
	// loggedIn is set after a 230.
	loggedIn bool
}

// runner runs the checks of one report.
type runner struct {
	// ctx is the run's context: once it ends, checks are interrupted.
	ctx      context.Context
	opts     Options
	progress func(Progress)
	report   *Report
	ids      []string
	index    int
	// cur is the check running: the events and findings of the
	// connection go to it.
	cur  *Check
	conn *conn
	// dialled is set once doctor has opened a connection.
	dialled bool

	// What the checks learned, for the checks after them.
	features   map[string]string
	featOK     bool
	tlsOffered bool // AUTH TLS is announced in FEAT or was accepted
	tlsUsable  bool // a control handshake succeeded with a usable certificate
	// certRefused is set when the handshake stopped at the certificate.
	certRefused bool
	loginOK     bool
	passive     string // "EPSV" or "PASV": whichever gave a working listing
	ipv6        bool   // the control connection runs over IPv6
	// handshakeFindings are the findings of an implicit-TLS handshake,
	// which came with the greeting, for the TLS check.
	handshakeFindings []diagnose.Finding
}

// mainTLS reports whether the whole run goes over TLS (--tls or ftps://).
func (r *runner) mainTLS() bool { return r.opts.TLS || r.opts.ImplicitTLS }

// begin starts a check: it becomes the one events are recorded in.
func (r *runner) begin(id, title string) *Check {
	r.index++
	c := &Check{ID: id, Title: title, Started: time.Now()}
	r.report.Checks = append(r.report.Checks, c)
	r.cur = c
	r.progress(Progress{Check: c, Index: r.index, Total: len(r.ids)})
	return c
}

// end finishes a check: its verdict takes its findings into account, and
// the replies behind a verdict worse than ok are explained.
func (r *runner) end(c *Check, v Verdict, summary string) {
	r.endAtMost(c, v, summary, Problem)
}

// endAtMost is end for a check whose verdict cannot be worse than limit,
// such as active mode, which fails behind the client's own NAT however
// well the server is set up.
func (r *runner) endAtMost(c *Check, v Verdict, summary string, limit Verdict) {
	c.Verdict, c.Summary = v, summary
	if v != Skipped && r.ctx.Err() != nil {
		// Whatever failed was stopped by the interruption, not the server.
		c.Verdict, c.Summary, c.Fix = Skipped, "interrupted before it finished", ""
		v = Skipped
	}
	explained := explainedReplies(c.Findings)
	c.Findings = r.firstTimeFindings(c)
	if v != Skipped {
		for _, f := range c.Findings {
			switch f.Severity {
			case diagnose.SeverityError:
				c.Verdict = worse(c.Verdict, Problem)
			case diagnose.SeverityWarning:
				c.Verdict = worse(c.Verdict, Warning)
			}
		}
		if worse(c.Verdict, limit) != limit {
			c.Verdict = limit
		}
	}
	for i, f := range c.Findings {
		c.Findings[i].Severity = findingSeverity(c, f.Severity)
	}
	if c.Verdict != OK {
		c.Replies = r.explainFailures(c, explained)
	}
	if c.Elapsed == 0 {
		c.Elapsed = time.Since(c.Started)
	}
	r.progress(Progress{Check: c, Done: true, Index: r.index, Total: len(r.ids)})
}

// firstTimeFindings keeps the findings of c that no earlier check
// reported: a NAT address seen by the PASV check is one problem, however
// many later checks list over PASV. A repeat becomes a detail line, the
// reminder every front end gives (diagnose.Finding.Again), naming the
// check that explained it; a repeat within one check (the engine's
// Finding.Repeat) is said once.
func (r *runner) firstTimeFindings(c *Check) []diagnose.Finding {
	seen := map[string]string{}
	for _, prev := range r.report.Checks {
		if prev == c {
			break
		}
		for _, f := range prev.Findings {
			seen[f.ID] = prev.Title
		}
	}
	var keep []diagnose.Finding
	inCheck := map[string]bool{}
	for _, f := range c.Findings {
		if inCheck[f.ID] {
			continue // the same finding twice in one check: said once
		}
		inCheck[f.ID] = true
		if title, ok := seen[f.ID]; ok {
			c.Details = append(c.Details, f.Again(title))
			continue
		}
		seen[f.ID] = c.Title
		keep = append(keep, f)
	}
	return keep
}

// skip records a check that cannot run, and why.
func (r *runner) skip(id, title, why string) {
	c := r.begin(id, title)
	r.end(c, Skipped, why)
}

// observe records one event of the connection in the running check and
// runs the findings over it.
func (r *runner) observe(cn *conn) func(protocol.Event) {
	return func(ev protocol.Event) {
		if ev.State != nil {
			cn.state = ev.State
			if s := ev.State.Server.Software; s != "" {
				r.report.Software = s
			}
		}
		if ev.Kind == protocol.EventClose {
			cn.closed = true
		}
		if r.cur == nil || (ev.Kind == protocol.EventData && ev.Data != nil && ev.Data.Phase == protocol.DataProgress) {
			return
		}
		r.cur.Events = append(r.cur.Events, ev)
		r.cur.Findings = append(r.cur.Findings, cn.engine.Observe(ev)...)
	}
}

// dial opens a control connection and waits for the greeting. With
// implicit TLS the handshake comes first.
//
// A server that allows one connection per address (vsftpd's max_per_ip,
// the sandbox's max-connections) may still count doctor's previous
// connection for a moment after it closed, and answer 421. Since the
// checks are meant to work on such a server, a 421 right after one of
// doctor's own connections is retried a few times, waiting a little longer
// each time; the transcript keeps a line saying so, and the finding of the
// refused attempt is dropped, as the attempt is not the server's verdict.
func (r *runner) dial(ctx context.Context) (*conn, *protocol.Reply, error) {
	hadOne := r.dialled
	r.dialled = true
	wait := 200 * time.Millisecond
	for attempt := 1; ; attempt++ {
		c := r.cur
		events, findings := len(c.Events), len(c.Findings)
		cn, greeting, err := r.dialOnce(ctx)
		if !hadOne || greeting == nil || greeting.Code != 421 || attempt == maxBusyRetries {
			return cn, greeting, err
		}
		c.Events, c.Findings = c.Events[:events], c.Findings[:findings]
		c.Details = append(c.Details, fmt.Sprintf("the server answered 421 just after doctor's previous connection closed (it still counted it); tried again after %s", wait))
		select {
		case <-ctx.Done():
			return cn, greeting, ctx.Err()
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// maxBusyRetries bounds the attempts dial makes against a server still
// counting doctor's previous connection: about 3 s of waiting in all.
const maxBusyRetries = 5

// dialOnce opens one control connection and waits for its greeting.
func (r *runner) dialOnce(ctx context.Context) (*conn, *protocol.Reply, error) {
	r.closeConn()
	cfg := protocol.Config{
		Addr: r.opts.Addr, ImplicitTLS: r.opts.ImplicitTLS,
		ConnectTimeout: r.opts.ConnectTimeout, ReplyTimeout: r.opts.ReplyTimeout,
		RootCAs: r.opts.RootCAs, Insecure: r.opts.Insecure,
	}
	cn := &conn{session: protocol.Dial(cfg), engine: diagnose.New(), protected: r.opts.ImplicitTLS}
	cn.conv = protocol.NewConversation(cn.session, r.observe(cn))
	r.conn = cn
	ctx, cancel := context.WithTimeout(ctx, r.opts.ConnectTimeout+r.opts.ReplyTimeout)
	defer cancel()
	greeting, err := cn.conv.Greeting(ctx)
	if err == nil && greeting != nil && greeting.Class() != 2 {
		err = fmt.Errorf("the server greeted with %d", greeting.Code)
	}
	if err != nil {
		r.closeConn()
	}
	return cn, greeting, err
}

// do sends one command on the live connection, bounded by the check's own
// timeout, and returns its exchange.
func (r *runner) do(ctx context.Context, line string) (*protocol.Exchange, error) {
	if r.conn == nil || r.conn.closed {
		return nil, errNoConnection
	}
	ctx, cancel := context.WithTimeout(ctx, r.opts.ConnectTimeout+2*r.opts.ReplyTimeout)
	defer cancel()
	x, err := r.conn.conv.Do(ctx, line)
	if errors.Is(err, context.DeadlineExceeded) {
		// The session is in an unknown state: start afresh next time.
		r.closeConn()
		return x, fmt.Errorf("no answer to %s in time: %w", strings.Fields(line)[0], err)
	}
	return x, err
}

// errNoConnection is returned by do when no connection is open.
var errNoConnection = errors.New("no connection is open")

// closeConn ends the live connection politely, if there is one.
func (r *runner) closeConn() {
	cn := r.conn
	if cn == nil {
		return
	}
	r.conn = nil
	if !cn.closed && r.ctx.Err() != nil {
		cn.conv.Close() // interrupted: no time for a polite QUIT
		return
	}
	if !cn.closed {
		// QUIT, then wait for the session to end on the 221, so that the
		// transcript ends the same way every time.
		ctx, cancel := context.WithTimeout(context.Background(), r.opts.ReplyTimeout)
		cn.conv.Quit(ctx, "doctor is done with this connection")
		cancel()
	}
}

// ready returns a logged-in connection, opening one when the last has
// ended: after AUTH TLS when secure is set, and then with PBSZ 0 and
// PROT P when prot is set. The events of opening it belong to the check
// running.
func (r *runner) ready(ctx context.Context, secure, prot bool) (*conn, error) {
	if cn := r.conn; cn != nil && !cn.closed && cn.loggedIn && cn.protected == secure && (!prot || cn.prot) {
		return cn, nil
	}
	cn, _, err := r.dial(ctx)
	if err != nil {
		return nil, err
	}
	if secure && !cn.protected {
		if err := r.authTLS(ctx); err != nil {
			return nil, err
		}
	}
	if err := r.login(ctx); err != nil {
		return nil, err
	}
	if prot {
		if err := r.protect(ctx); err != nil {
			return nil, err
		}
	}
	return cn, nil
}

// authTLS upgrades the live connection with AUTH TLS.
func (r *runner) authTLS(ctx context.Context) error {
	x, err := r.do(ctx, "AUTH TLS")
	switch {
	case err != nil:
		return err
	case x.Final == nil || x.Final.Code != 234:
		return &replyError{what: "AUTH TLS", reply: x.Final}
	case !r.conn.session.Protected():
		return errors.New("the TLS handshake did not complete")
	}
	r.conn.protected = true
	return nil
}

// login sends USER, and PASS when asked for.
func (r *runner) login(ctx context.Context) error {
	user, password := r.opts.User, r.opts.Password
	if user == "" {
		user, password = "anonymous", AnonymousPassword
	}
	x, err := r.do(ctx, "USER "+user)
	if err != nil {
		return err
	}
	if x.Final != nil && x.Final.Code == 331 {
		if x, err = r.do(ctx, "PASS "+password); err != nil {
			return err
		}
	}
	if x.Final == nil || x.Final.Code != 230 {
		return &replyError{what: "the login", reply: x.Final}
	}
	r.conn.loggedIn = true
	return nil
}

// protect sends PBSZ 0 and PROT P (RFC 4217 §8-9).
func (r *runner) protect(ctx context.Context) error {
	for _, line := range []string{"PBSZ 0", "PROT P"} {
		x, err := r.do(ctx, line)
		if err != nil {
			return err
		}
		if x.Final == nil || x.Final.Class() != 2 {
			return &replyError{what: line, reply: x.Final}
		}
	}
	r.conn.prot = true
	return nil
}

// replyError is a command that got a reply other than the one needed.
type replyError struct {
	what  string
	reply *protocol.Reply
}

func (e *replyError) Error() string {
	if e.reply == nil {
		return e.what + " got no final reply"
	}
	return fmt.Sprintf("%s was answered %s", e.what, protocol.Escape(firstLine(e.reply)))
}

// firstLine is a reply's first line.
func firstLine(r *protocol.Reply) string {
	if r == nil || len(r.Lines) == 0 {
		return ""
	}
	return r.Lines[0]
}

// shortError says what went wrong in ftpscope's plain words, without the
// advice: a check's summary is one sentence, and its findings give the
// fixes.
func shortError(err error) string {
	var re *replyError
	if errors.As(err, &re) {
		return re.Error()
	}
	return diagnose.Describe(err).What
}

// replyKey names one reply of a check: its command number and its first
// line, escaped, as a finding's evidence shows it.
type replyKey struct {
	seq  int
	line string
}

// explainedReplies are the replies a finding that is an error or a
// warning rests on, an earlier check's repeat included: for those the
// finding says why, and the code's general meaning ("the file does not
// exist", "nobody is logged in") would only point elsewhere, so the
// report gives the code's name alone, as ftpscope run does.
func explainedReplies(findings []diagnose.Finding) map[replyKey]bool {
	out := map[replyKey]bool{}
	for _, f := range findings {
		if f.Severity == diagnose.SeverityInfo {
			continue
		}
		for _, e := range f.Evidence {
			if e.Kind == protocol.EventReply {
				out[replyKey{e.Seq, e.Line}] = true
			}
		}
	}
	return out
}

// explainFailures explains, from the catalogue, the replies of a check
// that were not positive (4xx, 5xx, 6xx), each once; a reply in explained
// gets its name only.
func (r *runner) explainFailures(c *Check, explained map[replyKey]bool) []ExplainedReply {
	var out []ExplainedReply
	seen := map[string]bool{}
	for _, ev := range c.Events {
		if ev.Kind != protocol.EventReply || ev.Reply == nil || ev.Reply.Class() < 4 {
			continue
		}
		key := ev.Reply.CodeString() + " " + ev.Verb
		if seen[key] {
			continue
		}
		seen[key] = true
		e := r.opts.Catalog.Explain(ev.Reply.CodeString(), ev.Verb)
		action := e.Advice
		if action == "" {
			action = e.Reply.Action
		}
		line := protocol.Escape(firstLine(ev.Reply))
		if explained[replyKey{ev.Seq, line}] {
			out = append(out, ExplainedReply{Seq: ev.Seq, Verb: ev.Verb, Line: line, Name: e.Reply.Name})
			continue
		}
		out = append(out, ExplainedReply{
			Seq: ev.Seq, Verb: ev.Verb, Line: line,
			Name: e.Reply.Name, Meaning: e.Reply.Meaning, Action: action,
		})
	}
	return out
}
