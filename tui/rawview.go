package tui

// Two views a troubleshooter asks for, shown in the side panel: the raw
// bytes of the selected reply and of the command it answers (as curl's
// --trace-ascii shows them: every line ending, trailing space and
// non-UTF-8 byte visible, and in hex), and the timing breakdown of the
// connection.

import (
	"fmt"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/protocol"
)

// hexPerRow is how many bytes a hex row shows: eight fit a narrow panel.
const hexPerRow = 8

// rawText writes bytes as text with everything invisible made visible:
// CR, LF and TAB as \r, \n and \t, other control bytes and every byte
// above 0x7e as \xNN, a backslash as \\, and spaces before the line
// ending as ␠.
func rawText(b []byte) string {
	body := len(b)
	for body > 0 && (b[body-1] == '\n' || b[body-1] == '\r') {
		body--
	}
	trailing := body
	for trailing > 0 && b[trailing-1] == ' ' {
		trailing--
	}
	var sb strings.Builder
	for i, c := range b {
		switch {
		case c == ' ' && i >= trailing && i < body:
			sb.WriteString("␠")
		case c == '\r':
			sb.WriteString(`\r`)
		case c == '\n':
			sb.WriteString(`\n`)
		case c == '\t':
			sb.WriteString(`\t`)
		case c == '\\':
			sb.WriteString(`\\`)
		case c < 0x20 || c > 0x7e:
			fmt.Fprintf(&sb, `\x%02x`, c)
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// hexRows is a hex dump: offset, hexPerRow bytes, and the printable ones.
func hexRows(b []byte) []string {
	var rows []string
	for off := 0; off < len(b); off += hexPerRow {
		chunk := b[off:min(off+hexPerRow, len(b))]
		var hex, text strings.Builder
		for i := 0; i < hexPerRow; i++ {
			if i < len(chunk) {
				fmt.Fprintf(&hex, "%02x ", chunk[i])
				if c := chunk[i]; c >= 0x20 && c <= 0x7e {
					text.WriteByte(c)
				} else {
					text.WriteByte('.')
				}
			} else {
				hex.WriteString("   ")
			}
		}
		rows = append(rows, fmt.Sprintf("%04x  %s %s", off, hex.String(), text.String()))
	}
	return rows
}

// rawNotes says what is unusual about one line's bytes: its ending,
// trailing spaces, bytes that are not UTF-8.
func rawNotes(b []byte) []string {
	var notes []string
	switch {
	case len(b) >= 2 && b[len(b)-2] == '\r' && b[len(b)-1] == '\n':
	case len(b) >= 1 && b[len(b)-1] == '\n':
		notes = append(notes, "ends with LF alone: RFC 959 §4.2 requires CRLF")
	default:
		notes = append(notes, "no line ending: the line was cut at the line cap, or the connection ended")
	}
	body := strings.TrimRight(string(b), "\r\n")
	if n := len(body) - len(strings.TrimRight(body, " ")); n > 0 {
		notes = append(notes, fmt.Sprintf("%d trailing space(s) before the line ending", n))
	}
	if !utf8.Valid(b) {
		for i := 0; i < len(b); {
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size <= 1 {
				notes = append(notes, fmt.Sprintf("not UTF-8 from byte %d (0x%02x): probably Latin-1 or another legacy encoding", i, b[i]))
				break
			}
			i += size
		}
	}
	return notes
}

// rawDoc is the raw view of a reply, and of the command it answers when
// its bytes are known.
func rawDoc(ev protocol.Event, command []byte) catalog.Doc {
	d := catalog.Doc{{Kind: catalog.BlockTitle, Code: ev.Reply.CodeString(), Text: "the bytes as they crossed the network"}}
	if ev.Command != "" {
		d = append(d, catalog.Block{Kind: catalog.BlockSubtitle, Text: "in reply to " + protocol.Escape(ev.Command)})
	}
	if command != nil {
		d = append(d, rawBlocks("Sent", command)...)
	}
	for i, raw := range ev.Reply.Raw {
		d = append(d, rawBlocks(fmt.Sprintf("Received, line %d of %d", i+1, len(ev.Reply.Raw)), raw)...)
	}
	if len(ev.Reply.Raw) == 0 {
		d = append(d, catalog.Block{Kind: catalog.BlockNote, Text: "the bytes of this reply were not kept (it was not read from a connection)"})
	}
	return d
}

// rawBlocks shows one line's bytes: as text, as hex, and what is unusual.
func rawBlocks(heading string, b []byte) catalog.Doc {
	d := catalog.Doc{
		{Kind: catalog.BlockHeading, Text: fmt.Sprintf("%s (%d bytes)", heading, len(b))},
		{Kind: catalog.BlockText, Text: rawText(b)},
	}
	for _, row := range hexRows(b) {
		d = append(d, catalog.Block{Kind: catalog.BlockItem, Text: row})
	}
	for _, n := range rawNotes(b) {
		d = append(d, catalog.Block{Kind: catalog.BlockNote, Text: n})
	}
	return d
}

// timingDoc is the timing breakdown of the connection in st.
func timingDoc(st *protocol.SessionState) catalog.Doc {
	d := catalog.Doc{{Kind: catalog.BlockTitle, Text: "Where the time went"}}
	if st == nil || st.ConnectedAt.IsZero() {
		return append(d, catalog.Block{Kind: catalog.BlockText, Text: "No connection yet: the breakdown appears once one is made."})
	}
	t := st.Timing
	d = append(d, catalog.Block{Kind: catalog.BlockSubtitle, Text: "the connection to " + st.Peer})
	lookup := "none: an address was given"
	if t.Lookup > 0 {
		lookup = protocol.ShortDuration(t.Lookup)
	}
	rows := []string{
		"name lookup: " + lookup,
		"TCP connect: " + protocol.ShortDuration(t.Connect),
	}
	if t.TLS > 0 {
		rows = append(rows, "TLS handshake: "+protocol.ShortDuration(t.TLS))
	}
	if t.Greeting > 0 {
		rows = append(rows, "greeting after the connect: "+protocol.ShortDuration(t.Greeting))
	}
	for _, r := range rows {
		d = append(d, catalog.Block{Kind: catalog.BlockItem, Text: r})
	}
	if len(t.Data) > 0 {
		d = append(d, catalog.Block{Kind: catalog.BlockHeading, Text: "Data connections"})
		for _, dt := range t.Data {
			d = append(d, catalog.Block{Kind: catalog.BlockItem, Text: dt.String()})
		}
	}
	return d
}

// runRaw shows the raw bytes of the selected reply (or the newest).
func runRaw(m Model, _ []string) (Model, tea.Cmd) {
	ev, key, ok := m.transcript.SelectedReply()
	if !ok {
		m.transcript.AddError("no reply yet: the raw view shows the bytes of the selected reply")
		return m, nil
	}
	m.panel.ShowDoc(fmt.Sprintf("raw %d", key), rawDoc(ev, m.log.sentBefore(key, ev.Seq)))
	m.showPanel = true
	return m, nil
}

// runTiming shows the timing breakdown of the connection.
func runTiming(m Model, _ []string) (Model, tea.Cmd) {
	st := m.state.latest
	name := "timing"
	if st != nil {
		name = fmt.Sprintf("timing %p", st) // a newer state is a new view
	}
	m.panel.ShowDoc(name, timingDoc(st))
	m.showPanel = true
	return m, nil
}
