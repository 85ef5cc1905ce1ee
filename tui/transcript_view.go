package tui

// Drawing the transcript: only the lines on screen are wrapped and styled.

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// View draws the visible rows.
func (t *Transcript) View() string {
	rows, _ := t.viewRows()
	return strings.Join(rows, "\n")
}

// viewRows draws the visible rows, each padded to the pane's width; exact
// reports that none is wider. Rows of lines drawn in the previous frame
// come from the row cache, so a frame styles and measures only the lines
// that came on screen or changed.
func (t *Transcript) viewRows() (rows []string, exact bool) {
	first, last := t.visibleLines()
	skip := t.anchorRow
	if t.follow {
		_, skip = t.topFromBottom()
	}
	t.cache.begin(t.rowStyle())
	rows = make([]string, 0, t.height+4)
	exact = true
	for i := first; i < last; i++ {
		l := t.cachedRows(i)
		rows = append(rows, l.rows...)
		exact = exact && !l.over
	}
	t.cache.end()
	if len(rows) > 0 {
		rows = rows[min(skip, len(rows)):]
	}
	rows = rows[:min(len(rows), t.height):min(len(rows), t.height)]
	if !t.follow && t.unseen > 0 && len(rows) == t.height {
		rows[len(rows)-1], _ = t.pad(t.styles.Selected.Render(cut(fmt.Sprintf("  ── %d new below · esc to follow ──", t.unseen), t.width)))
	}
	for len(rows) < t.height {
		rows = append(rows, t.cache.blank)
	}
	return rows, exact
}

// cachedRows returns line i's rows, drawn and padded, from the cache when
// the line was drawn the same way in the previous frame.
func (t *Transcript) cachedRows(i int) cachedLine {
	l := t.lines.At(i)
	mark := markNone
	switch {
	case i == t.highlight:
		mark = markFound
	case l.reply >= 0 && int(l.reply) == t.selected:
		mark = markSelected
	}
	if c, ok := t.cache.get(i, mark); ok {
		return c
	}
	c := cachedLine{mark: mark, rows: t.render(t.line(i), t.selected, i == t.highlight)}
	for j, row := range c.rows {
		var over bool
		c.rows[j], over = t.pad(row)
		c.over = c.over || over
	}
	t.cache.put(i, c)
	return c
}

// pad fills a row with spaces to the pane's width; over reports a row
// wider than the pane.
func (t *Transcript) pad(row string) (padded string, over bool) {
	n := t.width - ansi.StringWidth(row)
	if n > 0 {
		return row + strings.Repeat(" ", n), false
	}
	return row, n < 0
}

// prefix returns the marker drawn before a line's text.
func prefix(l line) string {
	switch l.kind {
	case lineSent:
		return "> "
	case lineReply:
		return "< "
	case lineWarning:
		return "! "
	case lineError:
		return "✗ "
	case lineNarration:
		return "# "
	case lineFinding:
		return "? "
	default:
		return "· "
	}
}

// textWidth is the room for text after the gutter, the optional time and
// the prefix, less one column of margin before the side panel.
func (t *Transcript) textWidth() int {
	if t.timestamps {
		return max(t.width-5-len("15:04:05.000 "), 1)
	}
	return max(t.width-5, 1)
}

// wrap splits a line's text into rows that fit the pane. Server text often
// has no spaces to break at, so long words are broken too.
func (t *Transcript) wrap(l line) []string {
	var rows []string
	if len(l.text) <= t.textWidth() && isASCII(l.text) {
		rows = []string{l.text}
	} else {
		rows = strings.Split(wrapANSI(l.text, t.textWidth()), "\n")
	}
	if t.spacious && (l.kind == lineSent || l.kind == lineNarration) {
		return append([]string{""}, rows...) // a blank row before
	}
	return rows
}

func isASCII[S string | []byte](s S) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// render draws a line as styled rows: a gutter that marks the selected
// reply, the kind's prefix, and the wrapped text.
func (t *Transcript) render(l line, selected int, found bool) []string {
	gutter := "  "
	switch {
	case found:
		gutter = t.styles.Selected.Render("» ")
	case l.reply >= 0 && l.reply == selected:
		gutter = t.styles.Selected.Render("▌ ")
	}
	// The time stands once, on a line's first row (for a reply, on its
	// first line only): wrapped rows and the rest of a multi-line reply
	// arrived at the same moment.
	stamp, blank := "", ""
	if t.timestamps {
		stamp, blank = l.at.Format("15:04:05.000 "), strings.Repeat(" ", len("15:04:05.000 "))
		if l.kind == lineReply && !l.first {
			stamp = blank
		}
	}
	style := t.styles.Info
	switch l.kind {
	case lineSent:
		style = t.styles.Sent
	case lineReply:
		style = t.styles.ReplyText
	case lineWarning:
		style = t.styles.Warning
	case lineError:
		style = t.styles.Error
	case lineNarration:
		style = t.styles.Narration
	case lineFinding:
		style = t.styles.Finding
	}
	mark := prefix(l)
	rows := t.wrap(l)
	lead := 0 // blank rows before the text
	if t.spacious && (l.kind == lineSent || l.kind == lineNarration) {
		lead = 1
	}
	out := make([]string, len(rows))
	for i, row := range rows {
		p, g := "  ", blank+gutter
		if i == lead {
			p, g = mark, t.styles.Dim.Render(stamp)+gutter
		}
		switch {
		case i < lead:
			out[i] = ""
		case l.kind == lineReply && l.first && i == lead:
			out[i] = g + t.renderFirstReplyRow(l, row)
		case l.kind == lineReply:
			out[i] = g + t.styles.Dim.Render(p) + style.Render(row)
		default:
			out[i] = g + style.Render(p+row)
		}
	}
	return out
}

// renderFirstReplyRow colours the code by class and adds the round-trip
// time at the right when it fits.
func (t *Transcript) renderFirstReplyRow(l line, row string) string {
	codeLen := 3
	if l.code == 0 || len(row) < codeLen {
		codeLen = 0
	}
	text := t.styles.Dim.Render("< ") + t.styles.codeStyle(l.code).Render(row[:codeLen]) + t.styles.ReplyText.Render(row[codeLen:])
	if l.rtt <= 0 || t.spacious {
		return text
	}
	rtt := formatRTT(l.rtt)
	if gap := t.textWidth() - lipgloss.Width(row) - lipgloss.Width(rtt); gap >= 1 {
		text += strings.Repeat(" ", gap) + t.styles.Dim.Render(rtt)
	}
	return text
}

// formatRTT shows a round-trip time with two or three significant digits.
func formatRTT(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000)
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

// rowCount returns how many rows line i takes on screen. A short ASCII
// line, the common case, is counted without building its text.
func (t *Transcript) rowCount(i int) int {
	rec := t.lines.At(i)
	lead := t.spacious && (rec.kind == lineSent || rec.kind == lineNarration)
	if text := t.lineText(rec); !lead && len(text) <= t.textWidth() && isASCII(text) {
		return 1
	}
	if n, ok := t.cache.rowCount(i, t.rowStyle()); ok {
		return n
	}
	return len(t.wrap(t.line(i)))
}

// rowStyle is how lines are drawn now, which the row cache must match.
func (t *Transcript) rowStyle() rowStyle {
	return rowStyle{width: t.width, timestamps: t.timestamps, spacious: t.spacious}
}
