// Package tui is ftpscope's terminal interface: one root Model composing a
// transcript pane, a side panel that explains the selected reply, an input
// line and a status line. Network I/O never runs in Update: the protocol
// session reports events to a queue, and a command waiting on that queue
// delivers them to Update in batches.
package tui

import (
	"errors"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/protocol"
)

// Options configures the root model.
type Options struct {
	// Catalog explains replies; required.
	Catalog *catalog.Catalog
	// Connect starts a session to the server; required. It is called at
	// start-up and never blocks (protocol.Dial returns at once).
	Connect func() *protocol.Session
	// Target names the server in the status line, such as "127.0.0.1:2121".
	Target string
	// Intro lines are shown at the top of the transcript, such as the
	// sandbox's accounts.
	Intro []string
	// Login, when set, is sent at connect: USER after the greeting, then
	// PASS when the server asks for it with 331.
	Login *Login
	// Now tells the time; time.Now when nil. Tests fix it for stable
	// screens.
	Now func() time.Time
}

// Login holds credentials to send at connect.
type Login struct {
	User, Password string
}

// Model is the root model of ftpscope's screen.
type Model struct {
	opts    Options
	styles  Styles
	keys    KeyMap
	session *protocol.Session

	// The panes are pointers: they keep state (line store, render cache)
	// that must survive Bubble Tea's copies of the model.
	transcript *Transcript
	panel      *SidePanel
	input      textinput.Model
	help       help.Model

	width, height int
	showHelp      bool
	connected     bool
	loggedIn      string
	status        string
	ticking       bool

	// data shows the last download; showData puts it in the panel's place.
	data     *DataView
	showData bool
	// transfer is the running transfer's latest progress, if any.
	transfer *protocol.DataInfo
	// tlsSummary is the control connection's TLS version, "" in clear.
	tlsSummary string
	// trustPrompt is a certificate waiting for the user's decision.
	trustPrompt *protocol.TLSInfo
	// commands maps command numbers to their masked lines.
	commands map[int]string
	// browser lists the catalogue; showBrowser puts it on screen.
	browser     *Browser
	showBrowser bool
}

// now returns the current time from the model's clock.
func (m Model) now() time.Time {
	if m.opts.Now != nil {
		return m.opts.Now()
	}
	return time.Now()
}

// tickMsg redraws the elapsed time of a pending reply.
type tickMsg struct{}

// tick schedules the next redraw while replies are pending.
func tick() tea.Cmd {
	return tea.Tick(200*time.Millisecond, func(time.Time) tea.Msg { return tickMsg{} })
}

// eventsMsg carries a batch of events from session.
type eventsMsg struct {
	session *protocol.Session
	events  []protocol.Event
}

// New returns the root model.
func New(opts Options) Model {
	styles := DefaultStyles()
	in := textinput.New()
	in.Prompt = "ftp> "
	in.Placeholder = "an FTP command, or :help"
	inStyles := in.Styles()
	inStyles.Focused.Prompt = styles.Prompt
	inStyles.Blurred.Prompt = styles.Prompt
	in.SetStyles(inStyles)
	in.Focus()
	m := Model{
		opts:       opts,
		styles:     styles,
		keys:       DefaultKeyMap(),
		transcript: NewTranscript(styles),
		panel:      NewSidePanel(styles, opts.Catalog),
		data:       NewDataView(styles),
		browser:    NewBrowser(opts.Catalog),
		commands:   map[int]string{},
		input:      in,
		help:       help.New(),
		width:      100,
		height:     30,
	}
	for _, l := range opts.Intro {
		m.transcript.AddInfo(l)
	}
	m.layout()
	return m
}

// Init starts the session and the first wait for its events.
func (m Model) Init() tea.Cmd {
	return tea.Batch(textinput.Blink, func() tea.Msg { return connectMsg{} })
}

// connectMsg asks the model to start a session; it comes from Init so that
// the session is owned by the model that Update returns.
type connectMsg struct{}

// waitForEvents waits for the session's next batch of events. It runs in
// Bubble Tea's command goroutine, never in Update.
func waitForEvents(s *protocol.Session) tea.Cmd {
	return func() tea.Msg {
		<-s.Events().Ready()
		return eventsMsg{session: s, events: s.Events().Drain()}
	}
}

// Update handles a message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case connectMsg:
		m.session = m.opts.Connect()
		m.status = "connecting to " + m.opts.Target
		return m, waitForEvents(m.session)
	case eventsMsg:
		if msg.session != m.session {
			return m, nil // a batch from a session already replaced
		}
		for _, ev := range msg.events {
			m.applyEvent(ev)
		}
		tickCmd := m.ensureTick()
		select {
		case <-m.session.Done():
			// The session has ended: whatever is left is its last events.
			for _, ev := range m.session.Events().Drain() {
				m.applyEvent(ev)
			}
			return m, tickCmd
		default:
		}
		return m, tea.Batch(waitForEvents(m.session), tickCmd)
	case browserChoiceMsg:
		m.showBrowser = false
		m.explainName(msg.name)
		return m, nil
	case browserClosedMsg:
		m.showBrowser = false
		return m, nil
	case tickMsg:
		m.ticking = false
		return m, m.ensureTick()
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case tea.MouseWheelMsg:
		if msg.Button == tea.MouseWheelUp {
			m.transcript.ScrollBy(-3)
		} else if msg.Button == tea.MouseWheelDown {
			m.transcript.ScrollBy(3)
		}
		return m, nil
	}
	if m.showBrowser {
		// The list filters in the background and reports by message.
		return m, m.browser.Update(msg)
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

// ensureTick starts the redraw tick when replies are pending and no tick
// is already scheduled.
func (m *Model) ensureTick() tea.Cmd {
	if m.ticking {
		return nil
	}
	if n, _ := m.pending(); n == 0 {
		return nil
	}
	m.ticking = true
	return tick()
}

// applyEvent records one session event in the transcript and state.
func (m *Model) applyEvent(ev protocol.Event) {
	switch ev.Kind {
	case protocol.EventConnect:
		m.connected = true
		m.status = ""
		m.transcript.AddInfo(ev.Line)
	case protocol.EventSend:
		m.commands[ev.Seq] = ev.Line
		m.transcript.AddSent(ev.Line)
		if ev.Note != "" {
			m.transcript.AddInfo(ev.Note)
		}
		m.showData = false
		if strings.HasPrefix(ev.Line, "PASS ") && m.tlsSummary == "" {
			m.transcript.AddWarning("The password was sent in clear text: anyone on the network path can read it. Use AUTH TLS before logging in (:explain AUTH).")
		}
	case protocol.EventReply:
		m.transcript.AddReply(ev)
		if ev.Note != "" {
			m.transcript.AddInfo(ev.Note)
		}
		for _, w := range ev.Warnings {
			m.transcript.AddWarning(w)
		}
		m.trackState(ev)
		m.autoLogin(ev)
	case protocol.EventData:
		m.applyData(ev)
	case protocol.EventTLS:
		m.applyTLS(ev)
	case protocol.EventWarning:
		m.transcript.AddWarning(ev.Line)
	case protocol.EventError:
		m.transcript.AddError(ev.Line)
	case protocol.EventClose:
		m.connected = false
		m.loggedIn, m.tlsSummary, m.transfer, m.trustPrompt = "", "", nil, nil
		m.transcript.AddInfo("disconnected: " + ev.Line + ". The transcript stays; :quit or ctrl+c to leave.")
	}
}

// applyData shows a data connection's progress and end.
func (m *Model) applyData(ev protocol.Event) {
	info := ev.Data
	switch info.Phase {
	case protocol.DataProgress:
		m.transfer = info
		return
	case protocol.DataClosed:
		m.transfer = nil
		if info.Direction == "download" && info.Err == nil {
			m.data.SetData(info, m.commandOf(ev.Seq))
			m.showData = true
		}
	}
	if info.Err != nil {
		m.transcript.AddWarning(ev.Line)
		return
	}
	m.transcript.AddInfo(ev.Line)
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
		m.trustPrompt = info
		m.transcript.AddWarning("The server's certificate could not be verified: " + info.Cert.Problem + ".")
		m.transcript.AddWarning("Certificate: " + info.Cert.String() + ".")
		m.transcript.AddWarning("Type yes and press enter to trust it for this session; anything else refuses it and closes the connection.")
		return
	}
	if !info.Data {
		m.tlsSummary = info.Version + " " + strings.TrimPrefix(info.Cipher, "TLS_")
	}
	m.transcript.AddInfo(ev.Line)
}

// trackState follows the login for the status line.
func (m *Model) trackState(ev protocol.Event) {
	switch {
	case ev.Verb == "USER" && ev.Reply.Code == 230, ev.Verb == "PASS" && ev.Reply.Code == 230:
		m.loggedIn = "logged in"
	case ev.Verb == "REIN" && ev.Reply.Code == 220, ev.Reply.Code == 530:
		m.loggedIn = ""
	}
}

// autoLogin sends the --login credentials at the right moments: USER after
// a 220 greeting, PASS after a 331 to that USER.
func (m *Model) autoLogin(ev protocol.Event) {
	login := m.opts.Login
	if login == nil || m.session == nil {
		return
	}
	var line string
	switch {
	case ev.Verb == protocol.GreetingVerb && ev.Reply.Code == 220:
		line = "USER " + login.User
	case ev.Verb == "USER" && ev.Reply.Code == 331:
		line = "PASS " + login.Password
	default:
		return
	}
	if err := m.session.Send(line); err != nil {
		m.transcript.AddError(sentence(err.Error()))
	}
}

// handleKey handles a key press: global keys first, then the input line.
func (m Model) handleKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if m.showBrowser {
		if key.Matches(msg, m.keys.Quit) {
			return m.quit()
		}
		return m, m.browser.Update(msg)
	}
	if m.showHelp {
		if key.Matches(msg, m.keys.Quit) {
			return m.quit()
		}
		if key.Matches(msg, m.keys.Help, m.keys.Follow) || msg.String() == "q" {
			m.showHelp = false
		}
		return m, nil
	}
	switch {
	case key.Matches(msg, m.keys.Quit):
		return m.quit()
	case key.Matches(msg, m.keys.Help):
		m.showHelp = true
		return m, nil
	case key.Matches(msg, m.keys.Send):
		return m.submit()
	case key.Matches(msg, m.keys.ToggleData):
		m.showData = !m.showData && m.data.Has()
		return m, nil
	case key.Matches(msg, m.keys.PrevReply):
		m.transcript.SelectPrev()
		m.showData = false
		m.panel.ClearDoc()
		return m, nil
	case key.Matches(msg, m.keys.NextReply):
		m.transcript.SelectNext()
		m.showData = false
		m.panel.ClearDoc()
		return m, nil
	case key.Matches(msg, m.keys.Follow):
		// Esc backs out one step: a document in the panel, the data view,
		// then a selected reply.
		switch {
		case m.panel.ClearDoc():
		case m.showData:
			m.showData = false
		default:
			m.transcript.Follow()
		}
		return m, nil
	case key.Matches(msg, m.keys.Browse):
		m.openBrowser()
		return m, nil
	case key.Matches(msg, m.keys.PanelUp):
		m.panel.ScrollBy(-3)
		return m, nil
	case key.Matches(msg, m.keys.PanelDown):
		m.panel.ScrollBy(3)
		return m, nil
	case key.Matches(msg, m.keys.PageUp):
		m.transcript.ScrollBy(-max(m.transcript.height-1, 1))
		return m, nil
	case key.Matches(msg, m.keys.PageDown):
		m.transcript.ScrollBy(max(m.transcript.height-1, 1))
		return m, nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

// submit sends the input line: a local command when it starts with ':',
// otherwise an FTP command.
func (m Model) submit() (tea.Model, tea.Cmd) {
	line := m.input.Value()
	m.input.Reset()
	if m.trustPrompt != nil {
		accept := strings.EqualFold(strings.TrimSpace(line), "yes")
		m.trustPrompt = nil
		if accept {
			m.transcript.AddInfo("certificate trusted for this session, by your decision")
		} else {
			m.transcript.AddInfo("certificate refused")
		}
		if m.session != nil {
			m.session.Trust(accept)
		}
		return m, nil
	}
	if strings.TrimSpace(line) == "" {
		return m, nil
	}
	if strings.HasPrefix(strings.TrimSpace(line), ":") {
		return m.runLocal(strings.TrimSpace(line))
	}
	if m.session == nil {
		m.transcript.AddError("Not connected yet: wait for the greeting, then type the command again.")
		return m, nil
	}
	if err := m.session.Send(line); err != nil {
		if errors.Is(err, protocol.ErrNotConnected) {
			m.transcript.AddError("Not connected: the connection is closed, so nothing was sent. :quit and start ftpscope again to reconnect.")
		} else {
			m.transcript.AddError(sentence(err.Error()))
		}
	}
	return m, nil
}

// quit closes the connection, politely when it can, and ends the program.
func (m Model) quit() (tea.Model, tea.Cmd) {
	if m.session != nil {
		s := m.session
		if m.connected {
			_ = s.Send("QUIT")
		}
		// Give the server a moment to answer QUIT, then close regardless;
		// this runs off the update loop and never delays the exit.
		go func() {
			select {
			case <-s.Done():
			case <-time.After(500 * time.Millisecond):
			}
			s.Close()
		}()
	}
	return m, tea.Quit
}

// sentence makes an error message read as one sentence.
func sentence(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// layout gives each pane its size.
func (m *Model) layout() {
	const inputHeight, statusHeight = 1, 1
	bodyHeight := max(m.height-inputHeight-statusHeight, 3)
	m.input.SetWidth(max(m.width-lipgloss.Width(m.input.Prompt)-1, 10))
	if m.width >= 100 {
		panelWidth := min(max(m.width*2/5, 40), 64)
		m.transcript.SetSize(m.width-panelWidth, bodyHeight)
		m.panel.SetSize(panelWidth, bodyHeight)
		m.data.SetSize(panelWidth, bodyHeight)
		m.browser.SetSize(m.width, max(m.height-1, 3))
		return
	}
	panelHeight := bodyHeight * 2 / 5
	m.transcript.SetSize(m.width, bodyHeight-panelHeight)
	m.panel.SetSize(m.width, panelHeight)
	m.data.SetSize(m.width, panelHeight)
	m.browser.SetSize(m.width, max(m.height-1, 3))
}

// View draws the screen.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "ftpscope " + m.opts.Target
	return v
}

// render draws the screen as a string, for View and for golden tests.
func (m Model) render() string {
	if m.showHelp {
		return m.renderHelp()
	}
	if m.showBrowser {
		return lipgloss.JoinVertical(lipgloss.Left, m.browser.View(), m.renderStatus())
	}
	var side string
	if m.showData && m.data.Has() {
		side = m.data.View()
	} else {
		ev, index, ok := m.transcript.Reply()
		side = m.panel.View(ev, index, ok)
	}
	var body string
	if m.width >= 100 {
		body = lipgloss.JoinHorizontal(lipgloss.Top, m.transcript.View(), side)
	} else {
		body = lipgloss.JoinVertical(lipgloss.Left, m.transcript.View(), side)
	}
	return lipgloss.JoinVertical(lipgloss.Left, body, m.input.View(), m.renderStatus())
}
