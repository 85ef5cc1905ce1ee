package main

import (
	"github.com/ftpscope/ftpscope/sandbox"
	"github.com/ftpscope/ftpscope/tui"
)

// sandboxFaultStates lists the faults of the sandbox ftpscope runs
// itself, for :fault (tui.Options.FaultStates); SetFault switches them.
func sandboxFaultStates(srv *sandbox.Server) func() []tui.FaultState {
	return func() []tui.FaultState {
		var states []tui.FaultState
		for _, f := range srv.Faults() {
			states = append(states, tui.FaultState{Name: f.Name, Does: f.Does, Imitates: f.Imitates, On: f.On})
		}
		return states
	}
}
