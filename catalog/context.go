package catalog

import (
	"fmt"
)

// Context is what ftpscope knows about a reply beyond its code: the
// command that produced it, what broke the rules, and what it changed.
type Context struct {
	// Command is the command line the reply answers, password masked, or
	// a description such as "opening the connection".
	Command string
	// Problems lists ways the reply broke RFC 959's form.
	Problems []string
	// State says what the reply changed in the session, in one sentence:
	// the Effect protocol worked out for it (protocol.Effect.Text), which
	// the caller sets; the catalogue does not interpret replies.
	State string
	// Unsolicited is set for a reply that came when no command was waiting
	// for one.
	Unsolicited bool
}

// ContextFor builds the context of a reply to a command line; state is
// what the reply changed (see Context.State), "" for nothing.
func ContextFor(commandLine, verb, state string, problems []string) Context {
	ctx := Context{Command: commandLine, Problems: problems, State: state}
	if verb == "(connection)" {
		ctx.Command = "opening the connection"
	}
	return ctx
}

// describeClass names a code's class for comparisons: "2xx positive
// completion".
func describeClass(e Explanation) string {
	if !e.DigitsOK {
		return e.Reply.Name
	}
	return fmt.Sprintf("%cxx %s", e.Class.Value, e.Class.Name)
}
