package tui

import "charm.land/bubbles/v2/key"

// KeyMap declares the keys of the main screen. The help view is generated
// from it, so a binding added here shows up in help.
type KeyMap struct {
	Send       key.Binding
	PrevReply  key.Binding
	NextReply  key.Binding
	Follow     key.Binding
	PageUp     key.Binding
	PageDown   key.Binding
	ToggleData key.Binding
	PanelUp    key.Binding
	PanelDown  key.Binding
	Browse     key.Binding
	Help       key.Binding
	Quit       key.Binding
}

// DefaultKeyMap returns ftpscope's key bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Send:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send the command")),
		PrevReply:  key.NewBinding(key.WithKeys("ctrl+p", "alt+up"), key.WithHelp("ctrl+p", "select the previous reply")),
		NextReply:  key.NewBinding(key.WithKeys("ctrl+n", "alt+down"), key.WithHelp("ctrl+n", "select the next reply")),
		Follow:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "follow the newest reply")),
		PageUp:     key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll up")),
		PageDown:   key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "scroll down")),
		PanelUp:    key.NewBinding(key.WithKeys("shift+up"), key.WithHelp("shift+↑", "scroll the side panel up")),
		PanelDown:  key.NewBinding(key.WithKeys("shift+down"), key.WithHelp("shift+↓", "scroll the side panel down")),
		Browse:     key.NewBinding(key.WithKeys("f3"), key.WithHelp("f3", "browse the catalogue")),
		ToggleData: key.NewBinding(key.WithKeys("f2"), key.WithHelp("f2", "show the last transfer's data")),
		Help:       key.NewBinding(key.WithKeys("f1"), key.WithHelp("f1", "help")),
		Quit:       key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	}
}

// ShortHelp returns the bindings shown in the status line.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.PrevReply, k.Help, k.Quit}
}

// FullHelp returns the bindings of the help view, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Send, k.Quit, k.Help},
		{k.PrevReply, k.NextReply, k.Follow},
		{k.PageUp, k.PageDown, k.PanelUp, k.PanelDown},
		{k.ToggleData, k.Browse},
	}
}
