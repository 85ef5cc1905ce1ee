package catalog

import (
	"slices"
	"strconv"
	"strings"
)

// Explanation is everything ftpscope says about one reply, ready to render:
// the catalogue entry (or what the digits alone tell), plus what the
// command that produced the reply adds.
type Explanation struct {
	// Code is the reply code as received, such as "331".
	Code string
	// Known reports whether the catalogue has an entry for Code.
	Known bool
	// Reply is the catalogue entry; for an unknown code it is built from
	// the digits, with Status "non-standard".
	Reply Reply
	// Class and Function read the first two digits; DigitsOK is false when
	// the code is not a three-digit FTP reply.
	Class, Function Digit
	DigitsOK        bool
	// Verb is the command the reply answers ("" when unknown).
	Verb string
	// Advice is the catalogue's advice for this reply after Verb, if any.
	Advice string
	// Listing says whether the RFCs list this reply for Verb. It is empty
	// when Verb is unknown to the catalogue.
	Listing Listing
}

// Listing is the answer to "does the RFC list this reply for this command?".
type Listing struct {
	// Checked is false when there was no command to check against.
	Checked bool
	// Listed is true when some RFC lists the reply for the command.
	Listed bool
	// Role is the column the reply is listed in (preliminary, intermediate,
	// success, failure or error) and Source the RFC section that lists it.
	Role, Source string
	// Expected lists the replies the RFCs do name for the command, when the
	// reply is not among them.
	Expected []string
	// Exception, when set, says why a reply the command's list leaves out
	// is right all the same (see pairing.go); Listed is then true, Role
	// is "exception" and Source where the reason is written.
	Exception string
}

// Explain explains code as an answer to the command verb ("" when there is
// none, GreetingVerb-like "(connection)" for the greeting). It never fails.
func (c *Catalog) Explain(code, verb string) Explanation {
	e := Explanation{Code: code, Verb: strings.ToUpper(verb)}
	e.Class, e.Function, e.DigitsOK = Digits(code)
	if r, ok := c.Reply(code); ok {
		e.Known, e.Reply = true, *r
	} else {
		e.Reply = fromDigits(code, e)
	}
	if e.Verb != "" {
		e.Advice = e.Reply.After[e.Verb]
		e.Listing = c.listing(code, e.Verb)
	}
	return e
}

// fromDigits builds an entry for a code the catalogue does not have.
func fromDigits(code string, e Explanation) Reply {
	r := Reply{Code: code, Status: "non-standard", Name: "Not a standard reply"}
	switch {
	case e.DigitsOK:
		about := "about " + e.Function.Name
		if e.Function.Name == "not defined" {
			about = "with a second digit, " + string(e.Function.Value) + ", that RFC 959 gives no meaning"
		}
		r.Meaning = "No RFC defines " + code + ". Read it by its digits: " + e.Class.Name +
			" (" + e.Class.Detail + "), " + about + "."
		r.When = "Only this server's software uses it; its text is the best clue to what it means."
		r.Action = classAction(e.Class.Value)
		r.Defined = "Not defined by any RFC; RFC 959 §4.2.1 defines what each digit means."
	case IsWinsock(code):
		r.Name = "Windows socket error"
		r.Meaning = code + " is a Windows Sockets error number from the client's own network stack, not a reply the server sent."
		r.When = "Windows FTP clients print these when a connection fails at the TCP level."
		r.Action = "Check the network path: that the server runs, the address and port, and any firewall between."
		r.Defined = "Windows Sockets (WSABASEERR + " + strconv.Itoa(atoi(code)-10000) + "); not an FTP reply."
	default:
		r.Name = "Not an FTP reply code"
		r.Meaning = "An FTP reply code has three digits, the first from 1 to 5 (or 6 for protected replies, RFC 2228)."
		r.When = "A reply that does not start with such a code is malformed; a client cannot tell what it means."
		r.Action = "Treat the reply as a failure and read its text; a server that sends it is broken or is not an FTP server."
		r.Defined = "RFC 959 §4.2 defines the form of a reply."
	}
	return r
}

// classAction is the generic next step for a reply class.
func classAction(class byte) string {
	switch class {
	case '1':
		return "Wait: a final reply follows on the control connection."
	case '2':
		return "Nothing to fix: send your next command."
	case '3':
		return "Send the command the server is waiting for to finish the sequence."
	case '4':
		return "Try again later; if it persists, read the text for the cause."
	case '5':
		return "Do not repeat the command unchanged: fix the command or the situation first."
	case '6':
		return "Decode the protected reply with the security mechanism in use."
	}
	return "Read the reply's text for what the server means."
}

// listing checks code against the replies the RFCs list for verb.
func (c *Catalog) listing(code, verb string) Listing {
	cmd, ok := c.Command(verb)
	if !ok {
		return Listing{}
	}
	l := Listing{Checked: true}
	seen := map[string]bool{}
	for _, list := range cmd.Replies {
		for role, codes := range map[string][]string{
			"preliminary": list.Preliminary, "intermediate": list.Intermediate,
			"success": list.Success, "failure": list.Failure, "error": list.Error,
		} {
			if slices.Contains(codes, code) && !l.Listed {
				l.Listed, l.Role, l.Source = true, role, list.Source
			}
		}
		for _, c := range list.All() {
			if !seen[c] {
				seen[c] = true
				l.Expected = append(l.Expected, c)
			}
		}
	}
	if r, ok := c.exception(code, verb); ok && !l.Listed {
		l.Listed, l.Role, l.Source, l.Exception = true, "exception", r.source, r.reason
	}
	if l.Listed {
		l.Expected = nil
	} else {
		slices.Sort(l.Expected)
	}
	return l
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
