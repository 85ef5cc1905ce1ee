package recording

import (
	"bytes"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/ftpscope/ftpscope/protocol"
)

// collector gathers the sessions of one file. A parser asks it for the
// session a line or a packet belongs to, by a key of the parser's own (a
// process id, a TCP connection), and the collector keeps them in the order
// they started.
type collector struct {
	order []*builder
	byKey map[string]*builder
	// client names the program of every session (Format.Client), or ""
	// when the events say it.
	client string
}

func newCollector() *collector {
	return &collector{byKey: map[string]*builder{}}
}

// session returns the session with key, starting one when there is none.
func (c *collector) session(key string) *builder {
	if b, ok := c.byKey[key]; ok {
		return b
	}
	b := &builder{}
	c.byKey[key] = b
	c.order = append(c.order, b)
	return b
}

// has reports whether a session with key is open.
func (c *collector) has(key string) bool {
	_, ok := c.byKey[key]
	return ok
}

// end forgets key, so that the next session with the same key (a reused
// process id) starts anew.
func (c *collector) end(key string) {
	if b, ok := c.byKey[key]; ok {
		b.flush()
		delete(c.byKey, key)
	}
}

// finish returns the sessions that hold anything, each with a label.
func (c *collector) finish() []Session {
	var out []Session
	for _, b := range c.order {
		b.flush()
		if len(b.events) == 0 {
			continue
		}
		// The one interpretation of a session's events, as a live
		// session's queue makes it: the state after each event, which
		// the findings and the screen read.
		named(b.events, c.client)
		tracker := protocol.NewTracker()
		for i := range b.events {
			tracker.Observe(&b.events[i])
			if !b.timed {
				untimed(&b.events[i])
			}
		}
		out = append(out, Session{Label: b.describe(), Events: b.events})
	}
	return out
}

// named gives the session's first connection event the name of the
// client that made it, unless it has one; client "" leaves it as it is.
func named(events []protocol.Event, client string) {
	if client == "" {
		return
	}
	for i := range events {
		if events[i].Kind != protocol.EventConnect {
			continue
		}
		var info protocol.ConnectInfo
		if events[i].Connect != nil {
			info = *events[i].Connect
		}
		if info.Client == "" {
			info.Client = client
		}
		events[i].Connect = &info
		return
	}
}

// untimed removes the connection time from the state after ev: a log
// does not show how the connection was made, so its timing breakdown
// (connect time, data connections' opening) is unknown, not zero, and
// the outputs leave it out as for a session that never connected.
func untimed(ev *protocol.Event) {
	if ev.State == nil || ev.State.ConnectedAt.IsZero() {
		return
	}
	st := *ev.State
	st.ConnectedAt = time.Time{}
	ev.State = &st
}

// builder turns the lines of one session, sent and received, into the
// events protocol.Session reports: it numbers commands, pairs each reply
// with the command it answers, assembles multi-line replies and masks
// passwords.
type builder struct {
	// label says where the session came from, such as "pid 1234".
	label string
	// user is the last USER sent.
	user     string
	events   []protocol.Event
	seq      int
	waiting  []pendingCommand
	secrets  []string
	partial  *protocol.Reply
	partialT time.Time
	// tls is set once the control connection is protected.
	tls bool
	// handshake is set after a 234 to AUTH until the recording shows the
	// handshake's outcome; a command sent then shows that it worked.
	handshake bool
	// timed is set when the recording shows how the connection was made
	// (a capture's TCP handshake), so that its timing breakdown is known.
	timed bool
	// xfer counts the data of the transfer command waiting for its final
	// reply, in formats that show data as byte counts; lastXfer is the
	// newest transfer command, for a count logged after its reply.
	xfer, lastXfer *tally
}

// tally counts the bytes a log shows for one transfer command.
type tally struct {
	seq   int
	verb  string
	bytes int64
	seen  bool
}

// transferVerbs are the commands that move data on a data connection,
// with the direction they move it.
var transferVerbs = map[string]string{
	"LIST": "download", "NLST": "download", "MLSD": "download", "RETR": "download",
	"STOR": "upload", "STOU": "upload", "APPE": "upload",
}

// dataBytes counts n bytes the log shows moving for the transfer waiting
// for its reply; without one, they are not an FTP transfer's.
func (b *builder) dataBytes(_ time.Time, n int64) {
	if b.xfer != nil {
		b.xfer.bytes += n
		b.xfer.seen = true
	}
}

// pendingCommand is a command waiting for its final reply.
type pendingCommand struct {
	seq  int
	line string // masked
	verb string
	time time.Time
}

// add appends an event.
func (b *builder) add(ev protocol.Event) { b.events = append(b.events, ev) }

// connect adds the opening of the control connection.
func (b *builder) connect(t time.Time, line string) {
	b.add(protocol.Event{Kind: protocol.EventConnect, Time: t, Line: line})
}

// connectTo adds the opening of the control connection to the server at
// remote (host:port), which the findings compare passive addresses with.
func (b *builder) connectTo(t time.Time, line, remote string) {
	host, _, _ := net.SplitHostPort(remote)
	b.add(protocol.Event{Kind: protocol.EventConnect, Time: t, Line: line,
		Connect: &protocol.ConnectInfo{Host: host, Addresses: []string{host}, Remote: remote}})
}

// warn adds a warning.
func (b *builder) warn(t time.Time, line string) {
	b.add(protocol.Event{Kind: protocol.EventWarning, Time: t, Line: line})
}

// fail adds an error the recording reports, such as a client's error line.
func (b *builder) fail(t time.Time, line string) {
	b.add(protocol.Event{Kind: protocol.EventError, Time: t, Line: line, Err: recordedError(line)})
}

// close adds the end of the control connection.
func (b *builder) close(t time.Time, line string) {
	b.flush()
	b.add(protocol.Event{Kind: protocol.EventClose, Time: t, Line: line})
}

// recordedError is an error a recording reports in words.
type recordedError string

func (e recordedError) Error() string { return string(e) }

// send adds a command line as the client sent it. Its argument is masked
// for PASS and ACCT, and remembered so that a reply repeating it is
// masked too. It returns the command's number.
func (b *builder) send(t time.Time, line string) int {
	b.flush()
	if b.handshake {
		// The client goes on after AUTH: the handshake worked.
		b.protect(t, "", "", "TLS handshake done on the control connection (the recording goes on after it, but does not say which version)")
	}
	line = strings.TrimRight(line, "\r\n")
	cmd, err := protocol.ParseCommand(line)
	shown := protocol.Escape(protocol.MaskLine(line))
	var raw []byte // the bytes, when they differ from what is shown
	if err == nil {
		raw = []byte(cmd.Masked())
		shown = cmd.Shown() // a trailing space drawn as ␠, as in a live session
		switch cmd.Verb {
		case "USER":
			b.user = cmd.Arg
		case "PASS", "ACCT":
			if len(cmd.Arg) >= 4 && !isMaskedArg(cmd.Arg) {
				b.secrets = append(b.secrets, cmd.Arg)
			}
		}
	}
	b.seq++
	b.waiting = append(b.waiting, pendingCommand{seq: b.seq, line: shown, verb: cmd.Verb, time: t})
	b.add(protocol.Event{Kind: protocol.EventSend, Time: t, Line: shown, Seq: b.seq, Raw: raw})
	if _, ok := transferVerbs[cmd.Verb]; ok {
		b.xfer = &tally{seq: b.seq, verb: cmd.Verb}
		b.lastXfer = b.xfer
	}
	return b.seq
}

// isMaskedArg reports a password a log already hid ("********",
// "<password>", "XXXX").
func isMaskedArg(arg string) bool {
	return strings.Trim(arg, "*X<>") == "" || arg == "<password>" || arg == "(hidden)"
}

// replyLine adds one line received. The lines of a multi-line reply are
// gathered until its last line (RFC 959 §4.2); a line that cannot start a
// reply is kept as a malformed reply of its own.
func (b *builder) replyLine(t time.Time, line string) {
	b.replyBytes(t, strings.TrimRight(line, "\r\n"), nil)
}

// bareLF is the problem of a reply line that ends with LF alone, in the
// words a live session uses.
const bareLF = "a line ends with LF alone; RFC 959 requires CRLF"

// replyBytes adds one line received whose bytes as sent, line ending
// included, the recording has (a capture); raw is nil when it has not.
func (b *builder) replyBytes(t time.Time, line string, raw []byte) {
	if b.partial != nil {
		b.partial.Lines = append(b.partial.Lines, line)
		b.keepRaw(b.partial, raw)
		if code, sep, ok := protocol.ParseCodeLine(line); ok && code == b.partial.Code && sep == ' ' {
			r := b.partial
			b.partial = nil
			b.reply(t, r)
		}
		return
	}
	code, sep, ok := protocol.ParseCodeLine(line)
	r := &protocol.Reply{Code: code, Lines: []string{line}}
	b.keepRaw(r, raw)
	if !ok {
		r.Code = 0
		r.Problems = append(r.Problems, "the first line does not start with a three-digit reply code")
		b.reply(t, r)
		return
	}
	if sep == '-' {
		b.partial, b.partialT = r, t
		return
	}
	b.reply(t, r)
}

// keepRaw adds a line's bytes to r.Raw, and notes a bare LF ending.
func (b *builder) keepRaw(r *protocol.Reply, raw []byte) {
	if raw == nil {
		return
	}
	r.Raw = append(r.Raw, raw)
	if bytes.HasSuffix(raw, []byte("\n")) && !bytes.HasSuffix(raw, []byte("\r\n")) && !slices.Contains(r.Problems, bareLF) {
		r.Problems = append(r.Problems, bareLF)
	}
}

// flush ends a multi-line reply the recording never finished.
func (b *builder) flush() {
	if b.partial == nil {
		return
	}
	r := b.partial
	b.partial = nil
	r.Problems = append(r.Problems, fmt.Sprintf("the multi-line reply never ended: no line starting %q came", fmt.Sprintf("%03d ", r.Code)))
	b.reply(b.partialT, r)
}

// reply adds a complete reply, answering the oldest command waiting.
func (b *builder) reply(t time.Time, r *protocol.Reply) protocol.Event {
	r = b.masked(r)
	ev := protocol.Event{Kind: protocol.EventReply, Time: t, Reply: r}
	switch {
	case len(b.waiting) > 0:
		p := b.waiting[0]
		ev.Command, ev.Verb, ev.Seq = p.line, p.verb, p.seq
		if !t.IsZero() && !p.time.IsZero() && t.After(p.time) {
			ev.RTT = t.Sub(p.time)
		}
		if r.Class() != 1 {
			b.waiting = b.waiting[1:]
			b.closeTally(t, p.seq)
		}
		ev.Note, ev.Warnings = b.passiveNote(p.verb, r)
	case b.seq == 0:
		ev.Command, ev.Verb = "(connection)", "(connection)"
	}
	b.add(ev)
	if r.Code == 234 && ev.Verb == "AUTH" && !b.tls {
		b.handshake = true
	}
	return ev
}

// transferred adds the close of the newest transfer's data connection
// with n bytes, for a log that counts them after the final reply.
func (b *builder) transferred(t time.Time, n int64) {
	x := b.lastXfer
	if x == nil || x.seen {
		return
	}
	x.seen, x.bytes = true, n
	b.add(protocol.Event{Kind: protocol.EventData, Time: t, Seq: x.seq,
		Line: fmt.Sprintf("data connection closed after %d bytes (as the recording counts them)", n),
		Data: &protocol.DataInfo{Phase: protocol.DataClosed, Direction: transferVerbs[x.verb], Verb: x.verb, Bytes: n}})
}

// closeTally adds the data connection's close, with the bytes counted,
// before the final reply to the transfer command seq.
func (b *builder) closeTally(t time.Time, seq int) {
	x := b.xfer
	if x == nil || x.seq != seq {
		return
	}
	b.xfer = nil
	if !x.seen {
		return
	}
	b.add(protocol.Event{Kind: protocol.EventData, Time: t, Seq: seq,
		Line: fmt.Sprintf("data connection closed after %d bytes (as the recording counts them)", x.bytes),
		Data: &protocol.DataInfo{Phase: protocol.DataClosed, Direction: transferVerbs[x.verb], Verb: x.verb, Bytes: x.bytes}})
}

// passiveNote decodes the data address of a reply to PASV or EPSV, as a
// live session notes it. Whether the address is the server's is a
// finding (diagnose), worked out from the events' state.
func (b *builder) passiveNote(verb string, r *protocol.Reply) (string, []string) {
	var (
		p   protocol.Passive
		err error
	)
	switch {
	case verb == "PASV" && r.Code == 227:
		p, err = protocol.ParsePASV(r.Text())
	case verb == "EPSV" && r.Code == 229:
		p, err = protocol.ParseEPSV(r.Text())
	default:
		return "", nil
	}
	switch {
	case err != nil && r.Text() == noReplyText:
		return "", nil
	case err != nil:
		return "", []string{err.Error()}
	}
	return "data address: " + p.Working, nil
}

// protect adds the TLS handshake that a 234 to AUTH starts, as far as
// the recording tells it; version and cipher may be "".
func (b *builder) protect(t time.Time, version, cipher, line string) {
	b.tls, b.handshake = true, false
	if version == "" {
		version = "TLS"
	}
	if line == "" {
		line = "TLS handshake done on the control connection (the recording does not say which version)"
	}
	b.add(protocol.Event{Kind: protocol.EventTLS, Time: t, Line: line,
		TLS: &protocol.TLSInfo{Version: version, Cipher: cipher}})
}

// masked returns r with every password this session sent replaced by
// "****" where a reply line repeats it.
func (b *builder) masked(r *protocol.Reply) *protocol.Reply {
	for i, line := range r.Lines {
		for _, s := range b.secrets {
			if s != b.user && strings.Contains(line, s) {
				r.Lines[i] = strings.ReplaceAll(r.Lines[i], s, "****")
				if i < len(r.Raw) {
					r.Raw[i] = bytes.ReplaceAll(r.Raw[i], []byte(s), []byte("****"))
				}
			}
		}
	}
	return r
}

// lastReply returns the last reply event, if any.
func (b *builder) lastReply() (protocol.Event, bool) {
	for i := len(b.events) - 1; i >= 0; i-- {
		if b.events[i].Kind == protocol.EventReply {
			return b.events[i], true
		}
	}
	return protocol.Event{}, false
}

// describe labels the session for a list: where it came from, its user,
// how many commands it sent, and its last reply.
func (b *builder) describe() string {
	var parts []string
	if b.label != "" {
		parts = append(parts, b.label)
	}
	if b.user != "" {
		parts = append(parts, "user "+protocol.Escape(b.user))
	}
	parts = append(parts, fmt.Sprintf("%d %s", b.seq, plural(b.seq, "command", "commands")))
	if ev, ok := b.lastReply(); ok {
		parts = append(parts, "last reply "+ev.Reply.CodeString())
	}
	switch t := firstTime(b.events); {
	case t.IsZero():
	case t.Year() == 0 && t.YearDay() == 1: // a log with times of day only
		parts = append([]string{t.Format("15:04:05")}, parts...)
	case t.Year() == 0: // a log that records no year (syslog)
		parts = append([]string{t.Format("Jan _2 15:04:05")}, parts...)
	default:
		parts = append([]string{t.Format("2006-01-02 15:04:05")}, parts...)
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// firstTime returns the time of the first event that has one.
func firstTime(events []protocol.Event) time.Time {
	for _, ev := range events {
		if !ev.Time.IsZero() {
			return ev.Time
		}
	}
	return time.Time{}
}

// lastTime returns the time of the last event that has one.
func lastTime(events []protocol.Event) time.Time {
	for i := len(events) - 1; i >= 0; i-- {
		if !events[i].Time.IsZero() {
			return events[i].Time
		}
	}
	return time.Time{}
}
