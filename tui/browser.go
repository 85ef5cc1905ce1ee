package tui

import (
	"charm.land/bubbles/v2/list"
	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/catalog"
)

// browserItem is one catalogue entry in the browser's list.
type browserItem struct {
	name, title, desc string
}

func (i browserItem) FilterValue() string { return i.name + " " + i.title }
func (i browserItem) Title() string       { return i.name + "  " + i.title }
func (i browserItem) Description() string { return i.desc }

// Browser lists every reply code and command in the catalogue, filtered
// as the user types; enter shows the chosen entry in the side panel.
type Browser struct {
	list    list.Model
	catalog *catalog.Catalog
}

// browserChoiceMsg reports the entry chosen in the browser.
type browserChoiceMsg struct{ name string }

// browserClosedMsg reports that the browser was left without a choice.
type browserClosedMsg struct{}

// NewBrowser returns a browser over cat.
func NewBrowser(cat *catalog.Catalog) *Browser {
	var items []list.Item
	for _, code := range cat.Codes() {
		r, _ := cat.Reply(code)
		items = append(items, browserItem{name: code, title: r.Name, desc: firstSentence(r.Meaning)})
	}
	for _, name := range cat.Commands() {
		c, _ := cat.Command(name)
		items = append(items, browserItem{name: name, title: c.Syntax, desc: oneLine(c.Summary)})
	}
	l := list.New(items, list.NewDefaultDelegate(), 80, 20)
	l.Title = "Catalogue: every reply code and command · type to filter · enter shows · esc leaves"
	l.SetStatusBarItemName("entry", "entries")
	l.DisableQuitKeybindings()
	return &Browser{list: l, catalog: cat}
}

// Open resets the browser and starts filtering, so typing narrows the
// list at once.
func (b *Browser) Open() {
	b.list.ResetFilter()
	b.list.ResetSelected()
	b.list.SetFilterText("")
	b.list.SetFilterState(list.Filtering)
}

// SetSize sets the browser's size in cells.
func (b *Browser) SetSize(width, height int) { b.list.SetSize(width, height) }

// Update handles a message; enter and esc end the browsing.
func (b *Browser) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "enter":
			// Enter shows the highlighted entry, filtering or not.
			if item, ok := b.list.SelectedItem().(browserItem); ok {
				return func() tea.Msg { return browserChoiceMsg{name: item.name} }
			}
		case "esc":
			// The first esc clears a filter; with none, esc leaves.
			if b.list.FilterValue() == "" {
				return func() tea.Msg { return browserClosedMsg{} }
			}
		}
	}
	var cmd tea.Cmd
	b.list, cmd = b.list.Update(msg)
	return cmd
}

// View draws the browser.
func (b *Browser) View() string { return b.list.View() }

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
