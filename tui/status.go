package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
)

// renderStatus draws the status line: connection state, login, and the
// keys that matter most.
func (m Model) renderStatus() string {
	s := m.styles
	var parts []string
	switch {
	case m.connected:
		parts = append(parts, s.StatusOK.Render(" ● "+m.opts.Target+" "))
	case m.status != "":
		parts = append(parts, s.Status.Render(" ◌ "+m.status+" "))
	default:
		parts = append(parts, s.StatusAlert.Render(" ○ disconnected "))
	}
	if m.connected {
		login := "not logged in"
		if m.loggedIn != "" {
			login = m.loggedIn
		}
		parts = append(parts, s.Status.Render(" "+login+" "))
		if m.tlsSummary != "" {
			parts = append(parts, s.StatusOK.Render(" "+m.tlsSummary+" "))
		} else {
			parts = append(parts, s.Status.Render(" clear text "))
		}
	}
	if t := m.transfer; t != nil {
		rate := ""
		if secs := t.Elapsed.Seconds(); secs > 0 {
			rate = fmt.Sprintf(" · %.1f MiB/s", float64(t.Bytes)/secs/(1<<20))
		}
		parts = append(parts, s.Status.Render(fmt.Sprintf(" %s %d bytes%s ", t.Verb, t.Bytes, rate)))
	}
	if n, since := m.pending(); n > 0 {
		parts = append(parts, s.Status.Render(fmt.Sprintf(" waiting for %d %s · %s ", n, plural(n, "reply", "replies"), formatRTT(m.now().Sub(since).Round(1e8)))))
	}
	left := strings.Join(parts, s.Status.Render("│"))
	right := " " + m.shortHelp() + " "
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 0 {
		return cut(left+s.Status.Render(strings.Repeat(" ", max(m.width-lipgloss.Width(left), 0))), m.width)
	}
	return left + s.Status.Render(strings.Repeat(" ", gap)) + right
}

// shortHelp lists the short-help bindings as "key action" pairs.
func (m Model) shortHelp() string {
	return m.help.ShortHelpView(m.keys.ShortHelp())
}

// pending reports the commands waiting for replies.
func (m Model) pending() (int, time.Time) {
	if m.session == nil || !m.connected {
		return 0, time.Time{}
	}
	return m.session.Pending()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// renderHelp draws the help view: the key bindings, generated from the
// key map, and the local commands.
func (m Model) renderHelp() string {
	s := m.styles
	var b strings.Builder
	b.WriteString(s.PanelTitle.Render("ftpscope help") + "\n\n")
	b.WriteString(s.PanelHeading.Render("Keys") + "\n")
	for _, group := range m.keys.FullHelp() {
		for _, k := range group {
			if k.Enabled() {
				b.WriteString(fmt.Sprintf("  %-16s %s\n", k.Help().Key, k.Help().Desc))
			}
		}
	}
	b.WriteString("\n")
	b.WriteString(s.PanelHeading.Render("Local commands") + "\n")
	for _, c := range localCommands {
		b.WriteString(fmt.Sprintf("  %-16s %s\n", c.usage, c.summary))
	}
	b.WriteString("\n" + s.PanelHeading.Render("FTP commands") + "\n")
	b.WriteString(lipgloss.Wrap("Anything else you type is sent to the server as it is, one command per line. "+
		"PASS is shown as PASS **** everywhere. Replies are explained in the side panel; ctrl+p and ctrl+n select earlier replies.", m.width, "") + "\n\n")
	b.WriteString(s.Dim.Render("esc, f1 or q closes this help"))
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = cut(l, m.width)
	}
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}
