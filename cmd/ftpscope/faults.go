package main

import (
	"github.com/ftpscope/ftpscope/sandbox"
	"github.com/ftpscope/ftpscope/tui"
)

// sandboxFaults lets the TUI switch the faults of the sandbox ftpscope
// runs itself (:fault, and !fault lines of a demonstration).
func sandboxFaults(srv *sandbox.Server) *tui.Faults {
	return &tui.Faults{
		Set: srv.SetFault,
		List: func() []tui.FaultState {
			var states []tui.FaultState
			for _, f := range srv.Faults() {
				states = append(states, tui.FaultState{Name: f.Name, Does: f.Does, Imitates: f.Imitates, On: f.On})
			}
			return states
		},
	}
}
