package diagnose

import (
	"errors"
	"strings"

	"github.com/ftpscope/ftpscope/protocol"
)

// recentEvents is how many events an Engine keeps, at least, for evidence.
const recentEvents = 64

// Engine runs the findings over a session's events, in order. Each
// consumer (the terminal UI, a transcript writer) has its own; an Engine
// is not safe for concurrent use.
type Engine struct {
	rules *Rules
	// recent are the newest events, for evidence (window.go).
	recent eventRing
	// fired remembers rule and command pairs already reported, so one
	// fault gives one finding however many events show it.
	fired firedSet
	// first is, per rule, the command its first finding on this
	// connection was about: a later finding of the same rule is marked a
	// repeat of it (Finding.Repeat), so that the front ends explain a
	// cause once and remind of it afterwards.
	first map[string]int
	// tracker interprets events that come without a state.
	tracker *protocol.Tracker
	// lastSeq is the command the newest event observed is about (seqOf),
	// and lastWaiting whether that command still waited for its final
	// reply after it, for Line.
	lastSeq     int
	lastWaiting bool
	// ended is set once a finding of a rule with ends_session fired on
	// this connection: the server has ended the session, and a
	// connection error after it is a consequence, for Line.
	ended bool
}

// New returns an engine with the findings built into ftpscope. The data
// is checked by the package's tests, so an error here is a broken build:
// New then runs with no rules rather than stopping the program.
func New() *Engine {
	rules, err := LoadRules()
	if err != nil {
		rules = &Rules{}
	}
	return NewEngine(rules)
}

// NewEngine returns an engine with the given rules.
func NewEngine(rules *Rules) *Engine {
	return &Engine{rules: rules, tracker: protocol.NewTracker()}
}

// Observe takes the next event of the session and returns the findings
// it completes, most serious first. Events from a Session carry their
// state; others are interpreted here first (protocol.Tracker).
func (e *Engine) Observe(ev protocol.Event) []Finding {
	if ev.State == nil {
		e.tracker.Observe(&ev)
	}
	if ev.Kind == protocol.EventData && ev.Data != nil && ev.Data.Phase == protocol.DataProgress {
		e.lastSeq, e.lastWaiting = ev.Seq, false
		return nil
	}
	if ev.Kind == protocol.EventConnect {
		e.recent.clear()
		e.fired.clear()
		clear(e.first)
		e.ended = false
	}
	e.recent.add(ev)
	e.lastSeq = e.seqOf(ev)
	e.lastWaiting = ev.State != nil && ev.State.Transfer == e.lastSeq && e.lastSeq != 0
	var errs map[string]bool // nil, read as empty, when there is no error
	switch {
	case ev.Err != nil:
		errs = errorKinds(ev.Err)
	case ev.Data != nil && ev.Data.Err != nil:
		errs = errorKinds(ev.Data.Err)
	case acceptedCertificate(ev):
		// What the handshake would have stopped at, had the certificate
		// not been accepted: the rules on an accepted certificate name
		// its kind (expired, another name, an unknown authority).
		errs = errorKinds(ev.TLS.Cert.Err)
	}
	fact := facts(ev)
	var out []Finding
	for _, r := range e.rules.list {
		if !r.matches(ev, fact, errs) {
			continue
		}
		seq := e.seqOf(ev)
		// A command refused before sending has no number of its own;
		// each refusal is the user's new attempt, and is reported again,
		// so it is not remembered.
		if key := (firedKey{rule: r.spec.ID, seq: seq}); !ev.Refused {
			if e.fired.has(key) {
				continue
			}
			e.fired.add(key)
		}
		e.ended = e.ended || r.spec.EndsSession
		f := e.finding(r, ev, seq)
		if firstSeq, ok := e.first[f.ID]; ok {
			f.Repeat, f.FirstSeq = true, firstSeq
		} else {
			if e.first == nil {
				e.first = map[string]int{}
			}
			e.first[f.ID] = seq
		}
		if f.ClientFix != "" && seq != 0 {
			e.fired.add(firedKey{rule: explainedMark, seq: seq})
		}
		out = append(out, f)
	}
	sortBySeverity(out)
	return out
}

// explainedMark stands, in the fired set, for "a finding said what to do
// about this command" (no rule has an empty id).
const explainedMark = ""

// Line is the line to show for ev, which Observe has just taken and
// answered with found. An error that a finding explains says only what
// happened, so that each piece of advice is given once, by the finding:
// a finding of ev's own, or an earlier one about the same command, such
// as a stalled transfer whose final reply then never came. So does a data
// connection that broke while its command still waits for the final
// reply: that reply (a 426), or its absence, is what the findings
// explain, and a broken data connection is not a control connection to
// connect again. So does an error of the control connection after a
// finding of a rule marked ends_session (vsftpd's OOPS): the server
// ended the session, as the finding said. Other events read as EventLine
// words them.
func (e *Engine) Line(ev protocol.Event, found []Finding) string {
	seq := e.lastSeq
	return eventLine(ev, explained(found) || seq != 0 && e.fired.has(firedKey{rule: explainedMark, seq: seq}) || e.brokeBeforeFinal(ev) || e.endedBefore(ev))
}

// endedBefore reports an error or close event of the control connection
// after a finding said the server ended the session (ends_session): the
// finding has said why, and the error's own advice ("connect again")
// would contradict it.
func (e *Engine) endedBefore(ev protocol.Event) bool {
	return e.ended && (ev.Kind == protocol.EventError || ev.Kind == protocol.EventClose)
}

// brokeBeforeFinal reports a data connection's end, the event Observe has
// just taken, that broke during the transfer before the command's final
// reply came.
func (e *Engine) brokeBeforeFinal(ev protocol.Event) bool {
	var data *protocol.DataError
	return e.lastWaiting && ev.Kind == protocol.EventData && ev.Data != nil &&
		errors.As(ev.Data.Err, &data) && data.Op == protocol.DataTransfer
}

// seqOf is the command an event is about: its own number, or for an
// event of the connection (an error, the close) the transfer it waits on.
func (e *Engine) seqOf(ev protocol.Event) int {
	if ev.Seq == 0 && ev.State != nil && ev.State.Transfer != 0 {
		return ev.State.Transfer
	}
	return ev.Seq
}

// finding builds the finding of rule r fired by ev.
func (e *Engine) finding(r *Rule, ev protocol.Event, seq int) Finding {
	vars := e.variables(ev, seq)
	expand := func(s string) string { return strings.TrimSpace(vars.Replace(s)) }
	f := Finding{
		ID: r.spec.ID, Severity: r.spec.Severity, Seq: seq,
		Cause: expand(r.spec.Cause), ClientFix: expand(r.spec.ClientFix), Source: expand(r.spec.Source),
		Evidence: e.evidence(ev, seq), replacesAdvice: r.spec.ReplacesAdvice,
	}
	if ev.State != nil {
		f.Server = ev.State.Server.Software
	}
	if fix, ok := r.spec.ServerFix[f.Server]; ok && f.Server != "" {
		f.ServerFixes = []ServerFix{{Server: f.Server, Fix: expand(fix)}}
	} else {
		for _, s := range knownServers {
			if fix, ok := r.spec.ServerFix[s]; ok {
				f.ServerFixes = append(f.ServerFixes, ServerFix{Server: s, Fix: expand(fix)})
			}
		}
	}
	return f
}

// variables are the values a rule's sentences may name.
func (e *Engine) variables(ev protocol.Event, seq int) *strings.Replacer {
	command, verb, code, server, peer, announced := e.commandOf(seq), verbOf(ev), "", "the server", "", ""
	if ev.Kind == protocol.EventReply && ev.Reply != nil {
		command, verb, code = ev.Command, ev.Verb, ev.Reply.CodeString()
		if ip := announcedIP(ev); ip != nil {
			announced = ip.String()
		}
	}
	if ip := dialedIP(ev); ip != nil {
		announced = ip.String()
	}
	if ev.State != nil {
		if n := ev.State.Server.Name(); n != "" {
			server = n
		}
		if ip := hostIP(ev.State.Peer); ip != nil {
			peer = ip.String()
		}
	}
	if command == "" {
		command = verb
	}
	return strings.NewReplacer("{command}", protocol.Escape(command), "{verb}", verb, "{code}", code,
		"{server}", server, "{peer}", peer, "{announced}", announced, "{rtt}", protocol.ShortDuration(ev.RTT))
}

// commandOf is the command line sent as number seq, if still recent.
func (e *Engine) commandOf(seq int) string {
	for i := e.recent.len() - 1; i >= 0; i-- {
		if ev := e.recent.at(i); ev.Kind == protocol.EventSend && ev.Seq == seq && seq != 0 {
			return ev.Line
		}
	}
	return ""
}

// evidence lists the lines of command seq (the command, its replies, its
// data connection) up to ev, and ev itself.
func (e *Engine) evidence(ev protocol.Event, seq int) []Evidence {
	var out []Evidence
	for i := range e.recent.len() - 1 {
		r := e.recent.at(i)
		if r.Seq != seq || r.Kind == protocol.EventWarning {
			continue
		}
		out = append(out, evidenceOf(*r)...)
	}
	return append(out, evidenceOf(ev)...)
}

// evidenceOf is the transcript line (or lines, for a reply) of an event.
func evidenceOf(ev protocol.Event) []Evidence {
	if ev.Kind == protocol.EventReply && ev.Reply != nil {
		out := make([]Evidence, 0, len(ev.Reply.Lines))
		for _, l := range ev.Reply.Lines {
			out = append(out, Evidence{Seq: ev.Seq, Kind: ev.Kind, Line: protocol.Escape(l)})
		}
		return out
	}
	// What happened, in plain words; not the fix, which is the
	// finding's to give.
	line := eventLine(ev, true)
	if line == "" {
		return nil
	}
	return []Evidence{{Seq: ev.Seq, Kind: ev.Kind, Line: protocol.Escape(line)}}
}

// sortBySeverity puts errors first, then warnings, then information,
// keeping the rules' order within each.
func sortBySeverity(fs []Finding) {
	rank := map[Severity]int{SeverityError: 0, SeverityWarning: 1, SeverityInfo: 2}
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && rank[fs[j].Severity] < rank[fs[j-1].Severity]; j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}
