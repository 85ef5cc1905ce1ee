package tui

// The ladder pane: a sequence diagram of the session drawn in the
// terminal, one row per step, with lanes for the client, the server's
// control connection and the data connections. It shows the same
// export.Ladder the Markdown handout draws with Mermaid.

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ftpscope/ftpscope/export"
	"github.com/ftpscope/ftpscope/protocol"
)

// LadderView draws an export.Ladder. Steps are added as events arrive; a
// frame draws only the rows on screen, so its cost does not grow with the
// session.
type LadderView struct {
	styles Styles
	// ladder works out the steps; they are moved to steps as they come.
	ladder export.Ladder
	// steps holds the steps and, for each, the data slots open after it
	// (bit i for slot i), so that any row can be drawn without replaying
	// the steps before it.
	steps  ladderSteps
	width  int
	height int
	// back is how many rows the view is scrolled up from the newest
	// step; 0 follows the newest.
	back int
	// pageKeys is set where pgup and pgdn scroll the ladder (in the
	// transcript's place, on a narrow screen); beside the transcript
	// they scroll the transcript, and the wheel scrolls the ladder.
	pageKeys bool
}

// ladderHeader is the number of rows above the steps: a title and the
// lanes' names.
const ladderHeader = 2

// NewLadderView returns an empty ladder.
func NewLadderView(styles Styles) *LadderView {
	return &LadderView{styles: styles}
}

// SetSize sets the pane's size in cells.
func (v *LadderView) SetSize(width, height int) {
	v.width, v.height = max(width, 20), max(height, ladderHeader+1)
}

// SetPageKeys says whether pgup and pgdn scroll the ladder, for the
// title's hint on how to read on.
func (v *LadderView) SetPageKeys(on bool) { v.pageKeys = on }

// Add adds the step an event draws, if any; key is the event's index in
// the event log.
func (v *LadderView) Add(ev protocol.Event, key int) {
	v.ladder.Add(ev)
	for _, step := range v.ladder.Steps {
		v.addStep(ev, key, step)
	}
	// The steps keep their events, and so every event of the session:
	// the view keeps its own copy of each step, without it.
	clear(v.ladder.Steps)
	v.ladder.Steps = v.ladder.Steps[:0]
}

// addStep stores one step drawn from ev.
func (v *LadderView) addStep(ev protocol.Event, key int, step export.Step) {
	n := v.steps.Len()
	var mask uint64
	if n > 0 {
		mask = v.steps.alive(n - 1)
	}
	if step.Slot >= 0 && step.Slot < 64 {
		switch step.Kind {
		case export.StepDataOpen:
			mask |= 1 << step.Slot
		case export.StepDataBytes, export.StepDataFailed:
			mask &^= 1 << step.Slot
		}
	}
	if step.Kind == export.StepClose {
		mask = 0
	}
	v.steps.add(step, key, mask)
}

// ScrollBy scrolls the ladder by n rows (negative is up, towards the
// start of the session).
func (v *LadderView) ScrollBy(n int) {
	rows := v.height - ladderHeader
	v.back = min(max(v.back-n, 0), max(v.steps.Len()-rows, 0))
}

// ScrollPage scrolls the ladder by a screenful, up or down.
func (v *LadderView) ScrollPage(up bool) {
	page := max(v.height-ladderHeader-1, 1)
	if up {
		page = -page
	}
	v.ScrollBy(page)
}

// Len returns the number of steps.
func (v *LadderView) Len() int { return v.steps.Len() }

// lanesX returns the column of each lane: the client at the left, the
// control connection at about 60% of the width, the data lanes spread
// over the rest.
func (v *LadderView) lanesX() []int {
	data := max(v.ladder.Slots, 1)
	xs := make([]int, 2+data)
	right := v.width - 3
	xs[0] = 1
	xs[1] = 1 + (right-1)*3/5
	for i := range data {
		xs[2+i] = xs[1] + (right-xs[1])*(i+1)/data
	}
	return xs
}

// View draws the ladder with the step of the selected reply highlighted
// (selected is the key of the reply the transcript selects, -1 to follow
// the newest step).
func (v *LadderView) View(selected int) string {
	sel := -1
	if selected >= 0 {
		if i := v.steps.find(selected); i >= 0 && v.steps.at(i).Kind == export.StepReply {
			sel = i
		}
	}
	rows := v.height - ladderHeader
	n := v.steps.Len()
	first := v.firstStep(max(n-v.back, 0), rows)
	if sel >= 0 && (sel < first || !v.fits(first, sel+1, rows)) {
		first = min(max(sel-rows/3, 0), v.firstStep(n, rows))
	}
	xs := v.lanesX()
	body := make([]string, 0, rows)
	last := first - 1 // the last step drawn whole
	for i := first; i < n && len(body) < rows; i++ {
		lines := v.row(i, xs, i == sel)
		shown := min(len(lines), rows-len(body))
		body = append(body, lines[:shown]...)
		if shown == len(lines) {
			last = i
		}
	}
	out := make([]string, 0, v.height)
	// The title is fitted to the width as the hint row is: the keys
	// that matter most stay, each whole.
	name := part(0, "the connections, as a ladder")
	title := []hintPart{name, part(3, "time runs down"), part(1, "f5 closes"), part(2, "ctrl+p/ctrl+n select a reply", "ctrl+p/n: a reply")}
	if below := n - 1 - last; v.back > 0 && below > 0 {
		title = []hintPart{name, part(1, fmt.Sprintf("%d newer steps below", below), fmt.Sprintf("%d more below", below)), v.scrollHint()}
	}
	if n == 0 {
		title = []hintPart{part(0,
			"the connections, as a ladder: commands, replies and data connections appear here as they happen",
			"the connections, as a ladder: commands, replies and data connections appear here",
			"the ladder: commands, replies and data connections appear here",
			"the ladder of the connections")}
	}
	out = append(out, v.styles.Dim.Render(" "+fitHint(v.width-1, title...)))
	out = append(out, v.header(xs))
	out = append(out, body...)
	for len(out) < v.height {
		out = append(out, v.lanes(xs, v.aliveBefore(n)).String())
	}
	for i, row := range out {
		if pad := v.width - ansi.StringWidth(row); pad > 0 {
			out[i] = row + strings.Repeat(" ", pad)
		}
	}
	return strings.Join(out, "\n")
}

// scrollHint is the title's word on how to read the newer steps.
func (v *LadderView) scrollHint() hintPart {
	if v.pageKeys {
		return part(2, "pgdn or the wheel scrolls", "pgdn scrolls")
	}
	return part(2, "the wheel scrolls")
}

// aliveBefore returns the data slots open before step i.
func (v *LadderView) aliveBefore(i int) uint64 {
	if i <= 0 || v.steps.Len() == 0 {
		return 0
	}
	return v.steps.alive(min(i, v.steps.Len()) - 1)
}

// header names the lanes: the client as the session says (the tool of a
// recording, "curl (client)"; plain "client" for ftpscope's own or an
// unnamed one), the server, the data connections.
func (v *LadderView) header(xs []int) string {
	c := newCanvas(v.width)
	name := "server (control)"
	if v.ladder.Server != "" && len(v.ladder.Server)+10 < xs[len(xs)-1]-xs[1] {
		name = "server " + v.ladder.Server + " (control)"
	}
	at := max(xs[1]-ansi.StringWidth(name)/2, 8)
	c.put(0, clientHeading(v.ladder.ClientName(), at-1))
	c.put(at, name)
	for i, x := range xs[2:] {
		label := "data"
		if len(xs) > 3 {
			label = fmt.Sprintf("data %d", i+1)
		}
		c.put(min(x-len(label)/2, v.width-len(label)), label)
	}
	return v.styles.PanelHeading.Render(c.String())
}

// clientHeading names the client's lane in at most room cells: "curl
// (client)", or the name alone when that is too long, cut when even the
// name is.
func clientHeading(name string, room int) string {
	if name == "ftpscope" || name == "client" {
		return "client"
	}
	if heading := name + " (client)"; ansi.StringWidth(heading) <= room {
		return heading
	}
	return cut(name, room)
}

// lanes returns a row holding only the lanes' vertical lines.
func (v *LadderView) lanes(xs []int, alive uint64) *canvas {
	c := newCanvas(v.width)
	c.set(xs[0], '│')
	c.set(xs[1], '│')
	for i, x := range xs[2:] {
		if i < 64 && alive&(1<<i) != 0 {
			c.set(x, '│')
		}
	}
	return c
}

// firstStep returns the first step to draw so that the steps before end
// fill at most rows rows (narration can take several); at least the step
// before end.
func (v *LadderView) firstStep(end, rows int) int {
	first, used := end, 0
	for first > 0 {
		h := v.stepHeight(first - 1)
		if used+h > rows && first < end {
			break
		}
		first, used = first-1, used+h
		if used >= rows {
			break
		}
	}
	return first
}

// fits reports whether steps first to end (excluded) fit in rows rows.
func (v *LadderView) fits(first, end, rows int) bool {
	used := 0
	for i := first; i < end; i++ {
		if used += v.stepHeight(i); used > rows {
			return false
		}
	}
	return true
}

// stepHeight is the number of rows step i takes: one, or more for a
// label wrapped so that it reads whole (a narration always does).
func (v *LadderView) stepHeight(i int) int {
	if s := v.steps.at(i); s.Kind == export.StepNarration {
		return len(v.narration(s.Label))
	}
	return len(v.row(i, v.lanesX(), false))
}

// narration wraps a script's "#" line to the pane's width, continuation
// lines indented under its text.
func (v *LadderView) narration(label string) []string {
	lines := strings.Split(wrapANSI(label, max(v.width-2, 1)), "\n")
	for i, line := range lines {
		prefix := "  "
		if i == 0 {
			prefix = "# "
		}
		lines[i] = prefix + line
	}
	return lines
}

// row draws step i, in one row or, for a narration, several.
func (v *LadderView) row(i int, xs []int, selected bool) []string {
	s := v.steps.at(i)
	alive := v.steps.alive(i)
	before := v.aliveBefore(i)
	c := v.lanes(xs, before|alive)
	style := v.styles.Info
	var restX int
	var rest []string
	switch s.Kind {
	case export.StepCommand:
		restX, rest = c.controlArrow(xs, s.Label, true, before|alive == 0)
		style = v.styles.Sent
	case export.StepReply:
		restX, rest = c.controlArrow(xs, s.Label, false, before|alive == 0)
		style = v.styles.codeStyle(s.Code)
		if selected {
			style = v.styles.Selected
		}
	case export.StepDataOpen:
		x := xs[2+min(s.Slot, len(xs)-3)]
		restX, rest = c.arrow(xs[0], x, '┄', s.Label, xs)
		c.set(x, '┬')
	case export.StepDataBytes:
		x := xs[2+min(s.Slot, len(xs)-3)]
		if s.Upload {
			restX, rest = c.arrow(xs[0], x, '═', s.Label, xs)
		} else {
			restX, rest = c.arrow(x, xs[0], '═', s.Label, xs)
		}
		c.set(x, '┴')
	case export.StepDataFailed:
		x := xs[2+min(s.Slot, len(xs)-3)]
		restX, rest = c.arrow(xs[0], x, '┄', s.Label, xs)
		c.set(x, '✗')
		style = v.styles.Warning
	case export.StepNarration:
		lines := v.narration(s.Label)
		for i, line := range lines {
			lines[i] = v.styles.Narration.Render(line)
		}
		return lines
	default: // connect, TLS, close: a note across the control connection
		restX, rest = c.note(xs[0], xs[1], s.Label)
	}
	// The label's further lines go under it, between the lanes still open.
	more := make([]string, len(rest))
	for j, line := range rest {
		cc := v.lanes(xs, alive)
		cc.put(restX, line)
		more[j] = cc.String()
		if selected {
			more[j] = v.styles.Selected.Render(more[j])
		}
	}
	if selected {
		c.set(0, '▌')
		return append([]string{v.styles.Selected.Render(c.String())}, more...)
	}
	text := c.String()
	if s.Kind == export.StepReply {
		// Colour the code alone; the rest of the row stays plain.
		return append([]string{colourCode(text, style)}, more...)
	}
	for j := range more {
		more[j] = style.Render(more[j])
	}
	return append([]string{style.Render(text)}, more...)
}

// colourCode styles the first three-digit code in a row.
func colourCode(row string, style lipgloss.Style) string {
	r := []rune(row)
	for i := 0; i+3 <= len(r); i++ {
		if isDigit(r[i]) && isDigit(r[i+1]) && isDigit(r[i+2]) && (i == 0 || r[i-1] == ' ') {
			return string(r[:i]) + style.Render(string(r[i:i+3])) + string(r[i+3:])
		}
	}
	return row
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// canvas is one row of cells being drawn.
type canvas struct{ cells []rune }

func newCanvas(width int) *canvas {
	c := &canvas{cells: make([]rune, width)}
	for i := range c.cells {
		c.cells[i] = ' '
	}
	return c
}

// set draws r at x, if x is on the row.
func (c *canvas) set(x int, r rune) {
	if x >= 0 && x < len(c.cells) {
		c.cells[x] = r
	}
}

// put writes text from x, cut at the row's end. Text is one rune per
// cell: wide characters are replaced, so lanes stay aligned.
func (c *canvas) put(x int, text string) {
	for _, r := range text {
		if x >= len(c.cells) {
			return
		}
		if ansi.StringWidth(string(r)) != 1 {
			r = '?'
		}
		c.set(x, r)
		x++
	}
}

// arrow draws an arrow from lane x=from to lane x=to, with label inside
// it. Lanes it crosses are drawn as crossings. A label too long for the
// arrow is wrapped: the lines after the first, and the column they start
// at, are returned for the rows below.
func (c *canvas) arrow(from, to int, line rune, label string, lanes []int) (x int, rest []string) {
	lo, hi := min(from, to), max(from, to)
	for x := lo + 1; x < hi; x++ {
		c.set(x, line)
	}
	for _, x := range lanes {
		if x > lo && x < hi {
			c.set(x, '┼')
		}
	}
	if to > from {
		c.set(hi-1, '▶')
	} else {
		c.set(lo+1, '◀')
	}
	// The label stays in the first stretch, so the lanes it crosses
	// stay drawn.
	end := hi
	for _, x := range lanes {
		if x > lo && x < end {
			end = x
		}
	}
	room := end - lo - 4
	if room < 4 || label == "" {
		return 0, nil
	}
	lines := wrapLabel(label, room-2)
	c.put(lo+3, " "+lines[0]+" ")
	return lo + 4, lines[1:]
}

// labelRows is the most rows a label takes: a long reply reads whole on
// a wide screen and in three rows on a narrow one, past which it is cut.
const labelRows = 3

// wrapLabel wraps label to width cells, in at most labelRows lines, the
// last cut with "…" when the label is longer still.
func wrapLabel(label string, width int) []string {
	width = max(width, 2)
	lines := strings.Split(wrapANSI(label, width), "\n")
	for i, line := range lines {
		lines[i] = strings.TrimSpace(line)
	}
	if len(lines) > labelRows {
		lines = lines[:labelRows]
		last := []rune(lines[labelRows-1])
		lines[labelRows-1] = string(last[:min(len(last), width-1)]) + "…"
	}
	return lines
}

// controlArrow draws a command (toClient false) or a reply between the
// client and the control lane. A label too long for the arrow goes to its
// right, past the control lane, when no data lane is in the way. Like
// arrow, it returns the label's further lines and their column.
func (c *canvas) controlArrow(xs []int, label string, toServer, roomRight bool) (x int, rest []string) {
	from, to := xs[1], xs[0]
	if toServer {
		from, to = xs[0], xs[1]
	}
	if !roomRight || len([]rune(label)) <= xs[1]-xs[0]-7 {
		return c.arrow(from, to, '─', label, xs)
	}
	c.arrow(from, to, '─', "", xs)
	lines := wrapLabel(label, len(c.cells)-xs[1]-3)
	c.put(xs[1]+2, lines[0])
	return xs[1] + 2, lines[1:]
}

// note writes a label between two lanes, marked with dots. A label too
// long for the room between them is wrapped, every word kept: like arrow,
// it returns the lines after the first, and the column they start at, for
// the rows below.
func (c *canvas) note(from, to int, label string) (x int, rest []string) {
	room := to - from - 3
	if room < 5 || label == "" {
		return 0, nil
	}
	lines := strings.Split(wrapANSI(label, room-4), "\n")
	for i, line := range lines {
		lines[i] = "  " + strings.TrimSpace(line)
	}
	lines[0] = "·" + lines[0][1:]
	lines[len(lines)-1] += " ·"
	c.put(from+2, lines[0])
	return from + 2, lines[1:]
}

// String returns the row's text.
func (c *canvas) String() string { return string(c.cells) }
