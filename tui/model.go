// Package tui is ftpscope's terminal interface: one root Model composing a
// transcript pane, a side panel that explains the selected reply, an input
// line and a status line. Network I/O never runs in Update: the protocol
// session reports events to a queue, and a command waiting on that queue
// delivers them to Update in batches.
package tui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
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
	// Connect starts a session to a target; required. It is called at
	// start-up and by :connect and :reconnect, and never blocks
	// (protocol.Dial returns at once).
	Connect func(protocol.Target) *protocol.Session
	// Target is the server to connect to at start-up.
	Target protocol.Target
	// Intro lines are shown at the top of the transcript, such as the
	// sandbox's accounts.
	Intro []string
	// Login, when set, is sent at connect: USER after the greeting, then
	// PASS when the server asks for it with 331.
	Login *Login
	// History holds the input history; nil keeps none.
	History *History
	// Pastes, when set, records each paste's bytes as the terminal sent
	// them, so that escape sequences removed from a paste can be named
	// (see rawpaste.go).
	Pastes *PasteRecorder
	// Now tells the time; time.Now when nil. Tests fix it for stable
	// screens.
	Now func() time.Time

	// Layout is the split between the transcript and the side panel;
	// LayoutPath, when set, is where changes to it are remembered.
	Layout     Layout
	LayoutPath string
	// Present starts in presentation mode (see present.go).
	Present bool
	// Play is a demonstration to play (see play.go); nil for none.
	Play *Script
	// SetFault switches a fault of ftpscope's own sandbox, for :fault and
	// a script's !fault lines; nil when the server is not the sandbox.
	SetFault func(name string, on bool) error
	// Log, when set, receives every event as it happens (--log); the
	// model closes it when it quits.
	Log *LogFile
	// Recording, when set, is shown instead of a connection: nothing is
	// sent, and Connect and Target are not used (see recording.go).
	Recording *Recording
	// Lesson, when set, plays a lesson in a pane above the transcript.
	Lesson *LessonOptions
	// Doctor runs ftpscope doctor's checks for :doctor; nil when there is
	// no server to check.
	Doctor DoctorFunc
	// FaultStates lists the faults of ftpscope's own sandbox and their
	// state, for :fault; nil when the server is not the sandbox.
	FaultStates func() []FaultState
}

// Login holds credentials to send at connect.
type Login struct {
	User, Password string
}

// The input line's prompt and placeholder outside of search.
const (
	inputPrompt      = "ftp> "
	inputPlaceholder = "an FTP command (tab completes), or :help"
	// disconnectedPlaceholder replaces it once the session has ended. It
	// is the one place that says how to connect again: the line the user
	// types in next, on every screen size and layout, gone once typing
	// starts. The status line says disconnected, the transcript why.
	disconnectedPlaceholder = "not connected: :reconnect connects again, :connect URL to another server"
	// trustQuestion replaces it while a certificate waits for the user's
	// decision, the question being asked where it is answered; the
	// transcript shows the certificate.
	trustQuestion = "type yes to trust the certificate shown above; anything else refuses it"
)

// Model is the root model of ftpscope's screen.
type Model struct {
	opts    Options
	styles  Styles
	keys    KeyMap
	session *protocol.Session
	target  protocol.Target
	// sessionOver is set once the session has ended and its last events
	// have been applied; next is a connection waiting for that.
	sessionOver bool
	next        *pendingConnect

	// The panes are pointers: they keep state (line store, render cache)
	// that must survive Bubble Tea's copies of the model.
	transcript *Transcript
	panel      *SidePanel
	data       *DataView
	browser    *Browser
	input      textinput.Model
	help       help.Model
	spinner    spinner.Model

	width, height int
	// wide is set when the transcript and the panel fit side by side.
	wide bool
	// showPanel puts the panel in the transcript's place on a narrow
	// screen; on a wide one both are always shown.
	showPanel   bool
	showHelp    bool
	helpScroll  int
	showBrowser bool
	showData    bool

	connected bool
	status    string
	spinning  bool
	state     sessionState
	// log keeps every event of every session, for :save: nothing is lost
	// when the connection drops.
	log *eventLog
	// commands maps the numbers of transfer commands (the only ones
	// looked up, when their data connection closes) to their masked lines.
	commands map[int]string
	// transfer is the running transfer's latest progress, if any.
	transfer *protocol.DataInfo
	// trustPrompt is a certificate waiting for the user's decision.
	trustPrompt *protocol.TLSInfo
	// askedCert is the fingerprint of the last certificate asked about,
	// which the handshake that follows need not show again.
	askedCert string
	// login is how far --login has got, and loginSeq the number of the
	// USER it sent.
	login    loginStep
	loginSeq int

	// Input helpers: completion in progress, transcript search, a one-line
	// hint under the input.
	completing *completion
	searching  bool
	searchLine int
	// searchMiss is the shortest query found nowhere, so that typing on
	// after a miss costs nothing.
	searchMiss string
	hint       string
	// historyWarned is set once a failed history save was reported.
	historyWarned bool
	// statusLine keeps the last status line drawn.
	statusLine *lineCache
	// paste holds the lines of a multi-line paste, sent by enter one
	// after another's final reply; nil when there is none.
	paste *pasteBatch

	// The presenter's screen: the split (layout.go), presentation mode
	// and its explanation strip (present.go), the ladder diagram
	// (ladder.go), a script being played (play.go), the message log
	// (logfile.go) and a :save waiting for an answer (save.go).
	split        Layout
	layoutWarned bool
	bodyHeight   int
	present      bool
	strip        *SidePanel
	stripHeight  int
	ladder       *LadderView
	showLadder   bool
	// autoPanel is set when an explanation asked for on a narrow screen
	// put the panel in the transcript's place; esc goes back.
	autoPanel bool
	play      *player
	logFile   *LogFile
	saveAsk   *saveQuestion
	// recorded is the index of the recording's session shown.
	recorded int
	// lesson is the lesson's pane, nil outside a lesson.
	lesson *LessonPane
	// doctor is a :doctor in progress, nil when none.
	doctor *doctorRun
	// findings are diagnose's conclusions, tied to replies (findings.go).
	findings *findingStore
	// pasvPolicy is the passive-address policy switched with
	// :pasv-address, "" until then (pasvpolicy.go).
	pasvPolicy string
}

// New returns the root model.
func New(opts Options) Model {
	styles := DefaultStyles()
	in := textinput.New()
	in.Prompt = inputPrompt
	in.Placeholder = inputPlaceholder
	// The Bubbles defaults are fixed greys tuned for a dark background;
	// ftpscope's styles use the terminal's own palette, which reads on
	// dark and light backgrounds alike.
	inStyles := in.Styles()
	inStyles.Focused.Prompt = styles.Prompt
	inStyles.Blurred.Prompt = styles.Prompt
	inStyles.Focused.Placeholder = styles.Dim
	inStyles.Blurred.Placeholder = styles.Dim
	in.SetStyles(inStyles)
	helpView := help.New()
	helpView.Styles = help.Styles{
		ShortKey: styles.Sent, ShortDesc: styles.Dim, ShortSeparator: styles.Dim, Ellipsis: styles.Dim,
		FullKey: styles.Sent, FullDesc: styles.Dim, FullSeparator: styles.Dim,
	}
	// ↑ and ↓ are history: take them from the input's suggestion keys,
	// which ftpscope does not use (tab completion is its own).
	in.KeyMap.NextSuggestion = key.NewBinding(key.WithDisabled())
	in.KeyMap.PrevSuggestion = key.NewBinding(key.WithDisabled())
	in.KeyMap.AcceptSuggestion = key.NewBinding(key.WithDisabled())
	in.Focus()
	keys := DefaultKeyMap()
	m := Model{
		opts:       opts,
		styles:     styles,
		keys:       keys,
		target:     opts.Target,
		transcript: NewTranscript(styles),
		panel:      NewSidePanel(styles, opts.Catalog, keys.PanelDown),
		findings:   newFindingStore(),
		data:       NewDataView(styles, keys.Data),
		browser:    NewBrowser(styles, opts.Catalog),
		commands:   map[int]string{},
		input:      in,
		help:       helpView,
		spinner:    spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(styles.Status)),
		width:      100,
		height:     30,
		state:      newSessionState(),
		statusLine: &lineCache{},
		split:      opts.Layout.Valid(),
		strip:      NewSidePanel(styles, opts.Catalog, keys.PanelDown),
		ladder:     NewLadderView(styles),
		logFile:    opts.Log,
	}
	m.strip.brief = true
	m.panel.SetFindings(m.findings.of)
	m.strip.SetFindings(m.findings.of)
	m.transcript.SetClock(opts.Now) // not m.now: a method value copies the model on every call
	m.log = &eventLog{}
	m.transcript.shareLog(m.log) // each reply event stored once
	for _, l := range opts.Intro {
		m.transcript.AddInfo(l)
	}
	if opts.Play != nil {
		m.play = &player{script: opts.Play, loaded: -1}
		m.transcript.AddInfo(playStart(opts.Play))
	}
	if opts.Lesson != nil {
		m.lesson = NewLessonPane(styles, m.keys.LessonUp, m.keys.LessonDown, *opts.Lesson)
		m.lessonStepChanged() // the first step may ask for a fault
	} else {
		m.keys.LessonUp.SetEnabled(false)
		m.keys.LessonDown.SetEnabled(false)
	}
	m.layout()
	if opts.Present {
		m.setPresent(true)
	}
	return m
}

// now returns the current time from the model's clock.
func (m Model) now() time.Time {
	if m.opts.Now != nil {
		return m.opts.Now()
	}
	return time.Now()
}

// Init starts the session and the first wait for its events.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{textinput.Blink, func() tea.Msg { return connectMsg{} }}
	if m.logFile != nil {
		cmds = append(cmds, waitLogFailure(m.logFile))
	}
	return tea.Batch(cmds...)
}

// Update handles a message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case connectMsg:
		return m.connect()
	case eventsMsg:
		return m.applyBatch(msg)
	case browserChoiceMsg:
		m.showBrowser = false
		m.explainName(msg.name)
		return m, nil
	case browserClosedMsg:
		m.showBrowser = false
		return m, nil
	case lessonRecordedMsg:
		m.lessonRecorded(msg)
		return m, nil
	case savedMsg:
		from := m.transcript.Len()
		m.applySaved(msg)
		if m.saveAsk == nil { // a question has its own hint
			m.showFeedbackOverLadder(from)
		}
		return m, nil
	case doctorProgressMsg:
		return m, m.applyDoctorProgress(msg.p)
	case doctorDoneMsg:
		m.applyDoctorDone(msg.report)
		return m, nil
	case layoutSavedMsg:
		m.applyLayoutSaved(msg)
		return m, nil
	case logOpenedMsg:
		return m, m.applyLogOpened(msg)
	case logFailedMsg:
		m.applyLogFailed(msg)
		return m, nil
	case HistorySavedMsg:
		if msg.Err != nil && !m.historyWarned {
			m.historyWarned = true
			m.transcript.AddWarning(ownLine(msg.Err.Error()) + "; the history is kept for this session only")
		}
		return m, nil
	case tea.PasteMsg:
		// Every paste claims its raw bytes, wherever it goes, so that
		// the next paste gets its own.
		raw, recorded := m.opts.Pastes.Claim()
		if m.historySearching() {
			h := m.opts.History
			h.SearchInput(h.SearchQuery() + strings.NewReplacer("\r", " ", "\n", " ").Replace(msg.Content))
			return m, nil
		}
		if !m.showBrowser && !m.searching {
			// Several lines are held as a batch, never folded into one.
			return m.pasteIn(msg, raw, recorded)
		}
	case spinner.TickMsg:
		if !m.spinning {
			return m, nil
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		if n, _ := m.pending(); n == 0 && m.transfer == nil {
			m.spinning = false // stop ticking once nothing is pending
			return m, nil
		}
		return m, cmd
	case tea.KeyPressMsg:
		if m.paste.active() {
			return m.handlePasteKey(msg)
		}
		return m.handleKey(msg)
	case tea.MouseWheelMsg:
		m.scrollUnder(msg)
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

// ensureTick starts the spinner when a reply or a transfer is pending; it
// also redraws the elapsed time.
func (m *Model) ensureTick() tea.Cmd {
	if m.spinning {
		return nil
	}
	if n, _ := m.pending(); n == 0 && m.transfer == nil {
		return nil
	}
	m.spinning = true
	return m.spinner.Tick
}

// scrollUnder scrolls the pane under the mouse pointer: a lesson's pane
// at the top, the side area (the ladder, the data or the explanation) or
// the transcript.
func (m *Model) scrollUnder(msg tea.MouseWheelMsg) {
	delta := 3
	if msg.Button == tea.MouseWheelUp {
		delta = -3
	} else if msg.Button != tea.MouseWheelDown {
		return
	}
	if m.lesson != nil && msg.Y < m.lesson.Height() {
		m.lesson.ScrollBy(delta)
		return
	}
	overPanel := m.wide && msg.X >= m.transcript.width || !m.wide && m.showPanel
	if overPanel && m.showLadder {
		m.ladder.ScrollBy(delta)
		return
	}
	if overPanel && m.dataOnScreen() {
		m.data.ScrollBy(delta)
		return
	}
	if overPanel {
		m.panel.ScrollBy(delta)
		return
	}
	m.transcript.ScrollBy(delta)
}

// ownLine makes s read like the rest of the transcript's own lines:
// starting lower case (unless it starts with an acronym, such as TLS) and
// without a final full stop.
func ownLine(s string) string {
	if len(s) > 1 && s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z') {
		s = strings.ToLower(s[:1]) + s[1:]
	}
	return strings.TrimSuffix(s, ".")
}

// panelHint says what f4 shows on a narrow screen: the reply the panel
// would explain (the one selected, or the newest), or the panel itself
// before any reply.
func (m Model) panelHint() string {
	_, _, replied := m.transcript.Reply()
	switch {
	case m.showPanel:
		return "f4 goes back to the transcript"
	case !replied:
		return "f4 shows the side panel"
	case m.transcript.Selecting():
		return "f4 shows the explanation of the selected reply"
	default:
		return "f4 shows the explanation of the newest reply"
	}
}

// narrowWidth is the width under which the panel becomes a toggle.
const narrowWidth = 100

// layout gives each pane its size: side by side on a wide screen, one at
// a time on a narrow one (see layoutBody).
func (m *Model) layout() {
	const inputHeight, hintHeight, statusHeight = 1, 1, 1
	m.bodyHeight = max(m.height-inputHeight-hintHeight-statusHeight, 3)
	if m.lesson != nil {
		m.lesson.SetSize(m.width, m.height)
		m.bodyHeight = max(m.bodyHeight-m.lesson.Height(), 3)
	}
	m.fitInput()
	m.browser.SetSize(m.width, max(m.height-1, 3))
	m.layoutBody(m.bodyHeight)
}

// View draws the screen.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "ftpscope " + m.target.Addr()
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
	// What is on screen decides the sizes (an explanation strip, a
	// hidden panel), so they are worked out for each frame.
	m.layoutBody(m.bodyHeight)
	if rows, width, ok := m.renderBody(); ok {
		return stack(rows, width, m.renderInput(), m.renderHint(), m.renderStatus())
	}
	var body string
	switch {
	case m.wide && m.sideShown():
		body = lipgloss.JoinHorizontal(lipgloss.Top, m.transcript.View(), m.sideView())
	case !m.wide && m.showPanel:
		body = m.sideView()
	default:
		body = m.transcript.View()
	}
	if m.stripHeight > 0 {
		body = lipgloss.JoinVertical(lipgloss.Left, body, m.stripView())
	}
	if m.lesson != nil {
		body = lipgloss.JoinVertical(lipgloss.Left, m.lesson.View(), body)
	}
	return lipgloss.JoinVertical(lipgloss.Left, body, m.renderInput(), m.renderHint(), m.renderStatus())
}

// sideView is the panel's content: the last transfer's data, or an
// explanation.
func (m Model) sideView() string {
	if m.showLadder {
		_, key, ok := m.transcript.SelectedReply()
		if !ok || m.transcript.selected < 0 {
			key = -1 // follow the newest step
		}
		return m.ladder.View(key)
	}
	if m.showData && m.data.Has() {
		return m.data.View()
	}
	ev, index, ok := m.transcript.SelectedReply()
	m.panel.SetDisconnected(m.sessionOver && !m.connected)
	return m.panel.View(ev, index, ok)
}

// renderInput draws the input line.
func (m Model) renderInput() string {
	in := m.input
	if in.Placeholder == inputPlaceholder && m.trustPrompt != nil {
		in.Placeholder = trustQuestion
	}
	if in.Placeholder == inputPlaceholder && m.session != nil && m.sessionOver && !m.connected {
		// An FTP command typed now could not be sent.
		in.Placeholder = disconnectedPlaceholder
	}
	if in.Placeholder == inputPlaceholder && m.opts.Recording != nil {
		in.Placeholder = recordingPlaceholder
	}
	return cut(in.View(), m.width)
}

// renderHint draws the line under the input: a completion list, a search
// or history message, or the syntax of the command being typed.
func (m Model) renderHint() string {
	hint := m.hint
	switch {
	case m.searching:
		return m.styles.Dim.Render(cut("  "+m.searchHint(), m.width))
	case m.completing != nil:
		hint = m.completionHint()
	case hint == "" && m.saveAsk != nil:
		hint = m.saveHint()
	case hint == "" && m.trustPrompt != nil && m.input.Value() != "":
		hint = trustQuestion // the input line's own text hides it there
	case hint == "":
		hint = m.historyHint()
	}
	// The hints made of parts are fitted to the row, never cut.
	var parts []hintPart
	if hint == "" && m.play != nil {
		parts = m.playHint()
	}
	if hint == "" && parts == nil {
		parts = m.syntaxHint(0)
	}
	if parts != nil {
		hint = fitHint(m.width-2, parts...)
	}
	if hint == "" && !m.wide && m.showLadder {
		hint = "f5 or esc goes back to the transcript · ctrl+p ctrl+n select a reply"
	}
	if hint == "" && !m.wide {
		hint = m.panelHint()
	}
	return m.styles.Dim.Render(cut("  "+hint, m.width))
}
