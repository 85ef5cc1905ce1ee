package tui

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
)

func TestParseScript(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		lines []ScriptLine
		err   string // part of the error; "" for none
	}{
		{name: "commands, narration, faults and notes", text: "# Hello\r\n\n// for me only\nUSER demo\n  PASS demo  \n!fault nat on\n#\n:save x.md\n",
			lines: []ScriptLine{{1, ScriptNarration, "Hello"}, {4, ScriptCommand, "USER demo"}, {5, ScriptCommand, "PASS demo"}, {6, ScriptFault, "!fault nat on"}, {8, ScriptCommand, ":save x.md"}}},
		{name: "an unknown directive", text: "USER demo\n!pause 3\n", err: "demo.ftp:2: unknown directive !pause"},
		{name: "a fault without on or off", text: "!fault nat\n", err: "demo.ftp:1: write !fault NAME on"},
		{name: "a control character", text: "USER a\x1bb\n", err: "demo.ftp:1: the line holds a control character"},
		{name: "nothing to play", text: "// only notes\n\n", err: "nothing to play"},
		{name: "a line too long", text: "NOOP\n" + strings.Repeat("x", scriptMaxLine+10) + "\n", err: "demo.ftp:2: the line is longer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseScript("/some/where/demo.ftp", strings.NewReader(tt.text))
			if tt.err != "" {
				var se *ScriptError
				if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.As(err, &se) {
					t.Fatalf("ParseScript = %v, want a ScriptError containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Name != "demo.ftp" {
				t.Errorf("name %q, want the file's base name", s.Name)
			}
			if len(s.Lines) != len(tt.lines) {
				t.Fatalf("got %d lines %+v, want %+v", len(s.Lines), s.Lines, tt.lines)
			}
			for i := range s.Lines {
				if s.Lines[i] != tt.lines[i] {
					t.Errorf("line %d: %+v, want %+v", i, s.Lines[i], tt.lines[i])
				}
			}
		})
	}
}

// playModel returns a model without a session that plays text.
func playModel(t *testing.T, width, height int, text string) Model {
	t.Helper()
	return playModelNamed(t, width, height, "demo.ftp", text)
}

// playModelNamed is playModel for a script file called name.
func playModelNamed(t *testing.T, width, height int, name, text string) Model {
	t.Helper()
	s, err := ParseScript(name, strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Catalog: testCatalog, Target: protocol.Target{Host: "127.0.0.1", Port: 2121}, Play: s,
		Now: func() time.Time { return time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC) }})
	next, _ := m.Update(tea.WindowSizeMsg{Width: width, Height: height})
	return next.(Model)
}

// TestPlaySteps walks a script with enter, alt+p and alt+n, with a command
// of the presenter's own in between, and checks the input line and the
// narration after each key.
func TestPlaySteps(t *testing.T) {
	m := playModel(t, 120, 30, "# First the user.\n# Then the password.\nUSER demo\nPASS demo\n# Listing.\nPASV\n")
	steps := []struct {
		keys      []string
		input     string
		narration []string
		hint      string
	}{
		{nil, "", nil, "demo.ftp 1/3 · enter shows the next line"},
		{[]string{"enter"}, "USER demo", []string{"# First the user.", "# Then the password."}, "1/3 · enter sends it"},
		{[]string{"alt+n"}, "PASS demo", nil, "2/3"},
		{[]string{"alt+p"}, "USER demo", nil, "1/3"},
		{[]string{"alt+p"}, "USER demo", nil, "this is the first line"},
		{[]string{"ctrl+u", "type:NOOP"}, "NOOP", nil, "NOOP"},
		{[]string{"ctrl+u", "enter"}, "PASS demo", nil, "2/3"},
		{[]string{"enter", "enter"}, "PASV", []string{"# Listing."}, "3/3"},
		{[]string{"ctrl+u", "enter"}, "", nil, "the end of demo.ftp"},
	}
	for i, st := range steps {
		m = pressKeys(m, st.keys...)
		if got := m.input.Value(); got != st.input {
			t.Errorf("step %d (%v): input %q, want %q", i, st.keys, got, st.input)
		}
		view := screen(m)
		for _, n := range st.narration {
			if !strings.Contains(view, n) {
				t.Errorf("step %d (%v): the transcript lacks the narration %q:\n%s", i, st.keys, n, view)
			}
		}
		if hint := m.renderHint(); !strings.Contains(hint, st.hint) {
			t.Errorf("step %d (%v): hint %q lacks %q", i, st.keys, hint, st.hint)
		}
	}
	// The narration is in the event log, for :save and the diagram.
	var narrated []string
	for ev := range m.log.All {
		if ev.Kind == "narration" {
			narrated = append(narrated, ev.Line)
		}
	}
	if strings.Join(narrated, "|") != "First the user.|Then the password.|Listing." {
		t.Errorf("the event log holds the narration %q", narrated)
	}
}

// TestPlayFaultLine checks !fault lines against a real sandbox: once
// sent, the fault is switched and the switch is narrated (so the handout
// and the diagram show it); an unknown fault, a malformed line and a
// server that is not the sandbox are explained, and nothing is sent.
func TestPlayFaultLine(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	isOn := func(name string) bool {
		for _, f := range srv.Faults() {
			if f.Name == name {
				return f.On
			}
		}
		t.Fatalf("the sandbox has no fault %q", name)
		return false
	}
	m := playModel(t, 160, 30, "!fault nat on\n!fault nat off\n")
	m.opts.SetFault = srv.SetFault
	m.opts.FaultStates = faultStates(srv)
	m = pressKeys(m, "enter")
	if got := m.input.Value(); got != "!fault nat on" {
		t.Fatalf("input %q", got)
	}
	m = pressKeys(m, "enter")
	if !isOn("nat") {
		t.Error("!fault nat on did not switch the fault on")
	}
	if view := screen(m); strings.Contains(view, "> !fault") || !strings.Contains(view, "# the sandbox's fault nat is now on") {
		t.Errorf("the switch was sent or not narrated:\n%s", view)
	}
	m = pressKeys(m, "enter", "enter")
	if isOn("nat") {
		t.Error("!fault nat off did not switch the fault off")
	}
	m = pressKeys(m, "type:!fault warp-drive on", "enter")
	if view := screen(m); !strings.Contains(view, `there is no fault named "warp-drive"; :fault alone lists them`) {
		t.Errorf("an unknown fault is not explained:\n%s", view)
	}
	m = pressKeys(m, "type:!fault nat maybe", "enter")
	if view := screen(m); !strings.Contains(view, "write !fault NAME on or !fault NAME off") {
		t.Errorf("a malformed directive is not explained:\n%s", view)
	}
	m.opts.SetFault, m.opts.FaultStates = nil, nil
	m = pressKeys(m, "type:!fault nat on", "enter")
	if view := screen(m); !strings.Contains(view, "this server is not it") {
		t.Errorf("!fault against another server is not explained:\n%s", view)
	}
}

// TestTeaPlayAgainstTheSandbox plays a script against a real sandbox
// through Bubble Tea: narration, login, a listing, and the ladder.
func TestTeaPlayAgainstTheSandbox(t *testing.T) {
	_, target := startSandbox(t, sandbox.Options{})
	script, err := ParseScript("demo.ftp", strings.NewReader("# Logging in.\nUSER demo\nPASS demo\n# A listing needs a data connection.\nPASV\nLIST\n:ladder\n"))
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{
		Catalog: testCatalog,
		Connect: dialWith(protocol.Config{}),
		Target:  target,
		Play:    script,
	})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(140, 40))
	waitForText(t, tm, "Service ready")
	enter := func() { tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter}) }
	for _, want := range []string{"need password", "User logged in", "Entering Passive Mode", "data connection closed"} {
		enter() // the next line into the input
		enter() // sent
		waitForText(t, tm, want)
	}
	enter()
	enter() // :ladder
	waitForText(t, tm, "the connections, as a ladder")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	got := screen(final)
	for _, want := range []string{"# Logging in.", "# A listing needs a data connection.", "> LIST", "── USER demo", "data connection 1 open", "bytes LIST"} {
		if !strings.Contains(got, want) {
			t.Errorf("the screen lacks %q:\n%s", want, got)
		}
	}
}

// TestExampleDemonstrationsLoad checks that the demonstrations shipped in
// docs/demos load, and that the 15-minute one holds what it promises: a
// login, the ladder, a NAT fault switched on and off, TLS and a handout.
func TestExampleDemonstrationsLoad(t *testing.T) {
	paths, err := filepath.Glob("../docs/demos/*.ftp")
	if err != nil || len(paths) < 2 {
		t.Fatalf("the example demonstrations: %v, %v", paths, err)
	}
	for _, path := range paths {
		s, err := LoadScript(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if filepath.Base(path) != "two-connections.ftp" {
			continue
		}
		var lines []string
		for _, l := range s.Lines {
			lines = append(lines, l.Text)
		}
		all := strings.Join(lines, "\n")
		for _, want := range []string{"USER demo", ":ladder", "LIST", "!fault nat on", "!fault nat off", "AUTH TLS", "PROT P", ":save handout.md"} {
			if !strings.Contains(all, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
	}
}

// FuzzParseScript checks that any file either loads or is refused with a
// ScriptError or a read error, never panics, and that what loads holds
// no control character in a line to send.
func FuzzParseScript(f *testing.F) {
	for _, s := range []string{"USER demo\n", "# hi\n!fault nat on\n", "!fault\n", "\x00\xff\r\n", "// x\n\n#\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseScript("f.ftp", strings.NewReader(text))
		if err != nil {
			return
		}
		for _, l := range s.Lines {
			if l.Kind != ScriptNarration && strings.ContainsFunc(l.Text, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
				t.Fatalf("line %d to send holds a control character: %q", l.No, l.Text)
			}
			if l.Text == "" {
				t.Fatalf("line %d is empty", l.No)
			}
		}
	})
}

// TestPlayGolden draws a demonstration in progress at 80×24: narration in
// the transcript, the next command in the input, the hint saying where
// the script stands.
func TestPlayGolden(t *testing.T) {
	m := playModel(t, 80, 24, "# First the user name.\nUSER demo\n# Then the password.\nPASS demo\n")
	m = apply(m, loginSession()[:2]...)
	m = pressKeys(m, "enter")
	got := screen(m)
	checkScreenSize(t, got, 80, 24)
	golden(t, "play-80x24", got)
}
