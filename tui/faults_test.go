package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
)

// faultStates is what ftpscope's command wires into Options.FaultStates.
func faultStates(srv *sandbox.Server) func() []FaultState {
	return func() []FaultState {
		var states []FaultState
		for _, f := range srv.Faults() {
			states = append(states, FaultState{Name: f.Name, Does: f.Does, Imitates: f.Imitates, On: f.On})
		}
		return states
	}
}

// TestFaultWithoutSandbox checks :fault on a server ftpscope does not run.
func TestFaultWithoutSandbox(t *testing.T) {
	m := pressKeys(newTestModel(160, 45), "type::fault nat on", "enter")
	if view := screen(m); !strings.Contains(view, ":fault switches the faults of ftpscope's own sandbox, and this server is not it") {
		t.Errorf("the screen does not explain:\n%s", view)
	}
}

// TestFaultCommand switches a fault of a real sandbox from the input line
// and checks that the server's next reply follows it.
func TestFaultCommand(t *testing.T) {
	srv, target := startSandbox(t, sandbox.Options{})
	script, err := ParseScript("demo.ftp", strings.NewReader("!fault no-pasv off\nPASV\n"))
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{
		Catalog:     testCatalog,
		Connect:     dialWith(protocol.Config{}),
		Target:      target,
		Play:        script,
		SetFault:    srv.SetFault,
		FaultStates: faultStates(srv),
	})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(160, 45))
	waitForText(t, tm, "Service ready")
	typeLine(tm, "USER demo")
	waitForText(t, tm, "need password")
	typeLine(tm, "PASS demo")
	waitForText(t, tm, "User logged in")

	typeLine(tm, ":fault no-pasv on")
	waitForText(t, tm, "# the sandbox's fault no-pasv is now on: refuse PASV and EPSV")
	typeLine(tm, "PASV")
	waitForText(t, tm, "550 Permission denied.")
	typeLine(tm, ":fault")
	waitForText(t, tm, "the sandbox's faults on: no-pasv")
	typeLine(tm, ":fault nope on")
	waitForText(t, tm, `there is no fault named "nope"; :fault alone lists them`)

	// A played "!fault" line switches it through the same hook.
	enter := func() { tm.Send(keyPress("enter")) }
	enter() // the directive into the input line
	enter() // run
	waitForText(t, tm, "# the sandbox's fault no-pasv is now off")
	enter()
	enter() // PASV
	waitForText(t, tm, "Entering Passive Mode")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	for _, f := range srv.Faults() {
		if f.On {
			t.Errorf("fault %s still on", f.Name)
		}
	}
	// The switches are kept with the session, for the handout.
	var narrated []string
	for ev := range final.log.All {
		if strings.HasPrefix(ev.Line, "the sandbox's fault no-pasv") {
			narrated = append(narrated, ev.Line)
		}
	}
	if len(narrated) != 2 {
		t.Errorf("the session's events hold %q, want the two switches", narrated)
	}
}

// TestFaultBadArguments types :fault with each kind of bad argument: each
// is answered with one sentence saying what was wrong, the closest fault
// name when one is close, and how to list them; nothing is switched. It
// used to answer ":fault nosuch" with the usage alone.
func TestFaultBadArguments(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	tests := []struct{ line, want string }{
		{":fault nosuch", `there is no fault named "nosuch"; :fault alone lists them`},
		{":fault nosuch on", `there is no fault named "nosuch"; :fault alone lists them`},
		{":fault natt", `there is no fault named "natt" (did you mean nat?); :fault alone lists them`},
		{":fault NATT off", `there is no fault named "natt" (did you mean nat?); :fault alone lists them`},
		{":fault expired on", `there is no fault named "expired" (did you mean expired-cert?); :fault alone lists them`},
		{":fault slwo on", `there is no fault named "slwo" (did you mean slow?); :fault alone lists them`},
		{":fault nat sideways", `"sideways" is neither on nor off; ` + faultUsage},
		{":fault nat on now", faultUsage},
		{"!fault natt on", `there is no fault named "natt" (did you mean nat?); :fault alone lists them`},
		// A name alone is a question: is it on, and what does it do.
		{":fault nat", "the sandbox's fault nat is off: announce a wrong address in 227"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			m := newTestModel(160, 45)
			m.opts.SetFault, m.opts.FaultStates = srv.SetFault, faultStates(srv)
			m = pressKeys(m, "type:"+tt.line, "enter")
			if got := lastLine(m); !strings.HasPrefix(got, tt.want) {
				t.Errorf("last line\n %q\nwant it to start with\n %q", got, tt.want)
			}
			for _, f := range srv.Faults() {
				if f.On {
					t.Errorf("fault %s was switched on", f.Name)
				}
			}
		})
	}
}

// TestFaultCompletion checks that tab completes :fault's fault names and
// then on or off, from the sandbox's own list.
func TestFaultCompletion(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	for _, tc := range []struct {
		keys      []string
		value     string
		hintParts []string
	}{
		{[]string{"type::fault na", "tab"}, ":fault nat ", nil},
		{[]string{"type::fault re", "tab"}, ":fault refuse-data", []string{"refuse-data", "require-tls"}},
		{[]string{"type::fault req", "tab"}, ":fault require-tls", []string{"require-tls-reuse"}},
		{[]string{"type::fault nat o", "tab"}, ":fault nat on", []string{"on", "off"}},
		{[]string{"type::fault nat of", "tab"}, ":fault nat off ", nil},
	} {
		m := New(Options{Catalog: testCatalog, Target: protocol.Target{Host: "127.0.0.1", Port: 2121}, SetFault: srv.SetFault, FaultStates: faultStates(srv)})
		next, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
		m = press(next.(Model), tc.keys...)
		if got := m.input.Value(); got != tc.value {
			t.Errorf("%q: input = %q, want %q", tc.keys, got, tc.value)
		}
		hint := m.renderHint()
		for _, part := range tc.hintParts {
			if !strings.Contains(hint, part) {
				t.Errorf("%q: hint %q lacks %q", tc.keys, hint, part)
			}
		}
	}
	// Without the sandbox, nothing completes after :fault.
	m := press(newTestModel(120, 30), "type::fault na", "tab")
	if got := m.input.Value(); got != ":fault na" {
		t.Errorf("without the sandbox: input = %q", got)
	}
}
