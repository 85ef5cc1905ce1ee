package tui

// What diagnose concludes from the session, on screen: a "?" line in the
// transcript after the event that completed a finding, and the finding at
// the top of the side panel for the reply it explains.

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/protocol"
)

// findingStore runs the findings over the events shown and ties each to a
// reply: the newest reply to the command it is about, or, for a command
// that got none (its data connection failed before it was sent), the
// newest reply of all. It also keeps the bytes of the command each reply
// answers, for the raw view. It lives behind a pointer, as the Model is
// copied.
type findingStore struct {
	engine  *diagnose.Engine
	byReply map[*protocol.Reply][]diagnose.Finding
	// lastBySeq and newest are of the current connection.
	lastBySeq map[int]*protocol.Reply
	newest    *protocol.Reply
	// sent holds the bytes written for each command of the current
	// connection, and command those of the command each reply answers.
	sent    map[int][]byte
	command map[*protocol.Reply][]byte
}

func newFindingStore() *findingStore {
	return &findingStore{
		engine: diagnose.New(), byReply: map[*protocol.Reply][]diagnose.Finding{},
		lastBySeq: map[int]*protocol.Reply{}, sent: map[int][]byte{}, command: map[*protocol.Reply][]byte{},
	}
}

// observe takes the next event and returns the findings it completes.
func (s *findingStore) observe(ev protocol.Event) []diagnose.Finding {
	switch ev.Kind {
	case protocol.EventConnect:
		s.lastBySeq, s.newest, s.sent = map[int]*protocol.Reply{}, nil, map[int][]byte{}
	case protocol.EventSend:
		if ev.Raw != nil {
			s.sent[ev.Seq] = ev.Raw
		}
	case protocol.EventReply:
		if ev.Reply != nil {
			s.lastBySeq[ev.Seq], s.newest = ev.Reply, ev.Reply
			if raw, ok := s.sent[ev.Seq]; ok {
				s.command[ev.Reply] = raw
			}
		}
	}
	found := s.engine.Observe(ev)
	for _, f := range found {
		r := s.lastBySeq[f.Seq]
		if r == nil || f.Seq == 0 && ev.Kind != protocol.EventReply {
			// An error of the connection, or of a command never sent
			// (a refused data connection): the newest reply is the one
			// on screen when it happened.
			r = s.newest
		}
		if r != nil {
			s.byReply[r] = append(s.byReply[r], f)
		}
	}
	return found
}

// of returns the findings tied to reply r.
func (s *findingStore) of(r *protocol.Reply) []diagnose.Finding { return s.byReply[r] }

// diagnose shows the findings an event completes as transcript lines.
func (m *Model) diagnose(ev protocol.Event) {
	for _, f := range m.findings.observe(ev) {
		m.transcript.AddFinding(findingLine(f))
	}
}

// findingLine is a finding in one transcript line: the cause and what to
// do on the client's side (the side panel has the rest).
func findingLine(f diagnose.Finding) string {
	s := f.Cause
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
		lines := strings.Split(lipgloss.Wrap(text, max(width-indent, 10), ""), "\n")
		for i := range lines {
			lines[i] = strings.Repeat(" ", indent) + lines[i]
		}
		return lines
	}
	for _, f := range fs {
		title := fmt.Sprintf("? %s: %s", f.Severity, f.Cause)
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
