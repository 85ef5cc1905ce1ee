package tui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/protocol"
)

// SidePanel explains one reply: the code read digit by digit, what it
// means, when it appears, what to do next, and where it is defined, in the
// context of the command that produced it. Its rendering is cached per
// reply and width, since replies do not change.
type SidePanel struct {
	styles  Styles
	catalog *catalog.Catalog
	width   int
	height  int
	// scroll is the first body line shown.
	scroll int

	key   string // what the cached view shows
	cache []string
}

// NewSidePanel returns a panel that explains replies from cat.
func NewSidePanel(styles Styles, cat *catalog.Catalog) *SidePanel {
	return &SidePanel{styles: styles, catalog: cat}
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

// View draws the explanation of ev (index identifies the reply, so the
// cache knows when it changed), or a welcome text when ok is false.
func (p *SidePanel) View(ev protocol.Event, index int, ok bool) string {
	key := fmt.Sprintf("%d/%d", index, p.width)
	if !ok {
		key = "welcome"
	}
	if key != p.key {
		p.key, p.scroll = key, 0
		if ok {
			p.cache = p.explain(ev)
		} else {
			p.cache = p.wrap(welcomeText)
		}
	}
	body := p.cache[min(p.scroll, len(p.cache)):]
	body = body[:min(len(body), p.height)]
	for len(body) < p.height {
		body = append(body, "")
	}
	return p.styles.PanelBorder.Height(p.height).Width(p.width).Render(strings.Join(body, "\n"))
}

const welcomeText = "Type an FTP command and press enter. Each reply is explained here.\n\n" +
	"Try: USER demo, PASS demo, PWD, ALLO 100, FEAT, HELP, QUIT.\n\n" +
	"Lines starting with : are ftpscope's own commands (:help, :quit)."

// explain renders the explanation of one reply, in the context of the
// command it answers, as lines that fit the panel.
func (p *SidePanel) explain(ev protocol.Event) []string {
	r := ev.Reply
	e := p.catalog.Explain(r.CodeString(), ev.Verb)
	ctx := catalog.ContextFor(ev.Command, ev.Verb, r.Code, r.Text(), r.Problems)
	if ev.Verb == "" {
		ctx.Command = "no command was waiting for this reply"
	}
	ctx.Command = protocol.Escape(ctx.Command)
	return RenderDoc(p.catalog.ReplyDoc(e, ctx), p.textWidth(), p.styles)
}

// wrap word-wraps text to the panel's width and splits it into lines.
func (p *SidePanel) wrap(text string) []string {
	return strings.Split(lipgloss.Wrap(text, p.textWidth(), ""), "\n")
}
