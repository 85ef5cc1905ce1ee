package tui

// What diagnose concludes from the session, on screen: a "?" line in the
// transcript after the event that completed a finding, and the finding at
// the top of the side panel for the reply it explains.

import (
	"fmt"
	"strings"

	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/protocol"
)

// findingStore runs the findings over the events shown and ties each to a
// reply: the newest reply to the command it is about, or, for a command
// that got none (its data connection failed before it was sent), the
// newest reply of all. Replies are known by their key, their index in the
// event log: the store keeps no event, and numbers only the newest
// commands, so a long session costs it no more than a few thousand map
// entries. It lives behind a pointer, as the Model is copied.
type findingStore struct {
	// engine is loaded in the background (ready), as parsing the rules
	// takes some 20 ms that the first frame need not wait for; the first
	// event observed waits for it.
	engine  *diagnose.Engine
	ready   chan *diagnose.Engine
	byReply map[int][]diagnose.Finding
	// lastBySeq and newest (-1 before any) are of the current connection;
	// bySeq are the findings about each recent command, which a later
	// reply to it (the 426 after a stalled transfer) shows too: it is the
	// same command, explained once.
	lastBySeq map[int]int
	bySeq     map[int][]diagnose.Finding
	newest    int
}

// recentSeqs is how many of the newest commands findings are tied to by
// number; older ones fall back to the newest reply.
const recentSeqs = 4096

func newFindingStore() *findingStore {
	ready := make(chan *diagnose.Engine, 1)
	go func() { ready <- diagnose.New() }()
	return &findingStore{ready: ready, byReply: map[int][]diagnose.Finding{}, lastBySeq: map[int]int{}, bySeq: map[int][]diagnose.Finding{}, newest: -1}
}

// observe takes the next event, whose key is key, and returns the
// findings it completes.
func (s *findingStore) observe(ev protocol.Event, key int) []diagnose.Finding {
	switch ev.Kind {
	case protocol.EventConnect:
		s.lastBySeq, s.bySeq, s.newest = map[int]int{}, map[int][]diagnose.Finding{}, -1
		delete(s.byReply, noReply)
	case protocol.EventReply:
		if ev.Reply != nil && key >= 0 {
			s.lastBySeq[ev.Seq], s.newest = key, key
			// A finding is about a recent command: forget old ones, so
			// that a long connection does not grow the map.
			delete(s.lastBySeq, ev.Seq-recentSeqs)
			delete(s.bySeq, ev.Seq-recentSeqs)
			if fs := s.bySeq[ev.Seq]; len(fs) > 0 && ev.Seq != 0 {
				s.byReply[key] = append(s.byReply[key], fs...)
			}
		}
	}
	if s.engine == nil {
		s.engine = <-s.ready
	}
	found := s.engine.Observe(ev)
	for _, f := range found {
		r, ok := s.lastBySeq[f.Seq]
		if !ok || f.Seq == 0 && ev.Kind != protocol.EventReply {
			// An error of the connection, or of a command never sent
			// (a refused data connection): the newest reply is the one
			// on screen when it happened.
			r = s.newest
		}
		if r < 0 {
			r = noReply // shown by the panel that says no reply came
		}
		s.byReply[r] = append(s.byReply[r], f)
		if f.Seq != 0 {
			s.bySeq[f.Seq] = append(s.bySeq[f.Seq], f)
		}
	}
	return found
}

// line is the line to show for ev, which observe has just taken and
// answered with found: an error a finding explains, now or earlier for
// the same command, says only what happened (diagnose.Engine.Line).
func (s *findingStore) line(ev protocol.Event, found []diagnose.Finding) string {
	return s.engine.Line(ev, found)
}

// noReply is the key of the findings of a connection that ended before
// any reply (ftps:// against a plain port, a greeting that never came):
// the side panel shows them in place of a reply's explanation, so their
// server-side fixes and source are not lost.
const noReply = -1

// of returns the findings tied to the reply with key key.
func (s *findingStore) of(key int) []diagnose.Finding { return s.byReply[key] }

// showFindings shows the findings an event completed as transcript lines.
func (m *Model) showFindings(found []diagnose.Finding) {
	for _, f := range found {
		m.transcript.AddFinding(findingLine(f))
	}
}

// findingLine is a finding in one transcript line: its severity, the
// cause and what to do on the client's side (the side panel has the
// rest), worded as ftpscope run words it; a finding said before on this
// connection is one reminder line, as in ftpscope run.
func findingLine(f diagnose.Finding) string {
	if f.Repeat {
		return f.Reminder(f.SeeCommand())
	}
	s := f.Headline()
	if f.ClientFix != "" {
		s += " Fix: " + f.ClientFix
	}
	return s
}

// renderFindings draws findings for the top of the side panel: the cause,
// the fixes on each side, the source and the lines that show it.
func renderFindings(fs []diagnose.Finding, width int, st Styles) []string {
	var out []string
	wrap := func(text string, indent int) []string {
		lines := strings.Split(wrapWords(text, max(width-indent, 10)), "\n")
		for i := range lines {
			lines[i] = strings.Repeat(" ", indent) + lines[i]
		}
		return lines
	}
	for _, f := range fs {
		title := "? " + f.Headline()
		for _, l := range wrap(title, 0) {
			out = append(out, st.Finding.Render(l))
		}
		if f.ClientFix != "" {
			out = append(out, wrap("Fix: "+f.ClientFix, 2)...)
		}
		for _, s := range f.ServerFixes {
			out = append(out, wrap("On the server ("+protocol.ServerName(s.Server)+"): "+s.Fix, 2)...)
		}
		for _, l := range wrap("Source: "+f.Source+evidenceNote(f), 2) {
			out = append(out, st.Dim.Render(l))
		}
		out = append(out, "")
	}
	return out
}

// evidenceNote names the commands a finding rests on.
func evidenceNote(f diagnose.Finding) string {
	var nums []string
	for _, s := range f.Seqs() {
		if s > 0 {
			nums = append(nums, fmt.Sprint(s))
		}
	}
	if len(nums) == 0 {
		return ""
	}
	return "; evidence: command " + strings.Join(nums, ", ")
}
