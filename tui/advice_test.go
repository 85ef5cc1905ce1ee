package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/ftpscope/ftpscope/protocol"
)

// tracked passes events through a Tracker, as a session's queue does, so
// that they carry their state and effect.
func tracked(events ...protocol.Event) []protocol.Event {
	tr := protocol.NewTracker()
	for i := range events {
		tr.Observe(&events[i])
	}
	return events
}

// TestAuthTLSAfterLoginAdvice checks the panel's explanation of a 234 on
// a session already logged in: USER and PASS went in clear text before
// it; they are not "encrypted from here on".
func TestAuthTLSAfterLoginAdvice(t *testing.T) {
	events := tracked(append(loginSession(), sent("AUTH TLS"), reply("AUTH TLS", time.Millisecond, "234 Proceed with negotiation."))...)
	m := apply(newTestModel(160, 45), events...)
	panel := strings.Join(strings.Fields(strings.ReplaceAll(ansi.Strip(m.sideView()), "│", "")), " ")
	if !strings.Contains(panel, "You logged in before it, so USER and PASS already crossed the network in clear text") {
		t.Errorf("the panel does not say the login already went in clear text:\n%s", panel)
	}
	if strings.Contains(panel, "including USER and PASS") {
		t.Errorf("the panel still says USER and PASS will be encrypted:\n%s", panel)
	}
}
