package protocol

// The one interpretation of a session's events: what each reply changed
// (an Effect) and what the session is now (a SessionState). The session
// works it out once, as each event is queued, and attaches both to the
// event; the terminal UI, the transcripts and the diagnosis read them and
// never interpret replies again. A recording or a hand-made event stream
// gets the same interpretation by passing its events through a Tracker.

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The data modes of SessionState.Mode.
const (
	ModePassive = "passive"
	ModeActive  = "active"
)

// SessionState is what a session's events have established so far. A
// value attached to an event is never changed afterwards: the Tracker
// makes a new one whenever something changes, so events may share one.
type SessionState struct {
	// Connected is set from the connect event to the close event.
	Connected bool
	// Peer is the control connection's remote address (host:port), and
	// ConnectedAt when it opened.
	Peer        string
	ConnectedAt time.Time
	// Timing is the timing breakdown of the connection so far.
	Timing Timing
	// User is the logged-in user, "" before login or after a 530.
	User string
	// LoggedIn reports a 230 (after USER, PASS or ACCT).
	LoggedIn bool
	// PendingUser is the name of the last USER, until its login ends.
	PendingUser string
	// ControlTLS reports that the control connection runs over TLS;
	// TLSVersion names its version ("TLS 1.3").
	ControlTLS bool
	TLSVersion string
	// Prot is the data protection level the server accepted: "" when
	// none was set (clear, RFC 4217 §9), or "C", "S", "E", "P".
	Prot string
	// Type is the representation type the server accepted ("A", "I",
	// "E", "L"), "" until one was set.
	Type string
	// Announced is the address the newest 227 or 228 named, "" when none
	// (or after EPSV, which names none).
	Announced string
	// Mode is ModePassive or ModeActive after PASV/EPSV/LPSV or
	// PORT/EPRT/LPRT was accepted, "" before.
	Mode string
	// EPSVAll reports an accepted EPSV ALL (RFC 2428 §4).
	EPSVAll bool
	// RefusedModes are the data-mode commands (PASV, EPSV, LPSV, PORT,
	// EPRT, LPRT, upper case, each once) the server refused with a 4xx or
	// 5xx since a data mode was last accepted, oldest first, so that the
	// advice after a transfer without a data connection does not suggest
	// what the server just refused. Never modified in place.
	RefusedModes []string
	// Cwd is the working directory, "" until a 257 reply or an absolute
	// CWD tells it.
	Cwd string
	// Restart is the offset of an accepted REST, 0 once used.
	Restart int64
	// Features are the extensions announced by FEAT, upper case, with
	// their parameters ("REST STREAM" → "REST": "STREAM"). Never modified
	// in place.
	Features map[string]string
	// UTF8 reports an accepted OPTS UTF8 ON (RFC 2640 §3.2).
	UTF8 bool
	// Server is what is known of the software answering.
	Server ServerIdentity
	// Data is the outcome of the newest data connection or transfer.
	Data DataOutcome
	// Transfer is the number of a transfer command that got a
	// preliminary (1xx) reply and still waits for its final one, or 0.
	Transfer int
}

// DataOutcome is what happened to the newest transfer's data connection.
type DataOutcome struct {
	// Seq and Verb name the transfer command.
	Seq  int
	Verb string
	// Opened reports that the data connection was established.
	Opened bool
	// Preliminary is the 1xx code the command got, 0 when none came.
	Preliminary int
	// Closed reports the end of the data connection, with Bytes moved
	// and Err, nil when it ended normally.
	Closed bool
	Bytes  int64
	Err    error
	// Final is the command's final reply code, 0 until it came.
	Final int
}

// EffectKind names what a reply changed.
type EffectKind string

// The kinds of Effect.
const (
	EffectLogin   EffectKind = "login"
	EffectLogout  EffectKind = "logout"
	EffectTLS     EffectKind = "tls"
	EffectProt    EffectKind = "prot"
	EffectPBSZ    EffectKind = "pbsz"
	EffectType    EffectKind = "type"
	EffectCwd     EffectKind = "cwd"
	EffectMkdir   EffectKind = "mkdir"
	EffectPassive EffectKind = "passive"
	EffectActive  EffectKind = "active"
	EffectRestart EffectKind = "restart"
	EffectRename  EffectKind = "rename"
	EffectReset   EffectKind = "reset"
	EffectClosing EffectKind = "closing"
	EffectUTF8    EffectKind = "utf8"
)

// Effect is what one final reply changed in the session.
type Effect struct {
	Kind EffectKind
	// Value is the new value: the TYPE or PROT letter, the directory,
	// the REST offset, the user.
	Value string
	// Text says it in one sentence, for the side panel and handouts.
	Text string
}

// IsTLSMechanism reports whether an AUTH argument asks for TLS: "TLS" and
// its synonym "TLS-C" (RFC 4217 §4), and the older "SSL" and "TLS-P" that
// servers such as vsftpd and pyftpdlib still accept. Everything that needs
// to know whether a 234 starts TLS asks this one function.
func IsTLSMechanism(arg string) bool {
	switch strings.ToUpper(strings.TrimSpace(arg)) {
	case "TLS", "SSL", "TLS-C", "TLS-P":
		return true
	}
	return false
}

// ReplyEffect says what a final reply to verb with argument arg changed,
// or ok false when it changed nothing worth saying. It reads the reply
// only: the session's own bookkeeping (ascii, PROT) and the Tracker both
// take their facts from it.
func ReplyEffect(verb, arg string, r *Reply) (e Effect, ok bool) {
	if r == nil || r.Class() == 1 {
		return Effect{}, false
	}
	arg = strings.TrimSpace(arg)
	upper := strings.ToUpper(arg)
	good := r.Class() == 2
	switch {
	case r.Code == 230:
		user := ""
		if verb == "USER" {
			user = arg
		}
		return Effect{EffectLogin, user, "You are logged in."}, true
	case r.Code == 530 && (verb == "PASS" || verb == "USER" || verb == "ACCT"):
		return Effect{EffectLogout, "", "You are not logged in."}, true
	case verb == "AUTH" && (r.Code == 234 || r.Code == 334) && IsTLSMechanism(arg):
		// curl starts TLS on 334 too, although RFC 4217 §4.2 calls it wrong.
		return Effect{EffectTLS, upper, "The control connection switches to TLS now: everything after this reply is encrypted, including USER and PASS."}, true
	case verb == "PROT" && good && upper != "" && upper[:1] != "P" && strings.Contains(strings.ToLower(r.Text()), "private"):
		// Pure-FTPd answers PROT S and E with 200 and falls back to P:
		// 'Protection level S not understood. Fallback to "private"'.
		return Effect{EffectProt, "P", "The server does not offer PROT " + upper[:1] + " and falls back to P: data connections will be encrypted with TLS."}, true
	case verb == "PROT" && good && upper != "":
		level := upper[:1]
		text := map[string]string{
			"P": "Data connections will be encrypted with TLS (PROT P).",
			"C": "Data connections go in clear text (PROT C).",
			"S": "Data connections will be signed but not encrypted (PROT S).",
			"E": "Data connections will be encrypted but not signed (PROT E).",
		}[level]
		if text == "" {
			return Effect{}, false
		}
		return Effect{EffectProt, level, text}, true
	case verb == "PBSZ" && good:
		return Effect{EffectPBSZ, arg, "The protection buffer size is set; PROT may follow."}, true
	case verb == "TYPE" && good && upper != "":
		letter := upper[:1]
		switch letter {
		case "A":
			return Effect{EffectType, "A", "Transfers now use TYPE A (ASCII): line endings travel as CRLF and are converted to the local form."}, true
		case "E":
			return Effect{EffectType, "E", "Transfers now use TYPE E (EBCDIC): text is converted to EBCDIC on the way and back at the other end."}, true
		case "I", "L":
			return Effect{EffectType, letter, "Transfers now use TYPE " + upper + ": bytes are moved unchanged."}, true
		}
	case r.Code == 257 && (verb == "PWD" || verb == "XPWD"):
		if p, found := QuotedPath(r.Text()); found {
			return Effect{EffectCwd, p, "The working directory is " + p + "."}, true
		}
	case r.Code == 257 && (verb == "MKD" || verb == "XMKD"):
		if p, found := QuotedPath(r.Text()); found {
			return Effect{EffectMkdir, p, "The directory " + p + " was created."}, true
		}
	case (verb == "CWD" || verb == "XCWD") && good && arg == "":
		return Effect{EffectCwd, "", "The working directory changed; PWD shows where you are."}, true
	case (verb == "CWD" || verb == "XCWD") && good:
		return Effect{EffectCwd, arg, "The working directory is now " + arg + "; PWD shows its full path."}, true
	case (verb == "CDUP" || verb == "XCUP") && good:
		return Effect{EffectCwd, "..", "The working directory is now the parent directory; PWD shows its full path."}, true
	case r.Code == 221:
		return Effect{EffectClosing, "", "The session is over: the server closes the control connection."}, true
	case r.Code == 227 || r.Code == 228 || r.Code == 229:
		// Value is the address a 227 or 228 announces ("" for 229, which
		// gives only a port, or for an address that cannot be decoded).
		var announced string
		parse := map[int]func(string) (Passive, error){227: ParsePASV, 228: ParseLPSV, 229: ParseEPSV}[r.Code]
		if p, err := parse(r.Text()); err == nil && p.IP != nil {
			announced = p.IP.String()
		}
		return Effect{EffectPassive, announced, "The server listens for one data connection: the next LIST, NLST, MLSD, RETR, STOR, APPE or STOU uses it."}, true
	case verb == "EPSV" && good && upper == "ALL":
		return Effect{EffectPassive, "ALL", "Only EPSV may set up data connections from now on (EPSV ALL): PORT, EPRT, PASV and LPSV will be refused."}, true
	case (verb == "PORT" || verb == "EPRT" || verb == "LPRT") && good:
		return Effect{EffectActive, "", "The server will connect to the address you gave for the next transfer (active mode)."}, true
	case verb == "REST" && r.Code == 350:
		if n, err := strconv.ParseInt(arg, 10, 64); err == nil && n >= 0 {
			return Effect{EffectRestart, arg, "The next RETR, STOR or APPE starts at byte " + arg + " instead of the beginning."}, true
		}
	case verb == "RNFR" && r.Code == 350:
		return Effect{EffectRename, arg, "The server remembers " + arg + " as the file to rename: send RNTO with the new name next."}, true
	case verb == "REIN" && r.Code == 220:
		return Effect{EffectReset, "", "The session was reset: you are logged out and settings are back to their defaults."}, true
	case verb == "OPTS" && good && strings.HasPrefix(upper, "UTF8") && !strings.HasSuffix(upper, "OFF"):
		return Effect{EffectUTF8, "ON", "The server agreed to use UTF-8 for path names (RFC 2640)."}, true
	}
	return Effect{}, false
}

// RefusesMode reports whether r, the final reply to a data-mode command
// (PASV, EPSV, LPSV, PORT, EPRT or LPRT), refused that mode, so that the
// advice after it turns to another mode. A 4xx or 5xx does, except the
// ones about something else, which say nothing of the mode: 530 (log in
// first), 503 (another command first) and 421 (the server is closing the
// connection). Whatever keeps refused modes asks this one function.
func RefusesMode(r *Reply) bool {
	if r == nil || r.Class() < 4 {
		return false
	}
	switch r.Code {
	case 530, 503, 421:
		return false
	}
	return true
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

// tlsAfterLogin is the effect of AUTH TLS accepted on a session already
// logged in, where USER and PASS went before it.
const tlsAfterLogin = "The control connection switches to TLS now: the commands and replies from here on are encrypted. You logged in before it, so USER and PASS already crossed the network in clear text; next time send AUTH TLS first."

// Tracker turns events, in order, into the session's state and each
// reply's effect, and attaches them to the events. Every Queue has one, so
// a live session's events arrive interpreted; a recording or a test passes
// its own events through Observe. A Tracker is not safe for concurrent use.
type Tracker struct {
	state *SessionState
}

// NewTracker returns a tracker of a session that has not connected yet.
func NewTracker() *Tracker {
	return &Tracker{state: &SessionState{}}
}

// State returns the current state. Do not modify it.
func (t *Tracker) State() *SessionState { return t.state }

// Observe interprets ev, updating the state, and sets ev.State (the state
// after ev) and, for a reply that changed something, ev.Effect.
func (t *Tracker) Observe(ev *Event) {
	next := *t.state // a copy: states attached to earlier events stay as they were
	changed := true
	switch ev.Kind {
	case EventConnect:
		next = SessionState{Connected: true, ConnectedAt: ev.Time}
		if ev.Connect != nil {
			next.Peer = ev.Connect.Remote
		}
	case EventReply:
		if ev.Reply == nil {
			changed = false
			break
		}
		next.Server = identify(next.Server, ev.Verb, ev.Reply)
		if ev.Reply.Class() == 1 {
			next.Transfer = ev.Seq
			if next.Data.Seq == ev.Seq {
				next.Data.Preliminary = ev.Reply.Code
			}
			break
		}
		if next.Transfer == ev.Seq {
			next.Transfer = 0
		}
		if next.Data.Seq == ev.Seq && ev.Seq != 0 {
			next.Data.Final = ev.Reply.Code
		}
		_, arg, _ := strings.Cut(ev.Command, " ")
		next.apply(ev.Verb, strings.TrimSpace(arg), ev.Reply)
		if e, ok := ReplyEffect(ev.Verb, arg, ev.Reply); ok {
			if e.Kind == EffectTLS && next.LoggedIn {
				// TLS after the login protects what follows only.
				e.Text = tlsAfterLogin
			}
			ev.Effect = &e
			next.applyEffect(e)
		}
	case EventSend:
		if ev.Transfer {
			verb, _, _ := strings.Cut(ev.Line, " ")
			if next.Data.Seq != ev.Seq { // a passive connection is reported open just before its command
				next.Data = DataOutcome{Seq: ev.Seq, Verb: strings.ToUpper(verb)}
			}
			next.Restart = 0
		}
	case EventData:
		if ev.Data == nil {
			changed = false
			break
		}
		if next.Data.Seq != ev.Seq {
			next.Data = DataOutcome{Seq: ev.Seq, Verb: ev.Data.Verb}
		}
		switch ev.Data.Phase {
		case DataOpened:
			next.Data.Opened = true
		case DataClosed:
			next.Data.Closed, next.Data.Bytes, next.Data.Err = true, ev.Data.Bytes, ev.Data.Err
		default:
			changed = false
		}
	case EventTLS:
		if ev.TLS == nil || ev.TLS.Data || ev.TLS.NeedsDecision {
			changed = false
			break
		}
		next.ControlTLS, next.TLSVersion = true, ev.TLS.Version
	case EventClose:
		next.Connected, next.LoggedIn, next.User, next.ControlTLS, next.TLSVersion, next.Transfer = false, false, "", false, "", 0
	default:
		changed = false
	}
	if changed {
		next.observeTiming(ev, next.ConnectedAt)
		t.state = &next
	}
	ev.State = t.state
}

// apply learns from a final reply what ReplyEffect does not say: the user
// named by USER, features, and the directory a CWD reply names.
func (st *SessionState) apply(verb, arg string, r *Reply) {
	switch verb {
	case "USER":
		st.PendingUser = arg
	case "PASV", "EPSV", "LPSV", "PORT", "EPRT", "LPRT":
		switch {
		case r.Class() == 2:
			st.RefusedModes = nil
		case RefusesMode(r) && !slices.Contains(st.RefusedModes, verb):
			st.RefusedModes = append(slices.Clip(st.RefusedModes), verb)
		}
	case "FEAT":
		if r.Code == 211 {
			st.Features = ParseFeatures(r.Lines)
		}
	case "CWD", "XCWD":
		if r.Class() == 2 {
			st.Cwd = resolvePath(st.Cwd, arg)
			if st.Cwd == "" {
				// Some servers name the new directory ("250 Directory
				// changed to /pub"); others do not, and PWD tells.
				st.Cwd = absolutePathIn(r.Text())
			}
		}
	}
}

// applyEffect records an effect in the state.
func (st *SessionState) applyEffect(e Effect) {
	switch e.Kind {
	case EffectLogin:
		st.LoggedIn, st.User = true, e.Value
		if st.User == "" {
			st.User = st.PendingUser
		}
	case EffectLogout:
		st.LoggedIn, st.User = false, ""
	case EffectProt:
		st.Prot = e.Value
	case EffectType:
		st.Type = e.Value
	case EffectCwd:
		switch {
		case e.Value == "..":
			if st.Cwd != "" {
				st.Cwd = path.Dir(st.Cwd)
			}
		case strings.HasPrefix(e.Value, "/"):
			st.Cwd = path.Clean(e.Value)
		}
	case EffectPassive:
		st.Mode = ModePassive
		if e.Value == "ALL" {
			st.EPSVAll = true
		} else {
			st.Announced = e.Value
		}
	case EffectActive:
		st.Mode = ModeActive
	case EffectRestart:
		st.Restart, _ = strconv.ParseInt(e.Value, 10, 64)
	case EffectReset:
		st.LoggedIn, st.User, st.Type, st.Prot, st.Mode, st.Cwd, st.Restart = false, "", "", "", "", "", 0
	case EffectUTF8:
		st.UTF8 = true
	}
}

// resolvePath applies a CWD argument to the known directory; with no known
// directory only an absolute argument tells where we are.
func resolvePath(cwd, arg string) string {
	switch {
	case strings.HasPrefix(arg, "/"):
		return path.Clean(arg)
	case cwd == "":
		return ""
	default:
		return path.Join(cwd, arg)
	}
}

// absolutePathIn returns the first word of text that is an absolute path,
// without quotes or a final full stop, or "" when there is none.
func absolutePathIn(text string) string {
	for _, w := range strings.Fields(text) {
		w = strings.TrimRight(strings.Trim(w, `"'`), ".,;")
		if strings.HasPrefix(w, "/") && Escape(w) == w {
			return path.Clean(w)
		}
	}
	return ""
}

// ParseFeatures reads a FEAT reply (RFC 2389 §3.2): every line between the
// first and the last starts with a space and names a feature, perhaps
// followed by parameters ("MLST size*;type*;"). Names are upper case.
func ParseFeatures(lines []string) map[string]string {
	features := map[string]string{}
	for _, l := range lines[1:max(len(lines)-1, 1)] {
		name, params, _ := strings.Cut(strings.TrimSpace(l), " ")
		if name != "" && Escape(name) == name {
			features[strings.ToUpper(name)] = strings.TrimSpace(params)
		}
	}
	return features
}

// IsAnonymousUser reports whether a USER name asks for anonymous FTP
// (RFC 1635): "anonymous" or "ftp", in any case. Its password is by
// convention an e-mail address, not a secret.
func IsAnonymousUser(name string) bool {
	return strings.EqualFold(name, "anonymous") || strings.EqualFold(name, "ftp")
}
