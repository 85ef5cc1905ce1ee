package main

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// executeRoot runs ftpscope in-process with args, without a terminal, and
// returns what main would print on standard error, and the error. The
// context ends a terminal UI that a missing check would start.
func executeRoot(t *testing.T, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	root := newRootCommand()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetIn(strings.NewReader(""))
	root.SetArgs(args)
	root.SilenceUsage, root.SilenceErrors = true, true // as execute does
	err := root.ExecuteContext(ctx)
	if err != nil {
		printError(&errOut, err)
	}
	return errOut.String(), err
}

// TestUsageErrorMessages checks the root command's and the subcommands'
// usage errors: one sentence, exit status 2, and a pointer to the --help
// of the command that was mistyped.
func TestUsageErrorMessages(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // the whole of standard error
	}{
		{"root: two URLs", []string{"127.0.0.1:1", "127.0.0.1:2"},
			"ftpscope: ftpscope takes at most one server URL (quote it if it contains spaces); got 2 arguments\nRun 'ftpscope --help' for usage.\n"},
		{"root: a timeout that is not a duration", []string{"--reply-timeout", "abc"},
			"ftpscope: --reply-timeout \"abc\" is not a duration: write it like 30s or 2m\nRun 'ftpscope --help' for usage.\n"},
		{"root: --tls with ftps://", []string{"--tls", "ftps://127.0.0.1:1"},
			"ftpscope: --tls asks for explicit TLS (AUTH TLS) but ftps:// already means implicit TLS: use one of them\nRun 'ftpscope --help' for usage.\n"},
		{"root: a second colon", []string{"127.0.0.1:22100:5"},
			"ftpscope: \"127.0.0.1:22100:5\" is not a valid address: write host:port, or [ipv6]:port for an IPv6 address\nRun 'ftpscope --help' for usage.\n"},
		{"root: a path", []string{"ftp://127.0.0.1:1/pub"},
			"ftpscope: \"ftp://127.0.0.1:1/pub\" has a path, but ftpscope connects to the server only: leave /pub out and type CWD /pub after logging in\nRun 'ftpscope --help' for usage.\n"},
		{"root: a password in a bad URL", []string{"ftp://bob:" + secret + "@127.0.0.1:abc"},
			"ftpscope: \"ftp://bob:****@127.0.0.1:abc\" is not a valid FTP URL (invalid port \":abc\" after host): write it as ftp://user@host:port\nRun 'ftpscope --help' for usage.\n"},
		{"run: two URLs", []string{"run", "127.0.0.1:1", "127.0.0.1:2"},
			"ftpscope: ftpscope run takes at most one server URL (quote it if it contains spaces); got 2 arguments\nRun 'ftpscope run --help' for usage.\n"},
		{"run: an unknown flag", []string{"run", "--nope"},
			"ftpscope: there is no flag --nope\nRun 'ftpscope run --help' for usage.\n"},
		{"run: a usage error from the command itself", []string{"run"},
			"ftpscope: run needs a server: give a URL such as ftp://127.0.0.1:2121, or --sandbox for the embedded one\nRun 'ftpscope run --help' for usage.\n"},
		{"explain: no argument", []string{"explain"}, "Run 'ftpscope explain --help' for usage.\n"},
		{"compare: a bad width", []string{"compare", "--width", "x", "202", "331"}, "Run 'ftpscope compare --help' for usage.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stderr, err := executeRoot(t, tt.args...)
			if code := exitCode(err); code != exitUsage {
				t.Errorf("exit %d (error %v), want %d", code, err, exitUsage)
			}
			if !strings.HasSuffix(stderr, tt.want) {
				t.Errorf("standard error:\n%s\nwant it to end with:\n%s", stderr, tt.want)
			}
			if strings.Contains(stderr, secret) {
				t.Errorf("standard error shows the password:\n%s", stderr)
			}
		})
	}
}

// TestExitCodes checks the mapping of errors to exit statuses.
func TestExitCodes(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"none", nil, exitOK},
		{"a failure", errors.New("the connection closed"), exitFailure},
		{"a usage error", usageError{errors.New("bad")}, exitUsage},
		{"a usage error of a command", commandError{"ftpscope run", usageError{errors.New("bad")}}, exitUsage},
		{"a failure of a command", commandError{"ftpscope run", errors.New("closed")}, exitFailure},
	}
	for _, tt := range tests {
		if got := exitCode(tt.err); got != tt.want {
			t.Errorf("%s: exitCode(%v) = %d, want %d", tt.name, tt.err, got, tt.want)
		}
	}
}

// TestHelpInAPipe runs the real binary with its output in a pipe, where
// fang padded every help line with spaces to 120 columns: help is 80
// columns wide there, plain, and no line ends with spaces.
func TestHelpInAPipe(t *testing.T) {
	bin := buildBinary(t)
	for _, args := range [][]string{{"run", "--help"}, {"--help"}, {"explain", "--help"}, {"compare", "--help"}, {"help", "run"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, err := exec.Command(bin, args...).Output()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(out, []byte("USAGE")) || !bytes.Contains(out, []byte("FLAGS")) {
				t.Fatalf("no help printed:\n%s", out)
			}
			if bytes.Contains(out, []byte("\x1b")) {
				t.Errorf("help in a pipe has escape sequences:\n%q", out)
			}
			for i, line := range strings.Split(string(out), "\n") {
				if strings.HasSuffix(line, " ") {
					t.Errorf("line %d ends with spaces: %q", i+1, line)
				}
				if w := utf8.RuneCountInString(line); w > 80 {
					t.Errorf("line %d is %d columns wide, more than 80: %q", i+1, w, line)
				}
			}
		})
	}
}
