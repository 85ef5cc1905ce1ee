package protocol

import (
	"bytes"
	"errors"
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

// ParseCommand checks a typed command line. Surrounding spaces are removed;
// CR, LF and NUL are refused (RFC 959 §4.1.3: a command ends at CRLF). The
// verb is upper-cased; the argument is kept as typed, since paths and
// passwords are case-sensitive.
func ParseCommand(line string) (Command, error) {
	if strings.ContainsAny(line, "\r\n") {
		return Command{}, ErrLineBreak
	}
	if strings.IndexByte(line, 0) >= 0 {
		return Command{}, ErrNUL
	}
	line = strings.TrimFunc(line, unicode.IsSpace)
	if line == "" {
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
	return Command{Verb: strings.ToUpper(verb), Arg: arg}, nil
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
