package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/protocol"
)

// DataView shows what the last transfer moved: a listing or a file's first
// bytes as text, or as a hex dump when the data is not text. It shares the
// side panel's place and frame. A title and a summary stay at the top;
// the data under them scrolls, with a last line saying how much is above
// or below and which key reads on, so that a long listing can be read to
// its end.
type DataView struct {
	styles Styles
	keys   DataKeyMap
	width  int
	height int
	info   *protocol.DataInfo
	seq    int // the transfer command's number
	title  string
	// rows caches the rendered title lines, the first headLen rows, and
	// the data under them, for the current data and width; version
	// counts what rows held.
	rows      []string
	headLen   int
	rowsWidth int
	version   int
	// scroll is the first data row shown.
	scroll int
	// drawn is the last frame drawn, for drawnAs; prefix is the border
	// and padding before a row, drawn for prefixWidth.
	drawn       []string
	drawnAs     dataFrame
	prefix      string
	prefixWidth int
}

// dataFrame is what a drawn data view shows: the data (by version), the
// scroll position and the view's size.
type dataFrame struct {
	version, scroll, width, height int
}

// NewDataView returns an empty data view scrolled by keys.
func NewDataView(styles Styles, keys DataKeyMap) *DataView {
	return &DataView{styles: styles, keys: keys}
}

// SetStyles draws the view in s from now on.
func (d *DataView) SetStyles(s Styles) {
	d.styles, d.rows, d.prefix = s, nil, ""
	d.version++
}

// SetSize sets the view's size in cells, frame included.
func (d *DataView) SetSize(width, height int) { d.width, d.height = max(width, 1), max(height, 1) }

// Has reports whether there is data to show.
func (d *DataView) Has() bool { return d.info != nil }

// SetData shows the closing report of transfer seq, made by command, from
// its first line.
func (d *DataView) SetData(seq int, info *protocol.DataInfo, command string) {
	d.info, d.seq, d.title, d.rows, d.scroll = info, seq, command, nil, 0
	d.version++
}

// SetSaved notes what became of the local file of transfer seq, if it is
// the one shown.
func (d *DataView) SetSaved(seq int, saved *protocol.DataInfo) {
	if d.info == nil || d.seq != seq {
		return
	}
	shown := *d.info
	shown.Phase, shown.Saved = saved.Phase, saved.Saved
	d.info, d.rows = &shown, nil
	d.version++
}

// Update scrolls the view for a key of its key map; other keys do
// nothing.
func (d *DataView) Update(msg tea.KeyPressMsg) {
	k := d.keys
	switch {
	case key.Matches(msg, k.LineUp):
		d.ScrollBy(-1)
	case key.Matches(msg, k.LineDown):
		d.ScrollBy(1)
	case key.Matches(msg, k.PageUp):
		d.ScrollBy(-d.page())
	case key.Matches(msg, k.PageDown):
		d.ScrollBy(d.page())
	case key.Matches(msg, k.Top):
		d.scroll = 0
	case key.Matches(msg, k.Bottom):
		d.scroll = d.scrollMax()
	}
}

// ScrollBy scrolls the data by n rows (negative is back).
func (d *DataView) ScrollBy(n int) {
	d.scroll = min(max(d.scroll+n, 0), d.scrollMax())
}

// layout renders the data for the current width if needed, and returns
// the title lines that stay at the top, the data rows under them and how
// many rows the data has on screen.
func (d *DataView) layout() (head, rows []string, room int) {
	if d.info == nil {
		return nil, nil, d.height
	}
	if d.rows == nil || d.rowsWidth != d.width {
		d.rows, d.headLen = d.render()
		d.rowsWidth = d.width
		d.version++
	}
	if d.height < d.headLen+3 {
		// Too short to keep the title in place: it scrolls away with
		// the data.
		return nil, d.rows, d.height
	}
	return d.rows[:d.headLen], d.rows[d.headLen:], d.height - d.headLen
}

// scrollMax is the largest scroll: the last rows in view, above the line
// that says how many are above.
func (d *DataView) scrollMax() int {
	_, rows, room := d.layout()
	if len(rows) <= room {
		return 0
	}
	return len(rows) - max(room-1, 1)
}

// page is how far a page key scrolls: the rows shown, less one kept for
// context.
func (d *DataView) page() int {
	_, _, room := d.layout()
	return max(room-2, 1)
}

func (d *DataView) textWidth() int {
	return max(d.width-d.styles.PanelBorder.GetHorizontalFrameSize(), 10)
}

// View draws the data.
func (d *DataView) View() string { return strings.Join(d.viewRows(), "\n") }

// viewRows draws the rows in view, each as wide as the view, or returns
// the last drawing when nothing it shows changed. Only the rows in view
// are measured and framed, however long the data.
func (d *DataView) viewRows() []string {
	head, rows, room := d.layout()
	d.scroll = min(d.scroll, d.scrollMax())
	frame := dataFrame{version: d.version, scroll: d.scroll, width: d.width, height: d.height}
	if d.drawn != nil && frame == d.drawnAs {
		return d.drawn
	}
	body := append([]string(nil), head...)
	if len(rows) <= room {
		body = append(body, rows...)
	} else {
		shown := max(room-1, 1)
		body = append(body, rows[d.scroll:d.scroll+shown]...)
		body = append(body, d.marker(d.scroll, len(rows)-d.scroll-shown))
	}
	body = body[:min(len(body), d.height)]
	for len(body) < d.height {
		body = append(body, "")
	}
	d.drawn, d.drawnAs = d.frame(body), frame
	return d.drawn
}

// marker says how many rows are above (top) and below, and which keys
// read them, in as many words as the width allows.
func (d *DataView) marker(top, below int) string {
	k := d.keys
	parts := scrollParts(top, below, k.PageDown, k.PageUp)
	if below > 0 && top == 0 {
		parts = append(parts, part(3, k.Bottom.Help().Key+" goes to the end"))
	}
	if below == 0 {
		parts = append(parts, part(3, k.Top.Help().Key+" goes to the top"))
	}
	return d.styles.Dim.Render(fitHint(d.textWidth(), parts...))
}

// frame draws body in the side panel's border and padding, each row as
// wide as the view, as PanelBorder.Width(width).Render does for rows that
// fit: rows wider than the text's room are cut.
func (d *DataView) frame(body []string) []string {
	if d.prefixWidth != d.width || d.prefix == "" {
		d.prefix, d.prefixWidth = borderPrefix(d.styles.PanelBorder.Width(d.width)), d.width
	}
	inner := max(d.width-d.styles.PanelBorder.GetHorizontalFrameSize(), 1)
	out := make([]string, len(body))
	for i, l := range body {
		w := ansi.StringWidth(l)
		if w > inner {
			l = ansi.Truncate(l, inner, "…")
			w = ansi.StringWidth(l)
		}
		out[i] = d.prefix + l + strings.Repeat(" ", max(inner-w, 0))
	}
	return out
}

// render renders the title lines, the first headLen rows, then the data,
// each row within the view's text width. Every byte from the server is
// shown escaped.
func (d *DataView) render() (rows []string, headLen int) {
	s := d.styles
	w := d.textWidth()
	info := d.info
	rows = []string{
		s.PanelTitle.Render(cut("Data of "+protocol.Escape(d.title), w)),
		s.Dim.Render(cut(dataSummary(info), w)),
		s.Dim.Render(cut("f2 shows the explanation again", w)),
		"",
	}
	headLen = len(rows)
	preview := info.Preview
	switch {
	case len(preview) == 0 && info.Uncounted:
		return append(rows, s.Dim.Render("(not recorded)")), headLen
	case len(preview) == 0:
		return append(rows, s.Dim.Render("(no data)")), headLen
	}
	// A listing is text even when its names are not UTF-8 (Latin-1 names
	// are common): Escape shows those bytes as \xNN, and the finding
	// above the transcript says why. Other data must be UTF-8 text.
	if protocol.IsText(preview) || isListing(info.Verb) && !strings.ContainsRune(string(preview), 0) {
		text := string(preview)
		if info.ASCII {
			text = strings.ReplaceAll(text, "\r\n", "\n")
		}
		for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
			rows = append(rows, wrapRows(protocol.Escape(strings.TrimSuffix(l, "\r")), w)...)
		}
		return rows, headLen
	}
	return append(rows, hexDump(preview, w)...), headLen
}

// isListing reports whether verb lists a directory.
func isListing(verb string) bool {
	return verb == "LIST" || verb == "NLST" || verb == "MLSD"
}

// wrapRows wraps one line of text to width, breaking long words too.
func wrapRows(text string, width int) []string {
	if len(text) <= width {
		return []string{text}
	}
	return strings.Split(ansi.Wrap(text, width, ""), "\n")
}

// dataSummary says what moved: bytes, time, and what of it is shown.
func dataSummary(info *protocol.DataInfo) string {
	verb := map[string]string{"download": "received", "upload": "sent"}[info.Direction]
	s := fmt.Sprintf("%d bytes %s in %s", info.Bytes, verb, formatRTT(info.Elapsed))
	if info.Uncounted {
		s = "size not recorded: the recording shows the data connection open and close, not what it carried"
	}
	if info.Protected {
		s += " over TLS"
	}
	if int64(len(info.Preview)) < info.Bytes {
		s += fmt.Sprintf("; the first %d shown", len(info.Preview))
	}
	switch {
	case info.Phase == protocol.DataSaved && info.Saved:
		s += "; saved to " + info.LocalFile
	case info.Phase == protocol.DataSaved:
		s += "; " + info.LocalFile + " left as it was"
	}
	if info.Err != nil {
		s += "; ended early: " + diagnose.Describe(info.Err).What
	}
	return s
}

// hexDump formats b as offset, hex bytes and printable ASCII, with 16
// bytes a row when the width allows and 8 otherwise.
func hexDump(b []byte, width int) []string {
	per := 16
	if width < 8+per*3+per+2 {
		per = 8
	}
	var rows []string
	for off := 0; off < len(b); off += per {
		chunk := b[off:min(off+per, len(b))]
		var hex, text strings.Builder
		for i := 0; i < per; i++ {
			if i < len(chunk) {
				fmt.Fprintf(&hex, "%02x ", chunk[i])
				c := chunk[i]
				if c < 0x20 || c >= 0x7f {
					c = '.'
				}
				text.WriteByte(c)
			} else {
				hex.WriteString("   ")
			}
		}
		rows = append(rows, cut(fmt.Sprintf("%06x  %s %s", off, hex.String(), text.String()), width))
	}
	return rows
}
