package protocol

import (
	"bufio"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/sandbox"
)

// collector gathers a session's events for tests.
type collector struct {
	t      *testing.T
	s      *Session
	events []Event
	next   int // index of the first event not yet matched
}

// waitFor drains events until one satisfies match, failing after 10s.
func (c *collector) waitFor(what string, match func(Event) bool) Event {
	c.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		for ; c.next < len(c.events); c.next++ {
			if match(c.events[c.next]) {
				c.next++
				return c.events[c.next-1]
			}
		}
		select {
		case <-c.s.Events().Ready():
			c.events = append(c.events, c.s.Events().Drain()...)
		case <-deadline:
			c.t.Fatalf("timed out waiting for %s; events so far:\n%s", what, dump(c.events))
		}
	}
}

func (c *collector) reply(verb string) *Reply {
	c.t.Helper()
	ev := c.waitFor("a final reply to "+verb, func(e Event) bool {
		return e.Kind == EventReply && e.Verb == verb && e.Reply.Class() != 1
	})
	return ev.Reply
}

func (c *collector) send(line string) {
	c.t.Helper()
	if err := c.s.Send(line); err != nil {
		c.t.Fatalf("Send(%q): %v", line, err)
	}
}

func dump(events []Event) string {
	var b strings.Builder
	for _, e := range events {
		b.WriteString(string(e.Kind) + " " + e.Line)
		if e.Reply != nil {
			b.WriteString(strings.Join(e.Reply.Lines, " | "))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func startSandbox(t *testing.T) *sandbox.Server {
	t.Helper()
	srv, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func TestSessionAgainstSandbox(t *testing.T) {
	srv := startSandbox(t)
	c := &collector{t: t, s: Dial(Config{Addr: srv.Addr})}
	defer c.s.Close()

	if r := c.reply(GreetingVerb); r.Code != 220 {
		t.Fatalf("greeting = %v, want 220", r.Lines)
	}
	steps := []struct {
		line string
		code int
	}{
		{"USER demo", 331},
		{"PASS demo", 230},
		{"ALLO 100", 202},
		{"XYZZY", 500},
		{"FEAT", 211},
		{"QUIT", 221},
	}
	for _, step := range steps {
		c.send(step.line)
		verb := strings.Fields(step.line)[0]
		if r := c.reply(verb); r.Code != step.code {
			t.Errorf("%s: reply %v, want %d", step.line, r.Lines, step.code)
		}
	}
	c.waitFor("the close", func(e Event) bool { return e.Kind == EventClose })
	for _, e := range c.events {
		if strings.Contains(e.Line, "PASS demo") || e.Command == "PASS demo" {
			t.Errorf("the password is visible in an event: %+v", e)
		}
	}
	if err := c.s.Send("NOOP"); err == nil {
		t.Error("Send after the close succeeded; want an error")
	}
}

// TestSessionMatchesRepliesToCommands sends commands without waiting and
// checks that each reply is attributed to its own command.
func TestSessionMatchesRepliesToCommands(t *testing.T) {
	srv := startSandbox(t)
	c := &collector{t: t, s: Dial(Config{Addr: srv.Addr})}
	defer c.s.Close()
	for _, line := range []string{"USER demo", "PASS demo", "PWD", "SYST", "NOOP"} {
		c.send(line)
	}
	want := []struct {
		verb string
		code int
	}{{"USER", 331}, {"PASS", 230}, {"PWD", 257}, {"SYST", 215}, {"NOOP", 200}}
	for _, w := range want {
		if r := c.reply(w.verb); r.Code != w.code {
			t.Errorf("%s answered %v, want %d", w.verb, r.Lines, w.code)
		}
	}
}

// fakeServer accepts one connection and runs script on it.
func fakeServer(t *testing.T, script func(conn net.Conn, r *bufio.Reader)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		conn, err := l.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		script(conn, bufio.NewReader(conn))
	}()
	return l.Addr().String()
}

// scriptedServer is a fakeServer that greets with 220, then answers each
// command it reads with the next of replies (each may hold several lines,
// CRLF-terminated), then reads one more line and hangs up.
func scriptedServer(t *testing.T, replies ...string) string {
	t.Helper()
	return fakeServer(t, func(conn net.Conn, r *bufio.Reader) {
		conn.Write([]byte("220 hi\r\n"))
		for _, reply := range replies {
			r.ReadString('\n')
			conn.Write([]byte(reply))
		}
		r.ReadString('\n')
	})
}

// exchange sends line and returns the final reply to verb.
func (c *collector) exchange(line, verb string) *Reply {
	c.t.Helper()
	c.send(line)
	return c.reply(verb)
}

func TestSessionReplyTimeout(t *testing.T) {
	addr := fakeServer(t, func(conn net.Conn, r *bufio.Reader) {
		conn.Write([]byte("220 hi\r\n"))
		r.ReadString('\n') // read NOOP and never answer
		time.Sleep(2 * time.Second)
	})
	c := &collector{t: t, s: Dial(Config{Addr: addr, ReplyTimeout: 200 * time.Millisecond})}
	c.reply(GreetingVerb)
	c.send("NOOP")
	ev := c.waitFor("a timeout error", func(e Event) bool { return e.Kind == EventError })
	if !strings.Contains(ev.Line, "reply to NOOP") {
		t.Errorf("error = %q, want it to name the command", ev.Line)
	}
	c.waitFor("the close", func(e Event) bool { return e.Kind == EventClose })
}

func TestSessionKeepsWhatArrivedBeforeADrop(t *testing.T) {
	addr := fakeServer(t, func(conn net.Conn, r *bufio.Reader) {
		conn.Write([]byte("220 hi\r\n"))
		r.ReadString('\n')
		conn.Write([]byte("211-partial\r\n line one\r\n"))
	})
	c := &collector{t: t, s: Dial(Config{Addr: addr})}
	c.reply(GreetingVerb)
	c.send("STAT")
	r := c.reply("STAT")
	if len(r.Lines) != 2 {
		t.Errorf("partial reply lines = %q, want both lines kept", r.Lines)
	}
	c.waitFor("an error", func(e Event) bool { return e.Kind == EventError })
	c.waitFor("the close", func(e Event) bool { return e.Kind == EventClose })
}

func TestSessionConnectFailure(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := &collector{t: t, s: Dial(Config{Addr: addr, ConnectTimeout: time.Second})}
	ev := c.waitFor("an error", func(e Event) bool { return e.Kind == EventError })
	if !strings.Contains(ev.Line, "connect to "+addr) {
		t.Errorf("error = %q, want it to name the address", ev.Line)
	}
}

func TestSessionStopsAFloodOfUnsolicitedReplies(t *testing.T) {
	addr := fakeServer(t, func(conn net.Conn, r *bufio.Reader) {
		conn.Write([]byte("220 hi\r\n"))
		line := []byte("200 " + strings.Repeat("z", 1000) + "\r\n")
		for i := 0; i < 10000; i++ {
			if _, err := conn.Write(line); err != nil {
				return
			}
		}
	})
	c := &collector{t: t, s: Dial(Config{Addr: addr})}
	ev := c.waitFor("the session to give up", func(e Event) bool { return e.Kind == EventError })
	if !strings.Contains(ev.Line, "no command asked for") {
		t.Errorf("error = %q", ev.Line)
	}
	c.waitFor("the close", func(e Event) bool { return e.Kind == EventClose })
	replies := 0
	for _, e := range c.events {
		if e.Kind == EventReply {
			replies++
		}
	}
	if replies > maxUnsolicitedReplies+2 {
		t.Errorf("kept %d replies from the flood", replies)
	}
}

func TestCCCIsRefusedOnAProtectedConnection(t *testing.T) {
	srv := sandboxServer(t, sandbox.Options{TLS: true})
	c := conversation(t, srv, Config{})
	expect(t, c, "AUTH TLS", 234)
	if _, err := c.Do(context.Background(), "CCC"); err == nil || !strings.Contains(err.Error(), "not supported") {
		t.Fatalf("CCC on TLS: %v, want a refusal", err)
	}
	expect(t, c, "NOOP", 200)
}

// TestSessionMasksAnEchoedPassword checks that a password the server
// repeats in a reply is masked before anyone sees the reply.
func TestSessionMasksAnEchoedPassword(t *testing.T) {
	addr := scriptedServer(t, "331 send it\r\n", "230-welcome, your password s3cret-pw was accepted\r\n230 (s3cret-pw)\r\n")
	c := &collector{t: t, s: Dial(Config{Addr: addr})}
	c.reply(GreetingVerb)
	c.exchange("USER bob", "USER")
	r := c.exchange("PASS s3cret-pw", "PASS")
	for _, l := range r.Lines {
		if strings.Contains(l, "s3cret") {
			t.Errorf("reply line %q shows the password", l)
		}
	}
	if !strings.Contains(r.Lines[0], "password **** was") {
		t.Errorf("reply line %q, want the password shown as ****", r.Lines[0])
	}
	for _, raw := range r.Raw {
		if strings.Contains(string(raw), "s3cret") {
			t.Errorf("raw line %q shows the password", raw)
		}
	}
	for _, e := range c.events {
		if e.Kind == EventSend && e.Seq == 2 && string(e.Raw) != "PASS ****\r\n" {
			t.Errorf("the PASS send event's raw bytes are %q, want %q", e.Raw, "PASS ****\r\n")
		}
		if e.Kind == EventSend && e.Seq == 1 && string(e.Raw) != "USER bob\r\n" {
			t.Errorf("the USER send event's raw bytes are %q, want %q", e.Raw, "USER bob\r\n")
		}
	}
	if len(r.Problems) == 0 {
		t.Error("the reply has no note saying the password was masked")
	}
}

// TestSessionNamesAMissingGreeting checks the message when a server never
// sends its greeting, as when a plain client meets an implicit-TLS port.
func TestSessionNamesAMissingGreeting(t *testing.T) {
	addr := fakeServer(t, func(conn net.Conn, r *bufio.Reader) {
		time.Sleep(time.Second)
	})
	c := &collector{t: t, s: Dial(Config{Addr: addr, ReplyTimeout: 200 * time.Millisecond})}
	ev := c.waitFor("a timeout error", func(e Event) bool { return e.Kind == EventError })
	if !strings.Contains(ev.Line, "no greeting") {
		t.Errorf("error = %q, want it to say the greeting never came", ev.Line)
	}
}

// TestSessionFlagsABadPassiveAddress checks that a 227 whose numbers are
// out of range is reported, and that the transfer after it says why it
// has no data connection.
func TestSessionFlagsABadPassiveAddress(t *testing.T) {
	addr := scriptedServer(t, "227 Entering Passive Mode (127,0,0,1,300,1)\r\n", "425 no data connection\r\n")
	c := &collector{t: t, s: Dial(Config{Addr: addr})}
	c.reply(GreetingVerb)
	c.send("PASV")
	ev := c.waitFor("the 227", func(e Event) bool { return e.Kind == EventReply && e.Verb == "PASV" })
	if len(ev.Warnings) == 0 || !strings.Contains(ev.Warnings[0], "300") {
		t.Errorf("the 227's warnings are %q, want one naming the bad number 300", ev.Warnings)
	}
	c.send("LIST")
	w := c.waitFor("the LIST warning", func(e Event) bool { return e.Kind == EventWarning })
	if !strings.Contains(w.Line, "could not be decoded") {
		t.Errorf("LIST warning %q, want it to say the last passive reply could not be decoded", w.Line)
	}
}

// TestSessionDoesNotMaskAUserName checks that a password equal to the
// user name (the sandbox's demo/demo) does not hide the name in replies.
func TestSessionDoesNotMaskAUserName(t *testing.T) {
	addr := scriptedServer(t, "331 send it\r\n", "230 logged in as demo\r\n")
	c := &collector{t: t, s: Dial(Config{Addr: addr})}
	c.reply(GreetingVerb)
	c.exchange("USER demo", "USER")
	if r := c.exchange("PASS demo", "PASS"); r.Lines[0] != "230 logged in as demo" {
		t.Errorf("reply %q, want the user name shown", r.Lines[0])
	}
}

// TestSessionLearnsFromTheRawReply checks that masking a repeated
// password changes only what is shown: a password made of digits that
// also appear in an EPSV port must not spoil the port.
func TestSessionLearnsFromTheRawReply(t *testing.T) {
	addr := scriptedServer(t, "331 send it\r\n", "230 ok\r\n", "229 Entering Extended Passive Mode (|||41234|)\r\n")
	c := &collector{t: t, s: Dial(Config{Addr: addr})}
	c.reply(GreetingVerb)
	c.exchange("USER bob", "USER")
	c.exchange("PASS 1234", "PASS")
	c.send("EPSV")
	ev := c.waitFor("the 229", func(e Event) bool { return e.Kind == EventReply && e.Verb == "EPSV" })
	if len(ev.Warnings) > 0 || !strings.Contains(ev.Note, ":41234") {
		t.Errorf("the 229 gave note %q and warnings %q, want the port 41234 learnt", ev.Note, ev.Warnings)
	}
	if strings.Contains(ev.Reply.Lines[0], "1234") {
		t.Errorf("the shown reply %q repeats the password", ev.Reply.Lines[0])
	}
}
