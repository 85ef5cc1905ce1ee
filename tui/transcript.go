package tui

import (
	"bytes"
	"strings"
	"time"

	"github.com/ftpscope/ftpscope/protocol"
)

// lineKind says what a transcript line shows.
type lineKind uint8

const (
	lineSent lineKind = iota
	lineReply
	lineInfo
	lineWarning
	lineError
	// lineNarration is a "#" comment of a played demonstration.
	lineNarration
	// lineFinding is a "?" line: a cause and its fix (see findings.go).
	lineFinding
)

// line is one row of the transcript, as drawn. Text is already escaped, so
// it is safe to draw; it is wrapped to the pane's width when drawn. Lines
// are stored as lineRecs and rebuilt as lines for the few on screen.
type line struct {
	kind lineKind
	text string
	// reply is the index of the reply this line belongs to, or -1.
	reply int
	// code is the reply code on the first line of a reply, else 0.
	code int
	// first marks the first line of a reply.
	first bool
	rtt   time.Duration
	// at is when the line arrived, for the optional timestamps.
	at time.Time
}

// lineRec is how a line is stored: 24 bytes, its text in the transcript's
// arena (chunk, offset in it, length), its time as nanoseconds. A million
// lines take 24 MB plus their text, where a line struct with a string and
// a time.Time took 80 bytes plus a string allocation each. A reply's code
// and round trip, drawn on its first line, come from its event.
type lineRec struct {
	at    int64 // Unix nanoseconds; 0 is the zero time
	chunk uint32
	n     uint32
	reply int32
	off   uint16 // arena chunks are 64 KiB
	kind  lineKind
	flags uint8
}

// Flags of a lineRec.
const (
	recFirst = 1 << iota // the first line of a reply
	recUTC               // at is in UTC, not local time
)

// replyRef ties a reply to its event and its place in the transcript.
type replyRef struct {
	event int32 // index in the event log
	line  int32 // its first line
	// problem marks an error reply (class 4 and above) or a malformed one,
	// which alt+↑/↓ jump to.
	problem bool
}

// Transcript is the pane that shows the control connection: what was sent,
// what came back, and what ftpscope noticed. It keeps every line for the
// life of the program (append is O(1)) and wraps and draws only the lines
// on screen, so its cost per frame does not grow with its length.
//
// The scroll position is an anchor: the line at the top of the screen and
// how many of its wrapped rows are above the screen. While following, the
// screen is filled from the last line upwards instead.
type Transcript struct {
	styles  Styles
	lines   pages[lineRec]
	texts   arena
	replies pages[replyRef]
	// cache keeps the rows drawn in the last frame.
	cache rowCache
	// events is the model's event log, shared (shareLog), which holds
	// the session's replies; own holds those added with AddReply.
	events *eventLog
	own    eventLog
	width  int
	height int

	follow    bool
	anchor    int // first line on screen when not following
	anchorRow int // wrapped rows of that line above the screen
	// selected is the selected reply, or -1 to follow the newest.
	selected int
	// unseen counts lines added while scrolled up.
	unseen int
	// highlight is the line found by a search, or -1.
	highlight int
	// timestamps shows each line's time of arrival.
	timestamps bool
	// spacious leaves a blank row before each command and drops the
	// round-trip times: presentation mode.
	spacious bool
	now      func() time.Time
	// eventTime dates new lines while an event is applied; see
	// SetEventTime.
	eventTime time.Time
}

// NewTranscript returns an empty transcript that follows new lines.
func NewTranscript(styles Styles) *Transcript {
	return &Transcript{styles: styles, follow: true, selected: -1, highlight: -1}
}

// SetSize sets the pane's size in cells.
func (t *Transcript) SetSize(width, height int) {
	t.width, t.height = max(width, 4), max(height, 1)
	t.anchorRow = 0
}

// Len returns the number of lines in the transcript.
func (t *Transcript) Len() int { return t.lines.Len() }

// AddSent adds a command line the user sent.
func (t *Transcript) AddSent(text string) {
	t.add(line{kind: lineSent, text: protocol.Escape(text), reply: -1})
}

// AddInfo adds a line of ftpscope's own. Like every Add, it escapes the
// text: ftpscope's lines often quote the server (a certificate, an error,
// a path), and escaping is a no-op on its own printable text.
func (t *Transcript) AddInfo(text string) {
	t.add(line{kind: lineInfo, text: protocol.Escape(text), reply: -1})
}

// AddWarning adds a warning of ftpscope's own, escaped.
func (t *Transcript) AddWarning(text string) {
	t.add(line{kind: lineWarning, text: protocol.Escape(text), reply: -1})
}

// AddError adds an error of ftpscope's own, escaped.
func (t *Transcript) AddError(text string) {
	t.add(line{kind: lineError, text: protocol.Escape(text), reply: -1})
}

// AddNarration adds a narration line of a played demonstration.
func (t *Transcript) AddNarration(text string) {
	t.add(line{kind: lineNarration, text: protocol.Escape(text), reply: -1})
}

// AddFinding adds what ftpscope concluded is wrong, escaped.
func (t *Transcript) AddFinding(text string) {
	t.add(line{kind: lineFinding, text: protocol.Escape(text), reply: -1})
}

// AddReply adds a reply event, one transcript line per reply line, and
// returns its key (see SelectedReply). The event is kept in the
// transcript's own store, not in the session's event log: this is for
// replies of other connections, such as a doctor check's.
func (t *Transcript) AddReply(ev protocol.Event) (key int) {
	key = ownKey(t.own.Append(ev))
	t.addLoggedReply(ev, key)
	return key
}

// ownKey is the key of event i of the transcript's own store: negative,
// below -1, so that it never meets an event log index.
func ownKey(i int) int { return -2 - i }

// eventByKey returns the reply event with key key.
func (t *Transcript) eventByKey(key int) protocol.Event {
	if key < 0 {
		return t.own.At(-2 - key)
	}
	return t.events.At(key)
}

// storedByKey is eventByKey without State and Effect, which are not
// worked out.
func (t *Transcript) storedByKey(key int) protocol.Event {
	if key < 0 {
		return t.own.stored(-2 - key)
	}
	return t.events.stored(key)
}

// addLoggedReply adds a reply event with key key: its index in the event
// log shared with shareLog, or an ownKey.
func (t *Transcript) addLoggedReply(ev protocol.Event, key int) {
	idx := t.replies.Len()
	r := ev.Reply
	t.replies.Append(replyRef{event: int32(key), line: int32(t.lines.Len()), problem: r.Class() >= 4 || r.Malformed()})
	for i, raw := range r.Lines {
		l := line{kind: lineReply, text: protocol.Escape(raw), reply: idx, at: ev.Time}
		if i == 0 {
			l.first, l.code, l.rtt = true, r.Code, ev.RTT
		}
		if ref, ok := t.logLineRef(key, i); ok && l.text == raw {
			// Printable text, the usual case: drawn from the bytes the
			// log already holds, not stored twice.
			t.addStored(l, ref)
			continue
		}
		t.add(l)
	}
}

// logLineRef is where line i of the reply with key key is in the shared
// event log's arena, when it is there.
func (t *Transcript) logLineRef(key, i int) (arenaRef, bool) {
	if key < 0 || t.events == nil {
		return 0, false
	}
	return t.events.lineRef(key, i)
}

// shareLog makes the transcript keep its replies' events in log, the
// model's event log, instead of a store of its own, so that each event is
// stored once. The model then adds replies with addLoggedReply.
func (t *Transcript) shareLog(log *eventLog) { t.events = log }

// SetEventTime dates the lines added next with the time of the event they
// come from, so timestamps show when things happened on the connection,
// not when the screen caught up. The zero time goes back to the clock.
func (t *Transcript) SetEventTime(at time.Time) { t.eventTime = at }

func (t *Transcript) add(l line) { t.addStored(l, t.texts.AddString(l.text)|textInArena) }

// textInArena marks a text stored in the transcript's own arena rather
// than the event log's; arena chunks never number 2³¹.
const textInArena arenaRef = 1 << 63

// addStored adds a line whose text is stored at ref: in the transcript's
// arena when ref has textInArena, else in the event log's.
func (t *Transcript) addStored(l line, ref arenaRef) {
	if l.at.IsZero() {
		l.at = t.eventTime
	}
	if l.at.IsZero() {
		l.at = t.clock()
	}
	t.lines.Append(t.store(l, ref))
	if !t.follow {
		t.unseen++
	}
}

// store turns a line into its stored form, its text at ref.
func (t *Transcript) store(l line, ref arenaRef) lineRec {
	rec := lineRec{chunk: uint32(ref >> 32), off: uint16(ref), n: uint32(len(l.text)), reply: int32(l.reply), kind: l.kind}
	if !l.at.IsZero() {
		rec.at = l.at.UnixNano()
		if l.at.Location() == time.UTC {
			rec.flags |= recUTC
		}
	}
	if l.first {
		rec.flags |= recFirst
	}
	return rec
}

// line rebuilds line i for drawing.
func (t *Transcript) line(i int) line {
	rec := t.lines.At(i)
	l := line{kind: rec.kind, text: string(t.lineText(rec)), reply: int(rec.reply), first: rec.flags&recFirst != 0}
	if l.first && l.reply >= 0 && l.reply < t.replies.Len() {
		ev := t.storedByKey(int(t.replies.At(l.reply).event))
		if ev.Reply != nil {
			l.code, l.rtt = ev.Reply.Code, ev.RTT
		}
	}
	if rec.at != 0 {
		l.at = time.Unix(0, rec.at)
		if rec.flags&recUTC != 0 {
			l.at = l.at.UTC()
		}
	}
	return l
}

// lineText returns a stored line's text, without a copy; it must not be
// changed.
func (t *Transcript) lineText(rec lineRec) []byte {
	ref := arenaRef(uint64(rec.chunk)<<32 | uint64(rec.off))
	if ref&textInArena != 0 {
		return t.texts.Bytes(ref&^textInArena, int(rec.n))
	}
	return t.events.bytes.Bytes(ref, int(rec.n))
}

// Reply returns the reply event the side panel should explain: the
// selected one, or the newest. ok is false when there is none yet.
func (t *Transcript) Reply() (ev protocol.Event, index int, ok bool) {
	if t.replies.Len() == 0 {
		return protocol.Event{}, -1, false
	}
	i := t.selected
	if i < 0 || i >= t.replies.Len() {
		i = t.replies.Len() - 1
	}
	return t.eventByKey(int(t.replies.At(i).event)), i, true
}

// SelectedReply is Reply with, instead of the reply's place in the
// transcript, its key: its index in the event log (or, for a reply added
// with AddReply, a negative key of the transcript's own store), which
// identifies it for the life of the program (clearing the transcript does
// not reuse it). Findings, the ladder and the side panel's cache know
// replies by it.
func (t *Transcript) SelectedReply() (ev protocol.Event, key int, ok bool) {
	ev, i, ok := t.Reply()
	if !ok {
		return ev, -1, false
	}
	return ev, int(t.replies.At(i).event), true
}

// SelectPrev selects the reply before the current one and scrolls to it.
func (t *Transcript) SelectPrev() {
	if t.replies.Len() == 0 {
		return
	}
	// While following, the newest reply is already explained, so the
	// first press moves to the one before it, as later presses do.
	_, i, _ := t.Reply()
	t.selectReply(max(i-1, 0))
}

// SelectNext selects the reply after the current one; past the newest it
// goes back to following.
func (t *Transcript) SelectNext() {
	if t.selected < 0 {
		return
	}
	if t.selected+1 >= t.replies.Len() {
		t.Follow()
		return
	}
	t.selectReply(t.selected + 1)
}

// selectReply selects reply i and scrolls so that it is on screen, a
// third of the way down when it has to move.
func (t *Transcript) selectReply(i int) {
	t.selected = i
	target := int(t.replies.At(i).line)
	first, last := t.visibleLines()
	if target >= first && target < last {
		return
	}
	t.showLine(target)
}

// Clear removes every line from the pane and starts following again.
func (t *Transcript) Clear() {
	// The event store is the session's record (:save): it stays.
	t.lines, t.texts, t.replies = pages[lineRec]{}, arena{}, pages[replyRef]{}
	t.cache.reset()
	t.anchor, t.anchorRow, t.unseen = 0, 0, 0
	t.selected, t.highlight, t.follow = -1, -1, true
}

// SetClock sets where line times come from; time.Now by default.
func (t *Transcript) SetClock(now func() time.Time) { t.now = now }

func (t *Transcript) clock() time.Time {
	if t.now != nil {
		return t.now()
	}
	return time.Now()
}

// ToggleTimestamps shows or hides each line's time of arrival.
func (t *Transcript) ToggleTimestamps() { t.timestamps = !t.timestamps }

// Search finds the nearest line containing query (case-insensitive),
// looking older than line from when older is set, newer otherwise; from
// -1 starts at the newest line. It scrolls to the match and highlights it.
// The cost is proportional to the lines searched.
func (t *Transcript) Search(query string, from int, older bool) (int, bool) {
	if query == "" || t.lines.Len() == 0 {
		return -1, false
	}
	q := strings.ToLower(query)
	step, i := 1, from+1
	if older {
		step, i = -1, from-1
		if from < 0 {
			i = t.lines.Len() - 1
		}
	}
	for ; i >= 0 && i < t.lines.Len(); i += step {
		if containsFold(t.lineText(t.lines.At(i)), q) {
			t.showLine(i)
			t.highlight = i
			return i, true
		}
	}
	return -1, false
}

// containsFold reports whether s contains q, ignoring case; q is lower
// case. An ASCII q is matched without allocating, which keeps a search
// through a million lines to a plain scan.
func containsFold(s []byte, q string) bool {
	for i := 0; i < len(q); i++ {
		if q[i] >= 0x80 {
			return bytes.Contains(bytes.ToLower(s), []byte(q))
		}
	}
	n := len(q)
	for i := 0; i+n <= len(s); i++ {
		j := 0
		for j < n {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != q[j] {
				break
			}
			j++
		}
		if j == n {
			return true
		}
	}
	return false
}

// ClearHighlight removes a search's highlight.
func (t *Transcript) ClearHighlight() { t.highlight = -1 }

// JumpError selects the nearest error reply (4xx, 5xx, 6xx … or
// malformed) older or newer than the selected one.
func (t *Transcript) JumpError(older bool) bool {
	_, cur, ok := t.Reply()
	if !ok {
		return false
	}
	if t.selected < 0 {
		cur = t.replies.Len() // nothing selected: start past the newest
	}
	step := 1
	if older {
		step = -1
	}
	for i := cur + step; i >= 0 && i < t.replies.Len(); i += step {
		if t.replies.At(i).problem {
			t.selectReply(i)
			return true
		}
	}
	return false
}

// showLine scrolls so that line i is on screen, a third of the way down
// when it has to move.
func (t *Transcript) showLine(i int) {
	first, last := t.visibleLines()
	if i >= first && i < last && !t.follow {
		return
	}
	t.follow = false
	t.anchor, t.anchorRow = i, 0
	t.ScrollBy(-t.height / 3)
}

// Selecting reports whether a reply is selected (else the newest one is
// explained).
func (t *Transcript) Selecting() bool { return t.selected >= 0 }

// Unselect drops the reply selection, so the newest reply is explained
// again, and leaves the view where it is.
func (t *Transcript) Unselect() { t.selected = -1 }

// Follow goes back to following the newest line and reply.
func (t *Transcript) Follow() {
	t.selected, t.follow, t.unseen, t.highlight = -1, true, 0, -1
}

// Following reports whether the view sticks to the newest line.
func (t *Transcript) Following() bool { return t.follow }

// ScrollBy moves the view by n rows (negative is up). Scrolling down to
// the end resumes following. The cost is proportional to n.
func (t *Transcript) ScrollBy(n int) {
	if t.lines.Len() == 0 {
		return
	}
	if t.follow {
		if n >= 0 {
			return
		}
		t.anchor, t.anchorRow = t.topFromBottom()
		t.follow = false
	}
	for ; n < 0; n++ {
		if t.anchorRow > 0 {
			t.anchorRow--
		} else if t.anchor > 0 {
			t.anchor--
			t.anchorRow = t.rowCount(t.anchor) - 1
		} else {
			break
		}
	}
	for ; n > 0; n-- {
		if t.atEnd() {
			break
		}
		if t.anchorRow+1 < t.rowCount(t.anchor) {
			t.anchorRow++
		} else {
			t.anchor++
			t.anchorRow = 0
		}
	}
	if t.atEnd() {
		t.follow, t.unseen = true, 0
	}
}

// atEnd reports whether the rows from the anchor down fit on the screen,
// so scrolling further down would show nothing new.
func (t *Transcript) atEnd() bool {
	rows := -t.anchorRow
	for i := t.anchor; i < t.lines.Len(); i++ {
		rows += t.rowCount(i)
		if rows > t.height {
			return false
		}
	}
	return true
}

// topFromBottom returns the anchor that shows the last screenful.
func (t *Transcript) topFromBottom() (line, row int) {
	rows := 0
	for i := t.lines.Len() - 1; i >= 0; i-- {
		n := t.rowCount(i)
		if rows+n >= t.height {
			return i, rows + n - t.height
		}
		rows += n
	}
	return 0, 0
}

// visibleLines returns the range of lines at least partly on screen.
func (t *Transcript) visibleLines() (first, last int) {
	if t.lines.Len() == 0 {
		return 0, 0
	}
	first, row := t.anchor, t.anchorRow
	if t.follow {
		first, row = t.topFromBottom()
	}
	rows := -row
	last = first
	for last < t.lines.Len() && rows < t.height {
		rows += t.rowCount(last)
		last++
	}
	return first, last
}
