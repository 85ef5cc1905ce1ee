package tui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ftpscope/ftpscope/protocol"
)

// press sends keys (key names, or text to type when prefixed with "type:")
// to the model and returns it.
func press(m Model, keys ...string) Model {
	for _, k := range keys {
		var msg tea.Msg = keyPress(k)
		if text, ok := strings.CutPrefix(k, "type:"); ok {
			for _, r := range text {
				next, _ := m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
				m = next.(Model)
			}
			continue
		}
		next, _ := m.Update(msg)
		m = next.(Model)
	}
	return m
}

func TestTabCompletion(t *testing.T) {
	tests := []struct {
		name      string
		events    []protocol.Event
		keys      []string
		value     string
		hintParts []string
	}{
		{name: "one command", keys: []string{"type:RNF", "tab"}, value: "RNFR "},
		{name: "common prefix, then cycle", keys: []string{"type:ML", "tab"}, value: "MLS", hintParts: []string{"MLSD", "MLST"}},
		{name: "cycling", keys: []string{"type:ML", "tab", "tab"}, value: "MLSD"},
		{name: "FEAT extensions first and marked", events: []protocol.Event{sent("FEAT"), reply("FEAT", time.Millisecond, "211-Features:", " MLST type*;size*;", " EPSV", "211 End")},
			keys: []string{"type:ML", "tab", "tab"}, value: "MLST", hintParts: []string{"MLST*", "announced in FEAT"}},
		{name: "local commands", keys: []string{"type::rec", "tab"}, value: ":reconnect "},
		{name: "remote names from the last listing", events: transferEvents("NLST", []byte("README.txt\r\nreport.pdf\r\nreadme.md\r\npub\r\n")),
			keys: []string{"type:RETR re", "tab"}, value: "RETR report.pdf", hintParts: []string{"report.pdf", "readme.md"}},
		{name: "remote names are case-sensitive", events: transferEvents("NLST", []byte("README.txt\r\nreport.pdf\r\n")),
			keys: []string{"type:RETR RE", "tab"}, value: "RETR README.txt"},
		{name: "remote name, single", events: transferEvents("NLST", []byte("README.txt\r\npub\r\n")),
			keys: []string{"type:CWD p", "tab"}, value: "CWD pub"},
		{name: "a directory after CWD, with its slash", events: transferEvents("LIST", []byte(unixListing)),
			keys: []string{"type:CWD ", "tab"}, value: "CWD pub/"},
		{name: "files before directories after RETR", events: transferEvents("LIST", []byte(unixListing)),
			keys: []string{"type:RETR ", "tab"}, value: "RETR README.txt", hintParts: []string{"README.txt", "café.txt", "pub/"}},
		{name: "MLSD types tell directories", events: transferEvents("MLSD", []byte("type=file;size=5; notes.txt\r\ntype=dir; docs\r\ntype=cdir; .\r\n")),
			keys: []string{"type:RMD ", "tab"}, value: "RMD docs/"},
		{name: "no completion", keys: []string{"type:ZZ", "tab"}, value: "ZZ", hintParts: []string{"no completion"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := press(apply(newTestModel(120, 30), tt.events...), tt.keys...)
			if got := m.input.Value(); got != tt.value {
				t.Errorf("input = %q, want %q", got, tt.value)
			}
			hint := m.renderHint()
			for _, part := range tt.hintParts {
				if !strings.Contains(hint, part) {
					t.Errorf("hint %q lacks %q", hint, part)
				}
			}
		})
	}
}

// unixListing is a LIST reply in the Unix form most servers use.
const unixListing = "-rw-r--r-- 1 ftp ftp  219 Nov 30 04:46 README.txt\r\n" +
	"-rw-r--r-- 1 ftp ftp   84 Nov 30 04:46 café.txt\r\n" +
	"drwxr-xr-x 2 ftp ftp 4096 Nov 30 04:46 pub\r\n"

func TestHistoryKeys(t *testing.T) {
	m := newTestModel(120, 30)
	m.opts.History = NewHistory("")
	m = press(m, "type:USER demo", "enter", "type:PASS secret", "enter", "type:PWD", "enter", "type:draft")
	m = press(m, "up")
	if got := m.input.Value(); got != "PWD" {
		t.Fatalf("after ↑: %q, want PWD", got)
	}
	m = press(m, "up")
	if got := m.input.Value(); got != "USER demo" {
		t.Fatalf("after ↑↑: %q, want USER demo (PASS is never kept)", got)
	}
	m = press(m, "down", "down")
	if got := m.input.Value(); got != "draft" {
		t.Fatalf("after ↓↓: %q, want the draft back", got)
	}
	m = press(m, "ctrl+u", "ctrl+r", "type:us")
	if hint := m.renderHint(); !strings.Contains(hint, "reverse-i-search") || !strings.Contains(hint, "USER demo") {
		t.Fatalf("ctrl+r hint = %q", hint)
	}
	m = press(m, "enter")
	if got := m.input.Value(); got != "USER demo" {
		t.Fatalf("accepted search: %q, want USER demo on the input line", got)
	}
}

func TestSearchAndErrorJumps(t *testing.T) {
	events := append(loginSession(),
		sent("CWD nowhere"), reply("CWD nowhere", time.Millisecond, "550 No such directory"),
		sent("NOOP"), reply("NOOP", time.Millisecond, "200 OK"),
		sent("RETR x"), reply("RETR x", time.Millisecond, "425 Use PORT or PASV first"),
		sent("NOOP"), reply("NOOP", time.Millisecond, "200 OK"))
	m := apply(newTestModel(160, 45), events...)

	m = press(m, "alt+up")
	if ev, _, _ := m.transcript.Reply(); ev.Reply.Code != 425 {
		t.Fatalf("alt+↑ selected %d, want the newest error, 425", ev.Reply.Code)
	}
	m = press(m, "alt+up")
	if ev, _, _ := m.transcript.Reply(); ev.Reply.Code != 550 {
		t.Fatalf("alt+↑ twice selected %d, want 550", ev.Reply.Code)
	}
	if !strings.Contains(screen(m), "550 Requested action not taken") {
		t.Errorf("the panel does not explain the selected 550:\n%s", screen(m))
	}

	m = press(m, "esc", "/", "type:nowhere")
	if !strings.Contains(screen(m), "» > CWD nowhere") {
		t.Errorf("search did not mark the match:\n%s", screen(m))
	}
	m = press(m, "esc")
	if m.searching || strings.Contains(screen(m), "»") {
		t.Errorf("esc did not end the search")
	}
}

func TestEscRefusesACertificate(t *testing.T) {
	m := newTestModel(120, 30)
	info := &protocol.TLSInfo{NeedsDecision: true, Cert: protocol.CertInfo{Subject: "CN=x", Problem: "unknown authority"}}
	m = apply(m, protocol.Event{Kind: protocol.EventTLS, TLS: info})
	m = press(m, "esc")
	if m.trustPrompt != nil || !strings.Contains(screen(m), "certificate refused") {
		t.Errorf("esc did not refuse the certificate:\n%s", screen(m))
	}
}

func TestSearchNarrowsAsYouType(t *testing.T) {
	var events []protocol.Event
	for i := 0; i < 50; i++ {
		events = append(events, sent("NOOP"), reply("NOOP", time.Millisecond, "200 NOOP ok"))
	}
	events = append(events, sent("STAT"), reply("STAT", time.Millisecond, "211 Status of server"))
	m := apply(newTestModel(160, 45), events...)
	m = press(m, "/", "type:noop")
	first := m.searchLine
	m = press(m, "type: ok")
	if m.searchLine != first {
		t.Errorf("extending the query moved from line %d to %d; the newest match of 'noop ok' is the reply under it", first, m.searchLine)
	}
	m = press(m, "type:zz")
	if m.searchMiss == "" || !strings.Contains(m.renderHint(), "no match") {
		t.Errorf("no miss recorded for a query found nowhere: hint %q", m.renderHint())
	}
	m = press(m, "type:z")
	if !strings.Contains(m.renderHint(), "no match for noop okzzz") {
		t.Errorf("hint after typing on past a miss: %q", m.renderHint())
	}
}

func TestMouseWheelScrollsThePaneUnderThePointer(t *testing.T) {
	var events []protocol.Event
	for i := 0; i < 60; i++ {
		events = append(events, sent("NOOP"), reply("NOOP", time.Millisecond, "200 NOOP ok"))
	}
	m := apply(newTestModel(160, 30), events...)
	m.View() // render once, so the panel knows its content
	wheel := func(x int) Model {
		next, _ := m.Update(tea.MouseWheelMsg{X: x, Y: 5, Button: tea.MouseWheelUp})
		return next.(Model)
	}
	if got := wheel(10); got.transcript.Following() {
		t.Error("the wheel over the transcript did not scroll it")
	}
	m.transcript.Follow() // the panes are shared by the copies of the model
	m.panel.ScrollBy(6)
	before := m.panel.scroll
	if got := wheel(150); got.panel.scroll >= before || !got.transcript.Following() {
		t.Errorf("the wheel over the panel: panel scroll %d → %d, transcript following %v; want the panel to scroll, not the transcript", before, got.panel.scroll, got.transcript.Following())
	}
}

func TestHistoryNeverKeepsAURLPassword(t *testing.T) {
	tests := []struct{ typed, want string }{
		{":connect ftp://bob:bobpw@127.0.0.1:2121", ":connect ftp://bob@127.0.0.1:2121"},
		// A URL ftpscope refuses (here for its path) may still hold one.
		{":connect ftp://bob:bobpw@127.0.0.1:2121/some/path", ":connect ftp://bob:****@127.0.0.1:2121/some/path"},
	}
	for _, tt := range tests {
		m := newTestModel(120, 30)
		m.opts.History = NewHistory("")
		m.opts.Connect = func(protocol.Target) *protocol.Session { return protocol.Dial(protocol.Config{Addr: "127.0.0.1:1"}) }
		m = press(m, "type:"+tt.typed, "enter")
		for _, e := range m.opts.History.Entries() {
			if strings.Contains(e, "bobpw") {
				t.Fatalf("history holds the password: %q", e)
			}
		}
		if got := m.opts.History.Entries(); len(got) != 1 || got[0] != tt.want {
			t.Errorf("after %q, history = %q, want %q", tt.typed, got, tt.want)
		}
		if m.session != nil {
			m.session.Close()
		}
	}
}

// TestHistoryNeverKeepsAnExplainedPassword checks that :explain PASS
// with a password after it, which explains PASS, leaves no password in
// the history.
func TestHistoryNeverKeepsAnExplainedPassword(t *testing.T) {
	tests := []struct{ typed, want string }{
		{":explain PASS hunter2", ":explain PASS"},
		{":explain pass hunter2 two words 530", ":explain pass"},
		{":explain ACCT hunter2 --after USER", ":explain ACCT --after USER"},
		{":explain 530 PASS hunter2", ":explain 530 PASS"},
		{":explain USER demo", ":explain USER demo"},
	}
	for _, tt := range tests {
		m := newTestModel(120, 30)
		m.opts.History = NewHistory("")
		m = press(m, "type:"+tt.typed, "enter")
		for _, e := range m.opts.History.Entries() {
			if strings.Contains(e, "hunter2") {
				t.Errorf("after %q, the history holds the password: %q", tt.typed, e)
			}
		}
		if got := m.opts.History.Entries(); len(got) != 1 || got[0] != tt.want {
			t.Errorf("after %q, history = %q, want %q", tt.typed, got, tt.want)
		}
	}
}

func TestLoginGoesOnlyToItsServer(t *testing.T) {
	m := newTestModel(120, 30)
	m.opts.Login = &Login{User: "alice", Password: "s3cret"}
	m.opts.Target = protocol.Target{Host: "127.0.0.1", Port: 2121}
	m.target = protocol.Target{Host: "127.0.0.1", Port: 2122} // after :connect elsewhere
	m.session = protocol.Dial(protocol.Config{Addr: "127.0.0.1:1"})
	defer m.session.Close()
	m = apply(m, reply(protocol.GreetingVerb, time.Millisecond, "220 other server"))
	if m.login != loginWaiting {
		t.Errorf("--login acted on another server's greeting: step %d", m.login)
	}
}

func TestServerTextInOwnLinesIsEscaped(t *testing.T) {
	m := newTestModel(120, 30)
	m = apply(m,
		sent("PWD"), reply("PWD", time.Millisecond, "257 \"/\x1b[41mRED\x1b]8;;http://x/\x1b\\\" is the current directory"),
		protocol.Event{Kind: protocol.EventError, Line: "TLS handshake: x509: certificate is valid for evil\x1b[8m, not host"})
	got := m.render()
	if strings.Contains(got, "\x1b[41m") || strings.Contains(got, "\x1b]8;") || strings.Contains(got, "\x1b[8m") {
		t.Fatalf("server bytes reached the screen unescaped: %q", got)
	}
}

// TestFailedSaveSaysItOnce checks that a :save into a missing folder gives
// one sentence that names the path once and says nothing was written.
func TestFailedSaveSaysItOnce(t *testing.T) {
	m := newTestModel(160, 30)
	path := filepath.Join(t.TempDir(), "missing", "t.md")
	// The save runs off the update loop; run its command here.
	m, cmd := runSave(m, []string{path})
	next, _ := m.Update(cmd())
	m = next.(Model)
	view := m.transcript.View()
	if n := strings.Count(view, "t.md"); n != 1 {
		t.Errorf("the path appears %d times, want once:\n%s", n, view)
	}
	if !strings.Contains(view, "nothing was written") {
		t.Errorf("the error does not say nothing was written:\n%s", view)
	}
}

// TestSearchLine checks the search's input and hint lines: the query fits
// without a cut mark, the hint says where the match is, and the syntax of
// a command named in the query is not shown.
func TestSearchLine(t *testing.T) {
	m := apply(newTestModel(100, 30), sent("EPSV"), reply("EPSV", time.Millisecond, "229 Entering Extended Passive Mode (|||40000|)"))
	m = press(m, "/", "type:EPSV")
	if input := ansi.Strip(m.renderInput()); strings.Contains(input, "…") {
		t.Errorf("the search line is cut: %q", input)
	}
	hint := ansi.Strip(m.renderHint())
	if !strings.Contains(hint, "found on line") {
		t.Errorf("hint %q does not say where the match is", hint)
	}
	if strings.Contains(hint, "EPSV · ") || strings.Contains(hint, "Extended passive") {
		t.Errorf("hint %q shows the syntax of EPSV while searching", hint)
	}
}
