package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/tui"
)

// TestPresenterUsageErrors checks the presenter's flags' mistakes: one
// sentence naming what was wrong, exit status 2, before any terminal UI.
func TestPresenterUsageErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.ftp")
	if err := os.WriteFile(bad, []byte("USER demo\n!pause\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"a script with an unknown directive", []string{"--play", bad}, "bad.ftp:2: unknown directive !pause: the only one is !fault NAME on|off\n"},
		{"a missing script", []string{"--play", filepath.Join(dir, "none.ftp")}, "none.ftp (no such file or directory): check the file name\n"},
		{"a script that is a folder", []string{"--play", dir}, "it is not a regular file; give a script file\n"},
		{"a split out of range", []string{"--split", "90"}, "ftpscope: --split takes a share of the width from 20 to 75 percent, or 0 to hide the panel, not 90\n"},
		{"a negative split", []string{"--split", "-1"}, "ftpscope: --split takes a share of the width from 20 to 75 percent, or 0 to hide the panel, not -1\n"},
		{"a log that is a folder", []string{"--log", dir}, "it is not a regular file; give a file name\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stderr, err := executeRoot(t, tt.args...)
			if code := exitCode(err); code != exitUsage {
				t.Errorf("exit %d (error %v), want %d", code, err, exitUsage)
			}
			if !strings.Contains(stderr, tt.want) || !strings.HasSuffix(stderr, "Run 'ftpscope --help' for usage.\n") {
				t.Errorf("standard error:\n%s\nwant it to hold %q and name --help", stderr, tt.want)
			}
			if strings.Count(stderr, "\n") != 2 {
				t.Errorf("standard error is not one sentence and the --help line:\n%s", stderr)
			}
		})
	}
}

// TestScriptFaultsAreChecked checks a script's !fault lines at start-up:
// an unknown fault is a usage error naming its line and the faults; with
// another server the lines get a warning.
func TestScriptFaultsAreChecked(t *testing.T) {
	script, err := tui.ParseScript("demo.ftp", strings.NewReader("USER demo\n!fault nat on\n!fault warp-drive on\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = checkScriptFaults(script, true)
	if exitCode(err) != exitUsage || !strings.Contains(err.Error(), "demo.ftp:3:") || !strings.Contains(err.Error(), "no-pasv") {
		t.Errorf("an unknown fault: %v, want a usage error naming line 3 and the faults", err)
	}
	warnings, err := checkScriptFaults(script, false)
	if err != nil || len(warnings) != 1 || !strings.Contains(warnings[0], "demo.ftp:2:") {
		t.Errorf("another server: %q, %v; want one warning naming line 2", warnings, err)
	}
	good, _ := tui.ParseScript("demo.ftp", strings.NewReader("!fault nat on\n!fault nat off\n"))
	if warnings, err := checkScriptFaults(good, true); err != nil || len(warnings) != 0 {
		t.Errorf("known faults with the sandbox: %q, %v", warnings, err)
	}
}
