package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/protocol"
)

// remember adds a submitted line to the history (PASS and ACCT lines are
// never kept) and saves it in the background.
func (m *Model) remember(line string) tea.Cmd {
	h := m.opts.History
	if h == nil || !h.Add(withoutExplainedPassword(withoutURLPassword(line))) {
		return nil
	}
	return h.SaveCmd()
}

// withoutExplainedPassword drops what follows PASS or ACCT in an :explain
// line (":explain PASS hunter2" explains PASS): the history must not keep
// a password typed there any more than a PASS line.
func withoutExplainedPassword(line string) string {
	fields := strings.Fields(line)
	if len(fields) < 2 || !strings.EqualFold(fields[0], ":explain") {
		return line
	}
	kept := fields[:1]
	secret := false
	for _, f := range fields[1:] {
		switch {
		case isSecretLine(f):
			kept, secret = append(kept, f[:4]), true // PASS, or PASSsecret typed as one word
		case secret && !strings.HasPrefix(f, "--"):
			// The password, or any word of it, up to a flag.
		default:
			kept, secret = append(kept, f), false
		}
	}
	return strings.Join(kept, " ")
}

// withoutURLPassword drops the password from a :connect URL, which the
// history must not keep any more than a PASS line.
func withoutURLPassword(line string) string {
	fields := strings.Fields(line)
	if len(fields) != 2 || !strings.EqualFold(fields[0], ":connect") {
		return line
	}
	target, err := protocol.ParseTarget(fields[1])
	switch {
	case err != nil:
		// Not a URL ftpscope accepts, but it may still carry a password.
		return fields[0] + " " + protocol.MaskPassword(fields[1])
	case !target.HasPassword:
		return line
	}
	return fields[0] + " " + target.String()
}

// saveHistory returns the command that writes the history, for quitting.
func (m *Model) saveHistory() tea.Cmd {
	if m.opts.History == nil {
		return nil
	}
	return m.opts.History.SaveCmd()
}

// historyPrev shows the previous history entry (↑).
func (m *Model) historyPrev() {
	if h := m.opts.History; h != nil {
		if line, ok := h.Prev(m.input.Value()); ok {
			m.setInput(line)
		}
	}
}

// historyNext shows the next history entry, then the draft (↓).
func (m *Model) historyNext() {
	if h := m.opts.History; h != nil {
		if line, ok := h.Next(); ok {
			m.setInput(line)
		}
	}
}

// startHistorySearch begins ctrl+r's reverse incremental search.
func (m *Model) startHistorySearch() {
	if h := m.opts.History; h != nil {
		h.SearchStart()
	}
}

// historySearching reports whether ctrl+r's search is active.
func (m *Model) historySearching() bool {
	return m.opts.History != nil && m.opts.History.Searching()
}

// handleHistorySearchKey edits the search query: printable keys extend it,
// backspace shortens it, ctrl+r looks further back, enter puts the match
// on the input line (to edit or send), esc gives the line back as it was.
func (m Model) handleHistorySearchKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	h := m.opts.History
	query := h.SearchQuery()
	switch k := msg.String(); k {
	case "ctrl+r":
		h.SearchOlder()
	case "esc", "ctrl+g":
		h.SearchEnd()
	case "enter", "tab", "right":
		if match, ok := h.SearchMatch(); ok {
			m.setInput(match)
		}
		h.SearchEnd()
	case "backspace":
		if query != "" {
			r := []rune(query)
			h.SearchInput(string(r[:len(r)-1]))
		}
	default:
		if text := msg.Text; text != "" {
			h.SearchInput(query + text)
		}
	}
	return m, nil
}

// historyHint is the search prompt while ctrl+r's search is active.
func (m *Model) historyHint() string {
	if !m.historySearching() {
		return ""
	}
	return m.opts.History.SearchView(m.width - 2)
}
