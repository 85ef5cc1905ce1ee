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

// explain renders the explanation of one reply as wrapped lines.
func (p *SidePanel) explain(ev protocol.Event) []string {
	r := ev.Reply
	s := p.styles
	var out []string
	add := func(lines ...string) { out = append(out, lines...) }
	section := func(title, text string) {
		if strings.TrimSpace(text) == "" {
			return
		}
		add("", s.PanelHeading.Render(title))
		add(p.wrap(text)...)
	}

	if r.Malformed() {
		add(s.codeStyle(0).Render("???")+" "+s.PanelTitle.Render("Malformed reply"), "")
		add(p.wrap("The first line does not start with a three-digit reply code, so no client can tell what it means (RFC 959 §4.2). Treat it as a failure and read the text.")...)
		p.addProblems(&out, r)
		return out
	}
	e := p.catalog.Explain(r.CodeString(), ev.Verb)
	add(s.codeStyle(r.Code).Render(e.Code) + " " + s.PanelTitle.Render(e.Reply.Name))
	if ev.Verb != "" {
		add(s.Dim.Render(p.cutLine("in reply to " + answered(ev))))
	}
	if e.DigitsOK {
		add("")
		add(p.wrap(fmt.Sprintf("%c = %s: %s.", e.Class.Value, e.Class.Name, e.Class.Detail))...)
		add(p.wrap(fmt.Sprintf("%c = %s: %s.", e.Function.Value, e.Function.Name, e.Function.Detail))...)
	}
	if e.Advice != "" {
		section("After "+e.Verb, e.Advice)
	}
	if e.Listing.Checked && !e.Listing.Listed {
		add("")
		note := fmt.Sprintf("The RFCs do not list %s as a reply to %s; they list %s.", e.Code, e.Verb, strings.Join(e.Listing.Expected, " "))
		for _, w := range p.wrap(note) {
			add(s.PanelNote.Render(w))
		}
	}
	p.addProblems(&out, r)
	section("What it means", e.Reply.Meaning)
	section("When you see it", e.Reply.When)
	section("What to do", e.Reply.Action)
	section("In practice", e.Reply.Servers)
	section("Defined in", e.Reply.Defined)
	if !e.Known {
		section("Status", "Not in the catalogue: non-standard, explained from its digits.")
	}
	if len(e.Reply.Related) > 0 {
		section("Related", strings.Join(e.Reply.Related, " "))
	}
	return out
}

// addProblems adds a note for each way the reply broke the rules.
func (p *SidePanel) addProblems(out *[]string, r *protocol.Reply) {
	for _, problem := range r.Problems {
		*out = append(*out, "")
		for _, w := range p.wrap("Note: " + problem + ".") {
			*out = append(*out, p.styles.PanelNote.Render(w))
		}
	}
}

// answered names the command a reply answers.
func answered(ev protocol.Event) string {
	if ev.Verb == protocol.GreetingVerb {
		return "opening the connection"
	}
	return protocol.Escape(ev.Command)
}

// wrap word-wraps text to the panel's width and splits it into lines.
func (p *SidePanel) wrap(text string) []string {
	return strings.Split(lipgloss.Wrap(text, p.textWidth(), ""), "\n")
}

func (p *SidePanel) cutLine(s string) string { return cut(s, p.textWidth()) }
