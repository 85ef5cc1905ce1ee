package tui

// :doctor runs ftpscope doctor's checks on the server of the session,
// each over a connection of its own, while the session goes on. Each
// check, when it ends, is added to the transcript: its verdict, then its
// commands and replies (selectable, so the side panel explains them, with
// the check's findings at the top), then the findings as "?" lines.

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/doctor"
	"github.com/ftpscope/ftpscope/protocol"
)

// DoctorFunc runs doctor's checks on target, reporting progress as each
// check starts and ends; it returns when every check has ended or ctx is
// done. The program wires it with the session's own TLS settings.
type DoctorFunc func(ctx context.Context, target protocol.Target, progress func(doctor.Progress)) *doctor.Report

// doctorRun is a :doctor in progress.
type doctorRun struct {
	msgs   chan tea.Msg
	cancel context.CancelFunc
}

// doctorProgressMsg reports a check that started or ended.
type doctorProgressMsg struct{ p doctor.Progress }

// doctorDoneMsg reports the end of a :doctor, with its report.
type doctorDoneMsg struct{ report *doctor.Report }

// runDoctor is :doctor.
func runDoctor(m Model, _ []string) (Model, tea.Cmd) {
	switch {
	case m.opts.Doctor == nil || m.opts.Recording != nil:
		m.transcript.AddError("there is no server to check here: :doctor checks the server of a live session")
		return m, nil
	case m.doctor != nil:
		m.transcript.AddError("doctor is already checking the server; its checks appear here as they end")
		return m, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	run := &doctorRun{msgs: make(chan tea.Msg, 64), cancel: cancel}
	m.doctor = run
	target, check := m.target, m.opts.Doctor
	m.transcript.AddNarration(fmt.Sprintf("doctor: checking %s, one connection at a time, beside this session", target.Addr()))
	start := func() tea.Msg {
		go func() {
			report := check(ctx, target, func(p doctor.Progress) { run.msgs <- doctorProgressMsg{p} })
			run.msgs <- doctorDoneMsg{report}
		}()
		return <-run.msgs
	}
	return m, start
}

// waitDoctor waits for the next message of a :doctor.
func waitDoctor(run *doctorRun) tea.Cmd {
	return func() tea.Msg { return <-run.msgs }
}

// applyDoctorProgress shows a check starting (in the status line) or
// ended (in the transcript).
func (m *Model) applyDoctorProgress(p doctor.Progress) tea.Cmd {
	if m.doctor == nil {
		return nil
	}
	c := p.Check
	if !p.Done {
		m.status = fmt.Sprintf("doctor: %s (%d of %d)", c.Title, p.Index, p.Total)
		return waitDoctor(m.doctor)
	}
	m.showDoctorCheck(c)
	return waitDoctor(m.doctor)
}

// applyDoctorDone ends a :doctor with its conclusion.
func (m *Model) applyDoctorDone(r *doctor.Report) {
	if m.doctor != nil {
		m.doctor.cancel()
	}
	m.doctor, m.status = nil, ""
	line := "doctor: " + r.Conclusion()
	if r.Problems() > 0 {
		line += "; alt+↑ jumps to the replies behind them"
		m.transcript.AddError(line)
		return
	}
	m.transcript.AddNarration(line)
}

// stopDoctor cancels a :doctor in progress, when ftpscope quits.
func (m *Model) stopDoctor() {
	if m.doctor != nil {
		m.doctor.cancel()
	}
}

// showDoctorCheck adds one ended check to the transcript. Its events are
// shown as a session's are, but change nothing of the session's own
// state: they belong to doctor's connections.
func (m *Model) showDoctorCheck(c *doctor.Check) {
	head := fmt.Sprintf("doctor %s %s: %s", c.Verdict.Mark(), c.Title, c.Summary)
	switch c.Verdict {
	case doctor.Problem:
		m.transcript.AddError(head)
	case doctor.Warning:
		m.transcript.AddWarning(head)
	default:
		m.transcript.AddNarration(head)
	}
	if c.Verdict == doctor.OK || c.Verdict == doctor.Skipped {
		return // the transcript of a check that passed stays in the report
	}
	for _, d := range c.Details {
		m.transcript.AddInfo(d)
	}
	// Each finding is tied to the newest reply to its command (or the
	// newest reply of all), so that the side panel shows it at the top.
	// Replies are known by their keys (Transcript.SelectedReply).
	lastBySeq := map[int]int{}
	newest := -1
	for _, ev := range c.Events {
		m.transcript.SetEventTime(ev.Time)
		if key := m.showForeignEvent(ev, c.Findings); key != -1 {
			lastBySeq[ev.Seq], newest = key, key
		}
	}
	m.transcript.SetEventTime(c.Started.Add(c.Elapsed))
	defer m.transcript.SetEventTime(time.Time{})
	for _, f := range c.Findings {
		r, ok := lastBySeq[f.Seq]
		if !ok {
			r = newest
		}
		if r != -1 {
			m.findings.byReply[r] = append(m.findings.byReply[r], f)
		}
		m.transcript.AddFinding(findingLine(f))
	}
}

// showForeignEvent draws an event of another connection than the
// session's (a doctor check's) in the transcript, without the session
// state, automatic login or lesson that applyEvent drives. It returns the
// key of the reply it added, or -1. found are the check's findings, shown
// after its events: an error they explain says only what happened.
func (m *Model) showForeignEvent(ev protocol.Event, found []diagnose.Finding) (key int) {
	key = -1
	switch ev.Kind {
	case protocol.EventSend:
		m.transcript.AddSent(ev.Line)
		if ev.Note != "" {
			m.transcript.AddInfo(ev.Note)
		}
	case protocol.EventReply:
		if ev.Reply == nil {
			return key
		}
		key = m.transcript.AddReply(ev)
		if ev.Note != "" {
			m.transcript.AddInfo(ev.Note)
		}
		for _, w := range ev.Warnings {
			m.transcript.AddWarning(w)
		}
	case protocol.EventData:
		switch {
		case ev.Data == nil || ev.Data.Phase == protocol.DataProgress || ev.Line == "":
		case ev.Data.Err != nil:
			m.transcript.AddWarning(diagnose.EventLineFor(ev, found))
			m.addDetail(ev)
		default:
			m.transcript.AddInfo(ev.Line)
		}
	case protocol.EventWarning:
		m.transcript.AddWarning(ev.Line)
	case protocol.EventError:
		m.transcript.AddError(diagnose.EventLineFor(ev, found))
		m.addDetail(ev)
	case protocol.EventConnect, protocol.EventTLS, protocol.EventClose:
		m.transcript.AddInfo(diagnose.EventLine(ev))
	}
	return key
}
