package diagnose

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/internal/badserver"
	"github.com/ftpscope/ftpscope/protocol"
)

// TestDescribeProtocolErrors provokes protocol's own errors against a
// misbehaving server and checks their plain words.
func TestDescribeProtocolErrors(t *testing.T) {
	tests := []struct {
		name     string
		script   badserver.Script
		cfg      protocol.Config
		commands []string
		kind     ErrorKind
		what     string // a part of Plain.What
		fix      string // a part of Plain.Fix
	}{
		{"an endless reply", badserver.EndlessReply(), protocol.Config{MaxReplyRead: 1 << 20}, []string{"STAT"},
			KindBound, "a 211 reply went past ftpscope's bound on bytes read for one reply", "must end with a line"},
		{"no greeting", func(c *badserver.Conn) { c.Hold() }, protocol.Config{ReplyTimeout: 200 * time.Millisecond}, nil,
			KindTimeout, "the server sent no greeting within 200ms", "ftps://"},
		{"a refused passive port", badserver.PassiveRefused(badserver.RefusedPort(t)), protocol.Config{}, []string{"EPSV", "LIST"},
			KindData, "the data connection to 127.0.0.1:", "passive port range"},
		{"a dropped passive port", badserver.PassiveDropped(badserver.DroppingPort(t)), protocol.Config{ConnectTimeout: 200 * time.Millisecond}, []string{"EPSV", "LIST"},
			KindData, "was never answered", "pasv_min_port"},
		{"silence after 150", badserver.SilentAfter150(), protocol.Config{ReplyTimeout: 200 * time.Millisecond}, []string{"PASV", "LIST"},
			KindTimeout, "no reply to LIST within 200ms", "--reply-timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := badserver.Start(t, tt.script)
			tt.cfg.Addr = srv.Addr
			c := protocol.NewConversation(protocol.Dial(tt.cfg), nil)
			defer c.Close()
			_, err := c.Greeting(context.Background())
			for _, cmd := range tt.commands {
				if err != nil {
					break
				}
				_, err = c.Do(context.Background(), cmd)
			}
			if err == nil {
				t.Fatal("no error")
			}
			p := Describe(err)
			if p.Kind != tt.kind || !strings.Contains(p.What, tt.what) || !strings.Contains(p.Fix, tt.fix) {
				t.Errorf("Describe(%v) =\n%+v\nwant kind %q, what containing %q, fix containing %q", err, p, tt.kind, tt.what, tt.fix)
			}
		})
	}
}
