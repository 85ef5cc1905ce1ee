package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/export"
)

// savedMsg reports the end of a :save.
type savedMsg struct {
	path, format string
	events       int
	err          error
}

// runSave is :save FILE: the whole session's events, written off the
// update loop in the format the file's extension names (text, Markdown
// with explanations, JSON Lines), atomically, with passwords masked.
func runSave(m Model, args []string) (Model, tea.Cmd) {
	if len(args) != 1 {
		m.transcript.AddError("usage: :save FILE, for example :save session.txt, :save handout.md or :save events.jsonl")
		return m, nil
	}
	path := args[0]
	if strings.HasPrefix(path, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, path[2:])
		}
	}
	// A snapshot costs a copy of the page list, not of the events; the
	// save runs off the update loop.
	events, cat := m.log.Snapshot(), m.opts.Catalog
	return m, func() tea.Msg {
		format, err := export.SaveFile(path, events.All, cat, true)
		return savedMsg{path: path, format: format, events: events.Len(), err: err}
	}
}

// applySaved reports a finished :save in the transcript.
func (m *Model) applySaved(msg savedMsg) {
	if msg.err != nil {
		m.transcript.AddError(ownLine(msg.err.Error()) + "; nothing was written")
		return
	}
	m.transcript.AddInfo(fmt.Sprintf("saved %d events to %s as %s (passwords masked)", msg.events, msg.path, msg.format))
}
