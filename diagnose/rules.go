package diagnose

// Findings are data: diagnose/data/*.yaml, embedded, one rule per
// finding. A rule says when it fires (the event, the command, the reply
// code, patterns of the reply text, facts of the session, error kinds,
// timing, the server's identity) and what it concludes (cause, fixes,
// source). This file reads and checks the data and matches one rule.

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/ftpscope/ftpscope/protocol"
)

//go:generate go run ./genfindings

// dataFS holds the findings as contributors write them (data/*.yaml) and
// as the binary reads them (data/findings.json, made by go generate:
// JSON decodes many times faster than YAML, which keeps start-up quick).
//
//go:embed data/*.yaml data/findings.json
var dataFS embed.FS

// ruleFile is the shape of one data file.
type ruleFile struct {
	Findings []ruleSpec `yaml:"findings" json:"findings,omitempty"`
}

// ruleSpec is one rule as written in YAML. Every condition given must
// hold; a list holds when any of its items does (except errors and
// facts, where every item must).
type ruleSpec struct {
	ID       string   `yaml:"id" json:"id,omitempty"`
	Severity Severity `yaml:"severity" json:"severity,omitempty"`
	// On is the kind of event the rule looks at: reply (the default),
	// error, data (a data connection's close), tls or close.
	On string `yaml:"on" json:"on,omitempty"`
	// Verbs are the commands the reply answers or the event belongs to;
	// "(connection)" is the greeting.
	Verbs []string `yaml:"verbs" json:"verbs,omitempty"`
	// Codes are reply codes, such as 530, or classes such as "5xx".
	Codes []string `yaml:"codes" json:"codes,omitempty"`
	// Command are regular expressions (case-insensitive), any of which
	// must match the command line the reply answers.
	Command []string `yaml:"command" json:"command,omitempty"`
	// Text are regular expressions (case-insensitive), any of which must
	// match the reply's text (all lines) or the event's line.
	Text    []string `yaml:"text" json:"text,omitempty"`
	NotText []string `yaml:"not_text" json:"not_text,omitempty"`
	// Errors are error kinds (see errorNames) the event's error must all
	// have. A tls event's error is its certificate's, when the control
	// connection's certificate did not verify and was accepted all the
	// same (the fact certificate-accepted).
	Errors []string `yaml:"errors" json:"errors,omitempty"`
	// Facts must all be true, NotFacts all false (see factNames).
	Facts    []string `yaml:"facts" json:"facts,omitempty"`
	NotFacts []string `yaml:"not_facts" json:"not_facts,omitempty"`
	// MinRTT is the least round-trip time of the reply, such as "2s".
	MinRTT string `yaml:"min_rtt" json:"min_rtt,omitempty"`
	// Servers limits the rule to these answering servers.
	Servers []string `yaml:"servers" json:"servers,omitempty"`
	// EndsSession says that what the rule found ends the session on the
	// server's side (vsftpd's OOPS exits the session's process): a
	// connection error after it is its consequence, and says only what
	// happened, with no advice of its own ("connect again").
	EndsSession bool `yaml:"ends_session" json:"ends_session,omitempty"`
	// Cause, ClientFix and ServerFix are the conclusion; {command},
	// {verb}, {code}, {server}, {peer}, {announced} and {rtt} are
	// replaced by the event's values.
	Cause     string            `yaml:"cause" json:"cause,omitempty"`
	ClientFix string            `yaml:"client_fix" json:"client_fix,omitempty"`
	ServerFix map[string]string `yaml:"server_fix" json:"server_fix,omitempty"`
	Source    string            `yaml:"source" json:"source,omitempty"`
	// ReplacesAdvice says that the reply does not mean what its code
	// says in general, so the finding replaces the code's generic advice
	// even when its severity is info (see Finding.ReplacesAdvice).
	ReplacesAdvice bool `yaml:"replaces_advice" json:"replaces_advice,omitempty"`
	// Examples are real servers' replies that must fire the rule, and
	// Counter ones that must not; the tests play them.
	Examples []Example `yaml:"examples" json:"-"`
	Counter  []Example `yaml:"counter" json:"-"`
}

// Example is one reply, as a server sent it, to a command.
type Example struct {
	// Server is the software that sends it (a protocol.Server* constant).
	Server string `yaml:"server" json:"server,omitempty"`
	// Command is the command line it answers.
	Command string `yaml:"command" json:"command,omitempty"`
	// Reply is the reply's lines, as received.
	Reply []string `yaml:"reply" json:"reply,omitempty"`
	// Facts are facts that hold for the example.
	Facts []string `yaml:"facts" json:"facts,omitempty"`
	// RTT is the reply's round-trip time, such as "3s".
	RTT string `yaml:"rtt" json:"rtt,omitempty"`
}

// Rule is a compiled rule.
type Rule struct {
	spec    ruleSpec
	verbs   map[string]bool
	codes   []string
	text    []*regexp.Regexp
	notText []*regexp.Regexp
	command []*regexp.Regexp
	minRTT  time.Duration
	servers map[string]bool
}

// ID returns the rule's id.
func (r *Rule) ID() string { return r.spec.ID }

// Examples returns the replies that must fire the rule, and those that
// must not.
func (r *Rule) Examples() (fire, not []Example) { return r.spec.Examples, r.spec.Counter }

// Rules are the compiled findings, in file order.
type Rules struct {
	list []*Rule
}

// List returns the rules.
func (rs *Rules) List() []*Rule { return rs.list }

// LoadRules reads the findings built into ftpscope, compiled from
// data/*.yaml into data/findings.json (see CompileYAML).
func LoadRules() (*Rules, error) {
	raw, err := dataFS.ReadFile("data/findings.json")
	if err != nil {
		return nil, err
	}
	var specs []ruleSpec
	if err := json.Unmarshal(raw, &specs); err != nil {
		return nil, fmt.Errorf("read the compiled findings: %w", err)
	}
	rs := &Rules{}
	for _, spec := range specs {
		r, err := compileRule(spec)
		if err != nil {
			return nil, fmt.Errorf("finding %q: %w", spec.ID, err)
		}
		rs.list = append(rs.list, r)
	}
	return rs, nil
}

// CompileYAML reads and checks the findings' YAML source in fsys (see
// ParseRules) and returns them as the JSON the binary embeds. go generate
// runs it through diagnose/genfindings.
func CompileYAML(fsys fs.FS) ([]byte, error) {
	rs, err := ParseRules(fsys)
	if err != nil {
		return nil, err
	}
	specs := make([]ruleSpec, len(rs.list))
	for i, r := range rs.list {
		specs[i] = r.spec
	}
	out, err := json.MarshalIndent(specs, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// sourceFS is the YAML source of the built-in findings, for the tests
// that check the compiled JSON is current.
func sourceFS() (fs.FS, error) { return fs.Sub(dataFS, "data") }

// ParseRules reads and checks every *.yaml file of fsys: no unknown
// field, no id twice, known severities, events, facts, error kinds and
// servers, regular expressions that compile, a cause, a fix and a source.
func ParseRules(fsys fs.FS) (*Rules, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list finding files: %w", err)
	}
	sort.Strings(names)
	rs := &Rules{}
	seen := map[string]string{}
	for _, name := range names {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		var f ruleFile
		if err := yaml.NewDecoder(bytes.NewReader(raw), yaml.DisallowUnknownField()).Decode(&f); err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		for _, spec := range f.Findings {
			if first, dup := seen[spec.ID]; dup {
				return nil, fmt.Errorf("%s: finding %q is defined twice (first in %s)", name, spec.ID, first)
			}
			seen[spec.ID] = name
			r, err := compileRule(spec)
			if err != nil {
				return nil, fmt.Errorf("%s: finding %q: %w", name, spec.ID, err)
			}
			rs.list = append(rs.list, r)
		}
	}
	return rs, nil
}

// knownServers are the keys server_fix and servers may use.
var knownServers = []string{protocol.ServerVsftpd, protocol.ServerProFTPD, protocol.ServerPureFTPd, protocol.ServerFileZilla, protocol.ServerPyftpdlib, protocol.ServerIIS}

// compileRule checks a rule and compiles its patterns.
func compileRule(spec ruleSpec) (*Rule, error) {
	if spec.On == "" {
		spec.On = "reply"
	}
	switch {
	case spec.ID == "":
		return nil, fmt.Errorf("no id")
	case spec.Severity != SeverityError && spec.Severity != SeverityWarning && spec.Severity != SeverityInfo:
		return nil, fmt.Errorf("severity %q: use error, warning or info", spec.Severity)
	case !slices.Contains([]string{"reply", "error", "data", "tls", "close"}, spec.On):
		return nil, fmt.Errorf("on %q: use reply, error, data, tls or close", spec.On)
	case strings.TrimSpace(spec.Cause) == "" || strings.TrimSpace(spec.ClientFix) == "" && len(spec.ServerFix) == 0:
		return nil, fmt.Errorf("a finding needs a cause and a fix")
	case strings.TrimSpace(spec.Source) == "":
		return nil, fmt.Errorf("no source")
	}
	r := &Rule{spec: spec, verbs: map[string]bool{}, servers: map[string]bool{}}
	for _, v := range spec.Verbs {
		if v != protocol.GreetingVerb {
			v = strings.ToUpper(v)
		}
		r.verbs[v] = true
	}
	for _, c := range spec.Codes {
		if !isCodePattern(c) {
			return nil, fmt.Errorf("code %q: use three digits or a class such as 5xx", c)
		}
		r.codes = append(r.codes, c)
	}
	for _, list := range []struct {
		in  []string
		out *[]*regexp.Regexp
	}{{spec.Text, &r.text}, {spec.NotText, &r.notText}, {spec.Command, &r.command}} {
		for _, p := range list.in {
			re, err := regexp.Compile("(?i)" + p)
			if err != nil {
				return nil, fmt.Errorf("pattern %q: %w", p, err)
			}
			*list.out = append(*list.out, re)
		}
	}
	for _, e := range spec.Errors {
		if _, ok := errorNames[e]; !ok {
			return nil, fmt.Errorf("unknown error kind %q", e)
		}
	}
	for _, f := range append(append([]string(nil), spec.Facts...), spec.NotFacts...) {
		if _, ok := factNames[f]; !ok {
			return nil, fmt.Errorf("unknown fact %q", f)
		}
	}
	if spec.MinRTT != "" {
		d, err := time.ParseDuration(spec.MinRTT)
		if err != nil {
			return nil, fmt.Errorf("min_rtt: %w", err)
		}
		r.minRTT = d
	}
	for _, s := range spec.Servers {
		if !slices.Contains(knownServers, s) {
			return nil, fmt.Errorf("unknown server %q", s)
		}
		r.servers[s] = true
	}
	for s := range spec.ServerFix {
		if !slices.Contains(knownServers, s) {
			return nil, fmt.Errorf("server_fix for unknown server %q", s)
		}
	}
	return r, nil
}

// isCodePattern reports whether c is a reply code ("530") or a class
// ("5xx").
func isCodePattern(c string) bool {
	if len(c) != 3 || c[0] < '1' || c[0] > '6' {
		return false
	}
	if c[1:] == "xx" {
		return true
	}
	return c[1] >= '0' && c[1] <= '9' && c[2] >= '0' && c[2] <= '9'
}

// matches reports whether the rule fires on ev, whose facts and error
// kinds are given.
func (r *Rule) matches(ev protocol.Event, fact map[string]bool, errs map[string]bool) bool {
	if !r.onEvent(ev) {
		return false
	}
	verb := ev.Verb
	if ev.Kind != protocol.EventReply {
		verb = verbOf(ev)
	}
	if len(r.verbs) > 0 && !r.verbs[verb] {
		return false
	}
	if len(r.codes) > 0 && (ev.Reply == nil || !r.codeMatches(ev.Reply.Code)) {
		return false
	}
	if len(r.command) > 0 && !slices.ContainsFunc(r.command, func(re *regexp.Regexp) bool { return re.MatchString(ev.Command) }) {
		return false
	}
	text := eventText(ev)
	if len(r.text) > 0 && !slices.ContainsFunc(r.text, func(re *regexp.Regexp) bool { return re.MatchString(text) }) {
		return false
	}
	if slices.ContainsFunc(r.notText, func(re *regexp.Regexp) bool { return re.MatchString(text) }) {
		return false
	}
	for _, e := range r.spec.Errors {
		if !errs[e] {
			return false
		}
	}
	for _, f := range r.spec.Facts {
		if !fact[f] {
			return false
		}
	}
	for _, f := range r.spec.NotFacts {
		if fact[f] {
			return false
		}
	}
	if r.minRTT > 0 && ev.RTT < r.minRTT {
		return false
	}
	if len(r.servers) > 0 && (ev.State == nil || !r.servers[ev.State.Server.Software]) {
		return false
	}
	return true
}

// onEvent reports whether ev is the kind of event the rule looks at.
func (r *Rule) onEvent(ev protocol.Event) bool {
	switch r.spec.On {
	case "reply":
		return ev.Kind == protocol.EventReply && ev.Reply != nil
	case "error":
		return ev.Kind == protocol.EventError
	case "data":
		return ev.Kind == protocol.EventData && ev.Data != nil && ev.Data.Phase == protocol.DataClosed
	case "tls":
		return ev.Kind == protocol.EventTLS && ev.TLS != nil
	case "close":
		return ev.Kind == protocol.EventClose
	}
	return false
}

// codeMatches reports whether code is one of the rule's codes or classes.
func (r *Rule) codeMatches(code int) bool {
	if code < 100 || code > 999 {
		return false // a malformed reply's code (0) matches no pattern
	}
	// Patterns are three digits or a class ("5xx"), checked when loaded
	// (isCodePattern): compared digit by digit, without formatting code.
	d0, d1, d2 := byte('0'+code/100), byte('0'+code/10%10), byte('0'+code%10)
	for _, want := range r.codes {
		if want[0] == d0 && (want[1:] == "xx" || want[1] == d1 && want[2] == d2) {
			return true
		}
	}
	return false
}

// eventText is the text patterns look at: a reply's lines without their
// codes, joined, or the event's line.
func eventText(ev protocol.Event) string {
	if ev.Kind != protocol.EventReply || ev.Reply == nil {
		return ev.Line
	}
	lines := make([]string, len(ev.Reply.Lines))
	for i, l := range ev.Reply.Lines {
		if len(l) >= 4 && ev.Reply.Code != 0 && strings.HasPrefix(l, ev.Reply.CodeString()) {
			l = l[4:]
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}

// verbOf is the command verb an event belongs to: a data connection's
// transfer verb, or the verb of the transfer the state waits on.
func verbOf(ev protocol.Event) string {
	var data *protocol.DataError
	switch {
	case ev.Data != nil:
		return ev.Data.Verb
	case errors.As(ev.Err, &data) && data.Verb != "":
		return data.Verb
	case ev.State != nil && ev.State.Data.Seq != 0 && (ev.State.Data.Seq == ev.Seq || ev.Seq == 0 && ev.State.Transfer == ev.State.Data.Seq):
		return ev.State.Data.Verb
	}
	return ""
}
