package lesson

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
)

// classroom plays a lesson against a real sandbox: commands go through a
// real session, and every event reaches the player as it would in the UI.
type classroom struct {
	t      *testing.T
	srv    *sandbox.Server
	conv   *protocol.Conversation
	player *Player
	// fault is the sandbox fault switched on for the current step.
	fault string
	// closed is set once the session has ended.
	closed bool
}

func sandboxFaults() []string {
	var names []string
	for _, f := range sandbox.FaultNames() {
		names = append(names, f.Name)
	}
	return names
}

// newClassroom starts a sandbox, connects, and logs in when the lesson
// asks ftpscope to.
func newClassroom(t *testing.T, l *Lesson) *classroom {
	t.Helper()
	srv, err := sandbox.Start(sandbox.Options{TLS: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	files := t.TempDir()
	if err := WritePracticeFiles(files); err != nil {
		t.Fatal(err)
	}
	c := &classroom{t: t, srv: srv, player: NewPlayer(Expand(l, files), catalog.MustLoad())}
	c.switchFault()
	s := protocol.Dial(protocol.Config{Addr: srv.Addr, RootCAs: srv.Cert.Pool(), ConnectTimeout: 10 * time.Second, ReplyTimeout: 20 * time.Second})
	c.conv = protocol.NewConversation(s, c.observe)
	t.Cleanup(c.conv.Close)
	if _, err := c.conv.Greeting(context.Background()); err != nil {
		t.Fatal(err)
	}
	switch l.Login {
	case "demo":
		c.do("USER demo")
		c.do("PASS demo")
	case "anonymous":
		c.do("USER anonymous")
		c.do("PASS learner@example.org")
	}
	return c
}

// observe passes one event to the player, as the UI does.
func (c *classroom) observe(ev protocol.Event) {
	c.player.Watch(ev)
	if ev.Kind == protocol.EventClose {
		c.closed = true
	}
	c.switchFault()
}

// switchFault switches the fault the current step asks for.
func (c *classroom) switchFault() {
	want := c.player.Fault()
	if want == c.fault {
		return
	}
	for _, f := range []struct {
		name string
		on   bool
	}{{c.fault, false}, {want, true}} {
		if f.name == "" {
			continue
		}
		if err := c.srv.SetFault(f.name, f.on); err != nil {
			c.t.Fatalf("SetFault(%s, %v): %v", f.name, f.on, err)
		}
	}
	c.fault = want
}

// do types a command and waits for its exchange to end. It returns the
// final reply's code.
func (c *classroom) do(line string) string {
	c.t.Helper()
	if c.closed {
		c.t.Fatalf("%s: the session has ended", line)
	}
	x, err := c.conv.Do(context.Background(), line)
	if err != nil && !c.closed {
		c.t.Fatalf("%s: %v", line, err)
	}
	if x == nil || x.Final == nil {
		return ""
	}
	return x.Final.CodeString()
}

// feedbackText is the player's feedback as one string, for messages.
func feedbackText(f Feedback) string {
	return f.Headline + " | " + strings.Join(f.Text, " | ")
}

// wrongTurns are one wrong command per built-in lesson: typed at a step
// (from 0), what the player must say, and the commands that get back on
// track before the step's own.
var wrongTurns = map[string]struct {
	step    int
	command string
	kind    FeedbackKind
	says    string
	// finding, when set, is part of a finding diagnose draws from the
	// reply, which the explanation must carry.
	finding string
	recover []string
}{
	"login":    {step: 0, command: "PASS demo", kind: FeedbackWrongTurn, says: "you sent PASS, and this step suggests USER"},
	"where":    {step: 1, command: "CWD pubb", kind: FeedbackWrongTurn, says: "There is no such directory here"},
	"listing":  {step: 0, command: "LIST", kind: FeedbackWrongTurn, says: "you sent LIST, and this step suggests PASV", finding: "each transfer needs its own"},
	"transfer": {step: 3, command: "RETR hello.txt", kind: FeedbackWrongTurn, says: "Check the name", recover: []string{"EPSV"}},
	"rename":   {step: 1, command: "RNFR readme.txt", kind: FeedbackWrongTurn, says: "There is no such file here"},
	"tls":      {step: 1, command: "PASS demo", kind: FeedbackWrongTurn, says: "you sent PASS, and this step suggests USER"},
	"errors":   {step: 4, command: "NOOP", kind: FeedbackNotYet, says: "This step still waits for a 500 reply"},
	"202-331":  {step: 1, command: "PASS wrong", kind: FeedbackWrongTurn, says: "Start again with USER", recover: []string{"USER demo"}},
}

// TestBuiltinLessonsPlayThrough types each step's suggested command
// against a real sandbox and checks that the lesson advances, with one
// wrong command per lesson explained on the way.
func TestBuiltinLessonsPlayThrough(t *testing.T) {
	lessons, err := Builtin(sandboxFaults())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lessons {
		t.Run(l.Name, func(t *testing.T) {
			wrong, hasWrong := wrongTurns[l.Name]
			if !hasWrong {
				t.Fatalf("no wrong turn to test for lesson %s", l.Name)
			}
			c := newClassroom(t, l)
			var finals []string
			for i := range l.Steps {
				step, _ := c.player.Step()
				if i == wrong.step {
					c.do(wrong.command)
					f := c.player.Feedback()
					if c.player.Index() != i || f.Kind != wrong.kind || !strings.Contains(feedbackText(f), wrong.says) {
						t.Errorf("step %d, wrong command %q: at step %d, feedback kind %d %q; want step %d, kind %d, saying %q",
							i+1, wrong.command, c.player.Index()+1, f.Kind, feedbackText(f), i+1, wrong.kind, wrong.says)
					}
					if !strings.Contains(feedbackText(f), wrong.finding) {
						t.Errorf("step %d, wrong command %q: the explanation lacks the finding %q: %s", i+1, wrong.command, wrong.finding, feedbackText(f))
					}
					for _, line := range wrong.recover {
						c.do(line)
					}
				}
				finals = append(finals, c.do(step.Try))
				if c.player.Index() != i+1 {
					t.Fatalf("step %d (line %d): %q did not complete it; the player said: %s", i+1, step.Line, step.Try, feedbackText(c.player.Feedback()))
				}
				if f := c.player.Feedback(); f.Kind != FeedbackPassed {
					t.Errorf("step %d: feedback kind %d after passing, want FeedbackPassed: %s", i+1, f.Kind, feedbackText(f))
				}
			}
			if !c.player.Finished() {
				t.Fatal("the lesson is not finished after its last step")
			}
			summary := c.player.Summary()
			for _, code := range finals {
				if !hasCode(summary, code) {
					t.Errorf("the summary lacks %s, the reply that completed a step; it lists %v", code, summary)
				}
			}
			for _, n := range summary {
				if n.Remember == "" || n.Name == "" {
					t.Errorf("summary line %+v has nothing to remember", n)
				}
			}
		})
	}
}

func hasCode(notes []CodeNote, code string) bool {
	for _, n := range notes {
		if n.Code == code {
			return true
		}
	}
	return false
}
