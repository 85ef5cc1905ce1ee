package main

import (
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/sandbox"
)

// TestRunClearTextNoteByUser: ftpscope run against the sandbox warns, in
// text and Markdown, that a named user's password was exposed in clear
// text, and for an anonymous login notes the clear-text session without
// saying a password was exposed.
func TestRunClearTextNoteByUser(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{})
	const exposed = "the password was sent in clear text"
	for _, tt := range []struct {
		name, script, want, notWant string
		args                        []string
	}{
		{"named user", "USER demo\nPASS demo\n", "! " + exposed, "anonymous login in clear text", nil},
		{"anonymous", "USER anonymous\nPASS me@example.org\n", "· anonymous login in clear text: its password is by convention an e-mail address, not a secret", exposed, nil},
		{"anonymous, upper case", "USER FTP\nPASS me@example.org\n", "· anonymous login in clear text", exposed, nil},
		{"anonymous, JSON", "USER anonymous\nPASS me@example.org\n", "", exposed, []string{"--json"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := runInProcess(t, tt.script, append(tt.args, "ftp://"+srv.Addr)...)
			if !strings.Contains(res.stdout, tt.want) || strings.Contains(res.stdout, tt.notWant) {
				t.Errorf("the output should say %q and not %q:\n%s%s", tt.want, tt.notWant, res.stdout, res.stderr)
			}
		})
	}
}
