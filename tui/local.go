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
}

// localCommands lists the local commands in the order help shows them.
var localCommands = []localCommand{
	{name: "help", usage: ":help", summary: "show keys and commands", run: func(m Model, _ []string) (Model, tea.Cmd) {
		m.showHelp = true
		return m, nil
	}},
	{name: "explain", usage: ":explain CODE", summary: "print a short explanation of a reply code or a command", run: runExplain},
	{name: "quit", usage: ":quit", summary: "close the connection (QUIT) and leave", run: func(m Model, _ []string) (Model, tea.Cmd) {
		model, cmd := m.quit()
		return model.(Model), cmd
	}},
}

// runLocal runs a ':' command line.
func (m Model) runLocal(line string) (tea.Model, tea.Cmd) {
	fields := strings.Fields(strings.TrimPrefix(line, ":"))
	if len(fields) == 0 {
		m.transcript.AddError("Type a local command after the colon, such as :help.")
		return m, nil
	}
	name := strings.ToLower(fields[0])
	if name == "q" || name == "exit" {
		name = "quit"
	}
	for _, c := range localCommands {
		if c.name == name {
			return c.run(m, fields[1:])
		}
	}
	m.transcript.AddError(fmt.Sprintf("Unknown local command :%s. Did you mean %s? (:help lists them all.)", fields[0], strings.Join(catalog.Nearest(":"+name, localNames(), 2), " or ")))
	return m, nil
}

func localNames() []string {
	names := make([]string, len(localCommands))
	for i, c := range localCommands {
		names[i] = ":" + c.name
	}
	return names
}

// runExplain shows a catalogue entry in the transcript's info lines.
func runExplain(m Model, args []string) (Model, tea.Cmd) {
	if len(args) != 1 {
		m.transcript.AddError("Usage: :explain CODE or :explain COMMAND, for example :explain 331 or :explain PASV.")
		return m, nil
	}
	arg := strings.ToUpper(args[0])
	if r, ok := m.opts.Catalog.Reply(arg); ok {
		m.transcript.AddInfo(fmt.Sprintf("%s %s: %s", r.Code, r.Name, oneLine(r.Meaning)))
		m.transcript.AddInfo("What to do: " + oneLine(r.Action))
		return m, nil
	}
	if c, ok := m.opts.Catalog.Command(arg); ok {
		m.transcript.AddInfo(fmt.Sprintf("%s: %s Syntax: %s", c.Name, oneLine(c.Summary), c.Syntax))
		m.transcript.AddInfo("Next: " + oneLine(c.Next))
		return m, nil
	}
	e := m.opts.Catalog.Explain(arg, "")
	m.transcript.AddInfo(fmt.Sprintf("%s %s: %s", arg, e.Reply.Name, oneLine(e.Reply.Meaning)))
	return m, nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
