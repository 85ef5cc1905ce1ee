package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/protocol"
)

// DataView shows what the last transfer moved: a listing or a file's first
// bytes as text, or as a hex dump when the data is not text. It shares the
// side panel's place and frame.
type DataView struct {
	styles Styles
	width  int
	height int
	info   *protocol.DataInfo
	seq    int // the transfer command's number
	title  string
	// rows caches the rendered body for the current data and width.
	rows      []string
	rowsWidth int
}

// NewDataView returns an empty data view.
func NewDataView(styles Styles) *DataView { return &DataView{styles: styles} }

// SetSize sets the view's size in cells, frame included.
func (d *DataView) SetSize(width, height int) { d.width, d.height = max(width, 1), max(height, 1) }

// Has reports whether there is data to show.
func (d *DataView) Has() bool { return d.info != nil }

// SetData shows the closing report of transfer seq, made by command.
func (d *DataView) SetData(seq int, info *protocol.DataInfo, command string) {
	d.info, d.seq, d.title, d.rows = info, seq, command, nil
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
}

func (d *DataView) textWidth() int {
	return max(d.width-d.styles.PanelBorder.GetHorizontalFrameSize(), 10)
}

// View draws the data.
func (d *DataView) View() string {
	if d.rows == nil || d.rowsWidth != d.width {
		d.rows, d.rowsWidth = d.render(), d.width
	}
	body := d.rows[:min(len(d.rows), d.height)]
	if len(d.rows) > d.height && d.height > 1 {
		body = append(body[:d.height-1:d.height-1], d.styles.Dim.Render(fmt.Sprintf("… %d more lines", len(d.rows)-d.height+1)))
	}
	for len(body) < d.height {
		body = append(body, "")
	}
	return d.styles.PanelBorder.Height(d.height).Width(d.width).Render(strings.Join(body, "\n"))
}

func (d *DataView) render() []string {
	s := d.styles
	w := d.textWidth()
	info := d.info
	rows := []string{
		s.PanelTitle.Render(cut("Data of "+protocol.Escape(d.title), w)),
		s.Dim.Render(cut(dataSummary(info), w)),
		s.Dim.Render(cut("f2 shows the explanation again", w)),
		"",
	}
	preview := info.Preview
	switch {
	case len(preview) == 0 && info.Uncounted:
		return append(rows, s.Dim.Render("(not recorded)"))
	case len(preview) == 0:
		return append(rows, s.Dim.Render("(no data)"))
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
		return rows
	}
	return append(rows, hexDump(preview, w)...)
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
