package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/protocol"
)

// pasteBatch holds the lines of a paste that held several: they are sent
// only when the user presses enter, one at a time, each once the previous
// one's final reply has arrived, so the transcript reads as if typed.
type pasteBatch struct {
	// lines are the lines not sent yet, in order.
	lines []string
	// total is how many lines the paste held.
	total int
	// running is set once enter started the batch.
	running bool
	// waitVerb is the verb of the line sent last, until its EventSend
	// gives its number waitSeq; from then on the batch waits for that
	// command's final reply.
	waitVerb string
	waitSeq  int
}

// active reports whether a batch is pending or being sent.
func (b *pasteBatch) active() bool { return b != nil && (len(b.lines) > 0 || b.waiting()) }

// waiting reports whether a line was sent and its final reply is awaited.
func (b *pasteBatch) waiting() bool { return b != nil && (b.waitVerb != "" || b.waitSeq != 0) }

// pasteLines splits pasted text into its non-empty lines; CR LF, LF and a
// lone CR all end a line.
func pasteLines(content string) []string {
	content = strings.ReplaceAll(content, "\r\n", "\n")
	content = strings.ReplaceAll(content, "\r", "\n")
	var lines []string
	for _, l := range strings.Split(content, "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// pasteIn handles a paste into the input line. One line is inserted as
// typed; several are held as a batch that enter sends and esc cancels,
// never folded into one command.
func (m Model) pasteIn(msg tea.PasteMsg, raw string, recorded bool) (tea.Model, tea.Cmd) {
	lines := pasteLines(msg.Content)
	// The terminal's own bytes, when recorded and they are the same
	// paste, still hold the escape sequences the input decoder dropped.
	if rawLines := pasteLines(raw); recorded && sameCleaned(rawLines, lines) {
		lines = rawLines
	}
	// What the input line cannot hold is removed, and said.
	var notes []string
	for i, l := range lines {
		clean, removed := cleanPasted(l)
		if len(removed) == 0 {
			continue
		}
		where := fmt.Sprintf("pasted line %d", i+1)
		if len(lines) == 1 {
			where = "the pasted line"
		}
		notes = append(notes, removedNote(where, removed))
		lines[i] = clean
	}
	switch len(lines) {
	case 0:
		return m, nil
	case 1:
		for _, n := range notes {
			m.transcript.AddWarning(n + "; check the line before pressing enter")
		}
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(tea.PasteMsg{Content: lines[0]})
		return m, cmd
	}
	if m.paste.active() {
		m.cancelPaste()
	}
	m.paste = &pasteBatch{lines: lines, total: len(lines)}
	m.transcript.AddInfo(fmt.Sprintf("the paste holds %d commands, none sent yet:", len(lines)))
	m.listPaste()
	for _, n := range notes {
		m.transcript.AddWarning(n)
	}
	m.transcript.AddInfo("enter sends them one by one, in order, each after the previous one's final reply; esc cancels")
	m.showPastePlaceholder()
	return m, nil
}

// sameCleaned reports whether two pastes are the same once cleaned: the
// raw bytes of a paste and what the input decoder made of them.
func sameCleaned(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		ca, _ := cleanPasted(a[i])
		cb, _ := cleanPasted(b[i])
		if ca != cb {
			return false
		}
	}
	return true
}

// listPaste shows the commands a pending paste holds, numbered, so the
// user sees what enter will send; passwords are masked. Every one is
// listed, however many: none is sent unseen, and the transcript, which
// scrolls, keeps any number of lines.
func (m *Model) listPaste() {
	b := m.paste
	for i, l := range b.lines {
		shown := strings.TrimSpace(l)
		switch cmd, err := protocol.ParseCommand(l); {
		case err == nil && !strings.HasPrefix(shown, ":"):
			shown = cmd.Shown() // as the transcript will show it: ␠ for a trailing space
		case isSecretLine(shown):
			shown = shown[:4] + " ****"
		}
		m.transcript.AddInfo(fmt.Sprintf("  %*d  %s", len(fmt.Sprint(len(b.lines))), i+1, shown))
	}
}

// handlePasteKey handles a key while a batch is pending or being sent:
// enter on an empty input line starts a pending batch, esc cancels what
// is left; every other key works as usual.
func (m Model) handlePasteKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	onTop := m.showBrowser || m.showHelp || m.searching || m.historySearching() || m.trustPrompt != nil
	switch {
	case onTop || key.Matches(msg, m.keys.Quit):
	case key.Matches(msg, m.keys.Back):
		m.cancelPaste()
		return m, nil
	case key.Matches(msg, m.keys.Send) && !m.paste.running && m.input.Value() == "":
		m.paste.running = true
		m.hint = ""
		return m.sendPasted()
	}
	next, cmd := m.handleKey(msg)
	m = next.(Model)
	if b := m.paste; b.active() && b.running && !b.waiting() && m.trustPrompt == nil {
		// A certificate question held the batch back; it is answered.
		var more tea.Cmd
		m, more = m.sendPasted()
		return m, tea.Batch(cmd, more)
	}
	m.showPastePlaceholder()
	return m, cmd
}

// sendPasted sends the batch's next lines through the same path as a
// typed line (history, local commands, the protocol's checks) until one
// goes to the server, whose final reply pasteProgress then waits for.
func (m Model) sendPasted() (Model, tea.Cmd) {
	var cmds []tea.Cmd
	for m.paste.active() && !m.paste.waiting() && m.trustPrompt == nil {
		b := m.paste
		line := b.lines[0]
		b.lines = b.lines[1:]
		local := strings.HasPrefix(strings.TrimSpace(line), ":")
		before := m.transcript.Len()
		// The line goes through the input line, as if typed; whatever the
		// user is typing meanwhile is put back.
		draft, pos := m.input.Value(), m.input.Position()
		m.input.SetValue(line)
		next, cmd := m.submit()
		m = next.(Model)
		if m.input.Value() == "" && draft != "" {
			m.input.SetValue(draft)
			m.input.SetCursor(pos)
		}
		cmds = append(cmds, cmd)
		if m.paste != b {
			break // the line ended or replaced the batch
		}
		if local {
			switch strings.ToLower(strings.TrimSpace(line)) {
			case ":quit", ":q", ":exit":
				m.endPaste() // nothing is sent after leaving
			}
			continue
		}
		if m.transcript.Len() == before {
			// Sent: wait for its final reply.
			verb, _, _ := strings.Cut(strings.TrimSpace(line), " ")
			b.waitVerb = strings.ToUpper(verb)
			continue
		}
		// Refused: the protocol's checks said why. Without a connection
		// the rest would only be refused in turn.
		if m.session == nil || !m.sessionLive() {
			m.dropPaste("not connected")
		}
	}
	m.showPastePlaceholder()
	return m, tea.Batch(cmds...)
}

// sessionLive reports whether the current session has not ended.
func (m Model) sessionLive() bool {
	if m.session == nil {
		return false
	}
	select {
	case <-m.session.Done():
		return false
	default:
		return true
	}
}

// pasteProgress follows the batch through a batch of session events: the
// number of the command it sent, that command's final reply (then the
// next line goes), a refusal, or the end of the connection.
func (m Model) pasteProgress(events []protocol.Event) (Model, tea.Cmd) {
	b := m.paste
	if b == nil || !b.running {
		return m, nil
	}
	for _, ev := range events {
		switch {
		case ev.Kind == protocol.EventClose:
			b.waitVerb, b.waitSeq = "", 0
			m.dropPaste("the connection closed")
			return m, nil
		case b.waitVerb != "" && ev.Kind == protocol.EventSend && strings.HasPrefix(ev.Line+" ", b.waitVerb+" "):
			b.waitVerb, b.waitSeq = "", ev.Seq
		case b.waitVerb != "" && ev.Kind == protocol.EventError && ev.Refused:
			b.waitVerb = "" // not sent, so no reply will come
		case b.waitSeq != 0 && ev.Kind == protocol.EventReply && ev.Seq == b.waitSeq && ev.Reply.Class() != 1:
			b.waitSeq = 0
		}
	}
	if b.waiting() {
		return m, nil
	}
	if !b.active() {
		m.endPaste()
		return m, nil
	}
	return m.sendPasted()
}

// cancelPaste is esc on a batch: the lines not sent yet are dropped.
func (m *Model) cancelPaste() {
	b := m.paste
	if b == nil {
		return
	}
	switch left := len(b.lines); {
	case !b.running:
		m.transcript.AddInfo(fmt.Sprintf("paste cancelled: none of its %d commands was sent", b.total))
	case left > 0:
		m.transcript.AddInfo(fmt.Sprintf("paste cancelled: %d of its %d commands %s not sent", left, b.total, plural(left, "was", "were")))
	}
	m.endPaste()
}

// dropPaste ends a running batch that cannot go on, saying why.
func (m *Model) dropPaste(why string) {
	if b := m.paste; b != nil && len(b.lines) > 0 {
		m.transcript.AddInfo(fmt.Sprintf("%s: %d of the %d pasted commands %s not sent", why, len(b.lines), b.total, plural(len(b.lines), "was", "were")))
	}
	m.endPaste()
}

// endPaste forgets the batch and gives the input line its usual
// placeholder back.
func (m *Model) endPaste() {
	m.paste = nil
	if !m.searching {
		m.input.Placeholder = inputPlaceholder
	}
}

// showPastePlaceholder makes a batch visible in the empty input line.
func (m *Model) showPastePlaceholder() {
	b := m.paste
	switch {
	case !b.active():
		m.endPaste()
	case m.searching:
	case !b.running:
		m.input.Placeholder = fmt.Sprintf("%d pasted %s: enter sends · esc cancels", len(b.lines), plural(len(b.lines), "command", "commands"))
	default:
		m.input.Placeholder = fmt.Sprintf("%d pasted %s for the previous one's reply · esc cancels", len(b.lines), plural(len(b.lines), "command waits", "commands wait"))
	}
}
