package tui

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/protocol"
)

// fakeServer is an FTP server driven by the test: it greets, reports
// every line it receives, and answers only when told to, so a test sees
// exactly when the client sends what.
type fakeServer struct {
	ln    net.Listener
	lines chan fakeLine
	mu    sync.Mutex
	conns []net.Conn
}

// fakeLine is a line the server received on its conn-th connection.
type fakeLine struct {
	conn int
	text string
}

func startFakeServer(t *testing.T) *fakeServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeServer{ln: ln, lines: make(chan fakeLine, 64)}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			n := len(s.conns)
			s.conns = append(s.conns, c)
			s.mu.Unlock()
			fmt.Fprintf(c, "220 fake server ready\r\n")
			go func() {
				sc := bufio.NewScanner(c)
				for sc.Scan() {
					s.lines <- fakeLine{n, strings.TrimRight(sc.Text(), "\r")}
				}
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, c := range s.conns {
			c.Close()
		}
	})
	return s
}

// reply answers on the conn-th connection.
func (s *fakeServer) reply(conn int, text string) {
	s.mu.Lock()
	c := s.conns[conn]
	s.mu.Unlock()
	fmt.Fprintf(c, "%s\r\n", text)
}

// hangUp closes the conn-th connection.
func (s *fakeServer) hangUp(conn int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conns[conn].Close()
}

// next returns the next line the server receives.
func (s *fakeServer) next(t *testing.T) fakeLine {
	t.Helper()
	select {
	case l := <-s.lines:
		return l
	case <-time.After(5 * time.Second):
		t.Fatal("the server received nothing")
		return fakeLine{}
	}
}

// quiet checks that the server receives nothing for a while.
func (s *fakeServer) quiet(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case l := <-s.lines:
		t.Fatalf("the server received %q too early", l.text)
	case <-time.After(d):
	}
}

// connectedModel returns a model connected to srv, its greeting shown.
func connectedModel(t *testing.T, srv *fakeServer) Model {
	t.Helper()
	m := newTestModel(120, 30)
	m.opts.History = NewHistory("")
	m.opts.Connect = func(protocol.Target) *protocol.Session {
		return protocol.Dial(protocol.Config{Addr: srv.ln.Addr().String()})
	}
	next, _ := m.Update(connectMsg{})
	m = next.(Model)
	t.Cleanup(func() { m.session.Close() })
	return pumpUntil(t, m, "the greeting", func(m Model) bool { return m.connected && m.paneHas("220 fake server ready") })
}

// pumpUntil delivers the session's events to the model, as the program
// does, until done holds.
func pumpUntil(t *testing.T, m Model, what string, done func(Model) bool) Model {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for !done(m) {
		msgs := make(chan tea.Msg, 1)
		go func(s *protocol.Session) { msgs <- waitForEvents(s)() }(m.session)
		select {
		case msg := <-msgs:
			next, _ := m.Update(msg)
			m = next.(Model)
		case <-deadline:
			t.Fatalf("waited in vain for %s; transcript:\n%s", what, strings.Join(m.paneLines(), "\n"))
		}
	}
	return m
}

// paneLines returns the transcript's lines, whatever scrolls off screen.
func (m Model) paneLines() []string {
	out := make([]string, m.transcript.Len())
	for i := range out {
		out[i] = m.transcript.line(i).text
	}
	return out
}

func (m Model) paneHas(s string) bool {
	return strings.Contains(strings.Join(m.paneLines(), "\n"), s)
}

// lastLine returns the newest transcript line.
func lastLine(m Model) string {
	lines := m.paneLines()
	if len(lines) == 0 {
		return ""
	}
	return lines[len(lines)-1]
}

// pasted delivers a bracketed paste.
func pasted(m Model, content string) Model {
	next, _ := m.Update(tea.PasteMsg{Content: content})
	return next.(Model)
}

func TestCompareTakesTwoReplyCodes(t *testing.T) {
	tests := []struct {
		line  string
		want  string // in the newest transcript line; "" for a comparison
		panel string
	}{
		{line: ":compare 4 5", want: `"4" is not a reply code`},
		{line: ":compare 1234 550", want: `"1234" is not a reply code`},
		{line: ":compare 450 PASV", want: `"PASV" is not a reply code`},
		{line: ":compare 999 550", want: `"999" is not a reply code`},
		{line: ":compare 450", want: "takes two reply codes"},
		{line: ":compare", want: "takes two reply codes"},
		{line: ":compare 450 550", panel: "compare 450 550"},
		{line: ":compare 10060 421", panel: "compare 10060 421"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			m := newTestModel(160, 45)
			before := m.transcript.Len()
			m = press(m, "type:"+tt.line, "enter")
			if tt.want == "" {
				if m.transcript.Len() != before {
					t.Errorf("a valid comparison added %q", lastLine(m))
				}
				if m.panel.docName != tt.panel {
					t.Errorf("the panel shows %q, want %q", m.panel.docName, tt.panel)
				}
				return
			}
			got := lastLine(m)
			if !strings.HasPrefix(got, "usage: :compare CODE CODE") || !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want the usage line and %q", got, tt.want)
			}
			if m.panel.docName != "" || strings.Contains(screen(m), "Not an FTP reply code") {
				t.Errorf("a bad comparison was shown:\n%s", screen(m))
			}
		})
	}
}

func TestLocalCommandsWithoutArgumentsRefuseOne(t *testing.T) {
	tests := []struct {
		line, usage string
		unchanged   func(Model) bool
	}{
		{":quit now", ":quit", nil},
		{":q now", ":quit", nil},
		{":exit now", ":quit", nil},
		{":reconnect now", ":reconnect", nil},
		{":disconnect x", ":disconnect", nil},
		{":clear x", ":clear", func(m Model) bool { return m.paneHas("sandbox FTP server") }},
		{":help x", ":help", func(m Model) bool { return !m.showHelp }},
		{":catalog x", ":catalog", func(m Model) bool { return !m.showBrowser }},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			m := newTestModel(120, 30)
			connects := 0
			m.opts.Connect = func(protocol.Target) *protocol.Session { connects++; return nil }
			m = press(m, "type:"+tt.line)
			next, cmd := m.Update(keyPress("enter"))
			m = next.(Model)
			want := tt.usage + " takes no argument"
			if got := lastLine(m); !strings.HasPrefix(got, want) {
				t.Errorf("got %q, want a line starting %q", got, want)
			}
			if cmd != nil {
				if _, quit := cmd().(tea.QuitMsg); quit {
					t.Error("the command ran: the program quits")
				}
			}
			if connects != 0 {
				t.Error("the command ran: it connected")
			}
			if tt.unchanged != nil && !tt.unchanged(m) {
				t.Error("the command ran")
			}
		})
	}
}

func TestLocalMessagesStartLowerCase(t *testing.T) {
	for _, line := range []string{":", ":frobnicate", ":explain", ":explain zzzz", ":compare 4 5",
		":compare", ":connect", ":connect ftp://h/some/path", ":disconnect", ":help x", ":clear"} {
		m := newTestModel(120, 30)
		before := m.transcript.Len()
		m = press(m, "type:"+line, "enter")
		added := m.paneLines()
		if line == ":clear" {
			before = 0
		}
		if len(added) <= before {
			t.Errorf("%s added no line", line)
			continue
		}
		for _, l := range added[before:] {
			if r := []rune(l)[0]; unicode.IsUpper(r) || strings.HasSuffix(l, ".") {
				t.Errorf("%s: %q starts with a capital or ends with a full stop, unlike ftpscope's other lines", line, l)
			}
		}
	}
}

func TestReconnectClosesTheLiveSession(t *testing.T) {
	for _, line := range []string{":reconnect", ":connect ftp://%s"} {
		t.Run(line, func(t *testing.T) {
			srv := startFakeServer(t)
			m := connectedModel(t, srv)
			old := m.session
			if strings.Contains(line, "%s") {
				line = fmt.Sprintf(line, srv.ln.Addr())
			}
			m = press(m, "type:"+line, "enter")
			if l := srv.next(t); l.conn != 0 || l.text != "QUIT" {
				t.Errorf("the old connection got %+v, want QUIT", l)
			}
			srv.reply(0, "221 bye")
			// The old session is shown to its end, then the new one opens.
			m = pumpUntil(t, m, "the new greeting", func(m Model) bool { return m.session != old && m.connected })
			select {
			case <-old.Done():
			default:
				t.Error("the new session started before the old one was closed")
			}
			lines := m.paneLines()
			quit, closed, connecting := -1, -1, -1
			for i, l := range lines {
				switch {
				case l == "QUIT":
					quit = i
				case strings.HasPrefix(l, "disconnected"):
					closed = i
				case strings.HasPrefix(l, "── reconnecting to"), strings.HasPrefix(l, "── connecting to"):
					connecting = i
				}
			}
			if quit < 0 || closed < quit || connecting < closed {
				t.Errorf("want the QUIT, then the old connection's close, then the new one:\n%s", strings.Join(lines, "\n"))
			}
		})
	}
}

func TestDisconnectSaysItOnce(t *testing.T) {
	reset := errors.New("read tcp: connection reset by peer")
	tests := []struct {
		name   string
		events []protocol.Event
		want   string
		count  string
	}{
		{name: "after an error", events: []protocol.Event{
			{Kind: protocol.EventError, Line: reset.Error(), Err: reset},
			{Kind: protocol.EventClose, Line: "connection lost: " + reset.Error(), Err: reset},
		}, want: "disconnected after the error above", count: "connection reset"},
		{name: "closed", events: []protocol.Event{{Kind: protocol.EventClose, Line: "closed by ftpscope"}},
			want: "disconnected: closed by ftpscope", count: "closed by ftpscope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := apply(newTestModel(120, 30), tt.events...)
			if got := lastLine(m); got != tt.want {
				t.Errorf("last line %q, want %q", got, tt.want)
			}
			if n := strings.Count(strings.Join(m.paneLines(), "\n"), tt.count); n != 1 {
				t.Errorf("%q shown %d times, want once", tt.count, n)
			}
		})
	}
}

func TestMultiLinePaste(t *testing.T) {
	tests := []struct {
		name        string
		content     string
		keys        []string
		input       string
		line        string // the newest transcript line
		placeholder string
	}{
		{name: "one line goes in the input", content: "NOOP", input: "NOOP", placeholder: inputPlaceholder},
		{name: "one line and a line break", content: "\r\nNOOP\r\n\r\n", input: "NOOP", placeholder: inputPlaceholder},
		{name: "two lines are held, not folded", content: "NOOP\nSYST", input: "",
			line:        "enter sends them one by one, in order, each after the previous one's final reply; esc cancels",
			placeholder: "2 pasted commands: enter sends · esc cancels"},
		{name: "CR LF, CR and empty lines", content: "NOOP\r\n\r\nSYST\rPWD\r\n", input: "", line: "enter sends them",
			placeholder: "3 pasted commands: enter sends · esc cancels"},
		{name: "esc cancels", content: "NOOP\nSYST", keys: []string{"esc"}, input: "",
			line: "paste cancelled: none of its 2 commands was sent", placeholder: inputPlaceholder},
		{name: "typing goes on while held", content: "NOOP\nSYST", keys: []string{"type:HELP"}, input: "HELP",
			placeholder: "2 pasted commands: enter sends · esc cancels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := press(pasted(newTestModel(120, 30), tt.content), tt.keys...)
			if got := m.input.Value(); got != tt.input {
				t.Errorf("input %q, want %q", got, tt.input)
			}
			if got := lastLine(m); tt.line != "" && !strings.HasPrefix(got, tt.line) {
				t.Errorf("last line %q, want %q", got, tt.line)
			}
			if m.input.Placeholder != tt.placeholder {
				t.Errorf("placeholder %q, want %q", m.input.Placeholder, tt.placeholder)
			}
			if m.paneHas("NOOP SYST") || m.paneHas("> NOOP") {
				t.Error("the paste was sent")
			}
		})
	}
}

func TestPastedLinesGoOneAfterTheOthersReply(t *testing.T) {
	srv := startFakeServer(t)
	m := connectedModel(t, srv)
	m = pasted(m, "NOOP\r\n:explain 200\r\nsyst\r\n")
	srv.quiet(t, 100*time.Millisecond)
	m = press(m, "enter")
	if l := srv.next(t); l.text != "NOOP" {
		t.Fatalf("first line sent: %q, want NOOP", l.text)
	}
	srv.quiet(t, 200*time.Millisecond) // SYST waits for NOOP's reply
	if !strings.Contains(m.input.Placeholder, "2 pasted commands wait") {
		t.Errorf("placeholder while waiting: %q", m.input.Placeholder)
	}
	m = press(m, "type:dra")
	srv.reply(0, "200 NOOP ok")
	m = pumpUntil(t, m, "NOOP's reply", func(m Model) bool { return m.paneHas("200 NOOP ok") })
	if l := srv.next(t); l.text != "SYST" {
		t.Fatalf("next line sent: %q, want SYST", l.text)
	}
	if got := m.input.Value(); got != "dra" {
		t.Errorf("the draft typed meanwhile became %q", got)
	}
	srv.reply(0, "215 UNIX Type: L8")
	m = pumpUntil(t, m, "the batch's end", func(m Model) bool { return m.paste == nil })
	if m.input.Placeholder != inputPlaceholder {
		t.Errorf("placeholder after the batch: %q", m.input.Placeholder)
	}
	if got, want := m.opts.History.Entries(), []string{"NOOP", ":explain 200", "syst"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("history %q, want %q: the lines go the way typed ones do", got, want)
	}
	if !strings.Contains(screen(m), "200 Command okay") {
		t.Errorf("the pasted :explain 200 did not run:\n%s", screen(m))
	}
}

func TestEscCancelsTheRestOfARunningPaste(t *testing.T) {
	srv := startFakeServer(t)
	m := connectedModel(t, srv)
	m = press(pasted(m, "NOOP\nSYST\nPWD"), "enter")
	srv.next(t)
	m = press(m, "esc")
	if got := lastLine(m); got != "paste cancelled: 2 of its 3 commands were not sent" {
		t.Errorf("last line %q", got)
	}
	srv.reply(0, "200 NOOP ok")
	m = pumpUntil(t, m, "NOOP's reply", func(m Model) bool { return m.paneHas("200 NOOP ok") })
	srv.quiet(t, 200*time.Millisecond)
	if m.paste != nil || m.input.Placeholder != inputPlaceholder {
		t.Errorf("the cancelled batch is still shown: %q", m.input.Placeholder)
	}
}

func TestPasteStopsWhenTheConnectionCloses(t *testing.T) {
	srv := startFakeServer(t)
	m := connectedModel(t, srv)
	m = press(pasted(m, "NOOP\nSYST"), "enter")
	srv.next(t)
	srv.hangUp(0)
	m = pumpUntil(t, m, "the close", func(m Model) bool { return m.paste == nil })
	if !m.paneHas("the connection closed: 1 of the 2 pasted commands was not sent") {
		t.Errorf("no line on the dropped commands:\n%s", strings.Join(m.paneLines(), "\n"))
	}
}

// TestPasteStopsWhenTheConnectionChanges checks that the lines pasted after
// a :connect are not sent to the server the paste was made on.
func TestPasteStopsWhenTheConnectionChanges(t *testing.T) {
	srv := startFakeServer(t)
	m := connectedModel(t, srv)
	m = press(pasted(m, fmt.Sprintf(":connect ftp://%s\nUSER bob\nPASS pw", srv.ln.Addr())), "enter")
	if l := srv.next(t); l.conn != 0 || l.text != "QUIT" {
		t.Fatalf("the old connection got %+v, want QUIT", l)
	}
	srv.quiet(t, 200*time.Millisecond) // no USER after the QUIT
	if m.paste != nil {
		t.Error("the rest of the paste is still held")
	}
	if !m.paneHas("the connection changed: 2 of the 3 pasted commands were not sent") {
		t.Errorf("no line on the dropped commands:\n%s", strings.Join(m.paneLines(), "\n"))
	}
}

// TestLocalCommandMistakes types local commands with a wrong name or a
// wrong argument: each is answered with one sentence saying what was
// wrong and what to do, suggesting a name only when one is close. An
// unknown name used to get the two "nearest" names however far they
// were (:lesson suggested :log or :help), and :session outside a
// recording was called unknown.
func TestLocalCommandMistakes(t *testing.T) {
	tests := []struct{ line, want string }{
		{":nosuch", `there is no local command named ":nosuch"; :help lists them all`},
		{":hlep", `there is no local command named ":hlep" (did you mean :help?); :help lists them all`},
		{":pasv", `there is no local command named ":pasv" (did you mean :pasv-address?); :help lists them all`},
		{":learn", ":learn is not a local command: ftpscope learn is a command of its own, run from the shell (:quit leaves)"},
		{":lesson 2", ":lesson is not a local command: ftpscope learn is a command of its own, run from the shell (:quit leaves)"},
		{":serve", ":serve is not a local command: ftpscope serve is a command of its own, run from the shell (:quit leaves)"},
		{":session 2", ":session is for recordings (ftpscope open FILE); a live connection has one session"},
		{":hint", noLesson},
		{":doctor now", ":doctor takes no argument, so nothing was done: type :doctor alone"},
		{":connect", "usage: :connect URL, for example :connect ftp://127.0.0.1:2121 or :connect ftps://host"},
		{":connect nosuch://x", `unsupported scheme "nosuch": ftpscope speaks ftp:// and ftps://`},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			m := pressKeys(newTestModel(160, 45), "type:"+tt.line, "enter")
			if got := lastLine(m); got != tt.want {
				t.Errorf("last line\n %q\nwant\n %q", got, tt.want)
			}
		})
	}
}
