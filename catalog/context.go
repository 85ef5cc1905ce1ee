package catalog

import (
	"fmt"
	"strings"
)

// Context is what ftpscope knows about a reply beyond its code: the
// command that produced it, what broke the rules, and what it changed.
type Context struct {
	// Command is the command line the reply answers, password masked, or
	// a description such as "opening the connection".
	Command string
	// Problems lists ways the reply broke RFC 959's form.
	Problems []string
	// State says what the reply changed in the session (see StateChange).
	State string
	// Unsolicited is set for a reply that came when no command was waiting
	// for one.
	Unsolicited bool
}

// StateChange says in one sentence what a final reply changed in the
// session: logged in or out, TLS on, transfer type, protection, working
// directory (from a 257 reply), restart offset. It returns "" when the
// reply changed nothing worth saying.
func StateChange(verb, arg string, code int, text string) string {
	arg = strings.TrimSpace(arg)
	upper := strings.ToUpper(arg)
	ok := code/100 == 2
	switch {
	case code == 230:
		return "You are logged in."
	case code == 530 && (verb == "PASS" || verb == "USER" || verb == "ACCT"):
		return "You are not logged in."
	case verb == "AUTH" && (code == 234 || code == 334) && isTLSMechanism(upper):
		// curl starts TLS on 334 too, although RFC 4217 §4.2 calls it wrong.
		return "The control connection switches to TLS now: everything after this reply is encrypted, including USER and PASS."
	case verb == "PROT" && ok && upper == "P":
		return "Data connections will be encrypted with TLS (PROT P)."
	case verb == "PROT" && ok && upper == "C":
		return "Data connections go in clear text (PROT C)."
	case verb == "PROT" && ok && upper == "S":
		return "Data connections will be signed but not encrypted (PROT S)."
	case verb == "PROT" && ok && upper == "E":
		return "Data connections will be encrypted but not signed (PROT E)."
	case verb == "TYPE" && ok && strings.HasPrefix(upper, "A"):
		return "Transfers now use TYPE A (ASCII): line endings travel as CRLF and are converted to the local form."
	case verb == "TYPE" && ok && strings.HasPrefix(upper, "E"):
		return "Transfers now use TYPE E (EBCDIC): text is converted to EBCDIC on the way and back at the other end."
	case verb == "TYPE" && ok && (strings.HasPrefix(upper, "I") || strings.HasPrefix(upper, "L")):
		return "Transfers now use TYPE " + upper + ": bytes are moved unchanged."
	case code == 257 && (verb == "PWD" || verb == "XPWD"):
		if path, ok := QuotedPath(text); ok {
			return "The working directory is " + path + "."
		}
	case code == 257 && (verb == "MKD" || verb == "XMKD"):
		if path, ok := QuotedPath(text); ok {
			return "The directory " + path + " was created."
		}
	case (verb == "CWD" || verb == "XCWD") && ok && arg == "":
		return "The working directory changed; PWD shows where you are."
	case (verb == "CWD" || verb == "XCWD") && ok:
		return "The working directory is now " + arg + "; PWD shows its full path."
	case (verb == "CDUP" || verb == "XCUP") && ok:
		return "The working directory is now the parent directory; PWD shows its full path."
	case code == 221:
		return "The session is over: the server closes the control connection."
	case code == 227 || code == 228 || code == 229:
		return "The server listens for one data connection: the next LIST, NLST, MLSD, RETR, STOR, APPE or STOU uses it."
	case (verb == "PORT" || verb == "EPRT") && ok:
		return "The server will connect to the address you gave for the next transfer (active mode)."
	case verb == "REST" && code == 350:
		return "The next RETR, STOR or APPE starts at byte " + arg + " instead of the beginning."
	case verb == "RNFR" && code == 350:
		return "The server remembers " + arg + " as the file to rename: send RNTO with the new name next."
	case verb == "REIN" && code == 220:
		return "The session was reset: you are logged out and settings are back to their defaults."
	case verb == "PBSZ" && ok:
		return "The protection buffer size is set; PROT may follow."
	}
	return ""
}

// isTLSMechanism reports whether an AUTH argument names TLS: "TLS", its
// synonym "TLS-C" (RFC 4217), or the older "SSL" and "TLS-P" that
// servers such as pyftpdlib still accept.
func isTLSMechanism(upper string) bool {
	return strings.HasPrefix(upper, "TLS") || strings.HasPrefix(upper, "SSL")
}

// QuotedPath reads the path of a 257 reply: the text between the first
// double quote and its closing quote, where a doubled quote stands for
// one quote inside the name (RFC 959 Appendix II).
func QuotedPath(text string) (string, bool) {
	start := strings.IndexByte(text, '"')
	if start < 0 {
		return "", false
	}
	var b strings.Builder
	for i := start + 1; i < len(text); i++ {
		if text[i] != '"' {
			b.WriteByte(text[i])
			continue
		}
		if i+1 < len(text) && text[i+1] == '"' {
			b.WriteByte('"')
			i++
			continue
		}
		return b.String(), true
	}
	return "", false
}

// ContextFor builds the context of a reply to a command line.
func ContextFor(commandLine, verb string, code int, text string, problems []string) Context {
	ctx := Context{Command: commandLine, Problems: problems}
	if verb == "(connection)" {
		ctx.Command = "opening the connection"
	}
	_, arg, _ := strings.Cut(commandLine, " ")
	ctx.State = StateChange(verb, arg, code, text)
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
