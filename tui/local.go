package tui

import (
	"fmt"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"
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
	m.transcript.AddError(fmt.Sprintf("Unknown local command :%s. Did you mean %s? (:help lists them all.)", fields[0], strings.Join(nearest(name, localNames(), 2), " or ")))
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

// nearest returns up to n candidates closest to word by edit distance.
func nearest(word string, candidates []string, n int) []string {
	type scored struct {
		name string
		dist int
	}
	var all []scored
	for _, c := range candidates {
		all = append(all, scored{c, editDistance(":"+strings.TrimPrefix(word, ":"), c)})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].dist < all[j].dist })
	var out []string
	for i := 0; i < len(all) && i < n; i++ {
		out = append(out, all[i].name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
