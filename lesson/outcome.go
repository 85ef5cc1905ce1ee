package lesson

import (
	"github.com/ftpscope/ftpscope/protocol"
)

// OutcomeOf reads a reply event as a step sees it. The facts come from
// the state the session's Tracker attached to the event (protocol's one
// interpretation of replies); nothing is read from the reply text here.
// ok is false for an event that is not a reply.
func OutcomeOf(ev protocol.Event) (o Outcome, ok bool) {
	if ev.Kind != protocol.EventReply || ev.Reply == nil {
		return Outcome{}, false
	}
	o = Outcome{
		Command: protocol.Escape(ev.Command),
		Verb:    ev.Verb,
		Code:    ev.Reply.Code,
	}
	if ev.Verb == protocol.GreetingVerb {
		o.Command, o.Verb = "", ""
	}
	o.Facts = FactsOf(ev.State)
	if e := ev.Effect; e != nil {
		o.Facts.DataAnnounced = e.Kind == protocol.EffectPassive || e.Kind == protocol.EffectActive
	}
	return o, true
}

// FactsOf reads the facts a step checks from the session's state; a nil
// state (no event yet) is a session that has established nothing.
func FactsOf(st *protocol.SessionState) Facts {
	if st == nil {
		return Facts{}
	}
	return Facts{
		LoggedIn:   st.LoggedIn,
		User:       st.User,
		TLS:        st.ControlTLS,
		Protection: st.Prot,
		Type:       st.Type,
		Directory:  st.Cwd,
	}
}

// Settled reports the state after an event that changes it without a
// reply: the TLS handshake that follows a 234. ok is false for any other
// event.
func Settled(ev protocol.Event) (f Facts, ok bool) {
	if ev.Kind != protocol.EventTLS || ev.TLS == nil || ev.TLS.Data || ev.TLS.NeedsDecision {
		return Facts{}, false
	}
	return FactsOf(ev.State), true
}
