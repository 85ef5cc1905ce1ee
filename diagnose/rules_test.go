package diagnose

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ftpscope/ftpscope/protocol"
)

// sourceRules reads the findings from their YAML source, which holds the
// examples (the compiled JSON leaves them out).
func sourceRules(t *testing.T) *Rules {
	t.Helper()
	src, err := sourceFS()
	if err != nil {
		t.Fatal(err)
	}
	rules, err := ParseRules(src)
	if err != nil {
		t.Fatal(err)
	}
	return rules
}

// exampleEvent turns a rule's example into the reply event a session
// would report: the server identified, the example's facts true.
func exampleEvent(t *testing.T, ex Example) protocol.Event {
	t.Helper()
	st := &protocol.SessionState{Connected: true, Peer: "127.0.0.1:21", Server: protocol.ServerIdentity{Software: ex.Server, From: "greeting"}}
	const seq = 5
	for _, f := range ex.Facts {
		switch f {
		case "control-tls":
			st.ControlTLS = true
		case "prot-p":
			st.Prot = "P"
		case "type-a":
			st.Type = "A"
		case "logged-in":
			st.LoggedIn = true
		case "passive":
			st.Mode = protocol.ModePassive
		case "active":
			st.Mode = protocol.ModeActive
		case "ipv6":
			st.Peer = "[::1]:21"
		case "data-prepared":
			st.Data.Seq = seq
		case "data-opened":
			st.Data.Opened = true
		case "transfer-waiting":
			st.Transfer = seq
		case "slow-greeting":
			st.Timing.Greeting = 5 * time.Second
		case "slow-lookup":
			st.Timing.Lookup = 3 * time.Second
		case "anonymous-user":
			st.PendingUser = "anonymous"
		case "pasv-refused":
			st.RefusedModes = append(st.RefusedModes, "PASV")
		case "epsv-refused":
			st.RefusedModes = append(st.RefusedModes, "EPSV")
		case "active-refused":
			st.RefusedModes = append(st.RefusedModes, "PORT")
		default:
			t.Fatalf("example fact %q cannot be set up", f)
		}
	}
	r := &protocol.Reply{Lines: ex.Reply}
	for _, c := range ex.Reply[0][:3] {
		r.Code = r.Code*10 + int(c-'0')
	}
	verb, _, _ := strings.Cut(ex.Command, " ")
	if ex.Command != protocol.GreetingVerb {
		verb = strings.ToUpper(verb)
	}
	ev := protocol.Event{Kind: protocol.EventReply, Seq: seq, Command: ex.Command, Verb: verb, Reply: r, State: st, Time: time.Now()}
	_, arg, _ := strings.Cut(ex.Command, " ")
	if e, ok := protocol.ReplyEffect(verb, arg, r); ok {
		ev.Effect = &e // as the session's tracker attaches it
	}
	if ex.RTT != "" {
		d, err := time.ParseDuration(ex.RTT)
		if err != nil {
			t.Fatalf("example rtt %q: %v", ex.RTT, err)
		}
		ev.RTT = d
	}
	return ev
}

// fired returns the ids of the findings an event gives, and the findings.
func fired(rules *Rules, ev protocol.Event) ([]string, []Finding) {
	fs := NewEngine(rules).Observe(ev)
	ids := make([]string, len(fs))
	for i, f := range fs {
		ids[i] = f.ID
	}
	return ids, fs
}

// TestRuleExamples plays every example of the findings data, real
// servers' replies: each fires its rule, and no other error or warning
// (so ftpscope never names two causes, or the wrong one); each counter
// example does not fire it. Where servers word a fault differently, the
// rule lists each server's words.
func TestRuleExamples(t *testing.T) {
	rules := sourceRules(t)
	severity := map[string]Severity{}
	for _, r := range rules.List() {
		severity[r.ID()] = r.spec.Severity
	}
	for _, r := range rules.List() {
		fire, not := r.Examples()
		for _, ex := range fire {
			ids, fs := fired(rules, exampleEvent(t, ex))
			if !slices.Contains(ids, r.ID()) {
				t.Errorf("%s: %s's %q to %s does not fire it (fired %v)", r.ID(), ex.Server, ex.Reply[0], ex.Command, ids)
				continue
			}
			for _, id := range ids {
				if id != r.ID() && severity[id] != SeverityInfo && r.spec.Severity != SeverityInfo {
					t.Errorf("%s: %s's %q to %s also fires %s", r.ID(), ex.Server, ex.Reply[0], ex.Command, id)
				}
			}
			f := fs[slices.Index(ids, r.ID())]
			if len(r.spec.ServerFix) > 0 && r.spec.ServerFix[ex.Server] != "" && (len(f.ServerFixes) != 1 || f.ServerFixes[0].Server != ex.Server) {
				t.Errorf("%s: for %s the server fix should be %s's alone, got %+v", r.ID(), ex.Server, ex.Server, f.ServerFixes)
			}
			if strings.Contains(f.Cause+f.ClientFix+f.ServerFixText(), "{") {
				t.Errorf("%s: a variable is left unexpanded: %q", r.ID(), f.Summary())
			}
		}
		for _, ex := range not {
			if ids, _ := fired(rules, exampleEvent(t, ex)); slices.Contains(ids, r.ID()) {
				t.Errorf("%s: counter example %s's %q to %s fires it", r.ID(), ex.Server, ex.Reply[0], ex.Command)
			}
		}
	}
}

// TestEveryReplyRuleHasExamples keeps the data honest: a rule on replies
// needs real servers' words to be tested against.
func TestEveryReplyRuleHasExamples(t *testing.T) {
	rules := sourceRules(t)
	for _, r := range rules.List() {
		if fire, _ := r.Examples(); r.spec.On == "reply" && len(fire) == 0 {
			t.Errorf("%s: a reply rule without examples", r.ID())
		}
	}
}

// TestParseRulesRefusesMistakes checks that a contributor's mistake in
// the data is named, not silently ignored.
func TestParseRulesRefusesMistakes(t *testing.T) {
	good := "  - id: x\n    severity: error\n    cause: c\n    client_fix: f\n    source: s\n"
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown field", good + "    colour: red\n", "colour"},
		{"bad severity", strings.Replace(good, "error", "fatal", 1), "severity"},
		{"unknown fact", good + "    facts: [sunny]\n", "unknown fact"},
		{"unknown error kind", good + "    errors: [gremlins]\n", "unknown error kind"},
		{"unknown server", good + "    server_fix: {wu-ftpd: x}\n", "unknown server"},
		{"bad pattern", good + "    text: ['(']\n", "pattern"},
		{"bad code", good + "    codes: ['5x']\n", "code"},
		{"no source", strings.Replace(good, "    source: s\n", "", 1), "source"},
		{"twice", good + strings.Replace(good, "  - id: x", "  - id: x", 1), "twice"},
	}
	for _, tt := range tests {
		fsys := fstest.MapFS{"a.yaml": {Data: []byte("findings:\n" + tt.yaml)}}
		_, err := ParseRules(fsys)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one naming %q", tt.name, err, tt.want)
		}
	}
	if _, err := ParseRules(fstest.MapFS{"a.yaml": {Data: []byte("findings:\n" + good)}}); err != nil {
		t.Errorf("a good rule is refused: %v", err)
	}
}

// TestCompiledFindingsAreCurrent fails while data/findings.json, which the
// binary reads, is older than the YAML a contributor edited: run
// go generate ./diagnose.
func TestCompiledFindingsAreCurrent(t *testing.T) {
	src, err := sourceFS()
	if err != nil {
		t.Fatal(err)
	}
	want, err := CompileYAML(src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := dataFS.ReadFile("data/findings.json")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("data/findings.json is out of date: run go generate ./diagnose")
	}
}

// FuzzObserve runs the findings over replies with any text to any
// command: no pattern, fact or expansion panics on what a server sends.
func FuzzObserve(f *testing.F) {
	f.Add("PASS ****", "530 Login incorrect.")
	f.Add("PASV", "227 Entering Passive Mode (10,0,0,5,195,80).")
	f.Add("USER a", "500 OOPS: vsftpd: refusing to run with writable root inside chroot()")
	f.Add("LIST", "522 SSL connection failed: session reuse required")
	rules, err := LoadRules()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, command, line string) {
		eng := NewEngine(rules)
		connect := protocol.Event{Kind: protocol.EventConnect, Connect: &protocol.ConnectInfo{Remote: "[::1]:21"}}
		eng.Observe(connect)
		r := &protocol.Reply{Lines: []string{line}}
		if len(line) >= 3 {
			for _, c := range line[:3] {
				if c < '0' || c > '9' {
					r.Code = 0
					break
				}
				r.Code = r.Code*10 + int(c-'0')
			}
		}
		verb, _, _ := strings.Cut(command, " ")
		for _, f := range eng.Observe(protocol.Event{Kind: protocol.EventReply, Seq: 1, Command: command, Verb: strings.ToUpper(verb), Reply: r}) {
			if f.Cause == "" || f.ID == "" {
				t.Fatalf("an empty finding: %+v", f)
			}
		}
	})
}

// TestFindingsDocIsCurrent fails while docs/FINDINGS.md does not list the
// findings as the data has them: run go generate ./diagnose.
func TestFindingsDocIsCurrent(t *testing.T) {
	got, err := os.ReadFile(filepath.Join("..", "docs", "FINDINGS.md"))
	if err != nil {
		t.Fatal(err)
	}
	if want := sourceRules(t).Markdown(); string(got) != want {
		t.Errorf("docs/FINDINGS.md is out of date: run go generate ./diagnose")
	}
}
