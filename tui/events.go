package tui

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/export"
	"github.com/ftpscope/ftpscope/protocol"
)

// eventsMsg carries a batch of events from session.
type eventsMsg struct {
	session *protocol.Session
	events  []protocol.Event
}

// waitForEvents waits for the session's next batch of events. It runs in
// Bubble Tea's command goroutine, never in Update; a burst of events
// arrives as one batch, so it costs one update and one frame.
func waitForEvents(s *protocol.Session) tea.Cmd {
	return func() tea.Msg {
		// Done too: the close event may have been drained just before
		// the session ended, and the end must still be noticed.
		select {
		case <-s.Events().Ready():
		case <-s.Done():
		}
		return eventsMsg{session: s, events: s.Events().Drain()}
	}
}

// applyBatch applies a batch of events and re-arms the wait, unless the
// session has ended.
func (m Model) applyBatch(msg eventsMsg) (tea.Model, tea.Cmd) {
	if msg.session != m.session {
		return m, nil // a batch from a session already replaced
	}
	for _, ev := range msg.events {
		m.applyEvent(ev)
	}
	m, pasteCmd := m.pasteProgress(msg.events) // a pasted batch's next line
	tickCmd := tea.Batch(m.ensureTick(), pasteCmd, m.lessonRecord())
	select {
	case <-m.session.Done():
		// The session has ended: whatever is left is its last events.
		last := m.session.Events().Drain()
		for _, ev := range last {
			m.applyEvent(ev)
		}
		m, _ = m.pasteProgress(last)
		m.sessionOver = true
		if m.next != nil {
			var connectCmd tea.Cmd
			m, connectCmd = m.connectNext()
			return m, tea.Batch(tickCmd, connectCmd)
		}
		return m, tickCmd
	default:
	}
	return m, tea.Batch(waitForEvents(m.session), tickCmd)
}

// applyEvent records one session event: in the event log (for :save), in
// the transcript, and in the session state.
func (m *Model) applyEvent(ev protocol.Event) {
	m.state.interpret(&ev)
	m.state.follow(ev.State)
	defer m.lessonEvent(ev) // after the transcript shows the event
	logIndex := -1
	if ev.Kind != protocol.EventData || ev.Data.Phase != protocol.DataProgress {
		logIndex = m.record(ev)
	}
	m.transcript.SetEventTime(ev.Time)
	defer m.transcript.SetEventTime(time.Time{})
	// The findings are worked out first, so that an error they explain
	// says only what happened; they are shown after the event's own lines,
	// dated like them.
	found := m.findings.observe(ev, logIndex)
	defer m.showFindings(found)
	switch ev.Kind {
	case protocol.EventConnect:
		m.connected = true
		m.status = ""
		m.transcript.Unselect() // a reply of the last session is stale
		m.showData = false
		m.transcript.AddInfo(ev.Line)
	case protocol.EventSend:
		m.autoLogin(ev)
		if ev.Transfer {
			m.commands[ev.Seq] = ev.Line // only transfers are looked up
		}
		m.transcript.AddSent(ev.Line)
		if ev.Note != "" {
			m.transcript.AddInfo(ev.Note)
		}
		// A new command: the panel explains what comes back, not a
		// reply selected before it (the view stays where it is).
		m.showData = false
		m.transcript.Unselect()
		switch note, warn := export.ClearTextNote(ev); {
		case warn:
			m.transcript.AddWarning(note)
		case note != "":
			m.transcript.AddInfo(note)
		}
	case protocol.EventReply:
		m.transcript.addLoggedReply(ev, logIndex)
		if ev.Note != "" {
			m.transcript.AddInfo(ev.Note)
		}
		// What broke RFC 959's form, and what a bound dropped, is said in
		// the transcript as in ftpscope run, never only in the panel.
		for _, p := range ev.Reply.Problems {
			m.transcript.AddWarning("in this reply, " + p)
		}
		for _, w := range ev.Warnings {
			m.transcript.AddWarning(w)
		}
		m.state.learn(ev)
		m.autoLogin(ev)
	case protocol.EventData:
		m.applyData(ev, found)
	case protocol.EventTLS:
		m.applyTLS(ev)
		if ev.TLS != nil {
			m.autoLogin(ev)
		}
	case protocol.EventWarning:
		m.transcript.AddWarning(ev.Line)
	case protocol.EventError:
		m.transcript.AddError(m.findings.line(ev, found))
		m.addDetail(ev)
	case protocol.EventClose:
		// However the session ended (refused, a failed handshake, the
		// server's close, :disconnect), the status line says disconnected,
		// the transcript why, and the input line how to connect again
		// (disconnectedPlaceholder): each once.
		m.connected, m.status = false, ""
		m.transfer, m.trustPrompt = nil, nil
		if ev.Err != nil && m.opts.Recording == nil {
			// An error event just above already says why.
			m.transcript.AddInfo("disconnected after the error above")
			break
		}
		m.transcript.AddInfo("disconnected: " + ev.Line)
	}
}

// record keeps an event: in the event log (for :save), in the ladder
// diagram, and in the message log when one is written.
func (m *Model) record(ev protocol.Event) (logIndex int) {
	logIndex = m.log.Append(ev)
	m.ladder.Add(ev, logIndex)
	m.logFile.Add(ev)
	return logIndex
}

// applyData shows a data connection's progress and end; found are the
// findings the event completed, which say why a failure happened.
func (m *Model) applyData(ev protocol.Event, found []diagnose.Finding) {
	info := ev.Data
	switch info.Phase {
	case protocol.DataProgress:
		m.transfer = info
		return
	case protocol.DataOpened:
		m.transfer = info
	case protocol.DataSaved:
		m.data.SetSaved(ev.Seq, info)
	case protocol.DataClosed:
		m.transfer = nil
		m.state.expected = 0
		if info.Direction == "download" && info.Err == nil {
			command := m.commandOf(ev.Seq)
			m.data.SetData(ev.Seq, info, command)
			// A recording that shows neither the size nor the content
			// (lftp's log) has nothing to show but that: f2 says it.
			m.showData = !info.Uncounted || len(info.Preview) > 0
			switch info.Verb {
			case "LIST", "NLST", "MLSD":
				m.state.names = listingNames(info.Verb, info.Preview)
			}
		}
	}
	if ev.Line == "" {
		return
	}
	if info.Err != nil {
		m.transcript.AddWarning(m.findings.line(ev, found))
		m.addDetail(ev)
		return
	}
	m.transcript.AddInfo(ev.Line)
}

// addDetail shows, under an error's line, the error's own words when the
// line's plain words leave out something that may matter.
func (m *Model) addDetail(ev protocol.Event) {
	if d := diagnose.EventDetail(ev); d != "" {
		m.transcript.AddInfo("details: " + d)
	}
}

// commandOf returns the masked command line with number seq.
func (m *Model) commandOf(seq int) string {
	if c, ok := m.commands[seq]; ok {
		return c
	}
	return "the last transfer"
}

// applyTLS records a handshake, or asks about an untrusted certificate.
func (m *Model) applyTLS(ev protocol.Event) {
	info := ev.TLS
	if info.NeedsDecision {
		m.trustPrompt, m.askedCert = info, info.Cert.SHA256
		m.transcript.AddWarning("the server's certificate could not be verified: " + ownLine(diagnose.CertProblem(info.Cert)))
		m.transcript.AddWarning("certificate: " + info.Cert.String())
		return // the input line asks the question (trustQuestion)
	}
	m.transcript.AddInfo(diagnose.EventLine(ev))
	if !info.Data && info.Cert.SHA256 != m.askedCert {
		// As in run and :save: whom the connection is protected with,
		// above all when --insecure accepted a certificate unverified.
		// A certificate the user just accepted was shown in the question.
		m.transcript.AddInfo("certificate: " + info.Cert.String())
	}
}

// autoLogin sends the --login credentials at the right moments: USER after
// the 220 greeting (or, when TLS is required, after the control
// connection's handshake), then PASS after the 331 that answers that very
// USER. The credentials belong to the server named at start-up: they are
// never sent after :connect to another server, nor after a USER the user
// typed.
func (m *Model) autoLogin(ev protocol.Event) {
	login := m.opts.Login
	if login == nil || m.session == nil || m.target.Addr() != m.opts.Target.Addr() {
		return
	}
	var line string
	switch {
	case m.login == loginWaiting && ev.Kind == protocol.EventReply && ev.Verb == protocol.GreetingVerb && ev.Reply.Code == 220:
		if m.session.TLSRequired() {
			m.login = loginAfterTLS
			return
		}
		line, m.login = "USER "+login.User, loginUserSent
	case m.login == loginAfterTLS && ev.Kind == protocol.EventTLS && !ev.TLS.Data && !ev.TLS.NeedsDecision:
		line, m.login = "USER "+login.User, loginUserSent
	case m.login == loginUserSent && ev.Kind == protocol.EventSend && strings.HasPrefix(ev.Line, "USER "):
		m.loginSeq, m.login = ev.Seq, loginUserSeen
		return
	case m.login == loginUserSeen && ev.Kind == protocol.EventReply && ev.Seq == m.loginSeq:
		m.login = loginDone
		if ev.Reply.Code != 331 {
			return
		}
		line = "PASS " + login.Password
	default:
		return
	}
	if err := m.session.Send(line); err != nil {
		m.transcript.AddError(ownLine(err.Error()))
	}
}

// The steps of --login, in order.
type loginStep int

const (
	loginWaiting  loginStep = iota // for the greeting
	loginAfterTLS                  // for the control connection's handshake
	loginUserSent                  // USER queued, its number not known yet
	loginUserSeen                  // USER sent as command number loginSeq
	loginDone                      // PASS sent, or the login went elsewhere
)
