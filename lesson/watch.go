package lesson

import (
	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/protocol"
)

// Watch takes every event of the session, in order, as the UI receives
// it, and reports whether what the player says changed. Replies are
// checked against the current step with the findings ftpscope draws from
// them (diagnose); a TLS handshake re-checks the step its AUTH reply
// left waiting.
func (p *Player) Watch(ev protocol.Event) bool {
	findings := p.diagnosis.Observe(ev)
	if o, ok := OutcomeOf(ev); ok {
		for _, f := range findings {
			// A finding may quote the server: escaped, as everything
			// from it is.
			o.Findings = append(o.Findings, protocol.Escape(f.Cause+clientFix(f)))
		}
		return p.Observe(o)
	}
	if f, ok := Settled(ev); ok {
		return p.Settle(f)
	}
	return false
}

// clientFix is a finding's fix on the learner's side, as a sentence to
// follow its cause, or "".
func clientFix(f diagnose.Finding) string {
	if f.ClientFix == "" {
		return ""
	}
	return " " + f.ClientFix
}
