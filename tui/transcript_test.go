package tui

import (
	"strings"
	"testing"
	"time"
)

// TestTimestampsComeFromEvents checks that a line added while an event is
// applied is dated by the event, not by the moment the screen caught up,
// so a command never appears to follow its own reply.
func TestTimestampsComeFromEvents(t *testing.T) {
	start := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	tr := NewTranscript(PlainStyles())
	tr.SetSize(80, 5)
	tr.SetClock(func() time.Time { return start.Add(time.Minute) }) // the screen is late
	tr.ToggleTimestamps()
	tr.SetEventTime(start)
	tr.AddSent("NOOP")
	tr.SetEventTime(time.Time{})
	tr.AddInfo("a line of ftpscope's own")
	view := tr.View()
	if !strings.Contains(view, "12:00:00.000   > NOOP") {
		t.Errorf("the sent line is not dated by its event:\n%s", view)
	}
	if !strings.Contains(view, "12:01:00.000   · a line") {
		t.Errorf("a line outside any event is not dated by the clock:\n%s", view)
	}
}
