package main

import (
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/internal/badserver"
)

// TestRunAgainstMisbehavingServers plays scripts against badserver's
// scenarios: ftpscope run must end, say why in one line, escape what the
// server sent, and exit with the right status.
func TestRunAgainstMisbehavingServers(t *testing.T) {
	tests := []struct {
		name    string
		script  badserver.Script
		lines   string
		code    int
		want    []string
		notWant []string
		// stderr is what standard error may say besides nothing.
		stderr string
	}{
		{"an endless multi-line reply", badserver.EndlessReply(), "STAT\nNOOP\n", exitFailure,
			[]string{"< 211-start", "✗ a 211 reply went past ftpscope's bound on bytes read for one reply (16777216 bytes (16.0 MiB))", "· disconnected after the error above"},
			[]string{"> NOOP"}, ""},
		{"escape sequences everywhere", badserver.Escapes(), "FEAT\nSTAT\nQUIT\n", exitOK,
			[]string{`< 211-\x1b[2J\x1b]0;pwned\x07`, `\u202eevil`},
			nil, ""},
		{"an unsolicited 421", badserver.Unsolicited421(), "NOOP\nNOOP\n", exitFailure,
			// Whether the second NOOP went out before the 421 was read
			// depends on timing; the 421 and the end do not.
			[]string{"< 421 Timeout", "· disconnected: the server closed the session (421)"},
			nil, "ftpscope: the script ran to its end, but line 2 (NOOP) was answered 421"},
		{"a reply cut mid-way", badserver.CutReply(), "STAT\n", exitFailure,
			[]string{"< 211-partial", "<  line tw", "the multi-line reply never ended"},
			nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := badserver.Start(t, tt.script)
			res := runInProcess(t, tt.lines, srv.Addr)
			check(t, res, tt.code, tt.want, tt.notWant)
			if strings.Contains(res.stdout, "\x1b") {
				t.Error("an escape character reached the transcript")
			}
			if res.stderr != "" && (tt.stderr == "" || !strings.HasPrefix(res.stderr, tt.stderr)) {
				t.Errorf("standard error %q, want the error printed once, in the transcript", res.stderr)
			}
		})
	}
}
