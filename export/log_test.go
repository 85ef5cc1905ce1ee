package export

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/protocol"
)

// TestLogDatesEachLineWithItsOwnTime checks that every line of the
// message log carries the time of what it says: a narration event its
// own time, and a note or comment written later the time it was written,
// never the time of the event before it.
func TestLogDatesEachLineWithItsOwnTime(t *testing.T) {
	// Far in the past, so that "now" can never be mistaken for it.
	replied := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	narrated := replied.Add(90 * time.Second)
	greeting := protocol.Event{Kind: protocol.EventReply, Time: replied, Command: "(connection)", Verb: "(connection)",
		Reply: &protocol.Reply{Code: 220, Lines: []string{"220 ready"}}}
	tests := []struct {
		name string
		// write adds the line under test after the greeting.
		write func(w Writer)
		// line is the start of the line's text, after its word.
		line string
		// want checks the line's date and time.
		want func(at time.Time) bool
		what string
	}{
		{
			name:  "a narration event",
			write: func(w Writer) { w.Event(Narration("# now we log in", narrated)) },
			line:  "Note:     now we log in",
			want:  func(at time.Time) bool { return at.Equal(narrated) },
			what:  narrated.Format(logTime),
		},
		{
			name:  "a comment narrated now",
			write: func(w Writer) { w.Narrate("# said later") },
			line:  "Note:     said later",
			want:  func(at time.Time) bool { return at.Year() > 2001 },
			what:  "the time it was written",
		},
		{
			name:  "a note of ftpscope's own",
			write: func(w Writer) { w.Info("logging stopped") },
			line:  "Status:   logging stopped",
			want:  func(at time.Time) bool { return at.Year() > 2001 },
			what:  "the time it was written",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := NewLog(&buf)
			w.Event(greeting)
			tt.write(w)
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			var found bool
			for _, line := range strings.Split(buf.String(), "\n") {
				stamp, text, ok := cutLogLine(line)
				if !ok || !strings.HasPrefix(text, tt.line) {
					continue
				}
				found = true
				at, err := time.ParseInLocation(logTime, stamp, replied.Location())
				if err != nil {
					t.Fatalf("%q: %v", line, err)
				}
				if !tt.want(at) {
					t.Errorf("%q is dated %s; want %s (the greeting was at %s)", text, stamp, tt.what, replied.Format(logTime))
				}
			}
			if !found {
				t.Fatalf("no line %q in the log:\n%s", tt.line, buf.String())
			}
		})
	}
}

// cutLogLine splits a line of the message log into its date and time and
// the rest.
func cutLogLine(line string) (stamp, text string, ok bool) {
	if len(line) <= len(logTime)+1 {
		return "", "", false
	}
	return line[:len(logTime)], line[len(logTime)+1:], true
}
