package tui

import (
	"encoding/binary"
	"reflect"
	"strings"
	"time"

	"github.com/ftpscope/ftpscope/protocol"
)

// eventLog keeps every event of a session, for :save and for the side
// panel, in little memory: a protocol.Event is some 230 bytes of struct
// plus a string or slice per field, and a long session has hundreds of
// thousands of them. The log stores the fields most events use (kind,
// time, sequence number, round trip, the text fields, a reply's code and
// lines and raw bytes) encoded one after another in a byte arena, and
// keeps whatever else an event holds (an error, data or TLS details,
// warnings, a reply's problems, and any field this encoding does not
// know) in a second store, for the few events that have it. At rebuilds
// the event exactly, minus the time's monotonic clock reading.
//
// State and Effect are not stored with each event: a SessionState is
// some 450 bytes, and each event carries a new one. They are
// interpretations of the events before, which a protocol.Tracker works out
// again: the log keeps the state after every stateEvery-th event, and At
// replays at most that many events from the nearest one before.
//
// Nothing the session reported is dropped.
//
// Appending never copies what is stored (arena and pages grow by adding
// chunks), so the log's growth never pauses the screen.
type eventLog struct {
	bytes arena
	// starts holds where each event's encoding starts.
	starts pages[arenaRef]
	// rests holds the fields the encoding leaves out, for the events that
	// have any.
	rests pages[protocol.Event]
	// states holds the State of events 0, stateEvery, 2×stateEvery…
	states pages[*protocol.SessionState]
	// lineStart and lineOffs locate the lines of the newest event's
	// reply in the arena (lineRef), so that the transcript can show the
	// same bytes without a copy.
	lineStart arenaRef
	lineOffs  []int
	// memo is the event At rebuilt last, event memoIndex.
	memo      *protocol.Event
	memoIndex int
	// scratch is reused to encode each event before it is copied into
	// the arena.
	scratch []byte
}

// stateEvery is how often the log keeps an event's State: rebuilding
// another's replays at most this many events.
const stateEvery = 64

// Flags of an encoded event.
const (
	evTimeLocal = 1 << iota // Time is encoded, in time.Local
	evTimeUTC               // Time is encoded, in UTC
	evRefused
	evTransfer
	evReply // Reply is set
	evRaw   // Raw is not nil
	evRest  // a rest is stored
	// evRawIsLine: Raw is Line and CRLF (a send), not stored again.
	evRawIsLine
	// evVerbOfCommand: Verb is Command's first word, not stored again.
	evVerbOfCommand
)

// knownKinds are the event kinds encoded as a number, their index plus
// one; 0 means the kind is the rest's (empty, or one added since).
var knownKinds = [...]protocol.EventKind{
	protocol.EventConnect, protocol.EventSend, protocol.EventReply, protocol.EventData,
	protocol.EventTLS, protocol.EventWarning, protocol.EventError, protocol.EventClose,
}

// Markers for a reply line's raw bytes.
const (
	rawCRLF  = 0 // the line's text followed by CRLF
	rawBytes = 1 // bytes of their own follow
	rawNil   = 2 // nil
)

// Len returns the number of events.
func (l *eventLog) Len() int { return l.starts.Len() }

// Append stores ev and returns its index.
func (l *eventLog) Append(ev protocol.Event) int {
	rest := ev
	var flags uint64
	kind := 0
	for i, k := range knownKinds {
		if ev.Kind == k {
			kind, rest.Kind = i+1, ""
			break
		}
	}
	var nanos int64
	if y := ev.Time.Year(); !ev.Time.IsZero() && y > 1700 && y < 2200 {
		switch ev.Time.Location() {
		case time.Local:
			flags |= evTimeLocal
		case time.UTC:
			flags |= evTimeUTC
		}
		if flags&(evTimeLocal|evTimeUTC) != 0 {
			nanos, rest.Time = ev.Time.UnixNano(), time.Time{}
		}
	}
	if ev.Refused {
		flags |= evRefused
	}
	if ev.Transfer {
		flags |= evTransfer
	}
	if ev.Raw != nil {
		flags |= evRaw
		if isLineCRLF(ev.Raw, ev.Line) {
			flags |= evRawIsLine
		}
	}
	if ev.Verb != "" && ev.Verb == firstWord(ev.Command) {
		flags |= evVerbOfCommand
	}
	// State and Effect are worked out from the events before them, by a
	// protocol.Tracker, which is what export does with events that lack
	// them; kept, they would cost a SessionState per event.
	if l.Len()%stateEvery == 0 {
		l.states.Append(ev.State)
	}
	rest.State, rest.Effect = nil, nil
	rest.Line, rest.Command, rest.Verb, rest.Note, rest.Raw = "", "", "", "", nil
	rest.RTT, rest.Seq, rest.Refused, rest.Transfer = 0, 0, false, false
	if ev.Reply != nil {
		flags |= evReply
		r := *ev.Reply
		r.Code, r.Lines, r.Raw = 0, nil, nil
		rest.Reply = nil
		if !reflect.ValueOf(r).IsZero() {
			rest.Reply = &r
		}
	}
	restIndex := 0
	if !reflect.ValueOf(rest).IsZero() {
		flags |= evRest
		restIndex = l.rests.Len()
		l.rests.Append(rest)
	}

	b := l.scratch[:0]
	b = binary.AppendUvarint(b, flags)
	b = binary.AppendUvarint(b, uint64(kind))
	b = binary.AppendVarint(b, nanos)
	b = binary.AppendVarint(b, int64(ev.Seq))
	b = binary.AppendVarint(b, int64(ev.RTT))
	b = binary.AppendUvarint(b, uint64(restIndex))
	b = appendString(b, ev.Line)
	b = appendString(b, ev.Command)
	if flags&evVerbOfCommand == 0 {
		b = appendString(b, ev.Verb)
	}
	b = appendString(b, ev.Note)
	if flags&evRawIsLine == 0 {
		b = appendString(b, string(ev.Raw))
	}
	if r := ev.Reply; r != nil {
		b = binary.AppendVarint(b, int64(r.Code))
		b = appendSliceLen(b, r.Lines == nil, len(r.Lines))
		l.lineOffs = l.lineOffs[:0]
		for _, s := range r.Lines {
			b = binary.AppendUvarint(b, uint64(len(s)))
			l.lineOffs = append(l.lineOffs, len(b))
			b = append(b, s...)
		}
		b = appendSliceLen(b, r.Raw == nil, len(r.Raw))
		for i, raw := range r.Raw {
			switch {
			case raw == nil:
				b = append(b, rawNil)
			case i < len(r.Lines) && isLineCRLF(raw, r.Lines[i]):
				b = append(b, rawCRLF)
			default:
				b = append(b, rawBytes)
				b = appendString(b, string(raw))
			}
		}
	}
	l.scratch = b
	start := l.bytes.Add(b)
	l.starts.Append(start)
	l.lineStart = start
	if ev.Reply == nil {
		l.lineOffs = l.lineOffs[:0]
	}
	return l.starts.Len() - 1
}

// isLineCRLF reports whether raw is line followed by CRLF, the common
// case, stored as a marker.
func isLineCRLF(raw []byte, line string) bool {
	return len(raw) == len(line)+2 && string(raw[:len(line)]) == line && raw[len(line)] == '\r' && raw[len(line)+1] == '\n'
}

// firstWord returns s up to its first space.
func firstWord(s string) string {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// appendSliceLen encodes a slice's length, 0 meaning nil.
func appendSliceLen(b []byte, isNil bool, n int) []byte {
	if isNil {
		return binary.AppendUvarint(b, 0)
	}
	return binary.AppendUvarint(b, uint64(n)+1)
}

// At rebuilds event i, 0 ≤ i < Len, with its State and Effect worked out
// again (see eventLog). What the event points to (its Reply, its State)
// may be shared with other calls: read it, do not change it.
func (l *eventLog) At(i int) protocol.Event {
	// The side panel asks for the same reply every frame; events never
	// change, so the last one rebuilt is kept.
	if l.memo != nil && l.memoIndex == i {
		return *l.memo
	}
	ev := l.rebuild(i)
	l.memo, l.memoIndex = &ev, i
	return ev
}

// rebuild is At without the memo.
func (l *eventLog) rebuild(i int) protocol.Event {
	// Replay from the nearest state kept before event i.
	tracker, from := protocol.NewTracker(), 0
	if k := (i - 1) / stateEvery; i > 0 {
		if st := l.states.At(k); st != nil {
			tracker, from = protocol.NewTrackerAt(st), k*stateEvery+1
		}
		// else: stored without states (a transcript's own log): replay
		// from the start.
	}
	for j := from; j < i; j++ {
		prev := l.stored(j)
		tracker.Observe(&prev)
	}
	ev := l.stored(i)
	tracker.Observe(&ev)
	return ev
}

// stored rebuilds event i as stored, without State and Effect.
func (l *eventLog) stored(i int) protocol.Event {
	d := decoder{b: l.bytes.From(l.starts.At(i))}
	flags := d.uvarint()
	kind := d.uvarint()
	nanos := d.varint()
	seq := d.varint()
	rtt := d.varint()
	restIndex := d.uvarint()
	var ev protocol.Event
	if flags&evRest != 0 {
		ev = l.rests.At(int(restIndex))
	}
	if kind > 0 {
		ev.Kind = knownKinds[kind-1]
	}
	switch {
	case flags&evTimeLocal != 0:
		ev.Time = time.Unix(0, nanos)
	case flags&evTimeUTC != 0:
		ev.Time = time.Unix(0, nanos).UTC()
	}
	ev.Seq, ev.RTT = int(seq), time.Duration(rtt)
	ev.Refused, ev.Transfer = flags&evRefused != 0, flags&evTransfer != 0
	ev.Line, ev.Command = d.str(), d.str()
	if flags&evVerbOfCommand != 0 {
		ev.Verb = firstWord(ev.Command)
	} else {
		ev.Verb = d.str()
	}
	ev.Note = d.str()
	switch {
	case flags&evRawIsLine != 0:
		ev.Raw = append([]byte(ev.Line), '\r', '\n')
	case flags&evRaw != 0:
		ev.Raw = d.bytes()
	default:
		d.bytes() // nil: stored as empty
	}
	if flags&evReply == 0 {
		return ev
	}
	var r protocol.Reply
	if ev.Reply != nil {
		r = *ev.Reply // the rest's copy: never hand out the stored one
	}
	r.Code = int(d.varint())
	if n := d.uvarint(); n > 0 {
		r.Lines = make([]string, n-1)
		for j := range r.Lines {
			r.Lines[j] = d.str()
		}
	}
	if n := d.uvarint(); n > 0 {
		r.Raw = make([][]byte, n-1)
		for j := range r.Raw {
			switch d.byte() {
			case rawCRLF:
				r.Raw[j] = append([]byte(r.Lines[j]), '\r', '\n')
			case rawBytes:
				r.Raw[j] = d.bytes()
			}
		}
	}
	ev.Reply = &r
	return ev
}

// Snapshot returns the events stored so far, unaffected by later appends,
// for reading on another goroutine (:save).
func (l *eventLog) Snapshot() *eventLog {
	return &eventLog{bytes: l.bytes.Snapshot(), starts: l.starts.Snapshot(), rests: l.rests.Snapshot(), states: l.states.Snapshot()}
}

// All yields every event in order, for range-over-func, with State and
// Effect worked out by one tracker going through them all.
func (l *eventLog) All(yield func(protocol.Event) bool) {
	tracker := protocol.NewTracker()
	for i := 0; i < l.Len(); i++ {
		ev := l.stored(i)
		tracker.Observe(&ev)
		if !yield(ev) {
			return
		}
	}
}

// decoder reads what Append encoded. The input is the log's own, so it
// is well formed.
type decoder struct {
	b []byte
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	d.b = d.b[n:]
	return v
}

func (d *decoder) byte() byte {
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

// str returns a string, a copy of the stored bytes.
func (d *decoder) str() string {
	n := d.uvarint()
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// bytes returns a copy of the stored bytes, never nil.
func (d *decoder) bytes() []byte {
	n := d.uvarint()
	b := append([]byte{}, d.b[:n]...)
	d.b = d.b[n:]
	return b
}

// sentSearch bounds sentBefore's walk back through the log: a command's
// reply follows it closely, even with commands pipelined.
const sentSearch = 4096

// sentBefore returns the bytes written for command seq, from the send
// event nearest before event i (a reply to it); nil when there is none
// within sentSearch events, or a connect event comes first (numbers start
// again with each connection).
func (l *eventLog) sentBefore(i, seq int) []byte {
	for j := i - 1; j >= 0 && j >= i-sentSearch; j-- {
		ev := l.At(j)
		switch {
		case ev.Kind == protocol.EventConnect:
			return nil
		case ev.Kind == protocol.EventSend && ev.Seq == seq:
			return ev.Raw
		}
	}
	return nil
}

// lineRef returns where line j of the reply of the newest event is in
// the log's arena; ok is false when event i is not the newest or has no
// such line.
func (l *eventLog) lineRef(i, j int) (ref arenaRef, ok bool) {
	if i != l.Len()-1 || j >= len(l.lineOffs) {
		return 0, false
	}
	return l.lineStart + arenaRef(l.lineOffs[j]), true
}
