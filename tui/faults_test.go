package tui

import (
	"strings"
	"testing"
	"time"

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
	srv, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	target, _ := protocol.ParseTarget(srv.Addr)
	script, err := ParseScript("demo.ftp", strings.NewReader("!fault no-pasv off\nPASV\n"))
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{
		Catalog: testCatalog,
		Connect: func(target protocol.Target) *protocol.Session {
			return protocol.Dial(protocol.Config{Addr: target.Addr()})
		},
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
	waitForText(t, tm, `unknown fault "nope"; the faults are`)
	typeLine(tm, ":fault nat sideways")
	waitForText(t, tm, `"sideways" is neither on nor off`)

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
