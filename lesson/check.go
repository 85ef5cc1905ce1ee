package lesson

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// Facts is what the session's state says once a reply has arrived, as far
// as a step's checks need it. The UI fills it from the session's one typed
// interpretation of events; the lesson never reads replies itself.
type Facts struct {
	// LoggedIn reports a completed login, and User who logged in.
	LoggedIn bool
	User     string
	// TLS reports a protected control connection.
	TLS bool
	// Protection is the data protection level the server accepted with
	// PROT (C or P), "" before any.
	Protection string
	// Type is the transfer type the server accepted (A or I), "" before.
	Type string
	// Directory is the working directory, "" while unknown.
	Directory string
	// DataAnnounced reports that this very reply announced a data
	// connection: PASV, EPSV, PORT or EPRT accepted.
	DataAnnounced bool
}

// Outcome is one reply as a step sees it: the command it answers, the
// reply, and the session's state after it.
type Outcome struct {
	// Command is the command line as sent, password masked and escaped
	// for display; "" for a reply that answers no command (a greeting, a
	// 421 out of the blue).
	Command string
	// Verb is Command's verb in upper case.
	Verb string
	// Code is the reply's code.
	Code int
	// Facts is the session's state after the reply.
	Facts Facts
	// Findings are what ftpscope noticed about the reply, in plain
	// language (a passive address that is not the server's ...).
	Findings []string
}

// Final reports whether the reply ends its command (not a 1xx).
func (o Outcome) Final() bool { return o.Code >= 200 }

// condition is one check of an Expect, with its description in words.
type condition struct {
	want string
	met  func(o Outcome) bool
}

// conditions lists the checks an Expect makes, in the order they are
// described: the reply first, then the state.
func (e Expect) conditions() []condition {
	var cs []condition
	add := func(want string, met func(o Outcome) bool) { cs = append(cs, condition{want, met}) }
	// The reply and the command it answers are one condition, so that
	// what is missing always reads as a whole phrase: a 200 reply to PROT
	// still waits for "a 200 reply, in answer to PBSZ", not for "in
	// answer to PBSZ".
	codeMet := func(o Outcome) bool {
		return len(e.Reply) == 0 || slices.ContainsFunc(e.Reply, func(c Code) bool { return c.Matches(o.Code) })
	}
	verbMet := func(o Outcome) bool { return len(e.To) == 0 || slices.Contains(e.To, o.Verb) }
	switch {
	case len(e.Reply) > 0 && len(e.To) > 0:
		add(fmt.Sprintf("a %s reply, in answer to %s", orList(codeStrings(e.Reply)), orList(e.To)), func(o Outcome) bool { return codeMet(o) && verbMet(o) })
	case len(e.Reply) > 0:
		add(fmt.Sprintf("a %s reply", orList(codeStrings(e.Reply))), codeMet)
	case len(e.To) > 0:
		add("a reply in answer to "+orList(e.To), verbMet)
	}
	if e.LoggedIn != nil {
		want := *e.LoggedIn
		add(map[bool]string{true: "a logged-in session", false: "a session not logged in"}[want], func(o Outcome) bool { return o.Facts.LoggedIn == want })
	}
	if e.User != "" {
		add("logged in as "+e.User, func(o Outcome) bool { return o.Facts.LoggedIn && strings.EqualFold(e.User, o.Facts.User) })
	}
	if e.TLS != nil {
		want := *e.TLS
		add(map[bool]string{true: "the control connection protected by TLS", false: "the control connection in clear text"}[want], func(o Outcome) bool { return o.Facts.TLS == want })
	}
	if e.Protection != "" {
		add("data protection level "+e.Protection+" (PROT "+e.Protection+" accepted)", func(o Outcome) bool { return o.Facts.Protection == e.Protection })
	}
	if e.Type != "" {
		add("transfer type "+e.Type+" (TYPE "+e.Type+" accepted)", func(o Outcome) bool { return o.Facts.Type == e.Type })
	}
	if e.Directory != "" {
		add("the working directory "+e.Directory, func(o Outcome) bool {
			return o.Facts.Directory != "" && path.Clean(o.Facts.Directory) == e.Directory
		})
	}
	if e.DataAnnounced != nil {
		want := *e.DataAnnounced
		add(map[bool]string{true: "a data connection announced (PASV, EPSV, PORT or EPRT accepted)", false: "a reply that announces no data connection"}[want], func(o Outcome) bool { return o.Facts.DataAnnounced == want })
	}
	return cs
}

// Check tells whether an outcome completes a step. When it does not,
// unmet says in words what is still missing, the reply first.
func (e Expect) Check(o Outcome) (ok bool, unmet []string) {
	for _, c := range e.conditions() {
		if !c.met(o) {
			unmet = append(unmet, c.want)
		}
	}
	return len(unmet) == 0, unmet
}

// Describe says in words what the step waits for.
func (e Expect) Describe() string {
	var wants []string
	for _, c := range e.conditions() {
		wants = append(wants, c.want)
	}
	if len(wants) == 0 {
		return "any reply"
	}
	return strings.Join(wants, ", ")
}

func codeStrings(cs []Code) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

// orList joins items as "A", "A or B", "A, B or C".
func orList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
