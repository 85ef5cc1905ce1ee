package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
