package tui

import (
	"errors"
	"fmt"
	"io/fs"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ftpscope/ftpscope/export"
)

// savedMsg reports the end of a :save.
type savedMsg struct {
	path, format string
	events       int
	err          error
}

// saveQuestion is a :save waiting for the user to say whether to replace
// an existing file.
type saveQuestion struct{ path string }

// saveUsage is the usage line of :save.
const saveUsage = "usage: :save FILE, for example :save session.txt, :save handout.md or :save events.jsonl; :save! FILE replaces a file"

// runSave is :save FILE: the whole session's events, written off the
// update loop in the format the file's extension names (text, Markdown
// with explanations, JSON Lines), atomically, with passwords masked. An
// existing file is replaced only once the user says so.
func runSave(m Model, args []string) (Model, tea.Cmd) { return m.save(args, false) }

// runSaveReplace is :save! FILE, which replaces FILE without asking.
func runSaveReplace(m Model, args []string) (Model, tea.Cmd) { return m.save(args, true) }

// save checks the file name and starts the save.
func (m Model) save(args []string, replace bool) (Model, tea.Cmd) {
	if len(args) != 1 {
		m.transcript.AddError(saveUsage)
		return m, nil
	}
	path := expandHome(args[0])
	if _, ok := export.Format(path); !ok {
		m.transcript.AddError(ownLine((&export.UnknownFormatError{Path: path}).Error()) + "; nothing was written")
		return m, nil
	}
	return m, m.saveCmd(path, replace)
}

// saveCmd writes the session to path off the update loop. A snapshot
// costs a copy of the page list, not of the events.
func (m *Model) saveCmd(path string, replace bool) tea.Cmd {
	events, cat := m.log.Snapshot(), m.opts.Catalog
	return func() tea.Msg {
		format, err := export.SaveFile(path, events.All, cat, replace)
		return savedMsg{path: path, format: format, events: events.Len(), err: err}
	}
}

// applySaved reports a finished :save in the transcript, or asks whether
// to replace the file it found.
func (m *Model) applySaved(msg savedMsg) {
	switch {
	case errors.Is(msg.err, fs.ErrExist):
		m.saveAsk = &saveQuestion{path: msg.path}
		m.transcript.AddWarning(fmt.Sprintf("%s exists: press y to replace it, n or esc to keep it", msg.path))
	case errors.Is(msg.err, fs.ErrNotExist), errors.Is(msg.err, fs.ErrPermission):
		m.transcript.AddError(ownLine("could not save to "+msg.path+": "+fileProblem(msg.path, msg.err)) + "; nothing was written")
	case msg.err != nil:
		m.transcript.AddError(ownLine(msg.err.Error()) + "; nothing was written")
	default:
		m.transcript.AddInfo(fmt.Sprintf("saved %d events to %s as %s (passwords masked)", msg.events, msg.path, formatNames[msg.format]))
	}
}

// formatNames names the formats of :save as :help and the error for an
// unknown extension do: "JSON Lines", not export's "json".
var formatNames = map[string]string{export.FormatText: "text", export.FormatMarkdown: "a Markdown handout", export.FormatJSON: "JSON Lines"}

// answerSave takes the answer to "replace the file?": y replaces it,
// anything else keeps it.
func (m Model) answerSave(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	q := m.saveAsk
	m.saveAsk = nil
	if k := msg.String(); k == "y" || k == "Y" {
		m.transcript.AddInfo("replacing " + q.path)
		return m, m.saveCmd(q.path, true)
	}
	m.transcript.AddInfo(q.path + " kept as it was; nothing was saved (:save! FILE replaces a file)")
	return m, nil
}

// saveHint is the hint line while a save waits for an answer. A long
// path is shortened, not the question: cut at the width, the row said
// only the path and never how to answer.
func (m *Model) saveHint() string {
	const question = " exists: y replaces it · n or esc keeps it"
	room := m.width - 2 - ansi.StringWidth(question) // the row is indented by two
	return fitPath(m.saveAsk.path, room) + question
}
