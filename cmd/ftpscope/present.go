package main

// The presenter's flags of the root command: --play, --present, --split
// and --log.

import (
	"fmt"

	"github.com/ftpscope/ftpscope/sandbox"
	"github.com/ftpscope/ftpscope/tui"
)

// presenter is what the presenter's flags ask for.
type presenter struct {
	script *tui.Script
	// layout is the split to start with; layoutPath, when set, is where
	// changes to it are remembered.
	layout     tui.Layout
	layoutPath string
	// log is the message log, open; the caller closes it.
	log *tui.LogFile
	// warnings are shown at the top of the transcript.
	warnings []string
}

// presenterOptions reads the presenter's flags: the script to play, the
// layout (remembered, unless --split sets it for this run) and the log,
// which it opens.
func presenterOptions(opts uiOptions) (presenter, error) {
	var p presenter
	split := opts.split.percent
	if opts.split.set && split != 0 && (split < tui.MinPanel || split > tui.MaxPanel) {
		return p, usageError{fmt.Errorf("--split takes a share of the width from %d to %d percent, or 0 to hide the panel, not %d", tui.MinPanel, tui.MaxPanel, split)}
	}
	if opts.play != "" {
		script, err := tui.LoadScript(opts.play)
		if err != nil {
			return p, usageError{err}
		}
		p.script = script
	}
	p.layout = tui.DefaultLayout()
	if !opts.noHistory {
		// --no-history keeps nothing on disk, the layout included.
		if path, err := tui.DefaultLayoutPath(); err == nil {
			p.layoutPath = path
			if p.layout, err = tui.LoadLayout(path); err != nil {
				p.warnings = append(p.warnings, err.Error())
			}
		}
	}
	switch {
	case !opts.split.set:
	case split == 0:
		p.layout.Hidden = true
	default:
		p.layout = tui.Layout{Panel: split}
	}
	if opts.logPath != "" {
		log, err := tui.OpenLog(opts.logPath)
		if err != nil {
			return p, usageError{err}
		}
		p.log = log
	}
	return p, nil
}

// checkScriptFaults checks a script's !fault lines before the class sees
// them: with ftpscope's own sandbox, a fault it does not know is a usage
// error naming the line; with another server, the lines cannot work, and
// a warning says so.
func checkScriptFaults(script *tui.Script, sandboxed bool) (warnings []string, err error) {
	if script == nil {
		return nil, nil
	}
	known := map[string]bool{}
	for _, f := range sandbox.FaultNames() {
		known[f.Name] = true
	}
	for _, l := range script.Lines {
		name, _, ok := l.Fault()
		switch {
		case !ok:
		case !sandboxed:
			return []string{fmt.Sprintf("%s:%d: !fault switches the faults of ftpscope's own sandbox, so this script's !fault lines will be refused with this server", script.Name, l.No)}, nil
		case !known[name]:
			return nil, usageError{fmt.Errorf("%s:%d: %w", script.Name, l.No, &sandbox.UnknownFaultError{Name: name})}
		}
	}
	return nil, nil
}
