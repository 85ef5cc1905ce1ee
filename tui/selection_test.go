package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/ftpscope/ftpscope/protocol"
)

// TestSendingFollowsTheNewReply checks that a reply selected with ctrl+p
// does not outlive the next command: the panel explains the new reply,
// and one esc goes back to following.
func TestSendingFollowsTheNewReply(t *testing.T) {
	for _, size := range [][2]int{{160, 45}, {80, 24}} {
		m := apply(newTestModel(size[0], size[1]), loginSession()...)
		m = press(m, "ctrl+p", "ctrl+p")
		if ev, _, _ := m.transcript.Reply(); ev.Command != "USER demo" {
			t.Fatalf("%dx%d: ctrl+p twice selected the reply to %q, want USER demo's", size[0], size[1], ev.Command)
		}
		m = apply(m, sent("NOOP"), reply("NOOP", time.Millisecond, "200 NOOP ok"))
		if ev, _, _ := m.transcript.Reply(); ev.Command != "NOOP" {
			t.Errorf("%dx%d: after sending NOOP the panel explains the reply to %q, want NOOP's", size[0], size[1], ev.Command)
		}
		m = press(m, "esc")
		if !m.transcript.Following() {
			t.Errorf("%dx%d: one esc after sending did not follow the newest reply", size[0], size[1])
		}
	}
}

// TestNewConnectionFollowsTheGreeting checks that a reply selected in
// the last session gives way to the new session's greeting.
func TestNewConnectionFollowsTheGreeting(t *testing.T) {
	m := apply(newTestModel(160, 45), loginSession()...)
	m = press(m, "ctrl+p")
	m = apply(m, protocol.Event{Kind: protocol.EventClose, Line: "closed by ftpscope"},
		protocol.Event{Kind: protocol.EventConnect, Line: "connected to 127.0.0.1:2121 from 127.0.0.1:50001"},
		reply(protocol.GreetingVerb, time.Millisecond, "220 hello again"))
	if ev, _, _ := m.transcript.Reply(); ev.Verb != protocol.GreetingVerb {
		t.Errorf("after reconnecting the panel explains the reply to %q, want the new greeting", ev.Command)
	}
}

// TestNarrowHintNamesTheReplyShown checks the hint under the input on a
// narrow screen: f4 explains the newest reply while following, the
// selected one after ctrl+p, and the panel itself before any reply.
func TestNarrowHintNamesTheReplyShown(t *testing.T) {
	m := newTestModel(80, 24)
	if got := ansi.Strip(m.renderHint()); !strings.Contains(got, "f4 shows the side panel") {
		t.Errorf("before any reply the hint is %q", got)
	}
	m = apply(m, loginSession()...)
	if got := ansi.Strip(m.renderHint()); !strings.Contains(got, "f4 shows the explanation of the newest reply") {
		t.Errorf("while following the hint is %q", got)
	}
	m = press(m, "ctrl+p", "f4") // ctrl+p shows the panel; f4 goes back
	if got := ansi.Strip(m.renderHint()); !strings.Contains(got, "f4 shows the explanation of the selected reply") {
		t.Errorf("after ctrl+p the hint is %q", got)
	}
}
