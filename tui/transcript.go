package tui

import (
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

// line is one row of the transcript. Text is already escaped, so it is
// safe to draw; it is never wrapped, only cut to the pane's width.
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

// replyRef ties a reply to its place in the transcript.
type replyRef struct {
	event protocol.Event
	line  int
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
	lines   pages[line]
	replies pages[replyRef]
	width   int
	height  int

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

// AddReply adds a reply event, one transcript line per reply line.
func (t *Transcript) AddReply(ev protocol.Event) {
	idx := t.replies.Len()
	t.replies.Append(replyRef{event: ev, line: t.lines.Len()})
	for i, raw := range ev.Reply.Lines {
		l := line{kind: lineReply, text: protocol.Escape(raw), reply: idx, at: ev.Time}
		if i == 0 {
			l.first, l.code, l.rtt = true, ev.Reply.Code, ev.RTT
		}
		t.add(l)
	}
}

// SetEventTime dates the lines added next with the time of the event they
// come from, so timestamps show when things happened on the connection,
// not when the screen caught up. The zero time goes back to the clock.
func (t *Transcript) SetEventTime(at time.Time) { t.eventTime = at }

func (t *Transcript) add(l line) {
	if l.at.IsZero() {
		l.at = t.eventTime
	}
	if l.at.IsZero() {
		l.at = t.clock()
	}
	t.lines.Append(l)
	if !t.follow {
		t.unseen++
	}
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
	return t.replies.At(i).event, i, true
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
	target := t.replies.At(i).line
	first, last := t.visibleLines()
	if target >= first && target < last {
		return
	}
	t.showLine(target)
}

// Clear removes every line from the pane and starts following again.
func (t *Transcript) Clear() {
	t.lines, t.replies = pages[line]{}, pages[replyRef]{}
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
		if containsFold(t.lines.At(i).text, q) {
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
func containsFold(s, q string) bool {
	for i := 0; i < len(q); i++ {
		if q[i] >= 0x80 {
			return strings.Contains(strings.ToLower(s), q)
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
		if r := t.replies.At(i).event.Reply; r.Class() >= 4 || r.Malformed() {
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
			t.anchorRow = len(t.wrap(t.lines.At(t.anchor))) - 1
		} else {
			break
		}
	}
	for ; n > 0; n-- {
		if t.atEnd() {
			break
		}
		if t.anchorRow+1 < len(t.wrap(t.lines.At(t.anchor))) {
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
		rows += len(t.wrap(t.lines.At(i)))
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
		n := len(t.wrap(t.lines.At(i)))
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
		rows += len(t.wrap(t.lines.At(last)))
		last++
	}
	return first, last
}
