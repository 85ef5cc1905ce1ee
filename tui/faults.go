package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/internal/suggest"
)

// Faults make ftpscope's own sandbox misbehave on purpose (see `ftpscope
// serve --help`). The TUI reaches them through two functions of Options,
// wired by the command to the sandbox: SetFault switches one, FaultStates
// lists them. :fault and a demonstration's "!fault" lines both switch
// through switchSandboxFault.

// FaultState describes one fault for :fault's list.
type FaultState struct {
	Name     string
	Does     string // what it does, one sentence
	Imitates string // the real server whose codes and wording it uses
	On       bool
}

// faultUsage is :fault's usage line.
const faultUsage = "usage: :fault NAME on|off switches a fault of the sandbox, :fault NAME describes it, :fault alone lists them"

// runFault is :fault: with no argument it lists the sandbox's faults and
// their state; with NAME it says whether that one is on; with NAME on|off
// it switches it.
func runFault(m Model, args []string) (Model, tea.Cmd) {
	switch {
	case m.opts.SetFault == nil || m.opts.FaultStates == nil:
		m.transcript.AddError(noSandbox(":fault"))
		return m, nil
	case len(args) == 0:
		m.listFaults()
		return m, nil
	case len(args) > 2:
		m.transcript.AddError(faultUsage)
		return m, nil
	case !m.knownFault(strings.ToLower(args[0])):
		return m, nil
	case len(args) == 1:
		m.describeFault(strings.ToLower(args[0]))
		return m, nil
	}
	var on bool
	switch strings.ToLower(args[1]) {
	case "on":
		on = true
	case "off":
	default:
		m.transcript.AddError(fmt.Sprintf("%q is neither on nor off; %s", args[1], faultUsage))
		return m, nil
	}
	m.switchSandboxFault(":fault", strings.ToLower(args[0]), on)
	return m, nil
}

// switchSandboxFault switches the fault called name for via (":fault" or
// "!fault"), from the server's next command, and keeps the switch with the
// session's events as narration, so that the handout, the log and the
// diagram show where it happened.
func (m *Model) switchSandboxFault(via, name string, on bool) {
	if m.opts.SetFault == nil {
		m.transcript.AddError(noSandbox(via))
		return
	}
	if !m.knownFault(name) {
		return
	}
	if err := m.opts.SetFault(name, on); err != nil {
		m.transcript.AddError(ownLine(err.Error()) + "; nothing was switched")
		return
	}
	text := fmt.Sprintf("the sandbox's fault %s is now off", name)
	if on {
		text = fmt.Sprintf("the sandbox's fault %s is now on", name)
		if f, ok := m.faultState(name); ok {
			text += ": " + ownLine(f.Does) + " (as " + f.Imitates + ")"
		}
	}
	m.narrate(text)
	if name == "nat" && on && m.passivePolicy() == pasvPeer {
		m.transcript.AddInfo(natHint)
	}
}

// faultCompletion completes :fault's arguments: the names of the
// sandbox's faults, then on or off. ok is false for any other line.
func (m *Model) faultCompletion(value string) (c completion, ok bool) {
	rest, found := strings.CutPrefix(value, ":fault ")
	if !found || m.opts.FaultStates == nil {
		return completion{}, false
	}
	name, state, hasState := strings.Cut(rest, " ")
	if hasState {
		return prefixed(":fault "+name+" ", state, []string{"on", "off"}, nil, true), true
	}
	var names []string
	for _, f := range m.opts.FaultStates() {
		names = append(names, f.Name)
	}
	return prefixed(":fault ", name, names, nil, true), true
}

// noSandbox says that via (":fault" or "!fault") needs ftpscope's own
// sandbox, and how to get it.
func noSandbox(via string) string {
	return fmt.Sprintf("%s switches the faults of ftpscope's own sandbox, and this server is not it: start ftpscope without a server, or run ftpscope serve --fault NAME and connect to it", via)
}

// knownFault reports whether the sandbox has a fault called name, and
// says so in the transcript when it has not, suggesting the closest name.
// Without the sandbox's list, the sandbox itself answers (SetFault).
func (m *Model) knownFault(name string) bool {
	if m.opts.FaultStates == nil {
		return true
	}
	if _, ok := m.faultState(name); ok {
		return true
	}
	var names []string
	for _, f := range m.opts.FaultStates() {
		names = append(names, f.Name)
	}
	m.transcript.AddError(suggest.Unknown("fault", name, names, ":fault alone lists them"))
	return false
}

// describeFault says whether the fault called name is on, what it does,
// and how to switch it.
func (m *Model) describeFault(name string) {
	f, _ := m.faultState(name)
	state, other := "off", "on"
	if f.On {
		state, other = "on", "off"
	}
	m.transcript.AddInfo(fmt.Sprintf("the sandbox's fault %s is %s: %s (as %s); :fault %s %s switches it %s from the next command",
		name, state, ownLine(f.Does), f.Imitates, name, other, other))
}

// faultState returns the state of the fault called name, when known.
func (m *Model) faultState(name string) (FaultState, bool) {
	if m.opts.FaultStates == nil {
		return FaultState{}, false
	}
	for _, f := range m.opts.FaultStates() {
		if f.Name == name {
			return f, true
		}
	}
	return FaultState{}, false
}

// listFaults shows which faults are on and which are off, by name: the
// list stays short enough for a screen of 24 rows, and switching one on
// describes it.
func (m *Model) listFaults() {
	var on, off []string
	for _, f := range m.opts.FaultStates() {
		if f.On {
			on = append(on, f.Name)
		} else {
			off = append(off, f.Name)
		}
	}
	if len(on) == 0 {
		on = []string{"none"}
	}
	m.transcript.AddInfo("the sandbox's faults on: " + strings.Join(on, ", "))
	m.transcript.AddInfo("off: " + strings.Join(off, ", "))
	m.transcript.AddInfo(":fault NAME on|off switches one from the next command; ftpscope serve --help describes each")
}
