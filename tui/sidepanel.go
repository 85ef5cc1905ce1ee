package tui

import (
	"charm.land/bubbles/v2/key"
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/protocol"
)

// SidePanel explains one reply: the code read digit by digit, what it
// means, when it appears, what to do next, and where it is defined, in the
// context of the command that produced it. Its rendering is cached per
// reply and width, since replies do not change.
type SidePanel struct {
	styles  Styles
	catalog *catalog.Catalog
	down    key.Binding // scrolls the panel on
	width   int
	height  int
	// scroll is the first body line shown.
	scroll int

	key   string // what the cached view shows
	cache []string
	// drawn is the last frame drawn, for drawnAs; redrawing the border
	// and padding costs more than the rest of a frame.
	drawn   string
	drawnAs panelFrame
	// drawnRows are drawn's rows, drawnWidth the widest's width, and
	// drawnEven is set when all have that width.
	drawnRows  []string
	drawnWidth int
	drawnEven  bool
	// prefix is the border and padding drawn before a row, at
	// prefixWidth.
	prefix      string
	prefixWidth int
	// version counts the contents the panel has drawn, to tell them apart.
	version int

	// doc, when set, is shown instead of the reply: an entry asked for
	// with :explain, :compare or the catalogue browser.
	doc     catalog.Doc
	docName string
	// brief explains replies briefly (catalog.Doc.Brief), for the
	// explanation strip of presentation mode.
	brief bool

	// findings, when set, returns what diagnose concluded about a reply,
	// shown above its explanation.
	findings func(index int) []diagnose.Finding
	// wholeCommand shows the command a reply answers in full, however
	// long, instead of shortened to two lines (ToggleWholeCommand).
	wholeCommand bool
	// disconnected shows, before any reply, that the session ended
	// instead of what to type (SetDisconnected).
	disconnected bool
}

// SetDisconnected says whether the session has ended, so that the text
// shown before any reply no longer suggests commands that could not be
// sent.
func (p *SidePanel) SetDisconnected(over bool) { p.disconnected = over }

// ToggleWholeCommand shows the whole command a reply answers, or goes
// back to its first two lines.
func (p *SidePanel) ToggleWholeCommand() {
	p.wholeCommand, p.key = !p.wholeCommand, ""
}

// SetFindings sets where the panel finds a reply's findings.
// of takes the reply's index as View has it.
func (p *SidePanel) SetFindings(of func(index int) []diagnose.Finding) {
	p.findings, p.key = of, ""
}

// ShowDoc shows doc, named name, until ClearDoc.
func (p *SidePanel) ShowDoc(name string, doc catalog.Doc) {
	p.doc, p.docName, p.key = doc, name, ""
}

// ClearDoc goes back to explaining replies. It reports whether a document
// was shown.
func (p *SidePanel) ClearDoc() bool {
	had := p.doc != nil
	p.doc, p.docName, p.key = nil, "", ""
	return had
}

// NewSidePanel returns a panel that explains replies from cat; down is
// the key that scrolls it on, named where the text goes on below.
func NewSidePanel(styles Styles, cat *catalog.Catalog, down key.Binding) *SidePanel {
	return &SidePanel{styles: styles, catalog: cat, down: down}
}

// SetSize sets the panel's size in cells, border included.
func (p *SidePanel) SetSize(width, height int) {
	if width != p.width {
		p.key = ""
	}
	p.width, p.height = max(width, 1), max(height, 1)
}

// ScrollBy scrolls the explanation by n lines.
func (p *SidePanel) ScrollBy(n int) {
	p.scroll = min(max(p.scroll+n, 0), max(len(p.cache)-p.height, 0))
}

// textWidth is the width available inside the border and padding.
func (p *SidePanel) textWidth() int {
	return max(p.width-p.styles.PanelBorder.GetHorizontalFrameSize(), 10)
}

// View draws the explanation of ev, or a welcome text when ok is false.
// index identifies the reply for the life of the program (see
// Transcript.SelectedReply), so the cache knows when it changed and the
// findings tied to it are found.
func (p *SidePanel) View(ev protocol.Event, index int, ok bool) string {
	key := fmt.Sprintf("reply %d/%d/%t", index, p.width, p.wholeCommand)
	if ok && p.findings != nil {
		key += fmt.Sprintf("/%d", len(p.findings(index)))
	}
	switch {
	case p.doc != nil:
		key = fmt.Sprintf("doc %s/%d", p.docName, p.width)
	case !ok:
		key = fmt.Sprintf("welcome/%d/%t", p.width, p.disconnected)
		if p.findings != nil {
			key += fmt.Sprintf("/%d", len(p.findings(noReply)))
		}
	}
	if key != p.key {
		p.key, p.scroll = key, 0
		p.version++
		switch {
		case p.doc != nil:
			p.cache = append(RenderDoc(p.doc, p.textWidth(), p.styles), "", p.styles.Dim.Render("esc goes back to the replies"))
		case ok:
			p.cache = p.explain(ev, index)
		default:
			p.cache = p.wrap(welcomeText)
			if p.disconnected {
				p.cache = p.wrap(disconnectedText)
			}
			if p.findings != nil {
				if fs := p.findings(noReply); len(fs) > 0 {
					p.cache = append(renderFindings(fs, p.textWidth(), p.styles), p.cache...)
				}
			}
		}
	}
	frame := panelFrame{version: p.version, scroll: p.scroll, width: p.width, height: p.height}
	if frame == p.drawnAs {
		return p.drawn
	}
	body := append([]string(nil), p.cache[min(p.scroll, len(p.cache)):]...)
	if len(body) > p.height && p.height > 1 {
		body = append(body[:p.height-1], p.styles.Dim.Render(cut(fmt.Sprintf("↓ %d more lines · %s scrolls", len(body)-p.height+1, p.down.Help().Key), p.textWidth())))
	}
	for len(body) < p.height {
		body = append(body, "")
	}
	p.drawnRows, p.drawnWidth, p.drawnEven = p.border(body)
	p.drawn, p.drawnAs = strings.Join(p.drawnRows, "\n"), frame
	return p.drawn
}

// border draws body in the panel's border and padding, as
// PanelBorder.Width(width).Render does with the lines joined: a short
// line (the usual case) gets the border's rendered prefix and spaces,
// without Lip Gloss measuring and styling the whole block again; a line
// too long for the panel, or with tabs, goes through Lip Gloss, which
// wraps it.
//
// It returns the rows with the width of the widest, and whether all have
// that width, for joining the panel to the transcript.
func (p *SidePanel) border(body []string) (rows []string, width int, even bool) {
	style := p.styles.PanelBorder.Width(p.width)
	if p.prefixWidth != p.width || p.prefix == "" {
		p.prefix, p.prefixWidth = borderPrefix(style), p.width
	}
	inner := p.width - p.styles.PanelBorder.GetHorizontalFrameSize()
	rows = make([]string, 0, len(body))
	var long []string
	for _, l := range body {
		if w := ansi.StringWidth(l); w <= inner && !strings.ContainsAny(l, "\t\r\n") {
			rows = append(rows, p.prefix+l+strings.Repeat(" ", inner-w))
			continue
		}
		wrapped := strings.Split(style.Render(l), "\n")
		rows, long = append(rows, wrapped...), append(long, wrapped...)
	}
	// The short rows are prefix and inner cells wide; Lip Gloss drew
	// the others.
	width, even = ansi.StringWidth(p.prefix)+inner, true
	if len(rows) == len(long) {
		width, even = blockWidthOf(long)
		return rows, width, even
	}
	for _, r := range long {
		if w := ansi.StringWidth(r); w != width {
			even, width = false, max(width, w)
		}
	}
	return rows, width, even
}

// viewRows is View as rows, with their width in cells; even reports
// that every row has that width.
func (p *SidePanel) viewRows(ev protocol.Event, index int, ok bool) (rows []string, width int, even bool) {
	p.View(ev, index, ok)
	return p.drawnRows, p.drawnWidth, p.drawnEven
}

// panelFrame is what a drawn panel shows: the content (by version), its
// scroll position and the panel's size.
type panelFrame struct {
	version, scroll, width, height int
}

// disconnectedText replaces the welcome when the session ended before
// any reply: a command typed now could not be sent, and the input line
// says how to connect again.
const disconnectedText = "Not connected: no reply came, and the transcript says why.\n\n" +
	"Once a connection is open, each reply is explained here.\n\n" +
	"Lines starting with : are ftpscope's own commands (:help, :quit)."

const welcomeText = "Type an FTP command and press enter. Each reply is explained here.\n\n" +
	"Try: USER and PASS to log in (demo and demo on the sandbox), then PWD, ALLO 100, FEAT, HELP, QUIT.\n\n" +
	"Lines starting with : are ftpscope's own commands (:help, :quit)."

// explain renders the explanation of one reply, in the context of the
// command it answers, as lines that fit the panel.
func (p *SidePanel) explain(ev protocol.Event, index int) []string {
	r := ev.Reply
	e := p.catalog.Explain(r.CodeString(), ev.Verb)
	state := ""
	if ev.Effect != nil {
		state = ev.Effect.Text
	}
	ctx := catalog.ContextFor(ev.Command, ev.Verb, state, r.Problems)
	ctx.Unsolicited = ev.Verb == ""
	ctx.Command, ctx.State = protocol.Escape(ctx.Command), protocol.Escape(ctx.State)
	if !p.wholeCommand {
		ctx.Command = shortCommand(ctx.Command, 2*p.textWidth()-len("in reply to "))
	}
	doc := p.catalog.ReplyDoc(e, ctx)
	if p.brief {
		doc = doc.Brief()
	}
	lines := RenderDoc(doc, p.textWidth(), p.styles)
	if p.findings != nil {
		if fs := p.findings(index); len(fs) > 0 && p.brief {
			// The explanation strip has room for the cause and the fix.
			var top []string
			for _, f := range fs {
				for _, l := range p.wrap("? " + findingLine(f)) {
					top = append(top, p.styles.Finding.Render(l))
				}
			}
			lines = append(top, lines...)
		} else if len(fs) > 0 {
			top := append(renderFindings(fs, p.textWidth(), p.styles), p.styles.Dim.Render(cut("── what the code means in general ──", p.textWidth())), "")
			lines = append(top, lines...)
		}
	}
	return lines
}

// shortCommand shortens a command longer than room cells, so that a
// 3,000-character CWD does not push the explanation off the panel; it
// says how long the command is and which key shows all of it.
func shortCommand(command string, room int) string {
	width := ansi.StringWidth(command)
	if width <= room {
		return command
	}
	tail := fmt.Sprintf(" (%d characters; ctrl+o shows it whole)", len([]rune(command)))
	return ansi.Truncate(command, max(room-ansi.StringWidth(tail), 10), "…") + tail
}

// wrap word-wraps text to the panel's width and splits it into lines.
func (p *SidePanel) wrap(text string) []string {
	return strings.Split(wrapWords(text, p.textWidth()), "\n")
}
