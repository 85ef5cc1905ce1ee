package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
)

// TestPassiveAddressShowsNAT plays what a teacher does to show a NAT
// failure: the sandbox's nat fault on, then :pasv-address server, so that
// the data connection follows the wrong address and really fails; then
// :pasv-address peer, FileZilla's workaround, so the listing comes back.
// ftpscope's default hides the fault, and says how to show it.
func TestPassiveAddressShowsNAT(t *testing.T) {
	srv, target := startSandbox(t, sandbox.Options{})
	m := New(Options{
		Catalog:     testCatalog,
		Connect:     dialWith(protocol.Config{}),
		Target:      target,
		SetFault:    srv.SetFault,
		FaultStates: faultStates(srv),
	})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(200, 50))
	waitForText(t, tm, "Service ready")
	typeLine(tm, "USER demo")
	waitForText(t, tm, "need password")
	typeLine(tm, "PASS demo")
	waitForText(t, tm, "User logged in")

	typeLine(tm, ":fault nat on")
	waitForText(t, tm, "as FileZilla does, so")
	typeLine(tm, ":pasv-address")
	waitForText(t, tm, "data connections go to the control")
	typeLine(tm, ":pasv-address sideways")
	waitForText(t, tm, `"sideways" is neither server nor peer`)

	typeLine(tm, ":pasv-address server")
	waitForText(t, tm, "from the next PASV, data connections go to the address")
	typeLine(tm, "PASV")
	waitForText(t, tm, "following it, as asked")
	typeLine(tm, "LIST")
	waitForText(t, tm, "LIST was not sent")

	typeLine(tm, ":pasv-address peer")
	waitForText(t, tm, "from the next PASV, data connections go to the control")
	typeLine(tm, "PASV")
	waitForText(t, tm, "127,0,0,2")
	typeLine(tm, "LIST")
	waitForText(t, tm, "226")

	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	// The switches are kept with the session, for the handout and the
	// diagram.
	var narrated []string
	for ev := range final.log.All {
		if strings.HasPrefix(ev.Line, "from the next PASV") {
			narrated = append(narrated, ev.Line)
		}
	}
	if len(narrated) != 2 {
		t.Errorf("the session's events hold %q, want the two switches", narrated)
	}
}

// TestPassiveAddressCompletion checks that tab completes :pasv-address's
// two policies.
func TestPassiveAddressCompletion(t *testing.T) {
	for _, tc := range []struct {
		keys  []string
		value string
	}{
		{[]string{"type::pasv-address s", "tab"}, ":pasv-address server "},
		{[]string{"type::pasv-address p", "tab"}, ":pasv-address peer "},
		{[]string{"type::pasv-a", "tab"}, ":pasv-address "},
	} {
		m := press(newTestModel(120, 30), tc.keys...)
		if got := m.input.Value(); got != tc.value {
			t.Errorf("%q: input = %q, want %q", tc.keys, got, tc.value)
		}
	}
}
