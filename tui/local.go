package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/catalog"
)

// localCommand is one of ftpscope's own commands, typed with a leading ':'.
// They act on ftpscope and are never sent to the server.
type localCommand struct {
	name    string
	usage   string
	summary string
	run     func(m Model, args []string) (Model, tea.Cmd)
	// recording marks a command that help lists only in a recording.
	recording bool
}

// localCommands lists the local commands in the order help shows them.
var localCommands = []localCommand{
	{name: "help", usage: ":help", summary: "show keys and commands (f1 or ?)", run: func(m Model, _ []string) (Model, tea.Cmd) {
		m.showHelp = true
		return m, nil
	}},
	{name: "connect", usage: ":connect URL", summary: "connect to another server (ftp://, ftps:// or host:port)", run: runConnect},
	{name: "reconnect", usage: ":reconnect", summary: "connect to the same server again", run: runReconnect},
	{name: "disconnect", usage: ":disconnect", summary: "send QUIT and close; the transcript stays", run: runDisconnect},
	{name: "session", usage: ":session [N]", summary: "list the recording's sessions, or show session N", run: runSession, recording: true},
	{name: "explain", usage: ":explain CODE|CMD", summary: "show a reply code's or a command's entry in the side panel", run: runExplain},
	{name: "compare", usage: ":compare A B", summary: "compare two reply codes side by side in the side panel", run: runCompare},
	{name: "catalog", usage: ":catalog", summary: "browse every reply code and command, filtering as you type (f3)", run: func(m Model, _ []string) (Model, tea.Cmd) {
		m.openBrowser()
		return m, nil
	}},
	{name: "save", usage: ":save FILE", summary: "save the whole session: .txt text, .md Markdown handout, .jsonl JSON Lines; asks before replacing a file", run: runSave},
	{name: "save!", usage: ":save! FILE", summary: "save the whole session, replacing FILE if it exists", run: runSaveReplace},
	{name: "log", usage: ":log FILE", summary: "append the session to FILE as it runs, passwords masked (:log off stops)", run: runLog},
	{name: "ladder", usage: ":ladder", summary: "show or hide the connections as a ladder diagram (f5)", run: func(m Model, _ []string) (Model, tea.Cmd) {
		m.toggleLadder()
		return m, nil
	}},
	{name: "present", usage: ":present", summary: "presentation mode on or off: for a projector (f6)", run: func(m Model, _ []string) (Model, tea.Cmd) {
		m.setPresent(!m.present)
		return m, nil
	}},
	{name: "clear", usage: ":clear", summary: "clear the screen (:save still writes the whole session)", run: runClear},
	{name: "quit", usage: ":quit", summary: "close the connection (QUIT) and leave (ctrl+c)", run: func(m Model, _ []string) (Model, tea.Cmd) {
		model, cmd := m.quit()
		return model.(Model), cmd
	}},
}

// runClear empties the transcript pane. The event log behind :save keeps
// everything.
func runClear(m Model, _ []string) (Model, tea.Cmd) {
	m.transcript.Clear()
	m.transcript.AddInfo("screen cleared; :save still writes the whole session")
	return m, nil
}

// runLocal runs a ':' command line.
func (m Model) runLocal(line string) (tea.Model, tea.Cmd) {
	fields := strings.Fields(strings.TrimPrefix(line, ":"))
	if len(fields) == 0 {
		m.transcript.AddError("type a local command after the colon, such as :help")
		return m, nil
	}
	name := strings.ToLower(fields[0])
	if name == "q" || name == "exit" {
		name = "quit"
	}
	// The lesson's commands are found outside a lesson too, to say so.
	for _, c := range append(m.localCommands(), lessonCommands...) {
		if c.name != name {
			continue
		}
		if len(fields) > 1 && !strings.Contains(c.usage, " ") {
			m.transcript.AddError(fmt.Sprintf("%s takes no argument, so nothing was done: type %s alone", c.usage, c.usage))
			return m, nil
		}
		return c.run(m, fields[1:])
	}
	m.transcript.AddError(fmt.Sprintf("unknown local command :%s; did you mean %s? (:help lists them all)", fields[0], strings.Join(catalog.Nearest(":"+name, m.localNames(), 2), " or ")))
	return m, nil
}

func (m *Model) localNames() []string {
	commands := m.localCommands()
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = ":" + c.name
	}
	return names
}

// runExplain shows a catalogue entry in the side panel.
func runExplain(m Model, args []string) (Model, tea.Cmd) {
	if len(args) != 1 {
		m.transcript.AddError("usage: :explain CODE or :explain COMMAND, for example :explain 331 or :explain PASV")
		return m, nil
	}
	m.explainName(args[0])
	return m, nil
}

// compareUsage is the usage line of :compare.
const compareUsage = "usage: :compare CODE CODE, for example :compare 202 331 or :compare 450 550"

// runCompare shows two codes side by side in the side panel.
func runCompare(m Model, args []string) (Model, tea.Cmd) {
	cat := m.opts.Catalog
	if len(args) != 2 {
		m.transcript.AddError(compareUsage + "; it takes two reply codes")
		return m, nil
	}
	for _, a := range args {
		if !isReplyCode(cat, a) {
			m.transcript.AddError(fmt.Sprintf("%s; %q is not a reply code: a reply code has three digits, the first from 1 to 6", compareUsage, a))
			return m, nil
		}
	}
	m.panel.ShowDoc("compare "+args[0]+" "+args[1], cat.CompareDoc(cat.Compare(args[0], args[1])))
	m.showExplanation()
	return m, nil
}

// isReplyCode reports whether s can be compared as a reply code: three
// digits with a class from 1 to 6, or a code the catalogue has an entry
// for (such as a Windows socket error a client shows as a reply).
func isReplyCode(cat *catalog.Catalog, s string) bool {
	if _, _, ok := catalog.Digits(s); ok {
		return true
	}
	_, known := cat.Reply(s)
	return known || catalog.IsWinsock(s)
}

// explainName shows the entry for a code or a command in the side panel,
// or says what is wrong with the name.
func (m *Model) explainName(name string) {
	cat := m.opts.Catalog
	var doc catalog.Doc
	switch c, ok := cat.Command(name); {
	case catalog.LooksLikeCode(name):
		doc = cat.ReplyDoc(cat.Explain(name, ""), catalog.Context{})
	case ok:
		doc = cat.CommandDoc(c)
	default:
		m.transcript.AddError(fmt.Sprintf("%q is neither a reply code nor a command in the catalogue; did you mean %s?", name, strings.Join(catalog.Nearest(name, cat.Commands(), 3), ", ")))
		return
	}
	m.panel.ShowDoc(strings.ToUpper(name), doc)
	m.showExplanation()
}

// openBrowser shows the catalogue browser, ready for typing.
func (m *Model) openBrowser() {
	m.browser.Open()
	m.showBrowser = true
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
