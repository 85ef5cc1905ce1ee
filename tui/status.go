package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	"charm.land/lipgloss/v2"

	"github.com/ftpscope/ftpscope/protocol"
)

// statusPart is one segment of the status line; when the line is too
// narrow, segments with the highest drop number go first.
type statusPart struct {
	text  string
	style lipgloss.Style
	drop  int
}

// renderStatus draws the status line: connection, pending reply, running
// transfer, user, TLS, directory, TYPE, data mode, last round trip, and
// the help key. What does not fit is left out, least important first.
func (m Model) renderStatus() string {
	s := m.styles
	var parts []statusPart
	add := func(text string, style lipgloss.Style, drop int) {
		parts = append(parts, statusPart{" " + text + " ", style, drop})
	}
	switch {
	case m.opts.Recording != nil:
		add(m.recordingStatus(), s.Status, 0)
	case m.connected:
		add("● "+m.target.Addr(), s.StatusOK, 0)
	case m.status != "":
		add("◌ "+m.status, s.Status, 0)
	case m.target.Host != "":
		// How to connect again is said once, in the input line.
		add("○ disconnected from "+m.target.Addr(), s.StatusAlert, 0)
	default:
		add("○ disconnected", s.StatusAlert, 0)
	}
	if n, since := m.pending(); n > 0 {
		add(fmt.Sprintf("%s waiting %s for %s", m.spinner.View(), formatRTT(m.now().Sub(since).Round(1e8)), plural(n, "a reply", fmt.Sprint(n, " replies"))), s.Status, 1)
	}
	if t := m.transfer; t != nil {
		add(m.progressText(t), s.Status, 2)
	}
	if m.connected {
		user := "not logged in"
		if m.state.user != "" {
			user = "user " + m.state.user
		}
		add(protocol.Escape(user), s.Status, 3)
		if m.state.tls != "" {
			add(m.state.tls, s.StatusOK, 4)
		} else {
			add("clear text", s.StatusAlert, 4)
		}
		if m.state.cwd != "" {
			add(protocol.Escape(m.state.cwd), s.Status, 6)
		}
		if m.state.transferType != "" {
			add("TYPE "+m.state.transferType, s.Status, 7)
		}
		if m.state.dataMode != "" {
			add(m.state.dataMode, s.Status, 8)
		}
		if m.state.lastRTT > 0 {
			add("rtt "+formatRTT(m.state.lastRTT), s.Status, 9)
		}
	}
	right := " " + m.shortHelp() + " "
	// The parts' texts and the width decide the line; drawing it (styles,
	// widths) costs more than the rest of a frame.
	var key strings.Builder
	fmt.Fprintf(&key, "%d\x00%s", m.width, right)
	for _, p := range parts {
		fmt.Fprintf(&key, "\x00%d\x00%s", p.drop, p.text)
	}
	return m.statusLine.get(key.String(), func() string { return m.drawStatus(parts, right) })
}

// drawStatus draws the status line from its parts and the help on the
// right.
func (m Model) drawStatus(parts []statusPart, right string) string {
	s := m.styles
	// Keep segments in order of importance while they fit, so a long one
	// that does not fit leaves room for shorter, less important ones.
	byImportance := make([]int, len(parts))
	for i := range parts {
		byImportance[i] = i
	}
	slices.SortStableFunc(byImportance, func(a, b int) int { return parts[a].drop - parts[b].drop })
	keep := make([]bool, len(parts))
	room := m.width - lipgloss.Width(right)
	for n, i := range byImportance {
		w := lipgloss.Width(parts[i].text) + 1 // and its separator
		if n == 0 || w <= room {
			keep[i], room = true, room-w
		}
	}
	var rendered []string
	for i, p := range parts {
		if keep[i] {
			rendered = append(rendered, p.style.Render(p.text))
		}
	}
	left := strings.Join(rendered, s.Status.Render("│"))
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 0 {
		return cut(left, m.width)
	}
	return left + s.Status.Render(strings.Repeat(" ", gap)) + right
}

// progressText shows a running transfer: a bar when its size is known,
// bytes, rate and time left.
func (m Model) progressText(t *protocol.DataInfo) string {
	size := t.Size
	if size == 0 {
		size = m.state.expected
	}
	rate := 0.0
	if secs := t.Elapsed.Seconds(); secs > 0 {
		rate = float64(t.Bytes) / secs
	}
	text := fmt.Sprintf("%s %s", t.Verb, formatCount(t.Bytes))
	if size > 0 {
		frac := min(float64(t.Bytes)/float64(size), 1)
		bar := progress.New(progress.WithWidth(14), progress.WithoutPercentage(), progress.WithFillCharacters('█', '░'))
		text = fmt.Sprintf("%s %s %3.0f%% of %s", t.Verb, bar.ViewAs(frac), frac*100, formatCount(size))
		if rate > 0 {
			left := time.Duration(float64(size-t.Bytes) / rate * float64(time.Second))
			text += fmt.Sprintf(" · %s left", left.Round(time.Second))
		}
	}
	if rate > 0 {
		text += fmt.Sprintf(" · %s/s", formatCount(int64(rate)))
	}
	return text
}

// formatCount shows a byte count in binary units.
func formatCount(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	default:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	}
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

// helpLines builds the help view's text: the key bindings, generated from
// the key map, the local commands, and a word on FTP commands. On a wide
// screen the keys take the left column, as wide as they need, and the rest
// wraps in the room left on the right.
func (m Model) helpLines() []string {
	s := m.styles
	keys := []string{s.PanelHeading.Render("Keys")}
	for _, group := range m.helpKeys().FullHelp() {
		for _, k := range group {
			if k.Enabled() {
				keys = append(keys, fmt.Sprintf("  %-10s %s", k.Help().Key, k.Help().Desc))
			}
		}
	}
	col, room := 0, m.width-1
	if m.width >= 120 {
		for _, l := range keys {
			col = max(col, lipgloss.Width(l))
		}
		col += 3
		room = m.width - col - 1
	}
	const usageWidth = 18
	local := []string{s.PanelHeading.Render("Local commands")}
	indent := strings.Repeat(" ", 2+usageWidth+1)
	for _, c := range m.localCommands() {
		summary := strings.Split(wrapWords(c.summary, max(room-len(indent), 20)), "\n")
		local = append(local, fmt.Sprintf("  %-*s %s", usageWidth, c.usage, summary[0]))
		for _, more := range summary[1:] {
			local = append(local, indent+more)
		}
	}
	local = append(local, "", s.PanelHeading.Render("FTP commands"))
	local = append(local, strings.Split(wrapWords("Anything else you type is sent to the server as it is, one command per line; "+
		"tab completes it, and the line under the input shows its syntax. PASS is shown as PASS **** everywhere. "+
		"For transfers send PASV or EPSV first; RETR name > file saves, STOR name < file uploads.", max(room, 30)), "\n")...)
	if col > 0 {
		return sideBySide(keys, local, col)
	}
	return append(append(keys, ""), local...)
}

// helpKeys returns the key map as help lists it: while the data view is
// on screen, its keys in place of the transcript's and the side panel's
// scrolling keys that it takes over (see dataKeys).
func (m Model) helpKeys() KeyMap {
	k := m.keys
	k.Data = m.dataKeys()
	takes := map[*key.Binding]key.Binding{&k.PageUp: k.Data.PageUp, &k.PageDown: k.Data.PageDown, &k.PanelUp: k.Data.LineUp, &k.PanelDown: k.Data.LineDown}
	for b, data := range takes {
		if data.Enabled() {
			b.SetEnabled(false)
		}
	}
	return k
}

// sideBySide lays two lists out in two columns, the left one col wide.
func sideBySide(left, right []string, col int) []string {
	var out []string
	for i := 0; i < max(len(left), len(right)); i++ {
		var l, r string
		if i < len(left) {
			l = cut(left[i], col-1)
		}
		if i < len(right) {
			r = right[i]
		}
		out = append(out, l+strings.Repeat(" ", max(col-lipgloss.Width(l), 0))+r)
	}
	return out
}

// renderHelp draws the help view, scrolled to m.helpScroll.
func (m Model) renderHelp() string {
	s := m.styles
	body := m.helpLines()
	room := max(m.height-3, 1)
	scroll := min(m.helpScroll, max(len(body)-room, 0))
	body = body[scroll:]
	more := ""
	if len(body) > room {
		body = body[:room]
		more = " · ↓ more"
	}
	lines := append([]string{s.PanelTitle.Render("ftpscope help"), ""}, body...)
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	lines = append(lines, s.Dim.Render("esc, f1, ? or q closes this help · ↑ ↓ pgup pgdn scroll"+more))
	for i, l := range lines {
		lines[i] = cut(l, m.width)
	}
	return strings.Join(lines, "\n")
}
