package tui

import "strings"

// The marks drawn in a line's gutter, which change its rows.
const (
	markNone uint8 = iota
	markSelected
	markFound
)

// rowCache keeps the rows of the lines drawn in the last frame, padded to
// the pane's width, so that the next frame draws only the lines that came
// on screen or whose gutter mark changed. A line's text never changes once
// added; anything else that changes how lines are drawn (width,
// timestamps, clearing the transcript) empties the cache. It holds about
// a screenful of lines, whatever the transcript's length.
type rowCache struct {
	drawn rowStyle
	// blank is an empty row of the pane's width.
	blank string
	// prev holds the last frame's lines, cur the lines of the frame being
	// drawn, by line index.
	prev, cur map[int]cachedLine
}

type cachedLine struct {
	mark uint8
	rows []string
	// over is set when a row is wider than the pane.
	over bool
}

// rowStyle is what, besides a line itself, decides its rows.
type rowStyle struct {
	width      int
	timestamps bool
	// spacious is presentation mode's layout.
	spacious bool
}

// begin starts a frame drawn in style s.
func (c *rowCache) begin(s rowStyle) {
	if c.prev == nil || s != c.drawn {
		c.prev, c.cur = map[int]cachedLine{}, map[int]cachedLine{}
		c.drawn = s
		c.blank = strings.Repeat(" ", s.width)
	}
}

// get returns line i's rows if they were drawn with the same mark.
func (c *rowCache) get(i int, mark uint8) (cachedLine, bool) {
	l, ok := c.cur[i]
	if !ok {
		l, ok = c.prev[i]
	}
	if !ok || l.mark != mark {
		return cachedLine{}, false
	}
	c.cur[i] = l
	return l, true
}

// put records line i's rows for the next frame.
func (c *rowCache) put(i int, l cachedLine) { c.cur[i] = l }

// end finishes a frame: its lines are what the next one may reuse.
func (c *rowCache) end() {
	c.prev, c.cur = c.cur, c.prev
	clear(c.cur)
}

// reset empties the cache, when lines are removed or redrawn otherwise.
func (c *rowCache) reset() { c.prev = nil }

// rowCount returns how many rows line i took in the last frame, if it was
// drawn in style s (the mark does not change the count).
func (c *rowCache) rowCount(i int, s rowStyle) (int, bool) {
	if c.prev == nil || s != c.drawn {
		return 0, false
	}
	l, ok := c.cur[i]
	if !ok {
		l, ok = c.prev[i]
	}
	return len(l.rows), ok
}
