package catalog

import (
	"fmt"
	"strings"

	"github.com/ftpscope/ftpscope/internal/suggest"
)

// UnknownNameError is the error for a name that is neither a reply code
// nor a command in the catalogue.
type UnknownNameError struct {
	Name string
	// Nearest are the command names close enough to Name to be what was
	// meant (suggest.Close): at most two, none for an unrelated word.
	Nearest []string
}

func (e UnknownNameError) Error() string {
	msg := fmt.Sprintf("%q is neither a reply code nor a command in the catalogue", e.Name)
	if len(e.Nearest) > 0 {
		msg += "; did you mean " + strings.Join(e.Nearest, " or ") + "?"
	}
	return msg
}

// NotACodeError is the error for an argument of a comparison that is not
// a reply code.
type NotACodeError struct{ Arg string }

func (e NotACodeError) Error() string {
	return fmt.Sprintf("%q is not a reply code: a reply code has three digits, the first from 1 to 6 (or is a Windows socket error number such as 10054)", e.Arg)
}

// ExplainDocs returns the entry for each name, a reply code (explained
// from its digits when the catalogue has no entry) or a command, which
// may come with its arguments as typed to a server (AUTH TLS). With
// after set, codes are explained as replies to that command. It is what
// `ftpscope explain` prints and :explain shows, so both take the same
// arguments.
func (c *Catalog) ExplainDocs(names []string, after string) ([]Doc, error) {
	after = strings.ToUpper(strings.TrimSpace(after))
	if after != "" {
		if _, ok := c.Command(after); !ok {
			return nil, c.unknownName(after)
		}
	}
	docs := make([]Doc, 0, len(names))
	// args is set after a command that takes arguments: the words that
	// follow it, up to the next code or command, are its arguments, as in
	// "explain AUTH TLS" or "explain PASS secret". They are not explained,
	// nor quoted back in an error (a password would be).
	args := false
	for _, name := range names {
		// A whole command line in one argument ("AUTH TLS") names its
		// command.
		if verb, _, found := strings.Cut(strings.TrimSpace(name), " "); found {
			name = verb
		}
		switch cmd, ok := c.Command(name); {
		case LooksLikeCode(name) && !c.isExplainableCode(name):
			return nil, NotACodeError{name}
		case LooksLikeCode(name):
			docs = append(docs, c.ReplyDoc(c.Explain(name, after), Context{Command: after}))
			args = false
		case ok:
			docs = append(docs, c.CommandDoc(cmd))
			args = strings.Contains(cmd.Syntax, "<SP>")
		case args:
			// The previous command's argument.
		default:
			return nil, c.unknownName(name)
		}
	}
	return docs, nil
}

// isExplainableCode reports whether a number can be explained as a
// reply: three digits from 100 to 699 (explained from the digits when the
// catalogue has no entry), or a Windows socket error number the catalogue
// has an entry for. 999, 2 and 1000 are none of these.
func (c *Catalog) isExplainableCode(s string) bool {
	if _, _, ok := Digits(s); ok {
		return true
	}
	_, known := c.Reply(s)
	return known
}

// CompareDocFor compares two reply codes, or says which argument is not
// one. It is what `ftpscope compare` prints and :compare shows.
func (c *Catalog) CompareDocFor(a, b string) (Doc, error) {
	for _, arg := range []string{a, b} {
		if !c.IsReplyCode(arg) {
			return nil, NotACodeError{arg}
		}
	}
	return c.CompareDoc(c.Compare(a, b)), nil
}

// IsReplyCode reports whether s can be compared as a reply code: three
// digits with a class from 1 to 6, or a code the catalogue has an entry
// for (such as a Windows socket error a client shows as a reply).
func (c *Catalog) IsReplyCode(s string) bool {
	if _, _, ok := Digits(s); ok {
		return true
	}
	_, known := c.Reply(s)
	return known || IsWinsock(s)
}

func (c *Catalog) unknownName(name string) error {
	return UnknownNameError{Name: name, Nearest: suggest.Close(name, c.Commands())}
}
