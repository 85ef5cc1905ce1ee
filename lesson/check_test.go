package lesson

import (
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/protocol"
)

// outcomeAfter plays exchanges (a command line and its reply, "|"
// between them) through protocol's Tracker, as a session does, and
// returns the outcome of the last reply.
func outcomeAfter(t *testing.T, exchanges ...string) Outcome {
	t.Helper()
	tracker := protocol.NewTracker()
	var last Outcome
	for i, x := range exchanges {
		command, replyLine, _ := strings.Cut(x, "|")
		r, err := protocol.NewReplyReader(strings.NewReader(replyLine + "\r\n")).ReadReply()
		if err != nil {
			t.Fatal(err)
		}
		verb := strings.ToUpper(strings.Fields(command + " x")[0])
		send := protocol.Event{Kind: protocol.EventSend, Line: command, Seq: i + 1}
		tracker.Observe(&send)
		ev := protocol.Event{Kind: protocol.EventReply, Reply: r, Command: command, Verb: verb, Seq: i + 1}
		tracker.Observe(&ev)
		o, ok := OutcomeOf(ev)
		if !ok {
			t.Fatalf("%s: not an outcome", x)
		}
		last = o
	}
	return last
}

func yes() *bool { b := true; return &b }

// TestExpectVariations checks that a step passes on what happened, so
// the variations a learner types pass by themselves, and that what did
// not happen fails.
func TestExpectVariations(t *testing.T) {
	loggedIn := []string{"USER demo|331 User name ok, password required", "PASS ****|230 Password ok, continue"}
	tests := []struct {
		name      string
		expect    Expect
		exchanges []string
		pass      bool
	}{
		{"USER in lower case", Expect{Reply: []Code{"331"}, To: []string{"USER"}},
			[]string{"user demo|331 User name ok, password required"}, true},
		{"logged in, typed in lower case", Expect{LoggedIn: yes()},
			[]string{"user demo|331 Password required", "pass ****|230 Logged in"}, true},
		{"logged in as the user asked", Expect{User: "demo"}, loggedIn, true},
		{"logged in as another user", Expect{User: "anonymous"}, loggedIn, false},
		{"a refused password is not a login", Expect{LoggedIn: yes()},
			[]string{"USER demo|331 Password required", "PASS ****|530 Login incorrect."}, false},
		{"EPSV where PASV was suggested", Expect{Reply: []Code{"227", "229"}, DataAnnounced: yes()},
			append(loggedIn, "EPSV|229 Entering Extended Passive Mode (|||40000|)"), true},
		{"PASV", Expect{DataAnnounced: yes()},
			append(loggedIn, "PASV|227 Entering Passive Mode (127,0,0,1,156,64)."), true},
		{"PORT announces a data connection too", Expect{DataAnnounced: yes()},
			append(loggedIn, "PORT 127,0,0,1,156,64|200 PORT command successful."), true},
		{"a refused PASV announces nothing", Expect{DataAnnounced: yes()},
			append(loggedIn, "PASV|550 Permission denied."), false},
		{"TYPE I after a PASV announces nothing", Expect{DataAnnounced: yes()},
			append(loggedIn, "PASV|227 Entering Passive Mode (127,0,0,1,156,64).", "TYPE I|200 Switching to Binary mode."), false},
		{"CWD with a relative path", Expect{Directory: "/pub"},
			append(loggedIn, "PWD|257 \"/\" is the current directory", "CWD pub|250 Directory successfully changed."), true},
		{"CWD with an absolute path", Expect{Directory: "/pub"},
			append(loggedIn, "CWD /pub|250 Directory successfully changed."), true},
		{"CWD .. back to the root", Expect{Directory: "/"},
			append(loggedIn, "CWD /pub|250 OK", "CWD ..|250 OK"), true},
		{"CDUP back to the root", Expect{Directory: "/"},
			append(loggedIn, "CWD /pub|250 OK", "CDUP|250 OK"), true},
		{"XPWD for PWD", Expect{Reply: []Code{"257"}, To: []string{"PWD", "XPWD"}, Directory: "/pub"},
			append(loggedIn, "XPWD|257 \"/pub\" is the current directory"), true},
		{"a refused CWD does not move", Expect{Directory: "/pub"},
			append(loggedIn, "PWD|257 \"/\"", "CWD pub|550 Failed to change directory."), false},
		{"NLST for a listing", Expect{Reply: []Code{"226"}, To: []string{"LIST", "NLST", "MLSD"}},
			append(loggedIn, "NLST|226 Transfer complete."), true},
		{"RETR is not a listing", Expect{Reply: []Code{"226"}, To: []string{"LIST", "NLST", "MLSD"}},
			append(loggedIn, "RETR x|226 Transfer complete."), false},
		{"type i in lower case", Expect{Type: "I"},
			append(loggedIn, "type i|200 Switching to Binary mode."), true},
		{"TYPE L 8 is not TYPE I", Expect{Type: "I"},
			append(loggedIn, "TYPE L 8|200 Type set to L."), false},
		{"prot p in lower case", Expect{Protection: "P"},
			[]string{"PBSZ 0|200 PBSZ=0", "prot p|200 PROT now Private."}, true},
		{"a refused PROT", Expect{Protection: "P"},
			[]string{"PROT P|503 PROT needs a security mechanism."}, false},
		{"a family of codes", Expect{Reply: []Code{"5xx"}},
			append(loggedIn, "XYZZY|500 Unknown command."), true},
		{"the wrong family", Expect{Reply: []Code{"4xx"}},
			append(loggedIn, "XYZZY|500 Unknown command."), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := outcomeAfter(t, tt.exchanges...)
			ok, unmet := tt.expect.Check(o)
			if ok != tt.pass {
				t.Errorf("Check = %v (unmet: %v), want %v; outcome %+v", ok, unmet, tt.pass, o)
			}
			if !ok && len(unmet) == 0 {
				t.Error("a failed check says nothing about what is missing")
			}
		})
	}
}

func TestExpectDescribe(t *testing.T) {
	tests := []struct {
		expect Expect
		want   string
	}{
		{Expect{Reply: []Code{"331"}, To: []string{"USER"}}, "a 331 reply, in answer to USER"},
		{Expect{Reply: []Code{"227", "229"}, DataAnnounced: yes()}, "a 227 or 229 reply, a data connection announced (PASV, EPSV, PORT or EPRT accepted)"},
		{Expect{LoggedIn: yes(), TLS: yes()}, "a logged-in session, the control connection protected by TLS"},
		{Expect{Directory: "/pub", Type: "I", Protection: "P"}, "data protection level P (PROT P accepted), transfer type I (TYPE I accepted), the working directory /pub"},
		{Expect{}, "any reply"},
	}
	for _, tt := range tests {
		if got := tt.expect.Describe(); got != tt.want {
			t.Errorf("Describe(%+v)\n got %q\nwant %q", tt.expect, got, tt.want)
		}
	}
}

// TestPlayerExplainsWithoutPunishing checks the player's words for the
// three things a reply can be: the step done, a turn to come back from,
// or a step on the way.
func TestPlayerExplainsWithoutPunishing(t *testing.T) {
	l, err := Parse("t.yaml", []byte(`name: t
title: T
steps:
  - say: List.
    try: LIST
    expect: {reply: 226, to: [LIST, NLST, MLSD]}
    wrong:
      - reply: 425
        say: Send PASV first, then LIST.
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPlayer(l, catalog.MustLoad())
	p.Observe(outcomeAfter(t, "TYPE A|200 Type set to A."))
	if f := p.Feedback(); f.Kind != FeedbackNotYet || !strings.Contains(feedbackText(f), "This step still waits for a 226 reply, in answer to LIST, NLST or MLSD") {
		t.Errorf("a step on the way: %d %s", f.Kind, feedbackText(f))
	}
	p.Observe(outcomeAfter(t, "LIST|425 Use PORT or PASV first."))
	if f := p.Feedback(); f.Kind != FeedbackWrongTurn || p.Index() != 0 || !strings.Contains(feedbackText(f), "Send PASV first, then LIST.") || !strings.HasPrefix(f.Headline, "↺ 425") {
		t.Errorf("a wrong turn: %d %s", f.Kind, feedbackText(f))
	}
	p.Observe(outcomeAfter(t, "STAT|500 Unknown command."))
	if f := p.Feedback(); f.Kind != FeedbackWrongTurn || !strings.Contains(feedbackText(f), "you sent STAT, and this step suggests LIST") {
		t.Errorf("a wrong turn without a prepared explanation: %s", feedbackText(f))
	}
	p.Observe(outcomeAfter(t, "nlst|226 Transfer complete."))
	if f := p.Feedback(); f.Kind != FeedbackPassed || !p.Finished() {
		t.Errorf("the step done: %d %s", f.Kind, feedbackText(f))
	}
	var codes []string
	for _, n := range p.Summary() {
		codes = append(codes, n.Code)
	}
	if got := strings.Join(codes, " "); got != "200 226 425 500" {
		t.Errorf("codes met = %s, want 200 226 425 500", got)
	}
}

// TestNotYetSaysWholeCondition checks the note for a reply that has the
// step's code but answers another command: it names what the step waits
// for as a whole phrase (a PROT P before PBSZ 0 got "This step still
// waits for in answer to PBSZ." in the tls lesson).
func TestNotYetSaysWholeCondition(t *testing.T) {
	tests := []struct {
		name      string
		expect    string
		exchange  string
		wantWaits string
	}{
		{"the code, not the command", "{reply: 200, to: PBSZ}", "PROT P|200 PROT now Private.", "This step still waits for a 200 reply, in answer to PBSZ."},
		{"neither", "{reply: 200, to: PBSZ}", "NOOP|226 Done.", "This step still waits for a 200 reply, in answer to PBSZ."},
		{"a command without a code", "{to: PBSZ}", "NOOP|200 NOOP ok.", "This step still waits for a reply in answer to PBSZ."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Parse("t.yaml", []byte("name: t\ntitle: T\nsteps:\n  - say: Send PBSZ 0.\n    try: PBSZ 0\n    expect: "+tt.expect+"\n"), nil)
			if err != nil {
				t.Fatal(err)
			}
			p := NewPlayer(l, catalog.MustLoad())
			p.Observe(outcomeAfter(t, tt.exchange))
			if f := p.Feedback(); f.Kind != FeedbackNotYet || !strings.Contains(feedbackText(f), tt.wantWaits) {
				t.Errorf("after %q the player said (kind %d):\n%s\nwant it to contain %q", tt.exchange, f.Kind, feedbackText(f), tt.wantWaits)
			}
		})
	}
}
