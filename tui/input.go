package tui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/protocol"
)

// handleKey handles a key press. Views on top (browser, help, search) get
// it first; then the global keys; then the input line.
func (m Model) handleKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, m.keys.Quit) {
		return m.quit()
	}
	switch {
	case m.showBrowser:
		return m, m.browser.Update(msg)
	case m.showHelp:
		switch k := msg.String(); {
		case key.Matches(msg, m.keys.Help, m.keys.Back) || k == "q" || k == "?":
			m.showHelp, m.helpScroll = false, 0
		case k == "up":
			m.helpScroll = max(m.helpScroll-1, 0)
		case k == "down":
			m.helpScroll++
		case k == "pgup":
			m.helpScroll = max(m.helpScroll-m.height/2, 0)
		case k == "pgdown":
			m.helpScroll += m.height / 2
		}
		m.helpScroll = min(m.helpScroll, len(m.helpLines()))
		return m, nil
	case m.searching:
		return m.handleSearchKey(msg)
	case m.historySearching():
		return m.handleHistorySearchKey(msg)
	case m.saveAsk != nil:
		return m.answerSave(msg)
	}
	if !key.Matches(msg, m.keys.Complete) {
		m.completing = nil
	}
	m.hint = ""
	empty := m.input.Value() == ""
	switch {
	case key.Matches(msg, m.keys.Help), empty && msg.String() == "?":
		m.showHelp = true
	case empty && msg.String() == "/":
		m.startSearch()
	case key.Matches(msg, m.keys.Send):
		return m.submit()
	case key.Matches(msg, m.keys.Complete):
		m.complete()
	case key.Matches(msg, m.keys.HistoryPrev):
		m.historyPrev()
	case key.Matches(msg, m.keys.HistoryNext):
		m.historyNext()
	case key.Matches(msg, m.keys.HistorySearch):
		m.startHistorySearch()
	case key.Matches(msg, m.keys.ToggleData):
		m.toggleData()
	case key.Matches(msg, m.keys.TogglePanel):
		m.showPanel = !m.showPanel
	case key.Matches(msg, m.keys.PrevReply):
		m.selectReply(m.transcript.SelectPrev)
	case key.Matches(msg, m.keys.NextReply):
		m.selectReply(m.transcript.SelectNext)
	case key.Matches(msg, m.keys.PrevError):
		m.selectReply(func() { m.jumpError(true) })
	case key.Matches(msg, m.keys.NextError):
		m.selectReply(func() { m.jumpError(false) })
	case key.Matches(msg, m.keys.Back):
		m.back()
	case key.Matches(msg, m.keys.Browse):
		m.openBrowser()
	case key.Matches(msg, m.keys.Timestamps):
		m.transcript.ToggleTimestamps()
	case key.Matches(msg, m.keys.Raw):
		return runRaw(m, nil)
	case key.Matches(msg, m.keys.Timing):
		return runTiming(m, nil)
	case key.Matches(msg, m.dataKeys().Bindings()...):
		// The data view, once open, takes the keys that scroll.
		m.data.Update(msg)
	case key.Matches(msg, m.keys.PanelUp):
		m.explanationPane().ScrollBy(-3)
	case key.Matches(msg, m.keys.PanelDown):
		m.explanationPane().ScrollBy(3)
	case key.Matches(msg, m.keys.LessonUp, m.keys.LessonDown) && m.lesson != nil:
		m.lesson.Page(key.Matches(msg, m.keys.LessonUp))
	case key.Matches(msg, m.keys.WholeCommand):
		m.panel.ToggleWholeCommand()
	case key.Matches(msg, m.keys.PageUp, m.keys.PageDown) && m.showLadder && !m.wide:
		// The ladder is in the transcript's place: it scrolls instead.
		m.ladder.ScrollPage(key.Matches(msg, m.keys.PageUp))
	case key.Matches(msg, m.keys.PageUp):
		m.transcript.ScrollBy(-max(m.transcript.height-1, 1))
	case key.Matches(msg, m.keys.PageDown):
		m.transcript.ScrollBy(max(m.transcript.height-1, 1))
	case m.isScreenKey(msg):
		return m, m.screenKey(msg)
	default:
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return m, cmd
	}
	return m, nil
}

// selectReply moves the reply selection and shows its explanation.
func (m *Model) selectReply(move func()) {
	move()
	m.showData = false
	m.panel.ClearDoc()
	if !m.showLadder {
		m.showExplanation()
	}
}

func (m *Model) jumpError(older bool) {
	if !m.transcript.JumpError(older) {
		m.hint = "no error reply " + map[bool]string{true: "above", false: "below"}[older]
	}
}

// back is esc: it backs out one step, from the most recent view down to
// following the newest reply.
func (m *Model) back() {
	if m.autoPanel && !m.wide && m.trustPrompt == nil && m.completing == nil {
		m.showPanel = false // back to the transcript the explanation replaced
	}
	m.autoPanel = false
	switch {
	case m.trustPrompt != nil:
		m.answerTrust(false)
	case m.completing != nil:
		m.completing = nil
	case m.panel.ClearDoc():
	case m.showData:
		m.showData = false
	case m.showLadder:
		m.toggleLadder()
	default:
		m.transcript.Follow()
	}
}

// submit sends the input line: a local command when it starts with ':',
// otherwise an FTP command.
func (m Model) submit() (tea.Model, tea.Cmd) {
	line := m.input.Value()
	m.resetInput()
	if m.trustPrompt != nil {
		m.answerTrust(strings.EqualFold(strings.TrimSpace(line), "yes"))
		return m, nil
	}
	if strings.TrimSpace(line) == "" {
		if m.play != nil {
			m.playNext()
		}
		return m, nil
	}
	saved := m.remember(line)
	if isDirective(line) || strings.HasPrefix(strings.TrimSpace(line), ":") {
		from := m.transcript.Len()
		run := m.runLocal
		if isDirective(line) {
			run = m.runDirective
		}
		model, cmd := run(strings.TrimSpace(line))
		if next, ok := model.(Model); ok {
			next.showFeedbackOverLadder(from)
			model = next
		}
		return model, tea.Batch(saved, cmd)
	}
	if m.opts.Recording != nil {
		m.transcript.AddError(recordingNoSend)
		return m, saved
	}
	if m.session == nil {
		m.transcript.AddError("not connected yet: wait for the greeting, then type the command again")
		return m, saved
	}
	if err := m.session.Send(line); err != nil {
		if errors.Is(err, protocol.ErrNotConnected) {
			m.transcript.AddError("not connected: the connection is closed, so nothing was sent; :reconnect connects again")
		} else {
			m.transcript.AddError(refusalLine(err))
		}
	}
	return m, saved
}

// refusalLine says why Send refused a line: in diagnose's words when it
// has some (TLS required …), else in protocol's own.
func refusalLine(err error) string {
	if p := diagnose.Describe(err); p.Kind != diagnose.KindOther {
		return p.String()
	}
	return ownLine(err.Error())
}

// answerTrust passes the user's decision on a certificate to the session.
// The session's next line says what followed ("accepted by you for this
// session", or the connection closed as the certificate was refused), so
// the decision is not said twice; without a session, it is said here.
func (m *Model) answerTrust(accept bool) {
	m.trustPrompt = nil
	if m.session != nil {
		m.session.Trust(accept)
		return
	}
	if accept {
		m.transcript.AddInfo("certificate accepted, but the session has ended")
	} else {
		m.transcript.AddInfo("certificate refused")
	}
}

// resetInput empties the input line. Suggestions are not used, so no stale
// suggestion can stay drawn after Reset.
func (m *Model) resetInput() {
	m.input.Reset()
	m.completing = nil
	if h := m.opts.History; h != nil {
		h.Reset()
	}
}

// fitInput sizes the input line to the screen, less its prompt, which
// differs between commands and search.
func (m *Model) fitInput() { m.input.SetWidth(max(m.width-lipgloss.Width(m.input.Prompt)-1, 10)) }

// searchKeys is the reminder of the keys that work while searching.
const searchKeys = "↑ older · ↓ newer · enter stays · esc returns"

// startSearch enters transcript search: the input line takes the query.
func (m *Model) startSearch() {
	m.searching, m.searchLine, m.searchMiss = true, -1, ""
	m.input.Prompt = "search: "
	m.input.Placeholder = "text to find · " + searchKeys
	m.fitInput()
}

// searchHint says where the search stands: the line found, or nothing
// yet, with the keys that go on.
func (m *Model) searchHint() string {
	if m.hint != "" {
		return m.hint
	}
	if m.searchLine < 0 {
		return searchKeys
	}
	return fmt.Sprintf("found on line %d of %d · %s", m.searchLine+1, m.transcript.Len(), searchKeys)
}

// endSearch leaves transcript search, keeping the view where it is unless
// follow is set.
func (m *Model) endSearch(follow bool) {
	m.searching = false
	m.input.Prompt, m.input.Placeholder = inputPrompt, inputPlaceholder
	m.fitInput()
	m.resetInput()
	if follow {
		m.transcript.Follow()
	}
}

// handleSearchKey handles keys while searching the transcript.
func (m Model) handleSearchKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	query := m.input.Value()
	switch msg.String() {
	case "esc":
		m.endSearch(true)
		return m, nil
	case "enter":
		m.endSearch(false)
		return m, nil
	case "up", "ctrl+r":
		m.find(query, m.searchLine, true)
		return m, nil
	case "down", "ctrl+s":
		m.find(query, m.searchLine, false)
		return m, nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if q := m.input.Value(); q != query {
		switch {
		case m.searchMiss != "" && strings.HasPrefix(q, m.searchMiss):
			// A longer query cannot match where a shorter one did not.
			m.hint = "no match for " + protocol.Escape(q)
		case query != "" && strings.HasPrefix(q, query) && m.searchLine >= 0:
			// Nothing newer than the last match holds the shorter query,
			// so nothing newer holds this one: go on from that match.
			if m.find(q, m.searchLine+1, true); m.hint != "" {
				m.searchMiss = q // not older, not newer: nowhere
			}
		default:
			m.find(q, -1, true)
		}
	}
	return m, cmd
}

// find searches the transcript and says when nothing matches.
func (m *Model) find(query string, from int, older bool) {
	if i, ok := m.transcript.Search(query, from, older); ok {
		m.searchLine, m.searchMiss = i, ""
		m.hint = ""
		return
	}
	if query != "" {
		m.hint = "no match for " + protocol.Escape(query)
		if from < 0 {
			m.searchMiss = query // nothing anywhere holds it
		}
	}
}

// syntaxHint describes the command being typed, from the catalogue: its
// syntax, then what it does, then how to save or send a file with it,
// ranked from rank on for fitHint (nil for no command).
func (m *Model) syntaxHint(rank int) []hintPart {
	value := strings.TrimSpace(m.input.Value())
	if value == "" || strings.HasPrefix(value, ":") {
		return nil
	}
	verb, _, _ := strings.Cut(value, " ")
	cmd, ok := m.opts.Catalog.Command(verb)
	if !ok {
		return nil
	}
	parts := []hintPart{part(rank, cmd.Syntax), part(rank+1, clauses(oneLine(cmd.Summary))...)}
	switch {
	case protocol.IsUpload(cmd.Name):
		parts = append(parts, part(rank+2, "add < localfile: the file to send", "< localfile sends a file"))
	case protocol.IsTransfer(cmd.Name):
		parts = append(parts, part(rank+2, "add > localfile to save what arrives", "> localfile saves it"))
	}
	return parts
}
