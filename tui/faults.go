package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// Faults switches the faults of the sandbox that ftpscope runs itself (see
// `ftpscope serve --help` for the list). The command wires it to the
// sandbox; the TUI knows only these two functions, which :fault and the
// "!fault" lines of a played demonstration call.
type Faults struct {
	// Set switches the fault called name on or off, for the next command.
	// Its error (an unknown name, a TLS fault without TLS) is shown as it
	// is, so it should say what to do.
	Set func(name string, on bool) error
	// List returns every fault and whether it is on.
	List func() []FaultState
}

// FaultState describes one fault for :fault's list.
type FaultState struct {
	Name     string
	Does     string // what it does, one sentence
	Imitates string // the real server whose codes and wording it uses
	On       bool
}

// faultUsage is :fault's usage line.
const faultUsage = "usage: :fault NAME on|off switches a fault of the sandbox, :fault alone lists them"

// runFault is :fault: with no argument it lists the sandbox's faults and
// their state; with NAME on|off it switches one.
func runFault(m Model, args []string) (Model, tea.Cmd) {
	if m.opts.Faults == nil {
		m.transcript.AddError(fmt.Sprintf("no fault to switch: faults belong to ftpscope's own sandbox, and %s is not one; start ftpscope with no server, or run ftpscope serve --fault NAME in another terminal", m.target.Addr()))
		return m, nil
	}
	switch len(args) {
	case 0:
		m.listFaults()
		return m, nil
	case 2:
	default:
		m.transcript.AddError(faultUsage)
		return m, nil
	}
	name := strings.ToLower(args[0])
	var on bool
	switch strings.ToLower(args[1]) {
	case "on":
		on = true
	case "off":
	default:
		m.transcript.AddError(fmt.Sprintf("%q is neither on nor off; %s", args[1], faultUsage))
		return m, nil
	}
	if err := m.opts.Faults.Set(name, on); err != nil {
		m.transcript.AddError(err.Error())
		return m, nil
	}
	text := "fault " + name + " off: the sandbox behaves again, from the next command"
	if on {
		text = "fault " + name + " on, from the next command"
		for _, f := range m.opts.Faults.List() {
			if f.Name == name {
				text += ": " + f.Does + " (as " + f.Imitates + ")"
			}
		}
	}
	// Kept with the session's events, so a saved handout shows where the
	// fault began and ended.
	m.narrate(text)
	return m, nil
}

// listFaults shows every fault, those on first marked.
func (m *Model) listFaults() {
	m.transcript.AddInfo("the sandbox's faults (:fault NAME on|off switches one; ftpscope serve --help describes them):")
	for _, f := range m.opts.Faults.List() {
		state := "  off"
		if f.On {
			state = "● on "
		}
		m.transcript.AddInfo(fmt.Sprintf("%s %s: %s (as %s)", state, f.Name, f.Does, f.Imitates))
	}
}
