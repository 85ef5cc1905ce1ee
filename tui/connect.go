package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/protocol"
)

// connectMsg asks the model to connect to the current target; Init sends
// it so that the session belongs to the model Update returns.
type connectMsg struct{}

// connect starts a session to m.target. The current session, if any, has
// ended (see switchTo).
func (m Model) connect() (Model, tea.Cmd) {
	if m.opts.Recording != nil {
		return m.openRecording()
	}
	m.session, m.sessionOver = m.opts.Connect(m.target), false
	m.applyPassivePolicy()
	m.connected = false
	m.status = "connecting to " + m.target.Addr()
	m.state = newSessionState()
	m.askedCert = ""
	m.login, m.loginSeq = loginWaiting, 0
	return m, waitForEvents(m.session)
}

// pendingConnect is a connection to open once the current session has
// ended, so that its QUIT, the 221 and its close are shown first.
type pendingConnect struct {
	target protocol.Target
	banner string // the transcript line that opens the new connection
}

// switchTo connects to target. A live session is ended first, politely:
// the connection is opened when its close has been applied (see
// applyBatch), and the transcript shows the old session to its end.
func (m Model) switchTo(target protocol.Target, banner string) (Model, tea.Cmd) {
	if m.opts.Recording != nil {
		m.transcript.AddError(recordingNoSend)
		return m, nil
	}
	if m.paste.active() {
		// The rest of a paste was meant for the server it was pasted to.
		m.dropPaste("the connection changed")
	}
	if m.session != nil && !m.sessionOver {
		// Live, or ended with its last events not yet applied: show it to
		// its end first.
		m.next = &pendingConnect{target: target, banner: banner}
		m.hangUp()
		return m, nil
	}
	m.target = target
	m.transcript.AddInfo(banner)
	return m.connect()
}

// connectNext opens the connection that waited for the session to end.
func (m Model) connectNext() (Model, tea.Cmd) {
	next := m.next
	m.next = nil
	return m.switchTo(next.target, next.banner)
}

// hangUp ends the current session politely when connected (Session.Quit:
// any transfer stopped, QUIT sent, the connection closed once it is
// answered), and at once otherwise. The session's close event, in its
// turn, tells the model the session is over. It never blocks.
func (m *Model) hangUp() {
	s := m.session
	if s == nil {
		return
	}
	if m.connected {
		s.Quit("the session was ended")
		return
	}
	s.Close()
}

// quit closes the connection, politely when it can, and ends the program.
func (m Model) quit() (tea.Model, tea.Cmd) {
	m.hangUp()
	m.stopDoctor()
	return m, tea.Sequence(m.saveHistory(), closeLogCmd(m.logFile), tea.Quit)
}

// runConnect is :connect URL: a new server, the transcript going on.
func runConnect(m Model, args []string) (Model, tea.Cmd) {
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			// ftpscope's flags (--tls, --insecure, --login …) are given
			// when it starts and hold for every connection it makes.
			m.transcript.AddError(fmt.Sprintf("usage: :connect URL; %s is a flag of ftpscope itself, given when it starts, and applies to every connection of this session", a))
			return m, nil
		}
	}
	if len(args) != 1 {
		m.transcript.AddError("usage: :connect URL, for example :connect ftp://127.0.0.1:2121 or :connect ftps://host")
		return m, nil
	}
	target, err := protocol.ParseTarget(args[0])
	if err != nil {
		m.transcript.AddError(err.Error())
		return m, nil
	}
	banner := fmt.Sprintf("── connecting to %s ──", target)
	if target.User != "" {
		banner += fmt.Sprintf("; the URL names user %q: type USER and PASS to log in", target.User)
	}
	return m.switchTo(target, banner)
}

// runReconnect is :reconnect: the same server again.
func runReconnect(m Model, _ []string) (Model, tea.Cmd) {
	return m.switchTo(m.target, fmt.Sprintf("── reconnecting to %s ──", m.target))
}

// runDisconnect is :disconnect: QUIT, then close; the transcript stays.
// A connection still being made is given up.
func runDisconnect(m Model, _ []string) (Model, tea.Cmd) {
	if !m.sessionLive() {
		m.transcript.AddError("not connected: there is nothing to disconnect; :reconnect connects again")
		return m, nil
	}
	m.next = nil // a :reconnect still waiting is called off
	m.hangUp()
	return m, nil
}
