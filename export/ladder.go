package export

// The ladder (sequence) diagram of a session: which connection each
// command, reply and data movement happened on, in order. The TUI draws it
// in the terminal and the Markdown handout as a Mermaid diagram; both read
// the same Ladder, so they show the same picture.

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/protocol"
)

// Lane is a vertical line of the ladder: the client, the server's control
// connection, or a data connection's slot (DataLane).
type Lane int

// The fixed lanes; data lanes follow them.
const (
	LaneClient  Lane = 0
	LaneControl Lane = 1
)

// DataLane returns the lane of data slot i, from 0.
func DataLane(slot int) Lane { return Lane(2 + slot) }

// StepKind says what a step of the ladder shows.
type StepKind uint8

// The kinds of step.
const (
	// StepConnect: the control connection opened (Label: the server).
	StepConnect StepKind = iota
	// StepCommand: a command from the client to the control connection.
	StepCommand
	// StepReply: a reply from the control connection to the client.
	StepReply
	// StepDataOpen: a data connection opened in slot Slot.
	StepDataOpen
	// StepDataBytes: bytes moved on a data connection, which then closed.
	StepDataBytes
	// StepDataFailed: a data connection could not be made or broke.
	StepDataFailed
	// StepTLS: a TLS handshake on the control connection or, with Slot
	// set, a data connection.
	StepTLS
	// StepNarration: a script's "#" comment.
	StepNarration
	// StepClose: the control connection closed.
	StepClose
)

// Step is one row of the ladder. Label is escaped (protocol.Escape): safe
// to draw, not yet escaped for any markup.
type Step struct {
	Kind StepKind
	// From and To are the lanes an arrow joins; a note spans them.
	From, To Lane
	// Slot is the data slot of a data step (or a data TLS step), else -1.
	Slot int
	// Conn numbers data connections from 1, in the order they opened.
	Conn int
	// Upload marks bytes moving from the client to the server.
	Upload bool
	// Code is a reply's code (0 when malformed).
	Code  int
	Label string
	// Event is what the step was drawn from, to find the step of a reply
	// selected elsewhere (see SameEvent).
	Event protocol.Event
}

// Ladder collects the steps of one or more sessions from their events.
// Data connections take the lowest free slot, so a session whose
// transfers follow one another needs one data lane.
type Ladder struct {
	Steps []Step
	// Slots is the number of data lanes used.
	Slots int
	// Server is the address of the first server connected to.
	Server string
	// Client names the program on the client's side, as the first
	// connection says (protocol.ConnectInfo.Client), escaped: "ftpscope"
	// for ftpscope's own connections, the tool of a recording, or
	// unknownClient when the recording does not say or its sessions come
	// from different programs; "" before any connection. See ClientName.
	Client string

	// sessions counts the connections seen; closed is set once one is
	// closed.
	sessions int
	closed   bool

	conns int
	// open maps a transfer's command number to its data connection.
	open map[int]openConn
	busy []bool
}

// openConn is a data connection between its open and its close.
type openConn struct{ slot, conn int }

// labelLimit bounds a label, in characters: a reply of a kilobyte makes a
// readable arrow only when cut.
const labelLimit = 120

// noteLimit bounds the label of a note (a connection opened or closed, a
// TLS handshake, a narration): notes are wrapped, never cut, by the
// terminal's ladder and the Mermaid diagram, so every word is kept. The
// bound is a script line's (4096 bytes), past which only a hostile
// recording goes.
const noteLimit = 4096

// Add adds the step an event draws, if any: progress, saved-file and
// ftpscope's own notes draw none.
func (l *Ladder) Add(ev protocol.Event) {
	if l.open == nil {
		l.open = map[int]openConn{}
	}
	step := Step{Slot: -1, Event: ev}
	switch ev.Kind {
	case protocol.EventConnect:
		server := serverOf(ev.Line)
		if ev.Connect != nil && ev.Connect.Remote != "" {
			server = ev.Connect.Remote // a recording's connection says "TCP connection …"
		}
		if l.Server == "" {
			l.Server = server
		}
		l.connected(ev.Connect)
		step.Kind, step.From, step.To, step.Label = StepConnect, LaneClient, LaneControl, noteLabel("connected to "+server)
		if server == "" {
			step.Label = noteLabel(ev.Line) // a server's log: "client 192.0.2.9 connected"
		}
	case protocol.EventSend:
		step.Kind, step.From, step.To, step.Label = StepCommand, LaneClient, LaneControl, label(mask(ev.Line))
		l.introduced(ev.Line)
	case protocol.EventReply:
		if ev.Reply == nil || len(ev.Reply.Lines) == 0 {
			return
		}
		step.Kind, step.From, step.To, step.Code = StepReply, LaneControl, LaneClient, ev.Reply.Code
		step.Label = label(ev.Reply.Lines[0])
		if n := len(ev.Reply.Lines); n > 1 {
			step.Label = label(fmt.Sprintf("%s (+%d lines)", ev.Reply.Lines[0], n-1))
		}
	case protocol.EventData:
		if !l.data(ev, &step) {
			return
		}
	case protocol.EventTLS:
		if ev.TLS == nil || ev.TLS.NeedsDecision {
			return
		}
		step.Kind, step.From, step.To = StepTLS, LaneClient, LaneControl
		step.Label = noteLabel("control connection protected by " + ev.TLS.Version)
		if ev.TLS.Data {
			c, ok := l.open[ev.Seq]
			if !ok {
				return
			}
			step.Slot, step.Conn, step.To = c.slot, c.conn, DataLane(c.slot)
			step.Label = noteLabel(fmt.Sprintf("data connection %d protected by %s", c.conn, ev.TLS.Version))
		}
	case protocol.EventError:
		var de *protocol.DataError
		if !errors.As(ev.Err, &de) || de.Op == protocol.DataLocalFile || !ev.Refused && de.Op != protocol.DataDial {
			// Not a data connection that failed: a refused command's,
			// or one a recording shows failing (a client's, a capture's).
			return
		}
		// A command not sent because its data connection could not be
		// made: the connection that never was.
		l.conns++
		step.Kind, step.Slot, step.Conn = StepDataFailed, l.lowestSlot(), l.conns
		step.From, step.To = LaneClient, DataLane(step.Slot)
		step.Label = label(ev.Line)
	case KindNarration:
		step.Kind, step.From, step.To, step.Label = StepNarration, LaneClient, LaneControl, noteLabel(ev.Line)
	case protocol.EventClose:
		step.Kind, step.From, step.To, step.Label = StepClose, LaneClient, LaneControl, "connection closed"
		l.closed = true
		l.open, l.busy = map[int]openConn{}, make([]bool, len(l.busy))
	default:
		return
	}
	l.Steps = append(l.Steps, step)
}

// unknownClient is ClientName's name for a client that a recording does
// not name.
const unknownClient = "client"

// clientLimit bounds a client's name, which a recording (or a CLNT
// command) may make as long as it likes.
const clientLimit = 40

// ClientName names the program on the client's side for a diagram:
// Client, or "client" when no connection named it.
func (l *Ladder) ClientName() string {
	if l.Client == "" {
		return unknownClient
	}
	return l.Client
}

// connected notes the client that made a connection: the first names
// it; a later one that names another program makes it unknownClient (a
// server's log with sessions of several clients).
func (l *Ladder) connected(info *protocol.ConnectInfo) {
	name := "ftpscope"
	if info != nil && info.Client != "" {
		name = cutLabel(info.Client, clientLimit)
	}
	l.sessions++
	switch {
	case l.sessions == 1:
		l.Client = name
	case name != l.Client:
		l.Client = unknownClient
	}
}

// introduced names an unknown client by the CLNT command it sent ("CLNT
// lftp/4.9.2") while the diagram shows one connection, still open: a
// server's log or a capture records it, where the client does not say
// its name otherwise. Without a connection to tell one session from the
// next (ProFTPD's log), the name would go to sessions it was not sent
// in, so it is not taken. ftpscope's own sessions keep their name,
// whatever CLNT a user types.
func (l *Ladder) introduced(line string) {
	verb, arg, _ := strings.Cut(line, " ")
	name, _, _ := strings.Cut(strings.TrimSpace(arg), " ")
	if !strings.EqualFold(verb, "CLNT") || name == "" || l.sessions != 1 || l.closed {
		return
	}
	if l.Client == unknownClient {
		l.Client = cutLabel(name, clientLimit)
	}
}

// data fills in the step of a data event; it reports false for an event
// that draws nothing.
func (l *Ladder) data(ev protocol.Event, step *Step) bool {
	info := ev.Data
	if info == nil {
		return false
	}
	switch info.Phase {
	case protocol.DataOpened:
		c := openConn{slot: l.freeSlot(), conn: l.conns + 1}
		l.conns++
		l.open[ev.Seq] = c
		step.Kind, step.Slot, step.Conn = StepDataOpen, c.slot, c.conn
		step.From, step.To = LaneClient, DataLane(c.slot)
		step.Label = label(fmt.Sprintf("data connection %d open %s", c.conn, arrowOf(info)))
		return true
	case protocol.DataClosed:
		c, ok := l.open[ev.Seq]
		if !ok {
			// A connection opened before its command had a number.
			c, ok = l.open[0]
			ev.Seq = 0
		}
		if !ok {
			// Closed without an open: it never connected.
			if info.Err == nil {
				return false
			}
			l.conns++
			step.Kind, step.Slot, step.Conn = StepDataFailed, l.lowestSlot(), l.conns
			step.From, step.To = LaneClient, DataLane(step.Slot)
			step.Label = label(fmt.Sprintf("data connection for %s failed: %s", info.Verb, diagnose.Describe(info.Err).What))
			return true
		}
		delete(l.open, ev.Seq)
		l.busy[c.slot] = false
		step.Slot, step.Conn, step.Upload = c.slot, c.conn, info.Direction == "upload"
		step.Kind = StepDataBytes
		step.From, step.To = DataLane(c.slot), LaneClient
		if step.Upload {
			step.From, step.To = LaneClient, DataLane(c.slot)
		}
		moved := formatCount(info.Bytes) + " " + info.Verb
		if info.Uncounted {
			moved = strings.TrimSpace(info.Verb + " (size not recorded)")
		}
		what := moved + ", then closed"
		if info.Err != nil {
			step.Kind = StepDataFailed
			// In plain words, as the transcript says it, not Go's
			// "read tcp a->b: read: connection reset by peer".
			what = fmt.Sprintf("%s, then broke: %s", moved, diagnose.Describe(info.Err).What)
		}
		step.Label = label(what)
		return true
	}
	return false
}

// lowestSlot returns the lowest free data slot without taking it, adding
// one when all are busy.
func (l *Ladder) lowestSlot() int {
	slot := l.freeSlot()
	l.busy[slot] = false
	return slot
}

// freeSlot takes the lowest free data slot, adding one when all are busy.
func (l *Ladder) freeSlot() int {
	for i, b := range l.busy {
		if !b {
			l.busy[i] = true
			return i
		}
	}
	l.busy = append(l.busy, true)
	l.Slots = max(l.Slots, len(l.busy))
	return len(l.busy) - 1
}

// Lanes returns the number of lanes: client, control and the data slots.
func (l *Ladder) Lanes() int { return 2 + l.Slots }

// Find returns the index of the step drawn from ev (a reply selected in
// the transcript), or -1.
func (l *Ladder) Find(ev protocol.Event) int {
	for i := len(l.Steps) - 1; i >= 0; i-- {
		if SameEvent(l.Steps[i].Event, ev) {
			return i
		}
	}
	return -1
}

// SameEvent reports whether a and b are the same session event: the same
// kind, command number and time.
func SameEvent(a, b protocol.Event) bool {
	return a.Kind == b.Kind && a.Seq == b.Seq && a.Time.Equal(b.Time) && a.Line == b.Line && a.Reply == b.Reply
}

// arrowOf names a data connection's two ends, or the one a recording
// knows.
func arrowOf(info *protocol.DataInfo) string {
	switch {
	case info.Local == "" && info.Remote == "":
		return ""
	case info.Local == "":
		return "with " + info.Remote
	case info.Remote == "":
		return "from " + info.Local
	}
	return info.Local + " ↔ " + info.Remote
}

// formatCount writes a byte count for a label.
func formatCount(n int64) string {
	if n == 1 {
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

// label escapes server text and bounds its length, for an arrow.
func label(s string) string { return cutLabel(s, labelLimit) }

// noteLabel escapes the text of a note, kept whole up to noteLimit.
func noteLabel(s string) string { return cutLabel(s, noteLimit) }

// IsNote reports whether a step is drawn as a note rather than an arrow:
// its label is wrapped to the room it has, every word kept.
func (s Step) IsNote() bool {
	switch s.Kind {
	case StepConnect, StepTLS, StepNarration, StepClose:
		return true
	}
	return false
}

// cutLabel escapes s and cuts it to limit characters.
func cutLabel(s string, limit int) string {
	s = strings.TrimSpace(protocol.Escape(s))
	if r := []rune(s); len(r) > limit {
		s = string(r[:limit-1]) + "…"
	}
	return s
}
