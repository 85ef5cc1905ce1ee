package protocol

import (
	"strings"
	"testing"
)

// TestTLSEffectDependsOnLogin checks that the effect of a 234 says USER
// and PASS will be encrypted only when they are still to come: on a
// session already logged in they crossed in clear text.
func TestTLSEffectDependsOnLogin(t *testing.T) {
	reply := func(seq int, command, line string) Event {
		r, err := NewReplyReader(strings.NewReader(line + "\r\n")).ReadReply()
		if err != nil {
			t.Fatal(err)
		}
		verb, _, _ := strings.Cut(command, " ")
		return Event{Kind: EventReply, Seq: seq, Command: command, Verb: verb, Reply: r}
	}
	tests := []struct {
		name   string
		events []Event
		want   string
		not    string
	}{
		{"before login", []Event{
			{Kind: EventConnect}, reply(0, GreetingVerb, "220 ready"),
			reply(1, "AUTH TLS", "234 Proceed"),
		}, "including USER and PASS", "already crossed"},
		{"after login", []Event{
			{Kind: EventConnect}, reply(0, GreetingVerb, "220 ready"),
			reply(1, "USER demo", "331 Password please"), reply(2, "PASS ****", "230 Logged in"),
			reply(3, "AUTH TLS", "234 Proceed"),
		}, "USER and PASS already crossed the network in clear text", "including USER and PASS"},
		{"after a failed login", []Event{
			{Kind: EventConnect}, reply(0, GreetingVerb, "220 ready"),
			reply(1, "USER demo", "331 Password please"), reply(2, "PASS ****", "530 Login incorrect"),
			reply(3, "AUTH TLS", "234 Proceed"),
		}, "including USER and PASS", "already crossed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := NewTracker()
			for i := range tt.events {
				tr.Observe(&tt.events[i])
			}
			last := tt.events[len(tt.events)-1]
			if last.Effect == nil {
				t.Fatal("the 234 has no effect")
			}
			if !strings.Contains(last.Effect.Text, tt.want) || strings.Contains(last.Effect.Text, tt.not) {
				t.Errorf("effect %q, want %q and not %q", last.Effect.Text, tt.want, tt.not)
			}
		})
	}
}
