package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

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
}

// replyRef ties a reply to its place in the transcript.
type replyRef struct {
	event protocol.Event
	line  int
}

// Transcript is the pane that shows the control connection: what was sent,
// what came back, and what ftpscope noticed. It keeps every line for the
// life of the program (append is O(1)) and draws only the rows on screen,
// so its cost per frame does not grow with its length.
type Transcript struct {
	styles  Styles
	lines   []line
	replies []replyRef
	width   int
	height  int
	// top is the first line on screen when not following the end.
	top    int
	follow bool
	// selected is the selected reply, or -1 to follow the newest.
	selected int
	// unseen counts lines added below the screen while scrolled up.
	unseen int
}

// NewTranscript returns an empty transcript that follows new lines.
func NewTranscript(styles Styles) Transcript {
	return Transcript{styles: styles, follow: true, selected: -1}
}

// SetSize sets the pane's size in cells.
func (t *Transcript) SetSize(width, height int) {
	t.width, t.height = max(width, 1), max(height, 1)
	t.clampTop()
}

// Len returns the number of lines in the transcript.
func (t *Transcript) Len() int { return len(t.lines) }

// AddSent adds a command line the user sent.
func (t *Transcript) AddSent(text string) { t.add(line{kind: lineSent, text: protocol.Escape(text), reply: -1}) }

// AddInfo, AddWarning and AddError add a line of ftpscope's own.
func (t *Transcript) AddInfo(text string)    { t.add(line{kind: lineInfo, text: text, reply: -1}) }
func (t *Transcript) AddWarning(text string) { t.add(line{kind: lineWarning, text: text, reply: -1}) }
func (t *Transcript) AddError(text string)   { t.add(line{kind: lineError, text: text, reply: -1}) }

// AddReply adds a reply event, one transcript line per reply line.
func (t *Transcript) AddReply(ev protocol.Event) {
	idx := len(t.replies)
	t.replies = append(t.replies, replyRef{event: ev, line: len(t.lines)})
	for i, raw := range ev.Reply.Lines {
		l := line{kind: lineReply, text: protocol.Escape(raw), reply: idx}
		if i == 0 {
			l.first, l.code, l.rtt = true, ev.Reply.Code, ev.RTT
		}
		t.add(l)
	}
}

func (t *Transcript) add(l line) {
	t.lines = append(t.lines, l)
	if !t.follow {
		t.unseen++
	}
}

// Reply returns the reply event the side panel should explain: the
// selected one, or the newest. ok is false when there is none yet.
func (t *Transcript) Reply() (ev protocol.Event, index int, ok bool) {
	if len(t.replies) == 0 {
		return protocol.Event{}, -1, false
	}
	i := t.selected
	if i < 0 || i >= len(t.replies) {
		i = len(t.replies) - 1
	}
	return t.replies[i].event, i, true
}

// SelectPrev selects the reply before the current one and scrolls to it.
func (t *Transcript) SelectPrev() {
	if len(t.replies) == 0 {
		return
	}
	_, i, _ := t.Reply()
	t.selectReply(max(i-1, 0))
}

// SelectNext selects the reply after the current one; past the newest it
// goes back to following.
func (t *Transcript) SelectNext() {
	if t.selected < 0 {
		return
	}
	if t.selected+1 >= len(t.replies) {
		t.Follow()
		return
	}
	t.selectReply(t.selected + 1)
}

func (t *Transcript) selectReply(i int) {
	t.selected = i
	target := t.replies[i].line
	if target < t.firstVisible() || target >= t.firstVisible()+t.height {
		t.follow = false
		t.top = max(target-t.height/3, 0)
		t.clampTop()
	}
}

// Follow goes back to following the newest line and reply.
func (t *Transcript) Follow() {
	t.selected, t.follow, t.unseen = -1, true, 0
}

// ScrollBy moves the view by n lines (negative is up). Scrolling to the end
// resumes following.
func (t *Transcript) ScrollBy(n int) {
	t.top = t.firstVisible() + n
	t.follow = false
	t.clampTop()
	if t.top >= t.maxTop() {
		t.follow, t.unseen = true, 0
	}
}

func (t *Transcript) maxTop() int { return max(len(t.lines)-t.height, 0) }

func (t *Transcript) clampTop() { t.top = min(max(t.top, 0), t.maxTop()) }

func (t *Transcript) firstVisible() int {
	if t.follow {
		return t.maxTop()
	}
	return t.top
}

// View draws the visible rows.
func (t *Transcript) View() string {
	first := t.firstVisible()
	last := min(first+t.height, len(t.lines))
	_, selected, _ := t.Reply()
	if t.selected < 0 {
		selected = -1 // following: no marker
	}
	rows := make([]string, 0, t.height)
	for i := first; i < last; i++ {
		rows = append(rows, t.renderLine(t.lines[i], selected))
	}
	if !t.follow && t.unseen > 0 && len(rows) > 0 {
		rows[len(rows)-1] = t.styles.Selected.Render(ansi.Truncate(fmt.Sprintf("── %d new below · esc to follow ──", t.unseen), t.width, "…"))
	}
	for len(rows) < t.height {
		rows = append(rows, "")
	}
	return strings.Join(rows, "\n")
}

// renderLine draws one line cut to the pane's width.
func (t *Transcript) renderLine(l line, selected int) string {
	gutter := "  "
	if l.reply >= 0 && l.reply == selected {
		gutter = t.styles.Selected.Render("▌ ")
	}
	room := t.width - 2
	switch l.kind {
	case lineSent:
		return gutter + t.styles.Sent.Render(cut("> "+l.text, room))
	case lineReply:
		if !l.first {
			return gutter + t.styles.Dim.Render("< ") + t.styles.ReplyText.Render(cut(l.text, room-2))
		}
		return gutter + t.renderFirstReplyLine(l, room)
	case lineWarning:
		return gutter + t.styles.Warning.Render(cut("! "+l.text, room))
	case lineError:
		return gutter + t.styles.Error.Render(cut("✗ "+l.text, room))
	default:
		return gutter + t.styles.Info.Render(cut("· "+l.text, room))
	}
}

// renderFirstReplyLine colours the code by class and adds the round-trip
// time at the right when it fits.
func (t *Transcript) renderFirstReplyLine(l line, room int) string {
	rtt := ""
	if l.rtt > 0 {
		rtt = " " + formatRTT(l.rtt)
	}
	text := cut("< "+l.text, room)
	if w := lipgloss.Width(text); rtt != "" && w+len(rtt) <= room {
		text += strings.Repeat(" ", room-w-len(rtt))
	} else {
		rtt = ""
	}
	codeLen := 3
	if l.code == 0 || len(text) < 2+codeLen {
		codeLen = 0
	}
	head, rest := text[:2], text[2:]
	code, tail := rest[:codeLen], rest[codeLen:]
	return t.styles.Dim.Render(head) + t.styles.codeStyle(l.code).Render(code) +
		t.styles.ReplyText.Render(tail) + t.styles.Dim.Render(rtt)
}

// formatRTT shows a round-trip time with two or three significant digits.
func formatRTT(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	default:
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
}

// cut shortens s to width cells, marking the cut with an ellipsis.
func cut(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}
