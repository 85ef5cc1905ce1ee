package tui

// Presentation mode: a screen for a projector. Larger spacing (a blank
// row before each command), fewer decorations (no round-trip times, no
// border on the panel), the newest reply's explanation always on screen,
// and contrast that survives a washed-out projector: no dim grey text,
// reply codes in reverse video, headings bold and underlined, all within
// the terminal's 16 colours.

import (
	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// PresentStyles returns the styles of presentation mode.
func PresentStyles() Styles {
	c := lipgloss.Color
	s := DefaultStyles()
	plain := lipgloss.NewStyle()
	// Grey (colour 8) is the first thing a projector loses: ftpscope's
	// own lines and hints take the terminal's normal colour.
	s.Info = plain
	s.Dim = plain
	s.Warning = lipgloss.NewStyle().Foreground(c("3")).Bold(true)
	s.Selected = lipgloss.NewStyle().Reverse(true).Bold(true)
	// The presenter's narration is what the class reads: italic alone
	// is thin on a projector, and many terminals do not draw it.
	s.Narration = lipgloss.NewStyle().Bold(true).Italic(true)
	for i := range s.Codes {
		s.Codes[i] = s.Codes[i].Reverse(true).Bold(true)
	}
	s.PanelBorder = lipgloss.NewStyle().PaddingLeft(2)
	s.PanelTitle = lipgloss.NewStyle().Bold(true).Underline(true)
	s.PanelHeading = lipgloss.NewStyle().Bold(true).Underline(true)
	s.PanelNote = lipgloss.NewStyle().Foreground(c("3")).Bold(true)
	s.Status = lipgloss.NewStyle().Reverse(true).Bold(true)
	s.StatusKey = lipgloss.NewStyle().Reverse(true).Bold(true)
	s.StatusOK = lipgloss.NewStyle().Reverse(true).Bold(true).Foreground(c("2"))
	s.StatusAlert = lipgloss.NewStyle().Reverse(true).Bold(true).Foreground(c("1"))
	return s
}

// setPresent turns presentation mode on or off.
func (m *Model) setPresent(on bool) {
	m.present = on
	styles := DefaultStyles()
	if on {
		styles = PresentStyles()
	}
	m.setStyles(styles)
	m.transcript.spacious = on
	m.layout()
	if on {
		m.hint = "presentation mode: f6 leaves it · f7 f8 resize the panel · f5 the connections as a diagram"
	}
}

// setStyles gives every pane the styles, dropping what they cached.
func (m *Model) setStyles(s Styles) {
	m.styles = s
	m.transcript.styles = s
	m.transcript.cache.reset()
	m.panel.styles, m.panel.key, m.panel.prefix = s, "", ""
	m.strip.styles, m.strip.key, m.strip.prefix = s, "", ""
	*m.statusLine = lineCache{}
	m.data.SetStyles(s)
	m.browser.styles = s
	m.ladder.styles = s
	m.help.Styles = help.Styles{
		ShortKey: s.Sent, ShortDesc: s.Dim, ShortSeparator: s.Dim, Ellipsis: s.Dim,
		FullKey: s.Sent, FullDesc: s.Dim, FullSeparator: s.Dim,
	}
	inStyles := m.input.Styles()
	inStyles.Focused.Prompt, inStyles.Blurred.Prompt = s.Prompt, s.Prompt
	inStyles.Focused.Placeholder, inStyles.Blurred.Placeholder = s.Dim, s.Dim
	m.input.SetStyles(inStyles)
}

// stripView draws presentation mode's explanation strip: the short
// explanation of the selected reply, or of the newest, under the
// transcript, for when the side panel is not on screen.
func (m Model) stripView() string {
	ev, index, ok := m.transcript.SelectedReply()
	rule := m.styles.Dim.Render(cut(repeatRune('─', m.width), m.width))
	return lipgloss.JoinVertical(lipgloss.Left, rule, m.strip.View(ev, index, ok))
}

// repeatRune returns n copies of r.
func repeatRune(r rune, n int) string {
	if n <= 0 {
		return ""
	}
	out := make([]rune, n)
	for i := range out {
		out[i] = r
	}
	return string(out)
}

// explanationPane is the pane that shift+↑ and shift+↓ scroll: the
// explanation strip when presentation mode shows one, else the panel.
func (m *Model) explanationPane() *SidePanel {
	if m.present && !m.explanationShown() {
		return m.strip
	}
	return m.panel
}
