package recording

import (
	"bytes"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ftpscope/ftpscope/protocol"
)

// ftpVerbs are the commands whose presence makes a connection FTP control.
var ftpVerbs = map[string]bool{
	"USER": true, "PASS": true, "ACCT": true, "AUTH": true, "FEAT": true, "SYST": true, "PWD": true, "XPWD": true,
	"CWD": true, "CDUP": true, "TYPE": true, "PASV": true, "EPSV": true, "LPSV": true, "PORT": true, "EPRT": true,
	"LPRT": true, "LIST": true, "NLST": true, "MLSD": true, "MLST": true, "RETR": true, "STOR": true, "STOU": true,
	"APPE": true, "QUIT": true, "NOOP": true, "OPTS": true, "CLNT": true, "SIZE": true, "MDTM": true, "REST": true,
	"PBSZ": true, "PROT": true, "HELP": true, "STAT": true, "ABOR": true, "MKD": true, "RMD": true, "DELE": true,
	"RNFR": true, "RNTO": true, "SITE": true, "HOST": true, "MODE": true, "STRU": true, "ALLO": true, "CCC": true,
}

// firstLine returns the first line of b and whether it ended.
func firstLine(b []byte) (string, bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return string(b), false
	}
	return strings.TrimRight(string(b[:i]), "\r"), true
}

// verbOf returns a line's first word in upper case.
func verbOf(line string) string {
	f := strings.Fields(line)
	if len(f) == 0 {
		return ""
	}
	return strings.ToUpper(f[0])
}

// classify tells an FTP control connection from anything else by its
// first lines: the server's is a reply ("220 …"), the client's a known
// FTP command. It returns kindUnknown while there is too little to tell.
func classify(c2s, s2c []byte) connKind {
	sl, sDone := firstLine(s2c)
	cl, cDone := firstLine(c2s)
	_, _, serverOK := protocol.ParseCodeLine(sl)
	clientOK := ftpVerbs[verbOf(cl)]
	switch {
	case sDone && !serverOK, cDone && !clientOK:
		return kindOther
	case !sDone && len(s2c) >= 512, !cDone && len(c2s) >= 512:
		return kindOther // no line break in 512 bytes: not a control line
	case sDone && cDone:
		return kindControl
	}
	return kindUnknown
}

// looksLikeControl decides a connection that ended before classify could:
// one side's first line looks like FTP and the other's is not wrong.
func looksLikeControl(c2s, s2c []byte) bool {
	sl, sDone := firstLine(s2c)
	cl, cDone := firstLine(c2s)
	_, _, serverOK := protocol.ParseCodeLine(sl)
	clientOK := ftpVerbs[verbOf(cl)]
	return (sDone && serverOK && (len(c2s) == 0 || clientOK)) || (cDone && clientOK && (len(s2c) == 0 || serverOK))
}

// announcement is a data connection's address given by a reply to
// PASV/EPSV or by a PORT/EPRT command.
type announcement struct {
	t      time.Time
	how    string // "the 227 reply", "PORT", …
	ip     net.IP // nil: the control connection's peer
	port   int
	active bool // PORT/EPRT: the server connects to the client
	seq    int  // the transfer command that uses it
	verb   string
}

// controlReader turns one control connection's bytes into a session.
type controlReader struct {
	b         *builder
	conn      *tcpConn
	partial   [2][]byte
	encrypted bool
	encSince  time.Time // when the control connection became encrypted
	encAt     int       // index of the event that says the rest is encrypted
	encBytes  [2]int64
	announced []*announcement
	waiting   *announcement // announced, not yet used by a transfer
	protP     bool
}

// buildControl reads the control connection t into a session of col,
// with the data connections (from data) its commands announced.
func buildControl(col *collector, t *tcpConn, data []*tcpConn, used map[*tcpConn]bool) {
	b := col.session("tcp " + strconv.Itoa(t.id))
	b.label = describeConn(t)
	line := "TCP connection " + t.client + " → " + t.server
	if !t.sawSYN {
		line += " (the capture starts after it opened)"
	}
	b.connectTo(t.first, line, t.server)
	if hs := t.handshakeTime(); hs > 0 {
		b.timed = true
		b.events[len(b.events)-1].Connect.Connect = hs
	}
	r := &controlReader{b: b, conn: t}
	for _, ch := range sortChunks(t) {
		r.chunk(ch)
	}
	r.endOfStream()
	var extra []protocol.Event
	extra = append(extra, r.dataEvents(data, used)...)
	extra = append(extra, retransmissionEvents(t, "control connection")...)
	b.flush()
	b.events = mergeByTime(b.events, extra)
	switch {
	case t.reset && t.resetAfterFIN:
		who := []string{"client", "server"}[t.resetBy]
		b.add(protocol.Event{Kind: protocol.EventClose, Time: t.resetTime,
			Line: "the " + who + " closed the connection (TCP FIN), then reset it for bytes that still came (TCP RST): an orderly end"})
	case t.reset:
		who := []string{"client", "server"}[t.resetBy]
		err := recordedError("the " + who + " reset the connection (TCP RST)")
		b.add(protocol.Event{Kind: protocol.EventClose, Time: t.resetTime, Line: err.Error(), Err: err})
	case t.finished:
		b.add(protocol.Event{Kind: protocol.EventClose, Time: t.last, Line: "the connection was closed (TCP FIN)"})
	default:
		b.warn(t.last, "the capture ends while this connection is still open")
	}
}

// chunk reads the lines of one chunk of bytes.
func (r *controlReader) chunk(ch chunk) {
	if ch.gap > 0 {
		r.b.warn(ch.t, fmt.Sprintf("%d bytes from the %s are missing from the capture here (packets the capture dropped)", ch.gap, side(ch.dir)))
		r.partial[ch.dir] = nil
	}
	if r.encrypted {
		r.encBytes[ch.dir] += int64(len(ch.data))
		return
	}
	buf := append(r.partial[ch.dir], ch.data...)
	for {
		i := bytes.IndexByte(buf, '\n')
		if i < 0 {
			break
		}
		raw := append([]byte(nil), buf[:i+1]...)
		buf = buf[i+1:]
		r.line(ch.t, ch.dir, raw)
		if r.encrypted {
			r.encBytes[ch.dir] += int64(len(buf))
			buf = nil
			break
		}
	}
	r.partial[ch.dir] = append([]byte(nil), buf...)
}

// line handles one line sent (dir 0) or received (dir 1), with its line
// ending.
func (r *controlReader) line(t time.Time, dir int, raw []byte) {
	b := r.b
	line := strings.TrimSuffix(strings.TrimSuffix(string(raw), "\n"), "\r")
	if dir == 0 {
		seq := b.send(t, line)
		b.events[len(b.events)-1].Raw = maskedRaw(raw)
		cmd, err := protocol.ParseCommand(line)
		if err != nil {
			return
		}
		switch cmd.Verb {
		case "PORT", "EPRT":
			parse := protocol.ParsePORT
			if cmd.Verb == "EPRT" {
				parse = protocol.ParseEPRT
			}
			if addr, err := parse(cmd.Arg); err == nil {
				r.announce(&announcement{t: t, how: cmd.Verb, ip: addr.IP, port: addr.Port, active: true, seq: seq, verb: cmd.Verb})
			}
		case "PROT":
			r.protP = strings.EqualFold(strings.TrimSpace(cmd.Arg), "P")
		}
		if _, ok := transferVerbs[cmd.Verb]; ok && r.waiting != nil {
			r.waiting.seq, r.waiting.verb = seq, cmd.Verb
			r.waiting = nil
		}
		return
	}
	before := len(b.events)
	b.replyBytes(t, line, raw)
	if len(b.events) == before {
		return
	}
	ev := b.events[len(b.events)-1]
	if ev.Kind != protocol.EventReply {
		return
	}
	switch {
	case ev.Reply.Code == 227:
		if p, err := protocol.ParsePASV(ev.Reply.Text()); err == nil {
			r.announce(&announcement{t: t, how: "the 227 reply", ip: p.IP, port: p.Port, seq: ev.Seq, verb: ev.Verb})
		}
	case ev.Reply.Code == 229:
		if p, err := protocol.ParseEPSV(ev.Reply.Text()); err == nil {
			r.announce(&announcement{t: t, how: "the 229 reply", port: p.Port, seq: ev.Seq, verb: ev.Verb})
		}
	case ev.Reply.Code == 234 && ev.Verb == "AUTH":
		r.encrypted, r.encSince = true, t
		b.protect(t, "TLS", "", "AUTH succeeded: the TLS handshake starts here, and from here on the control connection is encrypted")
		r.encAt = len(b.events)
		b.warn(t, "")
	}
}

// announce records a data connection's address.
func (r *controlReader) announce(a *announcement) {
	r.announced = append(r.announced, a)
	r.waiting = a
}

// endOfStream handles what the capture left unfinished.
func (r *controlReader) endOfStream() {
	if p := r.partial[1]; len(p) > 0 {
		r.b.replyBytes(r.conn.last, string(p), p)
		r.b.warn(r.conn.last, "the capture ends in the middle of a reply line")
	}
	if p := r.partial[0]; len(p) > 0 {
		r.b.warn(r.conn.last, "the capture ends in the middle of a command line: "+protocol.Escape(protocol.MaskLine(string(p))))
	}
	if r.encrypted {
		r.b.events[r.encAt].Line = fmt.Sprintf("what follows is encrypted and cannot be read from a capture: %d bytes from the client and %d from the server",
			r.encBytes[0], r.encBytes[1])
	}
}

// dataEvents matches each announced address with the data connection
// that used it, and describes it: opened, closed with its byte count and
// time, reset, retransmissions. An address no connection used is named.
func (r *controlReader) dataEvents(data []*tcpConn, used map[*tcpConn]bool) []protocol.Event {
	var out []protocol.Event
	serverHost, _, _ := net.SplitHostPort(r.conn.server)
	clientHost, _, _ := net.SplitHostPort(r.conn.client)
	for _, a := range r.announced {
		var match *tcpConn
		for _, d := range data {
			if used[d] || d.first.Before(a.t.Add(-time.Second)) {
				continue
			}
			host, port, _ := net.SplitHostPort(d.server)
			peer := serverHost
			if a.active {
				peer = clientHost
			}
			if port == strconv.Itoa(a.port) && (host == peer || a.ip != nil && host == a.ip.String()) {
				match = d
				break
			}
		}
		if match == nil {
			if a.seq > 0 && a.verb != "" && a.verb != "PASV" && a.verb != "EPSV" || a.active {
				where := net.JoinHostPort(fmt.Sprint(orPeer(a.ip, serverHost, clientHost, a.active)), strconv.Itoa(a.port))
				out = append(out, protocol.Event{Kind: protocol.EventWarning, Time: a.t, Seq: a.seq,
					Line: "no data connection to " + where + " (announced by " + a.how + ") appears in the capture"})
			}
			continue
		}
		used[match] = true
		out = append(out, dataConnEvents(a, match, r.protP || r.encrypted)...)
	}
	return append(out, r.hiddenTransfers(data, used)...)
}

// hiddenTransfers describes the connections between the same two hosts
// during the encrypted part of the session: the data connections of
// transfers whose commands the capture cannot show.
func (r *controlReader) hiddenTransfers(data []*tcpConn, used map[*tcpConn]bool) []protocol.Event {
	if !r.encrypted {
		return nil
	}
	serverHost, _, _ := net.SplitHostPort(r.conn.server)
	clientHost, _, _ := net.SplitHostPort(r.conn.client)
	var out []protocol.Event
	for _, d := range data {
		if used[d] || d.first.Before(r.encSince) || d.first.After(r.conn.last) {
			continue
		}
		a, _, _ := net.SplitHostPort(d.client)
		b, _, _ := net.SplitHostPort(d.server)
		if !(a == clientHost && b == serverHost || a == serverHost && b == clientHost) {
			continue
		}
		used[d] = true
		info := protocol.DataInfo{Phase: protocol.DataClosed, Local: d.client, Remote: d.server, Protected: startsTLS(d),
			Bytes: d.dir[0].sent + d.dir[1].sent, Elapsed: d.last.Sub(d.first), OpenTime: d.handshakeTime()}
		line := fmt.Sprintf("a connection %s → %s during the encrypted part, probably a data connection: %d bytes in %s", d.client, d.server, info.Bytes, info.Elapsed.Round(time.Microsecond))
		if info.Protected {
			line += " (encrypted too: it starts with a TLS handshake)"
		} else if info.Bytes > 0 {
			// PROT C (or no PROT): the data travels in clear text even
			// though the commands do not.
			info.Preview = append(append([]byte(nil), d.dir[0].preview...), d.dir[1].preview...)
			line += " in clear text (no TLS handshake on it: the data connections were not protected, PROT C)"
		}
		out = append(out, protocol.Event{Kind: protocol.EventData, Time: d.last, Data: &info, Line: line})
	}
	return out
}

// startsTLS reports whether a connection's first bytes, from either
// side, are a TLS handshake record (content type 22, version 3.x).
func startsTLS(d *tcpConn) bool {
	for _, dir := range d.dir {
		if p := dir.preview; len(p) >= 2 && p[0] == 0x16 && p[1] == 0x03 {
			return true
		}
	}
	return false
}

func orPeer(ip net.IP, server, client string, active bool) string {
	switch {
	case ip != nil:
		return ip.String()
	case active:
		return client
	}
	return server
}

// dataConnEvents describes one data connection of a transfer.
func dataConnEvents(a *announcement, d *tcpConn, protected bool) []protocol.Event {
	verb := a.verb
	direction := transferVerbs[verb]
	if failed := dataDialEvent(a, d); failed != nil {
		return []protocol.Event{*failed}
	}
	info := protocol.DataInfo{Verb: verb, Direction: direction, Local: d.client, Remote: d.server, Protected: protected}
	open := info
	open.Phase = protocol.DataOpened
	closed := info
	closed.Phase = protocol.DataClosed
	closed.Bytes = d.dir[0].sent + d.dir[1].sent
	closed.Elapsed = d.last.Sub(d.first)
	open.OpenTime = d.handshakeTime()
	closed.OpenTime = open.OpenTime
	if !d.firstData.IsZero() {
		closed.FirstByte = d.firstData.Sub(d.first) - open.OpenTime
	}
	if !protected {
		closed.Preview = append(append([]byte(nil), d.dir[0].preview...), d.dir[1].preview...)
	}
	line := fmt.Sprintf("data connection closed: %d bytes in %s", closed.Bytes, closed.Elapsed.Round(time.Microsecond))
	if d.reset {
		closed.Err = recordedError("the " + []string{"connecting side", "accepting side"}[d.resetBy] + " reset the data connection (TCP RST)")
		line = fmt.Sprintf("data connection reset after %d bytes in %s: %v", closed.Bytes, closed.Elapsed.Round(time.Microsecond), closed.Err)
	}
	if protected {
		line += " (encrypted: the content cannot be shown)"
	}
	opened := fmt.Sprintf("data connection open: %s → %s, the address %s announced", d.client, d.server, a.how)
	if host, _, _ := net.SplitHostPort(d.server); a.ip != nil && host != a.ip.String() {
		opened = fmt.Sprintf("data connection open: %s → %s, the port %s announced on another address than %s", d.client, d.server, a.how, a.ip)
	}
	events := []protocol.Event{
		{Kind: protocol.EventData, Time: d.first, Seq: a.seq, Data: &open, Line: opened},
		{Kind: protocol.EventData, Time: d.last, Seq: a.seq, Data: &closed, Line: line},
	}
	for _, ev := range retransmissionEvents(d, "data connection") {
		ev.Seq = a.seq
		events = append(events, ev)
	}
	return events
}

// dataDialEvent is the error of a data connection that never opened: the
// connecting side's SYN got a reset (nothing listened) or no answer at
// all. It is nil for a connection that opened.
func dataDialEvent(a *announcement, d *tcpConn) *protocol.Event {
	if !d.sawSYN || !d.synAck.IsZero() || d.dir[0].sent+d.dir[1].sent > 0 {
		return nil
	}
	refused := d.reset && d.resetBy == 1
	what := "nothing listened there: the SYN was answered with a TCP reset (connection refused)"
	if !refused {
		what = "the SYN got no answer (a firewall dropped it)"
	}
	err := dataDialFailed(a.verb, d.server, refused)
	return &protocol.Event{Kind: protocol.EventError, Time: d.last, Seq: a.seq, Err: err,
		Line: fmt.Sprintf("data connection %s → %s, the address %s announced, never opened: %s", d.client, d.server, a.how, what)}
}

// retransmissionEvents warns of the segments a connection sent again.
func retransmissionEvents(t *tcpConn, what string) []protocol.Event {
	var out []protocol.Event
	for d := range t.dir {
		dir := t.dir[d]
		for _, n := range dir.notes {
			out = append(out, protocol.Event{Kind: protocol.EventWarning, Time: n.t,
				Line: fmt.Sprintf("TCP retransmission on the %s: the %s sent %d bytes again (a segment was lost or its acknowledgement late)", what, side(d), n.bytes)})
		}
		if dir.retrans > len(dir.notes) {
			out = append(out, protocol.Event{Kind: protocol.EventWarning, Time: t.last,
				Line: fmt.Sprintf("%d TCP retransmissions in all from the %s on the %s: the network lost segments", dir.retrans, side(d), what)})
		}
	}
	return out
}

// side names the sender of direction d of a connection.
func side(d int) string {
	if d == 0 {
		return "client"
	}
	return "server"
}

// mergeByTime inserts extra events among events by their times; an
// extra event goes after the events of the same time.
func mergeByTime(events, extra []protocol.Event) []protocol.Event {
	if len(extra) == 0 {
		return events
	}
	sort.SliceStable(extra, func(i, j int) bool { return extra[i].Time.Before(extra[j].Time) })
	out := make([]protocol.Event, 0, len(events)+len(extra))
	i := 0
	for _, ev := range events {
		for i < len(extra) && extra[i].Time.Before(ev.Time) {
			out = append(out, extra[i])
			i++
		}
		out = append(out, ev)
	}
	return append(out, extra[i:]...)
}
