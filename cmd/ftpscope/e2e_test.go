package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/internal/tmuxtest"
)

// buildBinary builds ftpscope once per test binary run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "ftpscope")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestE2ESandboxLogin runs the real binary in a real terminal, with no
// argument (the embedded sandbox), through the classic demonstration.
func TestE2ESandboxLogin(t *testing.T) {
	bin := buildBinary(t)
	term := tmuxtest.Start(t, 140, 40, []string{"TERM=xterm-256color"}, bin)
	term.WaitFor("Service ready")
	steps := []struct{ line, want string }{
		{"USER demo", "User name okay, need password"},
		{"PASS demo", "User logged in"},
		{"ALLO 100", "Command superfluous"},
		{"XYZZY", "Syntax error, command unrecognized"},
		{"QUIT", "221 Closing control connection"},
	}
	for _, step := range steps {
		term.Type(step.line)
		screen := term.WaitFor(step.want)
		if strings.Contains(screen, "PASS demo") {
			t.Fatalf("the password is on screen after %q:\n%s", step.line, screen)
		}
	}
	screen := term.WaitFor("disconnected")
	for _, want := range []string{"> PASS ****", "< 331", "< 230", "< 202", "< 221"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the transcript lost %q after the connection closed:\n%s", want, screen)
		}
	}
	term.Keys("C-c")
	term.WaitFor("[exited 0]")
}

func TestE2EUsageErrors(t *testing.T) {
	bin := buildBinary(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"http://example.org"}, "unsupported scheme"},
		{[]string{"ftp://127.0.0.1:99999"}, "1 to 65535"},
		{[]string{"--login"}, "--login needs a URL"},
		{[]string{"a", "b"}, "accepts at most 1 arg"},
	}
	for _, tt := range tests {
		cmd := exec.Command(bin, tt.args...)
		out, err := cmd.CombinedOutput()
		code := -1
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		if code != exitUsage || !strings.Contains(string(out), tt.want) {
			t.Errorf("ftpscope %s: exit %d, output %q; want exit %d and %q", strings.Join(tt.args, " "), code, out, exitUsage, tt.want)
		}
	}
}
