package recording

import (
	"errors"
	"io"
	"net"
	"regexp"
	"strings"
	"time"

	"github.com/ftpscope/ftpscope/protocol"
)

// lftp -d (debug) writes "---> " before each command it sends, "<--- "
// before each reply line it reads, "---- " before its own notes and "**** "
// before errors. The inner lines of a multi-line reply come without a
// prefix, as do the listings lftp prints. With `set log:show-time yes` a
// line starts with the date and time.

func lftpFormat() Format {
	return Format{
		Name:        "lftp",
		Client:      "lftp",
		Description: "lftp -d (debug) output",
		detect: func(head []byte) int {
			return scoreLines(head, 2, func(l string) bool {
				_, l = lftpTime(l)
				return strings.HasPrefix(l, "---> ") || strings.HasPrefix(l, "<--- ") ||
					strings.HasPrefix(l, "---- ") || strings.HasPrefix(l, "**** ")
			})
		},
		parse: parseLftp,
	}
}

var (
	lftpStamp      = regexp.MustCompile(`^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) `)
	lftpConnecting = regexp.MustCompile(`^Connecting to (\S+) \((\S+)\) port (\d+)`)
)

// lftpTime splits the time lftp's log:show-time puts before a line.
func lftpTime(l string) (time.Time, string) {
	m := lftpStamp.FindStringSubmatch(l)
	if m == nil {
		return time.Time{}, l
	}
	t, err := time.Parse(time.DateTime, m[1])
	if err != nil {
		return time.Time{}, l
	}
	return t, l[len(m[0]):]
}

func parseLftp(r io.Reader, c *collector) error {
	lines := newLineReader(r)
	n := 0
	var b *builder
	start := func(t time.Time) *builder {
		n++
		b = c.session("lftp " + itoa(n))
		return b
	}
	var data lftpData
	for {
		raw, err := lines.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		t, l := lftpTime(raw)
		if b == nil && (strings.HasPrefix(l, "---> ") || strings.HasPrefix(l, "<--- ")) {
			start(t)
		}
		switch {
		case strings.HasPrefix(l, "---> "):
			b.send(t, l[5:])
			data.sent(b)
		case strings.HasPrefix(l, "<--- "):
			b.replyLine(t, l[5:])
		case strings.HasPrefix(l, "---- "):
			note := l[5:]
			switch {
			case lftpConnecting.MatchString(note):
				m := lftpConnecting.FindStringSubmatch(note)
				if b == nil || b.seq > 0 || len(b.events) > 1 {
					start(t)
				}
				b.label = "lftp to " + m[1] + " port " + m[3]
				b.connectTo(t, "connecting to "+m[2]+" port "+m[3], net.JoinHostPort(m[2], m[3]))
			case strings.HasPrefix(note, "Closing control socket") && b != nil:
				b.close(t, "lftp closed the control connection")
			case b != nil:
				data.note(b, t, note)
			}
		case strings.HasPrefix(l, "WARNING: ") && b != nil:
			// lftp's own warnings, such as a certificate it does not trust.
			b.warn(t, "lftp: "+protocol.Escape(strings.TrimPrefix(l, "WARNING: ")))
		case strings.HasPrefix(l, "**** ") && b != nil:
			b.fail(t, "lftp: "+l[5:])
		case b != nil && b.partial != nil:
			b.replyLine(t, l) // an inner line of a multi-line reply
		}
	}
}

// lftpData turns lftp's notes about data connections into events, as
// other formats show them: the connection opening, then closing. lftp
// logs where it connected ("Connecting data socket to (127.0.0.1) port
// 2482", "Data connection established") in passive mode, or where the
// server connected from ("Accepted data connection from (127.0.0.1) port
// 39631") in active mode, whether the server ended the data ("Got EOF on
// data connection"), and the close ("Closing data socket"); it never logs
// the bytes moved, so the close says the size is not recorded rather than
// 0. It also notes lftp ignoring the address of a 227.
type lftpData struct {
	// addr is where lftp is connecting a passive data connection, until
	// it is established.
	addr string
	// pending is a passive data connection lftp opened before the command
	// that uses it: its open is added before that command, numbered as
	// it.
	pending *protocol.Event
	// open is the data connection between its open and close, with the
	// number and verb of its command; eof is set once the server ended
	// it.
	open   bool
	seq    int
	verb   string
	remote string
	eof    bool
}

var (
	lftpDataConnecting = regexp.MustCompile(`^Connecting data socket to \((\S+)\) port (\d+)`)
	lftpDataAccepted   = regexp.MustCompile(`^Accepted data connection from \((\S+)\) port (\d+)`)
)

func (d *lftpData) note(b *builder, t time.Time, note string) {
	switch {
	case strings.HasPrefix(note, "Address returned by PASV seemed to be incorrect"):
		b.warn(t, "lftp did not use the address in the 227 reply, which it found wrong, and connects to the server's address instead (its ftp:fix-pasv-address setting)")
	case lftpDataConnecting.MatchString(note):
		m := lftpDataConnecting.FindStringSubmatch(note)
		d.addr = lftpAddr(m[1], m[2])
	case note == "Data connection established" && d.addr != "":
		d.pending = &protocol.Event{Kind: protocol.EventData, Time: t,
			Line: "data connection open: lftp connected to " + protocol.Escape(d.addr) + " (passive mode)",
			Data: &protocol.DataInfo{Phase: protocol.DataOpened, Remote: d.addr}}
		d.addr = ""
	case lftpDataAccepted.MatchString(note) && b.xfer != nil:
		m := lftpDataAccepted.FindStringSubmatch(note)
		from := lftpAddr(m[1], m[2])
		d.start(b.xfer, from)
		b.add(protocol.Event{Kind: protocol.EventData, Time: t, Seq: d.seq,
			Line: "data connection open: the server connected from " + protocol.Escape(from) + " (active mode)",
			Data: &protocol.DataInfo{Phase: protocol.DataOpened, Verb: d.verb, Direction: transferVerbs[d.verb], Remote: from, Protected: protP(b)}})
	case note == "Got EOF on data connection":
		d.eof = true
	case note == "Closing data socket" && d.open:
		line := "lftp closed the data connection; size not recorded (lftp's log does not count the bytes)"
		if d.eof {
			line = "data connection closed: the server ended the data; size not recorded (lftp's log does not count the bytes)"
		}
		b.add(protocol.Event{Kind: protocol.EventData, Time: t, Seq: d.seq, Line: line,
			Data: &protocol.DataInfo{Phase: protocol.DataClosed, Verb: d.verb, Direction: transferVerbs[d.verb], Remote: d.remote, Uncounted: true, Protected: protP(b)}})
		d.open = false
	case note == "Closing data socket":
		// A passive connection no command used: nothing to tie it to.
		d.pending, d.addr = nil, ""
	}
}

// lftpAddr joins the address and port of a note; an address that is no
// IP address (a damaged or forged log) is kept escaped.
func lftpAddr(host, port string) string {
	if net.ParseIP(host) == nil {
		host = protocol.Escape(host)
	}
	return net.JoinHostPort(host, port)
}

// sent adds the open of the passive data connection that lftp made
// before the transfer command just sent, before that command.
func (d *lftpData) sent(b *builder) {
	x := b.xfer
	if d.pending == nil || x == nil || x.seq != b.seq {
		return
	}
	ev := *d.pending
	d.pending = nil
	d.start(x, ev.Data.Remote)
	ev.Seq = x.seq
	info := *ev.Data
	info.Verb, info.Direction, info.Protected = x.verb, transferVerbs[x.verb], protP(b)
	ev.Data = &info
	last := len(b.events) - 1
	b.events = append(b.events[:last], ev, b.events[last])
}

// protP reports whether the server accepted PROT P last (and not PROT C
// since): lftp's data connections are then protected by TLS.
func protP(b *builder) bool {
	for i := len(b.events) - 1; i >= 0; i-- {
		ev := b.events[i]
		if ev.Kind == protocol.EventReply && ev.Verb == "PROT" && ev.Reply != nil && ev.Reply.Class() == 2 {
			_, level, _ := strings.Cut(ev.Command, " ")
			return strings.EqualFold(strings.TrimSpace(level), "P")
		}
	}
	return false
}

// start marks the data connection of transfer x, with the server's end
// at remote, open.
func (d *lftpData) start(x *tally, remote string) {
	d.open, d.seq, d.verb, d.remote, d.eof = true, x.seq, x.verb, remote, false
}
