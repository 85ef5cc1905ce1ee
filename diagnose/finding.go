package diagnose

import (
	"fmt"
	"strings"

	"github.com/ftpscope/ftpscope/protocol"
)

// Severity says how much a finding matters.
type Severity string

// The severities, most serious first.
const (
	// SeverityError: what the user tried cannot work until something
	// changes (a refused login, a blocked port, a server that exits).
	SeverityError Severity = "error"
	// SeverityWarning: it works, or may, but something is wrong or
	// risky (a NAT address, a password in clear text, a slow login).
	SeverityWarning Severity = "warning"
	// SeverityInfo: worth knowing, nothing to fix.
	SeverityInfo Severity = "info"
)

// Label is the word a severity is shown with: "error", "warning" or
// "info". Every front end words a finding's severity through it (run's
// "? error: …", the terminal UI's transcript and side panel, doctor's
// report, the exports), so one finding reads the same everywhere.
func (s Severity) Label() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	default:
		return "info"
	}
}

// AtMost returns s, or limit when s is graver: doctor caps a finding so
// where what it found stops nothing (active mode, TLS not required).
func (s Severity) AtMost(limit Severity) Severity {
	rank := map[Severity]int{SeverityError: 0, SeverityWarning: 1, SeverityInfo: 2}
	if rank[s] < rank[limit] {
		return limit
	}
	return s
}

// Evidence is one transcript line a finding rests on.
type Evidence struct {
	// Seq is the number of the command the line belongs to (0 for the
	// greeting and the connection itself).
	Seq int
	// Kind is the kind of event the line comes from.
	Kind protocol.EventKind
	// Line is the line, escaped, as the transcript shows it.
	Line string
}

// ServerFix is the change to make on one server software.
type ServerFix struct {
	// Server is a protocol.Server* constant ("vsftpd", "proftpd" …).
	Server string
	// Fix names the setting and its value, such as
	// "allow_writeable_chroot=YES in vsftpd.conf".
	Fix string
}

// Finding is what ftpscope concludes from a reply or an event in its
// context: the cause in one sentence, the lines that show it, and the fix
// on each side.
type Finding struct {
	// ID names the rule that produced it, stable across versions, such as
	// "vsftpd-writable-chroot".
	ID       string
	Severity Severity
	// Cause is the cause, in one sentence.
	Cause string
	// Seq is the command the finding is about (the event that fired it).
	Seq int
	// Evidence are the transcript lines that show it, oldest first; the
	// last is the line that fired the rule.
	Evidence []Evidence
	// ClientFix is what to do on the client's side.
	ClientFix string
	// ServerFixes are the settings to change on the server: only the
	// answering software's when it is known and the rule names it,
	// otherwise every software the rule knows.
	ServerFixes []ServerFix
	// Server is the software answering, a protocol.Server* constant, or
	// "" when unknown.
	Server string
	// Source is where the behaviour is defined: an RFC section or the
	// server's documentation.
	Source string
	// replacesAdvice is the rule's replaces_advice (ReplacesAdvice).
	replacesAdvice bool
	// Repeat reports that the same rule already gave a finding earlier on
	// this connection, about command FirstSeq (0 for the connection
	// itself): the front ends then show Reminder, one line, instead of
	// the whole explanation again. The engine decides it (Observe); the
	// finding still carries everything, for JSON and the side panel.
	Repeat   bool
	FirstSeq int
}

// ReplacesAdvice reports whether the finding takes the place of the
// generic advice of the reply code it explains, which would point the
// wrong way or say less beside it: a problem found (an error or a
// warning), or a rule saying that the reply does not mean what its code
// says in general (replaces_advice: vsftpd's second OOPS is a 500, and
// no unknown command). Other information leaves the advice standing.
func (f Finding) ReplacesAdvice() bool {
	return f.Severity != SeverityInfo || f.replacesAdvice
}

// Brief is the cause cut to its first clause, for a reminder: "The
// server refuses active mode (PORT/EPRT), or this address" of "…; it is
// not a path problem.". A cause whose first clause is short stays whole.
func (f Finding) Brief() string {
	cause := strings.TrimSuffix(f.Cause, ".")
	cut := len(cause)
	for _, sep := range []string{"; ", ": "} {
		// With the space, so that an IPv6 address is never cut.
		if i := strings.Index(cause, sep); i >= 20 && i < cut {
			cut = i
		}
	}
	return cause[:cut]
}

// Reminder is a repeated finding in one line, as every front end shows
// it: "warning: the same as above: <brief cause> (see command 3)". see
// names where the full explanation is ("command 3", a Markdown step, a
// doctor check); empty, the reminder names no place.
func (f Finding) Reminder(see string) string {
	return f.Severity.Label() + ": " + f.Again(see)
}

// Again is Reminder without the severity, for a format that shows the
// severity apart (Markdown's "**Finding (warning):**").
func (f Finding) Again(see string) string {
	s := "the same as above: " + f.Brief()
	if see != "" {
		s += " (see " + see + ")"
	}
	return s
}

// SeeCommand is where a repeated finding's first explanation is, for
// Reminder: "command 3", or "" when it was about the connection itself.
func (f Finding) SeeCommand() string {
	if f.FirstSeq == 0 {
		return ""
	}
	return fmt.Sprintf("command %d", f.FirstSeq)
}

// Seqs returns the command numbers of the evidence, without repeats.
func (f Finding) Seqs() []int {
	var seqs []int
	seen := map[int]bool{}
	for _, e := range f.Evidence {
		if !seen[e.Seq] {
			seen[e.Seq] = true
			seqs = append(seqs, e.Seq)
		}
	}
	return seqs
}

// ServerFixText says the server-side fix in one sentence: "vsftpd:
// pasv_address=…" for the answering server, or each server's setting.
func (f Finding) ServerFixText() string {
	parts := make([]string, len(f.ServerFixes))
	for i, s := range f.ServerFixes {
		parts[i] = protocol.ServerName(s.Server) + ": " + s.Fix
	}
	return strings.Join(parts, "; ")
}

// Headline is the finding's first line, as every front end shows it:
// its severity's label, then its cause ("error: The server refuses …").
func (f Finding) Headline() string {
	return f.Severity.Label() + ": " + f.Cause
}

// Summary is the finding in one line, for `ftpscope run` and the
// transcript: "cause; fix: …; on the server: …".
func (f Finding) Summary() string {
	s := f.Cause
	if f.ClientFix != "" {
		s += " Fix: " + f.ClientFix
	}
	if t := f.ServerFixText(); t != "" {
		s += " On the server: " + t
	}
	return s
}
