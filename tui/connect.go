package tui

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/protocol"
)

// connectMsg asks the model to connect to the current target; Init sends
// it so that the session belongs to the model Update returns.
type connectMsg struct{}

// connect starts a session to m.target, replacing any current one (which
// is closed: its remaining events are ignored).
func (m Model) connect() (Model, tea.Cmd) {
	m.endSession()
	m.session = m.opts.Connect(m.target)
	m.connected = false
	m.status = "connecting to " + m.target.Addr()
	m.state = newSessionState()
	m.login, m.loginSeq = loginWaiting, 0
	return m, waitForEvents(m.session)
}

// endSession ends the current session, if any, before another starts,
// and says so in the transcript: the old session's own events are ignored
// from now on, so its close would never be shown.
func (m *Model) endSession() {
	if m.session == nil {
		return
	}
	switch {
	case m.sessionLive() && m.connected:
		m.transcript.AddInfo(fmt.Sprintf("closed the connection to %s (QUIT sent)", m.target))
	case m.sessionLive():
		m.transcript.AddInfo(fmt.Sprintf("stopped connecting to %s", m.target))
	}
	if m.paste.waiting() {
		m.dropPaste("the connection was replaced")
	}
	m.hangUp()
	m.session, m.connected = nil, false
}

// hangUp ends the current session politely: QUIT when connected, then a
// close after half a second whatever the server does. It runs off the
// update loop and never delays the caller.
func (m *Model) hangUp() {
	s := m.session
	if s == nil {
		return
	}
	if m.connected {
		_ = s.Send("QUIT")
	}
	go func() {
		select {
		case <-s.Done():
		case <-time.After(500 * time.Millisecond):
		}
		s.Close()
	}()
}

// quit closes the connection, politely when it can, and ends the program.
func (m Model) quit() (tea.Model, tea.Cmd) {
	m.hangUp()
	return m, tea.Sequence(m.saveHistory(), tea.Quit)
}

// runConnect is :connect URL: a new server, the transcript going on.
func runConnect(m Model, args []string) (Model, tea.Cmd) {
	if len(args) != 1 {
		m.transcript.AddError("usage: :connect URL, for example :connect ftp://127.0.0.1:2121 or :connect ftps://host")
		return m, nil
	}
	target, err := protocol.ParseTarget(args[0])
	if err != nil {
		m.transcript.AddError(err.Error())
		return m, nil
	}
	m.endSession()
	m.target = target
	m.transcript.AddInfo(fmt.Sprintf("── connecting to %s ──", target))
	if target.User != "" {
		m.transcript.AddInfo(fmt.Sprintf("the URL names user %q: type USER and PASS to log in", target.User))
	}
	return m.connect()
}

// runReconnect is :reconnect: the same server again.
func runReconnect(m Model, _ []string) (Model, tea.Cmd) {
	m.endSession()
	m.transcript.AddInfo(fmt.Sprintf("── reconnecting to %s ──", m.target))
	return m.connect()
}

// runDisconnect is :disconnect: QUIT, then close; the transcript stays.
// A connection still being made is given up.
func runDisconnect(m Model, _ []string) (Model, tea.Cmd) {
	if !m.sessionLive() {
		m.transcript.AddError("not connected: there is nothing to disconnect; :reconnect connects again")
		return m, nil
	}
	m.hangUp()
	return m, nil
}
