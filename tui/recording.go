package tui

import (
	"fmt"
	"strconv"

	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/protocol"
)

// Recording is a session someone else recorded (a client's log, a
// server's log, a packet capture), opened by `ftpscope open`. The model
// shows it as if it had happened live, with the recording's own times,
// and sends nothing anywhere.
type Recording struct {
	// File is the file's name as given, and Format the format it was
	// read as; the status line shows both.
	File, Format string
	// Sessions are the sessions in the file; the list is shown when there
	// is more than one, and :session N switches.
	Sessions []RecordedSession
	// Selected is the index of the session shown first.
	Selected int
}

// RecordedSession is one session of a recording.
type RecordedSession struct {
	// Label describes the session in the list.
	Label string
	// Events are the session's events, in order, passwords masked.
	Events []protocol.Event
}

// recordingNoSend is the error for a command typed in a recording.
const recordingNoSend = "this is a recording: nothing is sent anywhere; :session lists the sessions in the file, :save writes what is shown"

// recordingPlaceholder is the empty input line's hint in a recording,
// where an FTP command cannot be sent: it names what can be typed.
const recordingPlaceholder = "a recording: nothing is sent · :session N, :save FILE, / to search, :help"

// openRecording shows the selected session of the recording at once.
func (m Model) openRecording() (Model, tea.Cmd) {
	rec := m.opts.Recording
	m.sessionOver = true
	if len(rec.Sessions) > 1 {
		m.transcript.AddInfo(fmt.Sprintf("%d sessions in this file (:session N shows another):", len(rec.Sessions)))
		for i, s := range rec.Sessions {
			m.transcript.AddInfo(fmt.Sprintf("  %d. %s", i+1, protocol.Escape(s.Label)))
		}
	}
	return m.showRecorded(rec.Selected), nil
}

// showRecorded applies the events of session i of the recording.
func (m Model) showRecorded(i int) Model {
	rec := m.opts.Recording
	m.recorded = i
	m.state = newSessionState()
	m.connected = false
	s := rec.Sessions[i]
	m.transcript.AddInfo(fmt.Sprintf("── session %d of %d: %s ──", i+1, len(rec.Sessions), protocol.Escape(s.Label)))
	for _, ev := range s.Events {
		m.applyEvent(ev)
	}
	m.transfer = nil // a recording has nothing in flight
	return m
}

// runSession is :session [N]: list the recording's sessions, or show
// session N.
func runSession(m Model, args []string) (Model, tea.Cmd) {
	rec := m.opts.Recording
	if rec == nil {
		m.transcript.AddError(":session is for recordings (ftpscope open FILE); a live connection has one session")
		return m, nil
	}
	if len(args) == 0 {
		for i, s := range rec.Sessions {
			mark := " "
			if i == m.recorded {
				mark = "▸"
			}
			m.transcript.AddInfo(fmt.Sprintf("%s %d. %s", mark, i+1, protocol.Escape(s.Label)))
		}
		return m, nil
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 1 || n > len(rec.Sessions) {
		m.transcript.AddError(fmt.Sprintf("no session %s: this file holds sessions 1 to %d; :session lists them", protocol.Escape(args[0]), len(rec.Sessions)))
		return m, nil
	}
	return m.showRecorded(n - 1), nil
}

// recordingStatus is the status line's first segment for a recording.
func (m Model) recordingStatus() string {
	rec := m.opts.Recording
	s := fmt.Sprintf("▶ recording %s (%s)", protocol.Escape(rec.File), rec.Format)
	if len(rec.Sessions) > 1 {
		s += fmt.Sprintf(" · session %d of %d", m.recorded+1, len(rec.Sessions))
	}
	return s
}
