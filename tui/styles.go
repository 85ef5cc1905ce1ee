package tui

import (
	"charm.land/lipgloss/v2"
)

// Styles holds every style the UI uses, in one place. The colours are the
// terminal's own 16 ANSI colours, so they follow the user's theme and read
// on dark and light backgrounds alike; with NO_COLOR set, Bubble Tea drops
// them and the layout, symbols and bold text still tell things apart.
type Styles struct {
	Sent      lipgloss.Style
	ReplyText lipgloss.Style
	Info      lipgloss.Style
	Warning   lipgloss.Style
	Error     lipgloss.Style
	Dim       lipgloss.Style
	Selected  lipgloss.Style
	// Narration is a "#" line of a played demonstration.
	Narration lipgloss.Style
	// Finding is a "?" line: what ftpscope concluded is wrong.
	Finding lipgloss.Style
	// Codes colours a reply code by its class: index 1 to 6, and 0 for a
	// malformed reply.
	Codes [7]lipgloss.Style

	PanelBorder  lipgloss.Style
	PanelTitle   lipgloss.Style
	PanelHeading lipgloss.Style
	PanelText    lipgloss.Style
	PanelNote    lipgloss.Style
	// BrowserMatch marks the typed query inside a catalogue browser row.
	BrowserMatch lipgloss.Style

	Prompt      lipgloss.Style
	Status      lipgloss.Style
	StatusKey   lipgloss.Style
	StatusOK    lipgloss.Style
	StatusAlert lipgloss.Style
}

// DefaultStyles returns ftpscope's styles.
func DefaultStyles() Styles {
	c := lipgloss.Color
	return Styles{
		Sent:      lipgloss.NewStyle().Foreground(c("6")).Bold(true),
		ReplyText: lipgloss.NewStyle(),
		Info:      lipgloss.NewStyle().Foreground(c("8")),
		Warning:   lipgloss.NewStyle().Foreground(c("3")),
		Error:     lipgloss.NewStyle().Foreground(c("1")).Bold(true),
		Dim:       lipgloss.NewStyle().Foreground(c("8")),
		Selected:  lipgloss.NewStyle().Foreground(c("5")).Bold(true),
		Narration: lipgloss.NewStyle().Italic(true),
		Finding:   lipgloss.NewStyle().Foreground(c("5")).Bold(true),
		Codes: [7]lipgloss.Style{
			lipgloss.NewStyle().Foreground(c("5")).Bold(true).Underline(true), // malformed
			lipgloss.NewStyle().Foreground(c("4")).Bold(true),                 // 1xx preliminary
			lipgloss.NewStyle().Foreground(c("2")).Bold(true),                 // 2xx completion
			lipgloss.NewStyle().Foreground(c("6")).Bold(true),                 // 3xx intermediate
			lipgloss.NewStyle().Foreground(c("3")).Bold(true),                 // 4xx transient
			lipgloss.NewStyle().Foreground(c("1")).Bold(true),                 // 5xx permanent
			lipgloss.NewStyle().Foreground(c("5")).Bold(true),                 // 6xx protected
		},
		PanelBorder:  lipgloss.NewStyle().Border(lipgloss.NormalBorder(), false, false, false, true).BorderForeground(c("8")).PaddingLeft(1),
		PanelTitle:   lipgloss.NewStyle().Bold(true),
		PanelHeading: lipgloss.NewStyle().Bold(true).Foreground(c("4")),
		PanelText:    lipgloss.NewStyle(),
		PanelNote:    lipgloss.NewStyle().Foreground(c("3")),
		BrowserMatch: lipgloss.NewStyle().Underline(true),
		Prompt:       lipgloss.NewStyle().Foreground(c("6")).Bold(true),
		Status:       lipgloss.NewStyle().Reverse(true),
		StatusKey:    lipgloss.NewStyle().Reverse(true).Bold(true),
		StatusOK:     lipgloss.NewStyle().Reverse(true).Foreground(c("2")),
		StatusAlert:  lipgloss.NewStyle().Reverse(true).Foreground(c("1")),
	}
}

// PlainStyles returns styles that add nothing: no colour, no bold, no
// escape sequences, for output to a pipe or a file.
func PlainStyles() Styles {
	plain := lipgloss.NewStyle()
	s := Styles{
		Sent: plain, ReplyText: plain, Info: plain, Warning: plain, Error: plain, Dim: plain, Selected: plain, Narration: plain, Finding: plain,
		PanelTitle: plain, PanelHeading: plain, PanelText: plain, PanelNote: plain,
		Prompt: plain, Status: plain, StatusKey: plain, StatusOK: plain, StatusAlert: plain,
		PanelBorder: lipgloss.NewStyle().Border(lipgloss.NormalBorder(), false, false, false, true).PaddingLeft(1),
	}
	for i := range s.Codes {
		s.Codes[i] = plain
	}
	return s
}

// codeStyleFor returns the style for a reply code written as text.
func (s Styles) codeStyleFor(code string) lipgloss.Style {
	if len(code) != 3 || code[0] < '1' || code[0] > '6' {
		return s.Codes[0]
	}
	return s.Codes[code[0]-'0']
}

// codeStyle returns the style for a reply code.
func (s Styles) codeStyle(code int) lipgloss.Style {
	class := code / 100
	if class < 1 || class > 6 {
		class = 0
	}
	return s.Codes[class]
}
