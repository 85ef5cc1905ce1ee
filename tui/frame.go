package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// A frame's cost is mostly measuring text: Lip Gloss's joins measure every
// row of every block, grapheme by grapheme, to pad them to the widest. The
// panes already know their rows' widths (the transcript pads its rows to
// its width, the side panel measures its rows once per content), so the
// frame is assembled from rows here, measuring only the few lines that
// change on every frame (the input, the hint). The result is the same as
// Lip Gloss's JoinHorizontal and JoinVertical would give; when a block is
// not as even as these functions need, they say so and the caller falls
// back to Lip Gloss.

// blockWidth returns the width of the widest of rows, and whether every
// row has that width.
func blockWidthOf(rows []string) (width int, even bool) {
	even = true
	for i, r := range rows {
		w := ansi.StringWidth(r)
		if i > 0 && w != width {
			even = false
		}
		width = max(width, w)
	}
	return width, even
}

// joinBeside puts right's rows beside left's, as lipgloss.JoinHorizontal
// (top-aligned) does for blocks of the same height whose rows each have
// one width. ok is false when they are not such blocks.
func joinBeside(left []string, leftEven bool, right []string, rightEven bool) (rows []string, ok bool) {
	if !leftEven || !rightEven || len(left) != len(right) {
		return nil, false
	}
	rows = make([]string, len(left))
	for i := range left {
		rows[i] = left[i] + right[i]
	}
	return rows, true
}

// stack puts the lines under body's rows, which are each width cells wide,
// as lipgloss.JoinVertical (left-aligned) does: every line padded with
// spaces to the widest.
func stack(body []string, width int, under ...string) string {
	widths := make([]int, len(under))
	for i, l := range under {
		widths[i] = ansi.StringWidth(l)
		if widths[i] > width {
			return lipgloss.JoinVertical(lipgloss.Left, append([]string{strings.Join(body, "\n")}, under...)...)
		}
	}
	var b strings.Builder
	b.Grow((len(body) + len(under)) * (width + 32))
	for _, r := range body {
		b.WriteString(r)
		b.WriteByte('\n')
	}
	for i, l := range under {
		b.WriteString(l)
		for range width - widths[i] {
			b.WriteByte(' ')
		}
		if i < len(under)-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// renderBody draws the panes above the input line as rows of one width,
// when the layout allows it without Lip Gloss: the transcript alone, or
// beside the side panel's explanation or the data view, with no strip or
// lesson around them. ok is false otherwise, and render joins the panes with Lip Gloss.
func (m Model) renderBody() (rows []string, width int, ok bool) {
	if m.stripHeight > 0 || m.lesson != nil {
		return nil, 0, false
	}
	switch {
	case m.wide && m.sideShown():
		if m.showLadder {
			return nil, 0, false
		}
		left, exact := m.transcript.viewRows()
		if m.showData && m.data.Has() {
			rows, ok = joinBeside(left, exact, m.data.viewRows(), true)
			return rows, m.transcript.width + m.data.width, ok
		}
		ev, index, has := m.transcript.SelectedReply()
		m.panel.SetDisconnected(m.sessionOver && !m.connected)
		right, rightWidth, even := m.panel.viewRows(ev, index, has)
		rows, ok = joinBeside(left, exact, right, even)
		return rows, m.transcript.width + rightWidth, ok
	case !m.wide && m.showPanel:
		return nil, 0, false
	default:
		left, exact := m.transcript.viewRows()
		return left, m.transcript.width, exact
	}
}

// borderPrefix returns what style draws before a row's text: the border
// and the padding on the left of a bordered pane, such as the side panel.
// A row drawn as this prefix, the text and spaces to the pane's inner
// width is the row style.Render draws for a text that fits.
func borderPrefix(style lipgloss.Style) string {
	sample := style.Render("x")
	return sample[:strings.IndexByte(sample, 'x')]
}

// lineCache remembers one drawn line and what it was drawn from, for lines
// such as the status line that are the same from one frame to the next
// unless what they show changes.
type lineCache struct {
	key  string
	line string
}

// get returns the line drawn from key, drawing it with draw when key
// changed.
func (c *lineCache) get(key string, draw func() string) string {
	if c.key != key || c.line == "" {
		c.key, c.line = key, draw()
	}
	return c.line
}
