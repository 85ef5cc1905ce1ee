package tui

import (
	"fmt"
	"github.com/ftpscope/ftpscope/internal/goldentest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/protocol"
)

// golden compares a screen with testdata/NAME.golden (see
// goldentest.Check); teatest's golden package defines -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	goldentest.Check(t, name+".golden", got)
}

var testCatalog = func() *catalog.Catalog {
	c, err := catalog.Load()
	if err != nil {
		panic(err)
	}
	return c
}()

// newTestModel returns a model of the given size that has no session; the
// tests feed it events as a session would.
func newTestModel(width, height int) Model {
	m := New(Options{
		Catalog: testCatalog,
		Target:  protocol.Target{Host: "127.0.0.1", Port: 2121},
		Intro:   []string{"sandbox FTP server on 127.0.0.1:2121", "log in with USER demo then PASS demo"},
		Now:     func() time.Time { return time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC) },
	})
	next, _ := m.Update(tea.WindowSizeMsg{Width: width, Height: height})
	return next.(Model)
}

// reply builds a reply event the way a session reports one.
func reply(command string, rtt time.Duration, lines ...string) protocol.Event {
	r, err := protocol.NewReplyReader(strings.NewReader(strings.Join(lines, "\r\n") + "\r\n")).ReadReply()
	if err != nil {
		panic(err)
	}
	verb := strings.Fields(command + " x")[0]
	if command == protocol.GreetingVerb {
		verb = command
	}
	return protocol.Event{Kind: protocol.EventReply, Reply: r, Command: command, Verb: verb, RTT: rtt}
}

func sent(line string) protocol.Event { return protocol.Event{Kind: protocol.EventSend, Line: line} }

// loginSession is the classic demonstration: greeting, login, ALLO.
func loginSession() []protocol.Event {
	return []protocol.Event{
		{Kind: protocol.EventConnect, Line: "connected to 127.0.0.1:2121 from 127.0.0.1:50000"},
		reply(protocol.GreetingVerb, 300*time.Microsecond, "220 ftpscope sandbox ready."),
		sent("USER demo"),
		reply("USER demo", 2*time.Millisecond, "331 User name ok, password required"),
		sent("PASS ****"),
		reply("PASS ****", 1500*time.Microsecond, "230 Password ok, continue"),
		sent("ALLO 100"),
		reply("ALLO 100", 900*time.Microsecond, "202 Obsolete"),
	}
}

// vsftpdLogin is a login to vsftpd, known from its greeting.
func vsftpdLogin() []protocol.Event {
	return []protocol.Event{
		{Kind: protocol.EventConnect, Line: "connected to 127.0.0.1:21 from 127.0.0.1:50000", Connect: &protocol.ConnectInfo{Remote: "127.0.0.1:21", Local: "127.0.0.1:50000"}},
		reply(protocol.GreetingVerb, 300*time.Microsecond, "220 (vsFTPd 3.0.3)"),
		sent("USER alice"),
		reply("USER alice", 2*time.Millisecond, "331 Please specify the password."),
		sent("PASS ****"),
		reply("PASS ****", 1500*time.Microsecond, "230 Login successful."),
	}
}

// oopsSession is vsftpd refusing a writable chroot at login.
func oopsSession() []protocol.Event {
	return []protocol.Event{
		{Kind: protocol.EventConnect, Line: "connected to 127.0.0.1:21 from 127.0.0.1:50000", Connect: &protocol.ConnectInfo{Remote: "127.0.0.1:21", Local: "127.0.0.1:50000"}},
		reply(protocol.GreetingVerb, 300*time.Microsecond, "220 (vsFTPd 3.0.3)"),
		sent("USER alice"),
		reply("USER alice", 2*time.Millisecond, "331 Please specify the password."),
		sent("PASS ****"),
		reply("PASS ****", 1500*time.Microsecond, "500 OOPS: vsftpd: refusing to run with writable root inside chroot()"),
		{Kind: protocol.EventClose, Line: "the server closed the connection"},
	}
}

// transferEvents plays PASV and a download that received data.
func transferEvents(command string, data []byte) []protocol.Event {
	info := &protocol.DataInfo{Phase: protocol.DataClosed, Direction: "download", Verb: strings.Fields(command)[0],
		Local: "127.0.0.1:50001", Remote: "127.0.0.1:40000", Bytes: int64(len(data)), Elapsed: 1500 * time.Microsecond, Preview: data}
	return []protocol.Event{
		sent("PASV"),
		withNote(reply("PASV", time.Millisecond, "227 Entering Passive Mode (127,0,0,1,156,64)"), "data address: 127.0.0.1, port 156×256+64 = 40000"),
		{Kind: protocol.EventData, Line: "data connection open: 127.0.0.1:50001 → 127.0.0.1:40000", Data: &protocol.DataInfo{Phase: protocol.DataOpened}},
		{Kind: protocol.EventSend, Line: command, Seq: 9, Transfer: true},
		reply(command, time.Millisecond, "150 Here comes the data."),
		{Kind: protocol.EventData, Seq: 9, Line: fmt.Sprintf("data connection closed: %d bytes received in 1ms", len(data)), Data: info},
		reply(command, 2*time.Millisecond, "226 Transfer complete."),
	}
}

func withNote(ev protocol.Event, note string) protocol.Event {
	ev.Note = note
	return ev
}

// binarySample is data that is not text, for the hex view.
func binarySample() []byte {
	b := make([]byte, 100)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}

func screen(m Model) string { return ansi.Strip(m.render()) }

func apply(m Model, events ...protocol.Event) Model {
	for _, ev := range events {
		m.applyEvent(ev)
	}
	return m
}

func TestGoldenScreens(t *testing.T) {
	tests := []struct {
		name          string
		width, height int
		events        []protocol.Event
		keys          []string
	}{
		{name: "welcome-160x45", width: 160, height: 45},
		{name: "login-160x45", width: 160, height: 45, events: loginSession()},
		{name: "login-80x24", width: 80, height: 24, events: loginSession()},
		{name: "selected-earlier-reply-160x45", width: 160, height: 45, events: loginSession(), keys: []string{"ctrl+p", "ctrl+p"}},
		{name: "unknown-command-160x45", width: 160, height: 45, events: append(loginSession(),
			sent("XYZZY"), reply("XYZZY", time.Millisecond, "500 Command not found"))},
		{name: "unexpected-reply-160x45", width: 160, height: 45, events: append(loginSession(),
			sent("RETR x"), reply("RETR x", time.Millisecond, "202 Nothing to do"))},
		{name: "help-80x24", width: 80, height: 24, keys: []string{"f1"}},
		{name: "help-160x45", width: 160, height: 45, keys: []string{"f1"}},
		{name: "narrow-panel-80x24", width: 80, height: 24, events: loginSession(), keys: []string{"f4"}},
		{name: "smallest-60x15", width: 60, height: 15, events: loginSession()},
		{name: "smallest-panel-60x15", width: 60, height: 15, events: loginSession(), keys: []string{"f4"}},
		{name: "timestamps-160x45", width: 160, height: 45, events: loginSession(), keys: []string{"ctrl+t"}},
		{name: "listing-160x45", width: 160, height: 45, events: append(loginSession(), transferEvents("LIST", []byte(
			"-rw-r--r-- 1 ftp ftp  219 Nov 30 03:25 README.txt\r\n-rw-r--r-- 1 ftp ftp   84 Nov 30 03:25 café.txt\r\ndrwxr-xr-x 1 ftp ftp 4096 Nov 30 03:25 pub\r\n"))...)},
		{name: "finding-oops-160x45", width: 160, height: 45, events: oopsSession()},
		{name: "finding-oops-80x24", width: 80, height: 24, events: oopsSession(), keys: []string{"f4"}},
		{name: "finding-nat-160x45", width: 160, height: 45, events: append(vsftpdLogin(),
			sent("PASV"), reply("PASV", time.Millisecond, "227 Entering Passive Mode (10,0,0,5,156,64)."))},
		{name: "data-scrolled-80x24", width: 80, height: 24, events: append(loginSession(), transferEvents("LIST", longListing(200))...), keys: []string{"f2", "pgdown", "pgdown"}},
		{name: "data-end-160x45", width: 160, height: 45, events: append(loginSession(), transferEvents("LIST", longListing(200))...), keys: []string{"ctrl+end"}},
		{name: "hexdump-160x45", width: 160, height: 45, events: append(loginSession(), transferEvents("RETR pub/random-1MiB.bin", binarySample())...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := apply(newTestModel(tt.width, tt.height), tt.events...)
			for _, k := range tt.keys {
				next, _ := m.Update(keyPress(k))
				m = next.(Model)
			}
			got := screen(m)
			if h := strings.Count(got, "\n") + 1; h != tt.height {
				t.Errorf("screen has %d rows, want %d", h, tt.height)
			}
			for i, row := range strings.Split(got, "\n") {
				if w := ansi.StringWidth(row); w > tt.width {
					t.Errorf("row %d is %d cells wide, more than the terminal's %d: %q", i, w, tt.width, row)
				}
			}
			golden(t, tt.name, got)
		})
	}
}

// namedKeys are the keys keyPress knows by name; any other name is one
// character.
var namedKeys = map[string]rune{
	"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab,
	"up": tea.KeyUp, "down": tea.KeyDown, "home": tea.KeyHome, "end": tea.KeyEnd,
	"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
	"f1": tea.KeyF1, "f2": tea.KeyF2, "f3": tea.KeyF3, "f4": tea.KeyF4, "f5": tea.KeyF5,
	"f6": tea.KeyF6, "f7": tea.KeyF7, "f8": tea.KeyF8, "f9": tea.KeyF9,
}

// keyMods are the modifiers a key name may start with ("ctrl+home").
var keyMods = map[string]tea.KeyMod{"alt": tea.ModAlt, "ctrl": tea.ModCtrl, "shift": tea.ModShift}

// keyPress builds the key message Bubble Tea sends for a key name: a
// named key or one character, after an optional modifier ("alt+n",
// "shift+up"). A character without a modifier is typed text.
func keyPress(name string) tea.KeyPressMsg {
	var mod tea.KeyMod
	base := name
	if m, k, ok := strings.Cut(name, "+"); ok && k != "" {
		if km, known := keyMods[m]; known {
			mod, base = km, k
		}
	}
	if code, ok := namedKeys[base]; ok {
		return tea.KeyPressMsg{Code: code, Mod: mod}
	}
	r := []rune(base)[0]
	if mod != 0 {
		return tea.KeyPressMsg{Code: r, Mod: mod}
	}
	return tea.KeyPressMsg{Code: r, Text: name}
}

func TestClearTextLoginIsFlagged(t *testing.T) {
	m := newTestModel(120, 30)
	m = apply(m, loginSession()...)
	if !strings.Contains(screen(m), "clear text") {
		t.Errorf("no clear-text warning after PASS without TLS:\n%s", screen(m))
	}
}

func TestServerBytesAreEscaped(t *testing.T) {
	m := newTestModel(120, 30)
	m = apply(m, reply(protocol.GreetingVerb, time.Millisecond, "220 hi \x1b[2J\x1b]0;owned\x07 there"))
	got := m.render()
	if strings.Contains(got, "\x1b[2J") || strings.Contains(got, "\x1b]0;") || strings.Contains(got, "\x07") {
		t.Fatalf("a server escape sequence reached the screen: %q", got)
	}
	if !strings.Contains(ansi.Strip(got), `\x1b[2J`) {
		t.Errorf("the escape sequence is not shown escaped:\n%s", ansi.Strip(got))
	}
}

func TestScrollKeepsPositionWhileNewLinesArrive(t *testing.T) {
	m := newTestModel(120, 20)
	for i := 0; i < 50; i++ {
		m = apply(m, sent("NOOP"), reply("NOOP", time.Millisecond, "200 NOOP ok"))
	}
	next, _ := m.Update(keyPress("pgup"))
	m = next.(Model)
	before := screen(m)
	m = apply(m, sent("NOOP"), reply("NOOP", time.Millisecond, "200 NOOP ok"))
	after := screen(m)
	if !strings.Contains(after, "2 new below") {
		t.Errorf("no new-lines marker while scrolled up:\n%s", after)
	}
	// Apart from the marker row, nothing moved.
	b, a := strings.Split(before, "\n"), strings.Split(after, "\n")
	for i := 0; i < 10; i++ {
		if a[i] != b[i] {
			t.Fatalf("row %d moved while the user was reading:\nbefore %q\nafter  %q", i, b[i], a[i])
		}
	}
}
