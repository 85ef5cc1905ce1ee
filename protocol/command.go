package protocol

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Errors for command lines that must not be sent.
var (
	// ErrLineBreak is returned for a command that contains CR or LF: sent
	// as it is, it would become two commands (command injection).
	ErrLineBreak = errors.New("a command cannot contain a line break (CR or LF): send one command per line")
	// ErrEmptyCommand is returned for a line with nothing to send.
	ErrEmptyCommand = errors.New("nothing to send: type a command such as USER demo")
	// ErrNUL is returned for a command containing a NUL byte, which RFC 959
	// commands never carry and many servers cut the line at.
	ErrNUL = errors.New("a command cannot contain a NUL byte")
)

// Command is one command line as the user typed it, checked and ready to
// send.
type Command struct {
	// Verb is the command name in upper case, such as "USER".
	Verb string
	// Arg is everything after the first space, as typed.
	Arg string
}

// ParseCommand checks a typed command line. White space before the verb
// is dropped (no command starts with one); CR, LF and NUL are refused (RFC
// 959 §4.1.3: a command ends at CRLF). The verb is upper-cased and ends at
// the first white space; the argument is everything after that one
// separator, kept exactly as typed: case, tabs, runs of spaces and
// trailing spaces, since RFC 959 allows a path to end in spaces and
// ftpscope never changes what is sent behind the user's back (Shown and
// TrailingSpaceWarning make trailing spaces visible).
func ParseCommand(line string) (Command, error) {
	if strings.ContainsAny(line, "\r\n") {
		return Command{}, ErrLineBreak
	}
	if strings.IndexByte(line, 0) >= 0 {
		return Command{}, ErrNUL
	}
	line = strings.TrimLeftFunc(line, unicode.IsSpace)
	if strings.TrimRightFunc(line, unicode.IsSpace) == "" {
		return Command{}, ErrEmptyCommand
	}
	// The verb ends at the first white space of any kind (a tab in a
	// script, a no-break space typed on a Mac), so "PASS\u00a0secret" is
	// a PASS and is masked; the command is sent with a plain space.
	verb, arg := line, ""
	if i := strings.IndexFunc(line, unicode.IsSpace); i >= 0 {
		_, size := utf8.DecodeRuneInString(line[i:])
		verb, arg = line[:i], line[i+size:]
	}
	if strings.TrimRightFunc(arg, unicode.IsSpace) == "" {
		// "NOOP " or "PWD  ": white space after a verb alone is the
		// separator of an argument that was never typed, not a name.
		arg = ""
	}
	return Command{Verb: strings.ToUpper(verb), Arg: arg}, nil
}

// visibleSpace stands for a trailing space where the command is shown: a
// terminal shows a space at the end of a line as nothing at all.
const visibleSpace = "␠"

// Shown returns the command as the transcript shows it: Masked, with each
// trailing space of the argument drawn as ␠ (U+2420), so that a name
// ending in spaces can be told from one that does not.
func (c Command) Shown() string {
	m := c.Masked()
	trimmed := strings.TrimRight(m, " ")
	return trimmed + strings.Repeat(visibleSpace, len(m)-len(trimmed))
}

// TrailingSpaceWarning says that the argument ends in white space, which
// is sent as part of it, or returns "" when it does not. A space left at
// the end of a line by accident is a common reason for a 550 on a name
// that looks right.
func (c Command) TrailingSpaceWarning() string {
	trimmed := strings.TrimRightFunc(c.Arg, unicode.IsSpace)
	if trimmed == c.Arg {
		return ""
	}
	if c.Verb == "PASS" || c.Verb == "ACCT" {
		// Not how much: nothing about a secret is shown.
		return "the password ends with white space, sent as part of it; if it was not meant, send " + c.Verb + " again without it"
	}
	n := utf8.RuneCountInString(c.Arg) - utf8.RuneCountInString(trimmed)
	what := "a space"
	if n > 1 {
		what = fmt.Sprintf("%d white-space characters", n)
	} else if !strings.HasSuffix(c.Arg, " ") {
		what = "white space"
	}
	return fmt.Sprintf("the argument of %s ends with %s, sent as part of it (a space is shown as %s, a tab as \\t): RFC 959 allows such names; if it was not meant, send the command again without it", c.Verb, what, visibleSpace)
}

// String returns the command as it is sent, without CRLF.
func (c Command) String() string {
	if c.Arg == "" {
		return c.Verb
	}
	return c.Verb + " " + c.Arg
}

// Masked returns the command as it may be shown, saved or logged: the
// argument of PASS, and of ACCT (account information is often a second
// password), becomes "****", whatever its length, so not even the length
// is revealed.
func (c Command) Masked() string {
	if (c.Verb == "PASS" || c.Verb == "ACCT") && c.Arg != "" {
		return c.Verb + " ****"
	}
	return c.String()
}

// MaskLine returns a command line as it may be shown, saved or logged,
// even one ParseCommand refuses (a recording may hold a line with a bare
// CR or a NUL in it): when its first word is PASS or ACCT, in any case,
// everything after that word becomes "****". Other lines are returned as
// they are.
func MaskLine(line string) string {
	trimmed := strings.TrimLeftFunc(line, unicode.IsSpace)
	i := strings.IndexFunc(trimmed, func(r rune) bool { return unicode.IsSpace(r) || r == 0 })
	if i < 0 {
		return line
	}
	if verb := strings.ToUpper(trimmed[:i]); (verb == "PASS" || verb == "ACCT") && strings.TrimSpace(trimmed[i:]) != "" {
		return trimmed[:i] + " ****"
	}
	return line
}

// Wire returns the bytes sent for the command: the line with every 0xFF
// byte doubled, as the Telnet rules of RFC 959 §4.1 require (0xFF is the
// Telnet IAC byte), then CRLF.
func (c Command) Wire() []byte {
	return append(telnetDouble([]byte(c.String())), '\r', '\n')
}

// MaskedWire returns Wire with the argument of PASS or ACCT replaced by
// "****" (see Masked): the bytes sent, as they may be shown or saved.
func (c Command) MaskedWire() []byte {
	return append(telnetDouble([]byte(c.Masked())), '\r', '\n')
}

// telnetDouble doubles every 0xFF byte of b (Telnet's IAC, RFC 854), as
// the bytes of a command line go on the wire.
func telnetDouble(b []byte) []byte {
	if bytes.IndexByte(b, 0xff) < 0 {
		return b
	}
	return bytes.ReplaceAll(b, []byte{0xff}, []byte{0xff, 0xff})
}
