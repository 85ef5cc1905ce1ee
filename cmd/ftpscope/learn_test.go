package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/doctor"
	"github.com/ftpscope/ftpscope/internal/tmuxtest"
)

// runLearn runs the real binary with args and a state directory of its
// own, returning standard output, standard error and the exit status.
func runLearn(t *testing.T, state string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(buildBinary(t), args...)
	cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+state, "NO_COLOR=1")
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

func TestLearnListsLessonsAndProgress(t *testing.T) {
	state := t.TempDir()
	out, errOut, code := runLearn(t, state, "learn")
	if code != 0 || errOut != "" {
		t.Fatalf("learn: exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{" 1  login     Logging in", " 7  errors    Reading errors", " 8  202-331   202 vs 331", "Start one with ftpscope learn NAME"} {
		if !strings.Contains(out, want) {
			t.Errorf("learn does not list %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "finished") {
		t.Errorf("a fresh state lists a finished lesson:\n%s", out)
	}
	progress := `{"finished": {"where": {"at": "2026-11-30T12:00:00Z", "skipped": 1}}}`
	if err := os.MkdirAll(filepath.Join(state, "ftpscope"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(state, "ftpscope", "lessons.json"), []byte(progress), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, _ = runLearn(t, state, "learn")
	// In a pipe the list fits 80 columns: the count of skipped steps goes
	// under the date.
	if !strings.Contains(out, " 2  where     Where am I                         5 steps  finished 2026-11-30,\n"+strings.Repeat(" ", 58)+"1 skipped\n") {
		t.Errorf("learn does not show lesson 2 as finished:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if len([]rune(line)) > 80 {
			t.Errorf("a line of the list is wider than 80 columns: %q", line)
		}
	}
	if !strings.Contains(out, "Next: ftpscope learn login") {
		t.Errorf("learn does not suggest the first unfinished lesson:\n%s", out)
	}
}

const teacherLesson = `name: my-lesson
title: Features first
steps:
  - say: Ask the server what it can do, with FEAT.
    try: FEAT
    expect:
      reply: 211
      to: FEAT
    done: 211 lists the extensions, one per line.
  - say: Now log in, the usual way, starting with USER demo.
    try: USER demo
    expect:
      reply: 331
`

func TestLearnCheck(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(good, []byte(teacherLesson), 0o600)
	os.WriteFile(bad, []byte("name: x\ntitle: T\nsteps:\n  - say: s\n    try: NOOP\n    expect: {reply: 2000}\n  - sai: s\n"), 0o600)
	tests := []struct {
		name       string
		args       []string
		code       int
		out, error string
	}{
		{"valid file", []string{"learn", "--check", good}, 0,
			// Wrapped at 80 columns, the command whole on its own line.
			doctor.Wrap(good+`: a valid lesson, "Features first" (my-lesson), 2 steps; run it with:`, 80) + "\n  ftpscope learn --file " + good + "\n", ""},
		{"malformed file", []string{"learn", "--check", bad}, 2, "",
			"ftpscope: " + bad + `:6:21: steps[1].expect.reply: "2000" is not a reply code: write three digits, the first from 1 to 6, such as 230, or a family such as 2xx` + "\n" +
				"ftpscope: " + bad + `:7:5: steps[2].sai: unknown field "sai"; a step has the fields say, try, expect, done, fault, wrong` + "\n" +
				"ftpscope: " + bad + ":7:5: steps[2].say: missing: what to try and why, in a few sentences\n" +
				"ftpscope: " + bad + ":7:5: steps[2].try: missing: the command to suggest, shown by :hint, such as USER demo\n" +
				"ftpscope: " + bad + ":7:5: steps[2].expect: missing: the outcome that completes the step, such as reply: 230 or logged-in: true\n" +
				"Run 'ftpscope learn --help' for usage.\n"},
		{"missing file", []string{"learn", "--check", filepath.Join(dir, "none.yaml")}, 2, "",
			"ftpscope: read lesson file: there is no file " + filepath.Join(dir, "none.yaml") + "\nRun 'ftpscope learn --help' for usage.\n"},
		{"a folder", []string{"learn", "--check", dir}, 2, "",
			"ftpscope: read lesson file: " + dir + " is a folder, not a lesson file\nRun 'ftpscope learn --help' for usage.\n"},
		{"unknown lesson", []string{"learn", "ftp"}, 2, "",
			`ftpscope: there is no lesson named "ftp"; ftpscope learn lists them (login, where, listing, transfer, rename, tls, errors, 202-331), or give a number from 1 to 8` + "\nRun 'ftpscope learn --help' for usage.\n"},
		{"misspelt lesson", []string{"learn", "logn"}, 2, "",
			`ftpscope: there is no lesson named "logn" (did you mean login?); ftpscope learn lists them (login, where, listing, transfer, rename, tls, errors, 202-331), or give a number from 1 to 8` + "\nRun 'ftpscope learn --help' for usage.\n"},
		{"name and file", []string{"learn", "login", "--file", good}, 2, "",
			"ftpscope: give a lesson name or --file, not both\nRun 'ftpscope learn --help' for usage.\n"},
		{"two lessons", []string{"learn", "login", "where"}, 2, "",
			"ftpscope: ftpscope learn takes at most one lesson name or number, such as login or 1; got 2 arguments\nRun 'ftpscope learn --help' for usage.\n"},
		{"check with a name", []string{"learn", "login", "--check", good}, 2, "",
			"ftpscope: --check validates a file and runs nothing: give it alone\nRun 'ftpscope learn --help' for usage.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runLearn(t, t.TempDir(), tt.args...)
			if code != tt.code || out != tt.out || errOut != tt.error {
				t.Errorf("ftpscope %s:\nexit %d, want %d\nstdout %q\n  want %q\nstderr %q\n  want %q", strings.Join(tt.args, " "), code, tt.code, out, tt.out, errOut, tt.error)
			}
		})
	}
}

// TestE2ELearnTeacherFile runs a teacher's lesson file in the real binary
// in a real terminal, typed as a learner would, with a variation and a
// wrong turn, to the end and the record of progress.
func TestE2ELearnTeacherFile(t *testing.T) {
	bin := buildBinary(t)
	file := filepath.Join(t.TempDir(), "my-lesson.yaml")
	if err := os.WriteFile(file, []byte(teacherLesson), 0o600); err != nil {
		t.Fatal(err)
	}
	term := tmuxtest.Start(t, 100, 30, []string{"TERM=xterm-256color", "XDG_STATE_HOME=" + t.TempDir()}, bin, "learn", "--file", file)
	term.WaitFor("lesson · Features first · step 1 of 2")
	term.Type("USER demo") // not what the step asks: noted, nothing lost
	term.WaitFor("This step still waits")
	term.Type(":hint")
	term.WaitFor("hint: type FEAT")
	term.Type("feat")
	term.WaitFor("211 lists the extensions")
	term.WaitFor("step 2 of 2")
	term.Type("user demo")
	screen := term.WaitFor("finished")
	for _, want := range []string{"The codes you met", "211", "331"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the end of the lesson lacks %q:\n%s", want, screen)
		}
	}
	term.Keys("C-c")
	term.WaitFor("[exited 0]")
}

// TestE2ELearnBuiltinLesson plays lesson 2 in the real binary, with an
// absolute path where the step suggests a relative one.
func TestE2ELearnBuiltinLesson(t *testing.T) {
	bin := buildBinary(t)
	state := t.TempDir()
	term := tmuxtest.Start(t, 80, 24, []string{"TERM=xterm-256color", "XDG_STATE_HOME=" + state}, bin, "learn", "where")
	term.WaitFor("lesson 2 · Where am I · step 1 of 5")
	term.WaitFor("user demo") // ftpscope logged in for this lesson
	for _, step := range []struct{ line, want string }{
		{"PWD", "step 2 of 5"},
		{"CWD /pub", "step 3 of 5"},
		{"CWD ..", "step 4 of 5"},
		{"CWD nowhere", "step 5 of 5"},
		{"pwd", "finished"},
	} {
		term.Type(step.line)
		term.WaitFor(step.want)
	}
	term.Keys("C-c")
	term.WaitFor("[exited 0]")
	data, err := os.ReadFile(filepath.Join(state, "ftpscope", "lessons.json"))
	if err != nil || !strings.Contains(string(data), `"where"`) {
		t.Errorf("progress not recorded: %q, %v", data, err)
	}
}

// TestE2ELearnLongFeedbackAt80x24 plays a wrong turn with a long
// explanation in the real binary in an 80×24 terminal: the pane shows
// the start of it and says how much more there is, and ctrl+↓ brings
// the rest into view, the step still on screen.
func TestE2ELearnLongFeedbackAt80x24(t *testing.T) {
	bin := buildBinary(t)
	// A wrong turn explained at more length than the pane shows at 80×24:
	// the lesson the terminal UI's own test reads whole.
	file, err := filepath.Abs("../../tui/testdata/long-feedback.yaml")
	if err != nil {
		t.Fatal(err)
	}
	term := tmuxtest.Start(t, 80, 24, []string{"TERM=xterm-256color", "XDG_STATE_HOME=" + t.TempDir()}, bin, "learn", "--file", file, "--no-history")
	term.WaitFor("lesson · Logging in · step 1 of 2")
	term.WaitFor("< 220 ")
	term.Type("LIST")
	screen := term.WaitFor("more lines · ctrl+↓ reads on")
	for _, want := range []string{"↺ 530", "First, the server refused the command", "Fifth, the", "▸ Tell the server who you are", "< 530 "} {
		if !strings.Contains(screen, want) {
			t.Errorf("the first screen lacks %q:\n%s", want, screen)
		}
	}
	screen = term.PressUntil("above · ctrl+↑ goes back", "C-Down")
	for _, want := range []string{"this sentence ends the feedback", "for a 331 reply, in answer to USER.", "▸ Tell the server who you are"} {
		if !strings.Contains(screen, want) {
			t.Errorf("after ctrl+↓ the screen lacks %q:\n%s", want, screen)
		}
	}
	for i, row := range strings.Split(screen, "\n") {
		if len([]rune(row)) > 80 {
			t.Errorf("row %d is wider than the terminal: %q", i, row)
		}
	}
	term.Keys("C-c")
	term.WaitFor("[exited 0]")
}
