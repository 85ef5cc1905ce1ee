package tui

import (
	"crypto/x509"
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
)

// TestTrustDecisionSaidOnce answers the certificate question against the
// sandbox, whose certificate nothing here trusts: the transcript says
// once what followed the answer, in the session's own line ("accepted by
// you for this session", or the connection closed). It used to say the
// decision first ("certificate trusted for this session, by your
// decision") and then the same again.
func TestTrustDecisionSaidOnce(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Options{TLS: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	tests := []struct {
		answer string
		want   string // in the transcript
		once   string // the word of the decision, said once
		done   func(Model) bool
	}{
		{"yes", "accepted by you for this session", "accepted", func(m Model) bool { return m.state.tls != "" }},
		{"no", "the connection was closed, as the server's certificate was refused", "refused", func(m Model) bool { return m.sessionOver }},
	}
	for _, tt := range tests {
		t.Run(tt.answer, func(t *testing.T) {
			m := newTestModel(120, 30)
			m.opts.History = NewHistory("")
			m.opts.Connect = func(protocol.Target) *protocol.Session {
				return protocol.Dial(protocol.Config{Addr: srv.Addr, RequireTLS: true, RootCAs: x509.NewCertPool(), AskTrust: true})
			}
			next, _ := m.Update(connectMsg{})
			m = next.(Model)
			t.Cleanup(func() { m.session.Close() })
			m = pumpUntil(t, m, "the question", func(m Model) bool { return m.trustPrompt != nil })
			m = press(m, "type:"+tt.answer, "enter")
			m = pumpUntil(t, m, "the outcome", tt.done)
			pane := strings.Join(m.paneLines(), "\n")
			if !strings.Contains(pane, tt.want) {
				t.Errorf("the transcript lacks %q:\n%s", tt.want, pane)
			}
			if n := strings.Count(pane, tt.once); n != 1 {
				t.Errorf("%q is said %d times, want once:\n%s", tt.once, n, pane)
			}
			if strings.Contains(pane, "by your decision") {
				t.Errorf("the decision is said before its outcome:\n%s", pane)
			}
		})
	}
}
