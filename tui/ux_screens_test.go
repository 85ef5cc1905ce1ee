package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/ftpscope/ftpscope/protocol"
)

// longCommand is a command a new user pasted by mistake: 3,004
// characters, which used to fill the side panel's header.
var longCommand = "CWD " + strings.Repeat("a", 3000)

// longCommandSession sends longCommand and gets its 550.
func longCommandSession() []protocol.Event {
	return append(loginSession(), sent(longCommand), reply(longCommand, time.Millisecond, "550 Failed to change directory."))
}

// multiLineSession gets a multi-line FEAT reply and a warning long enough
// to wrap at 80 columns.
func multiLineSession() []protocol.Event {
	return append(loginSession(), sent("FEAT"),
		reply("FEAT", time.Millisecond, "211-Features:", " EPSV", " MDTM", " SIZE", "211 End"),
		protocol.Event{Kind: protocol.EventWarning, Line: "a warning long enough to wrap on an 80-column screen, which used to repeat its timestamp on every row"})
}

// TestUXScreens pins screens of the defects new users found: a long
// command in the panel header, and timestamps on wrapped rows.
func TestUXScreens(t *testing.T) {
	tests := []struct {
		name          string
		width, height int
		events        []protocol.Event
		keys          []string
	}{
		{name: "long-command-160x45", width: 160, height: 45, events: longCommandSession()},
		{name: "long-command-whole-160x45", width: 160, height: 45, events: longCommandSession(), keys: []string{"ctrl+o"}},
		{name: "long-command-80x24", width: 80, height: 24, events: longCommandSession(), keys: []string{"f4"}},
		{name: "timestamps-wrapped-80x24", width: 80, height: 24, events: multiLineSession(), keys: []string{"ctrl+t"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := apply(newTestModel(tt.width, tt.height), tt.events...)
			m = press(m, tt.keys...)
			got := screen(m)
			for i, row := range strings.Split(got, "\n") {
				if w := ansi.StringWidth(row); w > tt.width {
					t.Errorf("row %d is %d cells wide, more than the terminal's %d", i, w, tt.width)
				}
			}
			golden(t, tt.name, got)
		})
	}
}

// TestLongCommandIsShortenedInThePanel checks that the panel's "in reply
// to" header shows a long command in two lines, says how long it is, and
// that ctrl+o shows it whole and back.
func TestLongCommandIsShortenedInThePanel(t *testing.T) {
	m := apply(newTestModel(160, 45), longCommandSession()...)
	panel := ansi.Strip(m.sideView())
	if !strings.Contains(panel, "(3004 characters; ctrl+o shows it whole)") {
		t.Errorf("the header does not say the command is shortened:\n%s", panel)
	}
	if !strings.Contains(panel, "What it means") {
		t.Errorf("the long command pushed the explanation off the panel:\n%s", panel)
	}
	m = press(m, "ctrl+o")
	if whole := ansi.Strip(m.sideView()); strings.Contains(whole, "ctrl+o shows it whole") || strings.Count(whole, "a") < 2000 {
		t.Errorf("ctrl+o did not show the whole command:\n%s", whole)
	}
	m = press(m, "ctrl+o")
	if again := ansi.Strip(m.sideView()); !strings.Contains(again, "ctrl+o shows it whole") {
		t.Errorf("a second ctrl+o did not shorten the command again:\n%s", again)
	}
}

// TestTimestampOncePerLine checks that with ctrl+t a line's time stands
// on its first row only, and on a multi-line reply's first line only.
func TestTimestampOncePerLine(t *testing.T) {
	m := apply(newTestModel(80, 24), multiLineSession()...)
	m = press(m, "ctrl+t")
	stamps := strings.Count(screen(m), "12:00:00.000")
	// Lines on screen: every line of the session but the 211 reply's
	// three continuation lines, each stamped once.
	lines := 0
	for _, l := range m.paneLines() {
		if !strings.HasPrefix(l, " ") && l != "211 End" {
			lines++
		}
	}
	if stamps != lines {
		t.Errorf("%d timestamps on screen for %d lines:\n%s", stamps, lines, screen(m))
	}
}
