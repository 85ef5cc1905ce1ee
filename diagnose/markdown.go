package diagnose

import (
	"fmt"
	"strings"

	"github.com/ftpscope/ftpscope/protocol"
)

// Markdown lists the findings for docs/FINDINGS.md: for each, when it
// fires, the cause, the fixes and the source. go generate writes it with
// the compiled JSON, so the list never falls behind the data.
func (rs *Rules) Markdown() string {
	var b strings.Builder
	b.WriteString("# Findings\n\n")
	b.WriteString("What ftpscope concludes is wrong, and how to fix it: `? ` lines in the transcript and in\n")
	b.WriteString("`ftpscope run`, the top of the side panel, JSON objects of kind `finding`, and the\n")
	b.WriteString("Markdown handout. This file is generated from `diagnose/data/*.yaml` by\n")
	b.WriteString("`go generate ./diagnose`; see the README's \"Contributing a finding\".\n")
	for _, r := range rs.list {
		s := r.spec
		fmt.Fprintf(&b, "\n## `%s` (%s)\n\n", s.ID, s.Severity)
		fmt.Fprintf(&b, "- **When:** %s\n", r.when())
		fmt.Fprintf(&b, "- **Cause:** %s\n", oneLine(s.Cause))
		if s.ClientFix != "" {
			fmt.Fprintf(&b, "- **Fix:** %s\n", oneLine(s.ClientFix))
		}
		for _, server := range knownServers {
			if fix, ok := s.ServerFix[server]; ok {
				fmt.Fprintf(&b, "- **%s:** %s\n", protocol.ServerName(server), oneLine(fix))
			}
		}
		fmt.Fprintf(&b, "- **Source:** %s\n", oneLine(s.Source))
	}
	return b.String()
}

// when describes a rule's conditions in a line.
func (r *Rule) when() string {
	s := r.spec
	var parts []string
	switch s.On {
	case "reply":
		parts = append(parts, "a reply")
	case "data":
		parts = append(parts, "a data connection's end")
	default:
		parts = append(parts, "an event of kind "+s.On)
	}
	list := func(label string, items []string) {
		if len(items) > 0 {
			parts = append(parts, label+" "+strings.Join(items, ", "))
		}
	}
	list("to", s.Verbs)
	list("with code", s.Codes)
	list("to a command matching", quoted(s.Command))
	list("whose text matches", quoted(s.Text))
	list("not matching", quoted(s.NotText))
	list("with an error of kind", s.Errors)
	list("when", s.Facts)
	list("unless", s.NotFacts)
	if s.MinRTT != "" {
		parts = append(parts, "taking at least "+s.MinRTT)
	}
	list("from", s.Servers)
	return strings.Join(parts, " ")
}

// quoted puts each pattern in a code span.
func quoted(items []string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = "`" + strings.ReplaceAll(it, "`", "'") + "`"
	}
	return out
}

// oneLine folds whitespace, for one Markdown list item.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
