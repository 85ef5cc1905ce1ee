package tui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/protocol"
)

// The lesson's hooks in the root model: replies go to the lesson's
// player, :hint, :skip and :back drive it, and each change of step
// switches the sandbox fault the new step asks for.

// lessonEvent hands an event to the lesson, if one is running, after
// the model has shown it: the transcript has the reply before the lesson
// says what it meant.
func (m *Model) lessonEvent(ev protocol.Event) {
	if m.lesson == nil {
		return
	}
	player := m.lesson.opts.Player
	before := player.Index()
	if !player.Watch(ev) {
		return
	}
	m.lesson.Changed()
	if player.Index() != before {
		m.lessonStepChanged()
	}
	m.layout()
}

// lessonStepChanged does what a new step needs: the sandbox fault it asks
// for, and at the end of the lesson the summary and the record.
func (m *Model) lessonStepChanged() {
	pane := m.lesson
	player := pane.opts.Player
	pane.Changed()
	if want := player.Fault(); want != pane.fault {
		m.switchFault(pane.fault, false)
		m.switchFault(want, true)
		pane.fault = want
	}
	if player.Finished() && !pane.recorded {
		pane.recorded = true
		m.transcript.AddInfo(fmt.Sprintf("lesson %q finished; the codes met:", player.Lesson().Title))
		for _, n := range player.Summary() {
			m.transcript.AddInfo(fmt.Sprintf("  %s %s · %s", n.Code, n.Name, n.Remember))
		}
		pane.recordPending = pane.opts.Finished != nil
	}
	m.layout()
}

// lessonRecordedMsg reports that a finished lesson was recorded, or why
// it could not be.
type lessonRecordedMsg struct{ err error }

// lessonRecord returns the command that records a lesson just finished,
// or nil: the record is a file, written outside Update.
func (m *Model) lessonRecord() tea.Cmd {
	if m.lesson == nil || !m.lesson.recordPending {
		return nil
	}
	m.lesson.recordPending = false
	finished, skipped := m.lesson.opts.Finished, m.lesson.opts.Player.Skipped()
	return func() tea.Msg { return lessonRecordedMsg{err: finished(skipped)} }
}

// lessonRecorded shows a failed record; a recorded lesson needs no word.
func (m *Model) lessonRecorded(msg lessonRecordedMsg) {
	if msg.err != nil {
		m.transcript.AddWarning(ownLine(msg.err.Error()) + "; the lesson is not marked as finished")
	}
}

// switchFault switches a sandbox fault on or off and says so.
func (m *Model) switchFault(name string, on bool) {
	if name == "" || m.lesson.opts.SetFault == nil {
		return
	}
	if err := m.lesson.opts.SetFault(name, on); err != nil {
		m.transcript.AddError(ownLine(err.Error()))
		return
	}
	if on {
		m.transcript.AddInfo("lesson: the sandbox's fault " + name + " is on for this step")
		return
	}
	m.transcript.AddInfo("lesson: the sandbox's fault " + name + " is off again")
}

// lessonCommands are the local commands of a lesson; they exist only
// while one is running.
var lessonCommands = []localCommand{
	{name: "hint", usage: ":hint", summary: "show a command that gets the lesson's current step done", run: runHint},
	{name: "skip", usage: ":skip", summary: "leave the lesson's current step and go to the next", run: runSkip},
	{name: "back", usage: ":back", summary: "go back to the lesson's previous step", run: runBack},
}

// localCommands lists the local commands available now: the usual ones
// (those for recordings only while a recording is shown), then the
// lesson's when a lesson is running.
func (m *Model) localCommands() []localCommand {
	var all []localCommand
	for _, c := range localCommands {
		if c.recording && m.opts.Recording == nil {
			continue
		}
		all = append(all, c)
	}
	if m.lesson != nil {
		all = append(all, lessonCommands...)
	}
	return all
}

// noLesson is what :hint, :skip and :back say outside a lesson.
const noLesson = "no lesson is running: ftpscope learn lists the lessons, ftpscope learn NAME starts one"

// runHint shows the current step's command.
func runHint(m Model, _ []string) (Model, tea.Cmd) {
	if m.lesson == nil {
		m.transcript.AddError(noLesson)
		return m, nil
	}
	m.lesson.opts.Player.Hint()
	m.lesson.Changed()
	m.layout()
	return m, nil
}

// runSkip leaves the current step undone.
func runSkip(m Model, _ []string) (Model, tea.Cmd) {
	if m.lesson == nil {
		m.transcript.AddError(noLesson)
		return m, nil
	}
	if !m.lesson.opts.Player.Skip() {
		m.transcript.AddError("the lesson is finished: there is no step to skip; :back returns to the last one")
		return m, nil
	}
	m.lessonStepChanged()
	return m, m.lessonRecord()
}

// runBack returns to the previous step.
func runBack(m Model, _ []string) (Model, tea.Cmd) {
	if m.lesson == nil {
		m.transcript.AddError(noLesson)
		return m, nil
	}
	if !m.lesson.opts.Player.Back() {
		m.transcript.AddError("this is the first step: there is none before it")
		return m, nil
	}
	m.lessonStepChanged()
	return m, nil
}
