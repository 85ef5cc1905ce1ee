package main

// The presenter's flags of the root command: --play, --present, --split
// and --log.

import (
	"fmt"

	"github.com/ftpscope/ftpscope/sandbox"
	"github.com/ftpscope/ftpscope/tui"
)

// presenterOptions reads the presenter's flags: the script to play, the
// layout (remembered, unless --split sets it for this run) and the log,
// which it opens. The caller closes the log.
func presenterOptions(opts uiOptions) (script *tui.Script, layout tui.Layout, layoutPath string, logFile *tui.LogFile, warnings []string, err error) {
	if opts.split != -1 && opts.split != 0 && (opts.split < tui.MinPanel || opts.split > tui.MaxPanel) {
		return nil, layout, "", nil, nil, usageError{fmt.Errorf("--split takes a share of the width from %d to %d percent, or 0 to hide the panel, not %d", tui.MinPanel, tui.MaxPanel, opts.split)}
	}
	if opts.play != "" {
		if script, err = tui.LoadScript(opts.play); err != nil {
			return nil, layout, "", nil, nil, usageError{err}
		}
	}
	layout = tui.DefaultLayout()
	if !opts.noHistory {
		// --no-history keeps nothing on disk, the layout included.
		if layoutPath, err = tui.DefaultLayoutPath(); err == nil {
			if layout, err = tui.LoadLayout(layoutPath); err != nil {
				warnings = append(warnings, err.Error())
			}
		}
	}
	switch {
	case opts.split == 0:
		layout.Hidden = true
	case opts.split > 0:
		layout = tui.Layout{Panel: opts.split}
	}
	if opts.logPath != "" {
		if logFile, err = tui.OpenLog(opts.logPath); err != nil {
			return nil, layout, "", nil, nil, usageError{err}
		}
	}
	return script, layout, layoutPath, logFile, warnings, nil
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
