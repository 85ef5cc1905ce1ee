package tui

import "charm.land/bubbles/v2/key"

// KeyMap declares the keys of the main screen. The help view is generated
// from it, so a binding added here shows up in help.
type KeyMap struct {
	Send          key.Binding
	Complete      key.Binding
	HistoryPrev   key.Binding
	HistoryNext   key.Binding
	HistorySearch key.Binding
	Search        key.Binding
	PrevReply     key.Binding
	NextReply     key.Binding
	PrevError     key.Binding
	NextError     key.Binding
	Back          key.Binding
	PageUp        key.Binding
	PageDown      key.Binding
	PanelUp       key.Binding
	PanelDown     key.Binding
	LessonUp      key.Binding
	LessonDown    key.Binding
	WholeCommand  key.Binding
	TogglePanel   key.Binding
	ToggleData    key.Binding
	Browse        key.Binding
	Timestamps    key.Binding
	Ladder        key.Binding
	Raw           key.Binding
	Timing        key.Binding
	Present       key.Binding
	PanelNarrower key.Binding
	PanelWider    key.Binding
	HidePanel     key.Binding
	PlayBack      key.Binding
	PlaySkip      key.Binding
	Help          key.Binding
	Quit          key.Binding
	// Data scrolls the data view (f2) while it is on screen.
	Data DataKeyMap
}

// DataKeyMap declares the keys that scroll the last transfer's data. The
// data view takes the side panel's place, so it takes the keys that
// scroll the panel (shift+↑, shift+↓) and, being what the user opened to
// read, the transcript's pgup and pgdn; help lists these bindings instead
// of those while the view is on screen (see Model.helpKeys).
type DataKeyMap struct {
	LineUp   key.Binding
	LineDown key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
}

// DefaultDataKeyMap returns the data view's key bindings.
func DefaultDataKeyMap() DataKeyMap {
	return DataKeyMap{
		LineUp:   key.NewBinding(key.WithKeys("shift+up"), key.WithHelp("shift+↑", "scroll the data up a line")),
		LineDown: key.NewBinding(key.WithKeys("shift+down"), key.WithHelp("shift+↓", "scroll the data down a line")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll the data up a page")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "read on in the data, a page")),
		Top:      key.NewBinding(key.WithKeys("ctrl+home"), key.WithHelp("ctrl+home", "go to the data's first line")),
		Bottom:   key.NewBinding(key.WithKeys("ctrl+end"), key.WithHelp("ctrl+end", "go to the data's last line")),
	}
}

// Bindings returns the data view's bindings, in the order help lists them.
func (k DataKeyMap) Bindings() []key.Binding {
	return []key.Binding{k.LineUp, k.LineDown, k.PageUp, k.PageDown, k.Top, k.Bottom}
}

// SetEnabled enables or disables every binding of the data view.
func (k *DataKeyMap) SetEnabled(on bool) {
	for _, b := range []*key.Binding{&k.LineUp, &k.LineDown, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom} {
		b.SetEnabled(on)
	}
}

// DefaultKeyMap returns ftpscope's key bindings. Keys that the input line
// uses for editing (ctrl+a, ctrl+e, ctrl+k, ctrl+u, ctrl+w, alt+b, alt+f …)
// are left to it. LessonUp and LessonDown scroll a lesson's pane: New
// disables them outside a lesson, so that help lists them only there.
// Data scrolls the data view; help lists it only while the view is on
// screen.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Send:          key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send the command")),
		Complete:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete a command, name or local file")),
		HistoryPrev:   key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "previous command from history")),
		HistoryNext:   key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "next command from history")),
		HistorySearch: key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "search the command history")),
		Search:        key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search the transcript (on an empty line)")),
		PrevReply:     key.NewBinding(key.WithKeys("ctrl+p"), key.WithHelp("ctrl+p", "select the previous reply")),
		NextReply:     key.NewBinding(key.WithKeys("ctrl+n"), key.WithHelp("ctrl+n", "select the next reply")),
		PrevError:     key.NewBinding(key.WithKeys("alt+up"), key.WithHelp("alt+↑", "previous error reply (4xx, 5xx)")),
		NextError:     key.NewBinding(key.WithKeys("alt+down"), key.WithHelp("alt+↓", "next error reply")),
		Back:          key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back: close a view, follow the newest reply")),
		PageUp:        key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll the transcript up")),
		PageDown:      key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "scroll the transcript down")),
		PanelUp:       key.NewBinding(key.WithKeys("shift+up"), key.WithHelp("shift+↑", "scroll the side panel up")),
		PanelDown:     key.NewBinding(key.WithKeys("shift+down"), key.WithHelp("shift+↓", "scroll the side panel down")),
		LessonUp:      key.NewBinding(key.WithKeys("ctrl+up"), key.WithHelp("ctrl+↑", "scroll the lesson's feedback back")),
		LessonDown:    key.NewBinding(key.WithKeys("ctrl+down"), key.WithHelp("ctrl+↓", "read on in the lesson's feedback")),
		WholeCommand:  key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "show a long command whole in the side panel")),
		TogglePanel:   key.NewBinding(key.WithKeys("f4", "alt+e"), key.WithHelp("f4", "swap transcript and explanation (narrow screens)")),
		ToggleData:    key.NewBinding(key.WithKeys("f2"), key.WithHelp("f2", "show the last transfer's data")),
		Browse:        key.NewBinding(key.WithKeys("f3"), key.WithHelp("f3", "browse the catalogue")),
		Timestamps:    key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "show or hide timestamps")),
		Ladder:        key.NewBinding(key.WithKeys("f5"), key.WithHelp("f5", "the connections as a ladder diagram")),
		Raw:           key.NewBinding(key.WithKeys("alt+r"), key.WithHelp("alt+r", "the selected reply's raw bytes")),
		Timing:        key.NewBinding(key.WithKeys("alt+t"), key.WithHelp("alt+t", "timing of the connection")),
		Present:       key.NewBinding(key.WithKeys("f6"), key.WithHelp("f6", "presentation mode, for a projector")),
		PanelNarrower: key.NewBinding(key.WithKeys("f7"), key.WithHelp("f7", "narrower side panel (remembered)")),
		PanelWider:    key.NewBinding(key.WithKeys("f8"), key.WithHelp("f8", "wider side panel (remembered)")),
		HidePanel:     key.NewBinding(key.WithKeys("f9"), key.WithHelp("f9", "hide or show the side panel")),
		PlayBack:      key.NewBinding(key.WithKeys("alt+p"), key.WithHelp("alt+p", "--play: put the previous script line in the input")),
		PlaySkip:      key.NewBinding(key.WithKeys("alt+n"), key.WithHelp("alt+n", "--play: put the next script line in the input")),
		Help:          key.NewBinding(key.WithKeys("f1"), key.WithHelp("f1 or ?", "help")),
		Quit:          key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Data:          DefaultDataKeyMap(),
	}
}

// ShortHelp returns the bindings shown in the status line.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Help, k.Quit}
}

// FullHelp returns the bindings of the help view, in groups.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Send, k.Complete, k.HistoryPrev, k.HistoryNext, k.HistorySearch},
		{k.Search, k.PrevReply, k.NextReply, k.PrevError, k.NextError, k.Back},
		append([]key.Binding{k.PageUp, k.PageDown, k.PanelUp, k.PanelDown}, k.Data.Bindings()...),
		{k.LessonUp, k.LessonDown, k.WholeCommand, k.TogglePanel, k.ToggleData, k.Browse, k.Timestamps},
		{k.Ladder, k.Present, k.PanelNarrower, k.PanelWider, k.HidePanel, k.PlayBack, k.PlaySkip},
		{k.Raw, k.Timing, k.Help, k.Quit},
	}
}
