package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ftpscope/ftpscope/catalog"
)

// Browser is the catalogue picker: a query line over a ranked list of every
// reply code and command. Typing always edits the query, the arrow and page
// keys always move the highlight, enter shows the highlighted entry in the
// side panel, and esc clears the query or, with none, leaves.
type Browser struct {
	styles  Styles
	entries []browserEntry
	query   textinput.Model
	// matches holds indices into entries, best match first.
	matches []int
	// cursor is the highlighted match and offset the first one shown, both
	// indices into matches.
	cursor, offset int
	width, height  int
	// nameWidth is the widest name in the catalogue; titleWidth the widest
	// title among the matches.
	nameWidth, titleWidth int
}

// browserEntry is one catalogue entry. Matching is on the name and the
// title: a reply's name ("Entering Passive Mode") or a command's syntax.
type browserEntry struct {
	name, title, desc string
	// code is set for a reply code, whose digits match only from the start.
	code bool
	// lowerName and lowerTitle are lower-cased for matching.
	lowerName, lowerTitle string
}

// browserChoiceMsg reports the entry chosen in the browser.
type browserChoiceMsg struct{ name string }

// browserClosedMsg reports that the browser was left without a choice.
type browserClosedMsg struct{}

// browserPrompt is the prompt of the query line.
const browserPrompt = "catalogue › "

// browserCountWidth is the room kept right of the query for the match count
// ("125 of 125").
const browserCountWidth = 12

// NewBrowser returns a browser over cat drawn with styles.
func NewBrowser(styles Styles, cat *catalog.Catalog) *Browser {
	b := &Browser{styles: styles, width: 80, height: 20}
	add := func(name, title, desc string, code bool) {
		b.entries = append(b.entries, browserEntry{
			name: name, title: title, desc: desc, code: code,
			lowerName: strings.ToLower(name), lowerTitle: strings.ToLower(title),
		})
		b.nameWidth = max(b.nameWidth, ansi.StringWidth(name))
	}
	for _, code := range cat.Codes() {
		r, _ := cat.Reply(code)
		add(code, r.Name, firstSentence(r.Meaning), true)
	}
	for _, name := range cat.Commands() {
		c, _ := cat.Command(name)
		add(name, c.Syntax, oneLine(c.Summary), false)
	}

	in := textinput.New()
	in.Prompt = browserPrompt
	in.Placeholder = "type a reply code, a command, or a word from a title"
	// Bubbles' defaults are fixed 256-colour greys; take everything from
	// the app's 16-colour styles. A steady cursor needs no blink ticks.
	st := in.Styles()
	for _, s := range []*textinput.StyleState{&st.Focused, &st.Blurred} {
		s.Prompt, s.Text, s.Placeholder, s.Suggestion = styles.Prompt, styles.PanelText, styles.Dim, styles.Dim
	}
	st.Cursor.Color = styles.Prompt.GetForeground()
	st.Cursor.Blink = false
	in.SetStyles(st)
	b.query = in
	b.Open()
	return b
}

// Open resets the browser: an empty query, every entry listed, the first
// one highlighted.
func (b *Browser) Open() {
	b.query.SetValue("")
	b.query.Focus()
	b.filter()
}

// SetSize sets the browser's size in cells.
func (b *Browser) SetSize(width, height int) {
	b.width, b.height = width, height
	b.query.SetWidth(max(width-ansi.StringWidth(browserPrompt)-browserCountWidth-1, 1))
	b.scroll()
}

// Update handles a message: keys that move or act are the browser's, the
// rest edit the query.
func (b *Browser) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return b.edit(msg) // a paste, for one
	}
	switch k.String() {
	case "up", "ctrl+p":
		b.moveTo(b.cursor - 1)
	case "down", "ctrl+n":
		b.moveTo(b.cursor + 1)
	case "pgup":
		b.moveTo(b.cursor - b.rows())
	case "pgdown":
		b.moveTo(b.cursor + b.rows())
	case "home":
		b.moveTo(0)
	case "end":
		b.moveTo(len(b.matches) - 1)
	case "enter":
		if name, ok := b.Selected(); ok {
			return func() tea.Msg { return browserChoiceMsg{name: name} }
		}
	case "esc":
		if b.query.Value() == "" {
			return func() tea.Msg { return browserClosedMsg{} }
		}
		b.query.SetValue("")
		b.filter()
	case "tab", "shift+tab":
		// Not text: keep tabs out of the query.
	default:
		return b.edit(msg)
	}
	return nil
}

// Selected returns the highlighted entry's name, if any entry matches.
func (b *Browser) Selected() (string, bool) {
	if len(b.matches) == 0 {
		return "", false
	}
	return b.entries[b.matches[b.cursor]].name, true
}

// edit passes a message to the query line and filters again when the
// query changed.
func (b *Browser) edit(msg tea.Msg) tea.Cmd {
	before := b.query.Value()
	var cmd tea.Cmd
	b.query, cmd = b.query.Update(msg)
	if b.query.Value() != before {
		b.filter()
	}
	return cmd
}

// filter ranks the entries against the query and highlights the best.
func (b *Browser) filter() {
	b.matches = rankEntries(b.entries, b.query.Value())
	b.cursor, b.offset = 0, 0
	b.titleWidth = 0
	for _, i := range b.matches {
		b.titleWidth = max(b.titleWidth, ansi.StringWidth(b.entries[i].title))
	}
}

// rankEntries returns the indices of the entries that match query, best
// first, each group in catalogue order:
//
//  1. the name is the query (case-insensitive), such as 227 or pasv;
//  2. the name starts with the query: 22 gives 220 to 229;
//  3. the title contains the query, or a command's name does.
//
// A code's digits match only from its start: 22 does not find 522. There
// is no fuzzy matching: every match holds the query as typed. An empty
// query matches everything.
func rankEntries(entries []browserEntry, query string) []int {
	q := strings.ToLower(strings.TrimSpace(query))
	var exact, prefix, contains []int
	for i, e := range entries {
		switch {
		case q == "" || e.lowerName == q:
			exact = append(exact, i)
		case strings.HasPrefix(e.lowerName, q):
			prefix = append(prefix, i)
		case strings.Contains(e.lowerTitle, q) || !e.code && strings.Contains(e.lowerName, q):
			contains = append(contains, i)
		}
	}
	return append(append(exact, prefix...), contains...)
}

// moveTo highlights match i, within bounds, and scrolls it into view.
func (b *Browser) moveTo(i int) {
	b.cursor = max(min(i, len(b.matches)-1), 0)
	b.scroll()
}

// scroll keeps the highlighted row on screen.
func (b *Browser) scroll() {
	rows := b.rows()
	if b.cursor < b.offset {
		b.offset = b.cursor
	} else if b.cursor >= b.offset+rows {
		b.offset = b.cursor - rows + 1
	}
	b.offset = max(min(b.offset, len(b.matches)-rows), 0)
}

// rows is the number of list rows: the height less the query and the key
// hint.
func (b *Browser) rows() int { return max(b.height-2, 1) }

// View draws the browser: the query line with the match count, the visible
// rows and a key hint, in exactly its height.
func (b *Browser) View() string {
	lines := make([]string, 0, b.height)
	lines = append(lines, b.header())
	end := min(b.offset+b.rows(), len(b.matches))
	titleWidth := min(b.titleWidth, max((b.width-b.nameWidth-6)/2, 16))
	for i := b.offset; i < end; i++ {
		lines = append(lines, b.row(i, titleWidth))
	}
	if len(b.matches) == 0 {
		lines = append(lines, b.styles.Dim.Render(cut(fmt.Sprintf("  no code or command matches %q", strings.TrimSpace(b.query.Value())), b.width)))
	}
	for len(lines) < b.height-1 {
		lines = append(lines, "")
	}
	if b.height >= 3 {
		lines = append(lines, b.hint())
	}
	return strings.Join(lines, "\n")
}

// header draws the query line, with the match count on the right.
func (b *Browser) header() string {
	count := fmt.Sprintf("%d entries", len(b.entries))
	if strings.TrimSpace(b.query.Value()) != "" {
		count = fmt.Sprintf("%d of %d", len(b.matches), len(b.entries))
	}
	left := b.query.View()
	gap := max(b.width-lipgloss.Width(left)-ansi.StringWidth(count), 1)
	return cut(left+strings.Repeat(" ", gap)+b.styles.Dim.Render(count), b.width)
}

// row draws match i: a gutter that marks the highlight without colour, the
// name, the title and a dim description, with the query underlined.
func (b *Browser) row(i, titleWidth int) string {
	e := b.entries[b.matches[i]]
	q := strings.ToLower(strings.TrimSpace(b.query.Value()))
	gutter, titleStyle := "  ", b.styles.PanelText
	if i == b.cursor {
		gutter, titleStyle = b.styles.Selected.Render("▌")+" ", b.styles.Selected
	}
	nameStyle := b.styles.Sent
	switch {
	case e.code && len(e.name) == 3:
		nameStyle = b.styles.codeStyleFor(e.name)
	case e.code:
		nameStyle = b.styles.Dim // a Windows socket error, not a reply
	}
	title := ansi.Truncate(e.title, titleWidth, "…")
	var sb strings.Builder
	sb.WriteString(gutter)
	sb.WriteString(b.highlight(e.name, q, nameStyle))
	sb.WriteString(strings.Repeat(" ", b.nameWidth-ansi.StringWidth(e.name)+2))
	sb.WriteString(b.highlight(title, q, titleStyle))
	if e.desc != "" {
		sb.WriteString(strings.Repeat(" ", titleWidth-ansi.StringWidth(title)+2))
		sb.WriteString(b.styles.Dim.Render(e.desc))
	}
	return cut(sb.String(), b.width)
}

// highlight renders s in base with the first occurrence of the lower-case
// query q marked.
func (b *Browser) highlight(s, q string, base lipgloss.Style) string {
	lower := strings.ToLower(s)
	at := strings.Index(lower, q)
	if q == "" || at < 0 || len(lower) != len(s) {
		return base.Render(s)
	}
	var sb strings.Builder
	for _, part := range []struct {
		text  string
		style lipgloss.Style
	}{{s[:at], base}, {s[at : at+len(q)], b.styles.BrowserMatch.Inherit(base)}, {s[at+len(q):], base}} {
		if part.text != "" {
			sb.WriteString(part.style.Render(part.text))
		}
	}
	return sb.String()
}

// hint draws the key hint under the list.
func (b *Browser) hint() string {
	esc := "close"
	if b.query.Value() != "" {
		esc = "clear"
	}
	keys := [][2]string{{"↑↓", "move"}, {"pgup pgdn", "page"}, {"enter", "show"}, {"esc", esc}}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = b.styles.Sent.Render(k[0]) + " " + b.styles.Dim.Render(k[1])
	}
	return cut("  "+strings.Join(parts, b.styles.Dim.Render(" · ")), b.width)
}

// firstSentence returns the first sentence of a paragraph.
func firstSentence(s string) string {
	s = oneLine(s)
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '.' && s[i+1] == ' ' {
			return s[:i+1]
		}
	}
	return s
}
