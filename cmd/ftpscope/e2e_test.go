package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ftpscope/ftpscope/internal/tmuxtest"
	"github.com/ftpscope/ftpscope/sandbox"
)

// binDir holds the ftpscope binary built once for all tests.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ftpscope-e2e-")
	if err != nil {
		panic(err)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var buildOnce sync.Once
var buildErr error

// buildBinary builds ftpscope once per test run and returns its path.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(binDir, "ftpscope")
	buildOnce.Do(func() {
		out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
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

// TestE2ELoginFlag connects to a server named by URL and lets --login send
// the URL's credentials.
func TestE2ELoginFlag(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	bin := buildBinary(t)
	term := tmuxtest.Start(t, 120, 30, []string{"TERM=xterm-256color"}, bin, "--login", "ftp://demo:demo@"+srv.Addr)
	screen := term.WaitFor("< 230")
	if !strings.Contains(screen, "> PASS ****") || strings.Contains(screen, "PASS demo") {
		t.Errorf("--login did not send a masked PASS:\n%s", screen)
	}
	term.Keys("C-c")
	term.WaitFor("[exited 0]")
}

// TestE2EResizeScrollSearchSave drives the finished screen as a person
// would: fill the transcript, scroll back, resize down to the smallest
// size and back, search, and save the session in two formats.
func TestE2EResizeScrollSearchSave(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	term := tmuxtest.Start(t, 140, 40, []string{"TERM=xterm-256color", "XDG_STATE_HOME=" + dir}, bin)
	term.WaitFor("Service ready")
	term.Type("USER demo")
	term.WaitFor("need password")
	term.Type("PASS demo")
	term.WaitFor("User logged in")
	for i := 0; i < 30; i++ {
		term.Type("NOOP")
	}
	term.Type("SYST")
	term.WaitFor("< 215")

	// Scroll back: the greeting comes into view, and new replies do not
	// move the view; a marker counts them.
	term.Keys("PPage", "PPage", "PPage")
	term.WaitFor("< 220")
	term.Type("PWD")
	term.WaitFor("new below")
	term.PressUntil("ftp> an FTP command", "Escape")

	// Resize: narrow, smallest, then wide again; nothing breaks.
	term.Resize(80, 24)
	term.WaitFor("f4 shows the explanation")
	term.PressUntil("f4 goes back to the transcript", "F4")
	term.PressUntil("f4 shows the explanation", "F4")
	term.Resize(60, 15)
	term.WaitFor("ftp>")
	term.Resize(140, 40)
	term.WaitFor("user demo")

	// Search the transcript for the SYST reply.
	term.Keys("/")
	term.WaitFor("search:")
	term.Keys("-l", "UNIX")
	term.WaitFor("» < 215")
	// Wait for esc to land: ESC followed at once by another key reads as
	// alt+key, in any terminal program.
	term.PressUntil("ftp> an FTP command", "Escape")

	// Save the session as a Markdown handout and as JSON Lines.
	md, jsonl := filepath.Join(dir, "session.md"), filepath.Join(dir, "session.jsonl")
	term.Type(":save " + md)
	term.WaitFor("saved")
	term.Type(":save " + jsonl)
	term.WaitFor("as JSON Lines")
	for _, path := range []string{md, jsonl} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), "PASS ****") || strings.Contains(string(data), "PASS demo") {
			t.Errorf("%s does not mask the password", path)
		}
		if !strings.Contains(string(data), "215") {
			t.Errorf("%s lacks the SYST reply", path)
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
		{[]string{"a", "b"}, "takes at most one server URL (quote it if it contains spaces)"},
		{[]string{"--tls", "ftps://127.0.0.1:1"}, "ftps:// already means implicit TLS"},
		{[]string{"--connect-timeout", "abc"}, `--connect-timeout "abc" is not a duration`},
		{[]string{"ftp://127.0.0.1:1/pub"}, "type CWD /pub after logging in"},
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

// TestE2ENoStrayServerLogs pins a bug: goftp.io/server, behind the
// sandbox, logs a SIZE of a missing file with the standard logger, which
// drew "Size: error(...)" over the screen and into run transcripts.
func TestE2ENoStrayServerLogs(t *testing.T) {
	bin := buildBinary(t)
	cmd := exec.Command(bin, "run", "--sandbox", "--allow-failures")
	cmd.Stdin = strings.NewReader("USER demo\nPASS demo\nSIZE nothere\nMDTM nothere\nQUIT\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ftpscope run: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "error(") {
		t.Errorf("a server log line reached the output:\n%s", out)
	}
}
