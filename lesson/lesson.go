// Package lesson holds ftpscope's guided practice: lessons read from YAML
// files (the built-in ones are embedded), a Player that follows a learner
// through a lesson's steps by checking the outcome of each command (the
// reply and the session's state, never the typed text), and the record of
// finished lessons kept under the XDG state directory.
//
// The package knows nothing of the terminal UI: the UI feeds the Player
// the outcome of each final reply and renders what the Player says.
package lesson

// Lesson is one guided practice: an introduction, steps done in order,
// and what to remember about the reply codes met on the way.
type Lesson struct {
	// Name is how the lesson is started: ftpscope learn NAME.
	Name string
	// Title is the lesson's title, such as "Logging in".
	Title string
	// About says, in a few sentences, what the lesson teaches.
	About string
	// Login is the sandbox account ftpscope logs in as before the first
	// step (demo or anonymous), for lessons that are not about logging
	// in; "" leaves the login to the learner.
	Login string
	// Steps are done in order.
	Steps []Step
	// Remember holds one thing to remember about each reply code the
	// lesson is about, keyed by code ("230"); the summary shows it for
	// every code met.
	Remember map[string]string
	// File is where the lesson was read from, for messages.
	File string
}

// Step is one thing to do: what to try and why, the command suggested,
// and the outcome that completes it.
type Step struct {
	// Say tells the learner what to try and why.
	Say string
	// Try is the suggested command, shown by :hint.
	Try string
	// Expect is the outcome that completes the step.
	Expect Expect
	// Done explains, once the step is passed, what just happened.
	Done string
	// Fault names a sandbox fault switched on while the step is the
	// current one, to provoke a reply the sandbox would not otherwise
	// send (a 421, a 452 ...).
	Fault string
	// Wrong explains expected wrong turns, matched by the reply code.
	Wrong []WrongTurn
	// Line is the step's line in its file, for messages.
	Line int
}

// WrongTurn explains one expected wrong turn: a reply code the learner
// may get instead of the one the step waits for.
type WrongTurn struct {
	// Reply is the code, or a pattern such as 5xx.
	Reply Code
	// Say explains what went wrong and how to get back on track.
	Say string
}

// Expect is the outcome that completes a step. Every condition set must
// hold once the command's final reply has arrived; an unset condition is
// not checked. The conditions are about what happened, not about what was
// typed, so `user demo`, EPSV for PASV, or a relative path for an
// absolute one pass by themselves.
type Expect struct {
	// Reply lists the acceptable codes of the final reply (patterns such
	// as 2xx allowed); empty accepts any.
	Reply []Code
	// To lists the commands the reply may answer, such as LIST, NLST and
	// MLSD for "a listing"; empty accepts any.
	To []string
	// LoggedIn, when set, is whether the session must be logged in.
	LoggedIn *bool
	// User, when set, is the user that must be logged in.
	User string
	// TLS, when set, is whether the control connection must be protected.
	TLS *bool
	// Protection, when set, is the data protection level (C or P).
	Protection string
	// Type, when set, is the transfer type (A or I) the server accepted.
	Type string
	// Directory, when set, is the working directory after the reply.
	Directory string
	// DataAnnounced, when set, is whether the reply must announce a data
	// connection (PASV, EPSV, PORT or EPRT accepted).
	DataAnnounced *bool
}

// Code is a reply code or a pattern: three characters, each a digit or x,
// such as 230, 23x or 2xx.
type Code string

// Matches reports whether code (three digits) fits the pattern.
func (c Code) Matches(code int) bool {
	if len(c) != 3 || code < 100 || code > 999 {
		return false
	}
	digits := [3]byte{byte('0' + code/100), byte('0' + code/10%10), byte('0' + code%10)}
	for i := 0; i < 3; i++ {
		if c[i] != 'x' && c[i] != digits[i] {
			return false
		}
	}
	return true
}

// Exact reports whether the pattern names one code, not a family.
func (c Code) Exact() bool {
	for i := 0; i < len(c); i++ {
		if c[i] < '0' || c[i] > '9' {
			return false
		}
	}
	return len(c) == 3
}
