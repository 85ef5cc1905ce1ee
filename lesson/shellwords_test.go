package lesson

import (
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/protocol"
)

// TestShellCommandWrongTurn: a learner who types a shell command (cd, ls,
// get) at a step is told what it is in FTP, not only "500, read the text".
func TestShellCommandWrongTurn(t *testing.T) {
	lessons, err := Builtin(sandboxFaults())
	if err != nil {
		t.Fatal(err)
	}
	var where *Lesson
	for _, l := range lessons {
		if l.Name == "where" {
			where = l
		}
	}
	tests := []struct {
		typed string
		code  int
		says  []string
	}{
		{"cd pub", 500, []string{"CD is a shell or FTP-client command", "in FTP itself it is CWD", "this step still waits for"}},
		{"ls", 502, []string{"LS is a shell or FTP-client command", "LIST"}},
		{"CWDD pub", 500, []string{"The server does not know CWDD", "this step's command is CWD"}},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			p := NewPlayer(where, catalog.MustLoad())
			p.Watch(protocol.Event{Kind: protocol.EventReply, Seq: 1, Command: "PWD", Verb: "PWD", Reply: &protocol.Reply{Code: 257, Lines: []string{`257 "/"`}}})
			verb := strings.ToUpper(strings.Fields(tt.typed)[0])
			p.Watch(protocol.Event{Kind: protocol.EventReply, Seq: 2, Command: strings.ToUpper(tt.typed[:len(verb)]) + tt.typed[len(verb):], Verb: verb,
				Reply: &protocol.Reply{Code: tt.code, Lines: []string{"500 Unknown command."}}})
			f := p.Feedback()
			text := feedbackText(f)
			if f.Kind != FeedbackWrongTurn {
				t.Errorf("feedback kind %d, want a wrong turn: %s", f.Kind, text)
			}
			for _, want := range tt.says {
				if !strings.Contains(text, want) {
					t.Errorf("the explanation should say %q: %s", want, text)
				}
			}
			if strings.Count(text, "CWD") > 3 {
				t.Errorf("the explanation repeats itself: %s", text)
			}
		})
	}
}
