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
		Command: ev.Command,
		Verb:    ev.Verb,
		Code:    ev.Reply.Code,
		Text:    protocol.Escape(ev.Reply.Text()),
	}
	if ev.Verb == protocol.GreetingVerb {
		o.Command, o.Verb = "", ""
	}
	if st := ev.State; st != nil {
		o.Facts = Facts{
			LoggedIn:   st.LoggedIn,
			User:       st.User,
			TLS:        st.ControlTLS,
			Protection: st.Prot,
			Type:       st.Type,
			Directory:  st.Cwd,
		}
	}
	if e := ev.Effect; e != nil {
		o.Facts.DataAnnounced = e.Kind == protocol.EffectPassive || e.Kind == protocol.EffectActive
	}
	return o, true
}
