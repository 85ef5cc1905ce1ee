package tui

import (
	"fmt"
	"io"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/pflag"

	"github.com/ftpscope/ftpscope/internal/flagwords"
	"github.com/ftpscope/ftpscope/internal/suggest"
	"github.com/ftpscope/ftpscope/protocol"
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
	{name: "doctor", usage: ":doctor", summary: "check the server with ftpscope doctor's checks, one connection at a time; each check and its findings appear here", run: runDoctor},
	{name: "disconnect", usage: ":disconnect", summary: "send QUIT and close; the transcript stays", run: runDisconnect},
	{name: "session", usage: ":session [N]", summary: "list the recording's sessions, or show session N", run: runSession, recording: true},
	{name: "explain", usage: ":explain CODE|CMD", summary: "show codes' and commands' entries in the side panel, --after CMD too", run: runExplain},
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
	{name: "fault", usage: ":fault NAME on|off", summary: "switch a fault of the sandbox; :fault alone lists them", run: runFault},
	{name: "pasv-address", usage: ":pasv-address server|peer", summary: "data connections go where a 227 says, or to the control peer", run: runPassiveAddress},
	{name: "raw", usage: ":raw", summary: "the selected reply's bytes in text and hex (alt+r)", run: runRaw},
	{name: "timing", usage: ":timing", summary: "time of lookup, connect, TLS, greeting (alt+t)", run: runTiming},
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
	// The lesson's commands, and a recording's, are found outside a
	// lesson or a recording too, to say so.
	for _, c := range slices.Concat(localCommands, lessonCommands) {
		if c.name != name {
			continue
		}
		if len(fields) > 1 && !strings.Contains(c.usage, " ") {
			m.transcript.AddError(fmt.Sprintf("%s takes no argument, so nothing was done: type %s alone", c.usage, c.usage))
			return m, nil
		}
		return c.run(m, fields[1:])
	}
	if sub, ok := subcommands[name]; ok {
		m.transcript.AddError(fmt.Sprintf(":%s is not a local command: ftpscope %s is a command of its own, run from the shell (:quit leaves)", protocol.Escape(fields[0]), sub))
		return m, nil
	}
	m.transcript.AddError(suggest.Unknown("local command", ":"+fields[0], m.localNames(), ":help lists them all"))
	return m, nil
}

// subcommands are ftpscope's commands that a user may type as local
// commands, by the name they are typed under: each is answered with how
// to run it.
var subcommands = map[string]string{
	"learn": "learn", "lesson": "learn", "lessons": "learn",
	"serve": "serve", "open": "open", "run": "run",
}

func (m *Model) localNames() []string {
	commands := m.localCommands()
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = ":" + c.name
	}
	return names
}

// explainUsage is the usage line of :explain, which takes the arguments
// of ftpscope explain.
const explainUsage = "usage: :explain CODE|COMMAND... [--after COMMAND], for example :explain 331, :explain PASV EPSV or :explain 550 --after CWD"

// runExplain shows catalogue entries in the side panel. It takes what
// `ftpscope explain` takes, parsed the same way (pflag, as cobra does):
// several names, and --after to explain codes as replies to a command.
// --width, which sizes the subcommand's output, is accepted and has no
// use here: the panel is as wide as it is.
func runExplain(m Model, args []string) (Model, tea.Cmd) {
	flags := pflag.NewFlagSet(":explain", pflag.ContinueOnError)
	flags.SetOutput(io.Discard)
	after := flags.String("after", "", "")
	flags.Int("width", 0, "")
	if err := flags.Parse(args); err != nil {
		m.transcript.AddError(explainUsage + "; " + flagwords.Plain(err).Error())
		return m, nil
	}
	if flags.NArg() == 0 {
		m.transcript.AddError(explainUsage)
		return m, nil
	}
	docs, err := m.opts.Catalog.ExplainDocs(flags.Args(), *after)
	if err != nil {
		m.transcript.AddError(err.Error())
		return m, nil
	}
	name := strings.ToUpper(strings.Join(flags.Args(), " "))
	if *after != "" {
		name += " after " + strings.ToUpper(*after)
	}
	m.panel.ShowDoc(name, slices.Concat(docs...))
	m.showExplanation()
	return m, nil
}

// compareUsage is the usage line of :compare.
const compareUsage = "usage: :compare CODE CODE, for example :compare 202 331 or :compare 450 550"

// runCompare shows two codes side by side in the side panel; it takes
// what `ftpscope compare` takes.
func runCompare(m Model, args []string) (Model, tea.Cmd) {
	flags := pflag.NewFlagSet(":compare", pflag.ContinueOnError)
	flags.SetOutput(io.Discard)
	flags.Int("width", 0, "")
	if err := flags.Parse(args); err != nil {
		m.transcript.AddError(compareUsage + "; " + flagwords.Plain(err).Error())
		return m, nil
	}
	if flags.NArg() != 2 {
		m.transcript.AddError(compareUsage + "; it takes two reply codes")
		return m, nil
	}
	a, b := flags.Arg(0), flags.Arg(1)
	doc, err := m.opts.Catalog.CompareDocFor(a, b)
	if err != nil {
		m.transcript.AddError(compareUsage + "; " + err.Error())
		return m, nil
	}
	m.panel.ShowDoc("compare "+a+" "+b, doc)
	m.showExplanation()
	return m, nil
}

// explainName shows the entry for a code or a command in the side panel,
// or says what is wrong with the name.
func (m *Model) explainName(name string) {
	docs, err := m.opts.Catalog.ExplainDocs([]string{name}, "")
	if err != nil {
		m.transcript.AddError(err.Error())
		return
	}
	m.panel.ShowDoc(strings.ToUpper(name), docs[0])
	m.showExplanation()
}

// openBrowser shows the catalogue browser, ready for typing.
func (m *Model) openBrowser() {
	m.browser.Open()
	m.showBrowser = true
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
