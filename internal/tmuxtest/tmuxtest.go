// Package tmuxtest runs a program in a real terminal for end-to-end tests:
// a tmux server of its own, keys sent with send-keys, the screen read with
// capture-pane. Tests skip when tmux is missing, except under CI, where a
// missing tmux is a failure.
package tmuxtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Terminal is one tmux window running a command.
type Terminal struct {
	t      *testing.T
	socket string
}

// Start runs command (argv) in a new tmux server sized width×height. The
// server is killed when the test ends.
func Start(t *testing.T, width, height int, env []string, argv ...string) *Terminal {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is not installed; .ci/run must install it")
		}
		t.Skip("tmux is not installed: skipping the real-terminal test")
	}
	term := &Terminal{t: t, socket: filepath.Join(t.TempDir(), "tmux.sock")}
	args := []string{"new-session", "-d", "-s", "e2e", "-x", fmt.Sprint(width), "-y", fmt.Sprint(height)}
	for _, e := range env {
		args = append(args, "-e", e)
	}
	// Keep the window open after the program exits so its last screen
	// can still be read.
	args = append(args, strings.Join(quoteAll(argv), " ")+"; echo; echo '[exited '$?']'; sleep 60")
	term.tmux(args...)
	t.Cleanup(func() { exec.Command("tmux", "-S", term.socket, "kill-server").Run() })
	return term
}

func quoteAll(argv []string) []string {
	out := make([]string, len(argv))
	for i, a := range argv {
		out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return out
}

func (term *Terminal) tmux(args ...string) string {
	term.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", term.socket}, args...)...).CombinedOutput()
	if err != nil {
		term.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Screen returns the visible screen as text.
func (term *Terminal) Screen() string {
	term.t.Helper()
	return term.tmux("capture-pane", "-p", "-t", "e2e")
}

// Type types text (literally) and presses Enter.
func (term *Terminal) Type(text string) {
	term.t.Helper()
	term.tmux("send-keys", "-t", "e2e", "-l", text)
	term.tmux("send-keys", "-t", "e2e", "Enter")
}

// Paste pastes text as a terminal does, between bracketed-paste markers
// when the program asked for them.
func (term *Terminal) Paste(text string) {
	term.t.Helper()
	cmd := exec.Command("tmux", "-S", term.socket, "load-buffer", "-")
	cmd.Stdin = strings.NewReader(text)
	if out, err := cmd.CombinedOutput(); err != nil {
		term.t.Fatalf("tmux load-buffer: %v\n%s", err, out)
	}
	term.tmux("paste-buffer", "-p", "-t", "e2e")
}

// Keys sends tmux key names such as "C-c", "PPage" or "Escape".
func (term *Terminal) Keys(keys ...string) {
	term.t.Helper()
	term.tmux(append([]string{"send-keys", "-t", "e2e"}, keys...)...)
}

// Resize changes the terminal's size.
func (term *Terminal) Resize(width, height int) {
	term.t.Helper()
	term.tmux("resize-window", "-t", "e2e", "-x", fmt.Sprint(width), "-y", fmt.Sprint(height))
}

// WaitFor waits until the screen contains text, failing after 10 seconds
// with the last screen in the message.
func (term *Terminal) WaitFor(text string) string {
	term.t.Helper()
	screen, ok := term.waitFor(text, 10*time.Second)
	if !ok {
		term.t.Fatalf("the screen did not show %q within 10s; it shows:\n%s", text, screen)
	}
	return screen
}

func (term *Terminal) waitFor(text string, limit time.Duration) (string, bool) {
	term.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		screen := term.Screen()
		if strings.Contains(screen, text) {
			return screen, true
		}
		if time.Now().After(deadline) {
			return screen, false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// PressUntil sends keys that arrive as escape sequences (function keys,
// esc) until the screen shows text, up to three times. On a loaded machine
// a terminal may deliver an escape sequence in pieces, which a program
// cannot tell from separate keys; a person would press the key again.
func (term *Terminal) PressUntil(text string, keys ...string) string {
	term.t.Helper()
	var screen string
	for try := 0; try < 3; try++ {
		term.Keys(keys...)
		var ok bool
		if screen, ok = term.waitFor(text, 3*time.Second); ok {
			return screen
		}
	}
	term.t.Fatalf("the screen did not show %q after pressing %v three times; it shows:\n%s", text, keys, screen)
	return screen
}

// Close closes the terminal, as a user closes its window: the program
// gets SIGHUP. The test's cleanup does the same for a terminal left open.
func (term *Terminal) Close() {
	term.t.Helper()
	exec.Command("tmux", "-S", term.socket, "kill-server").Run()
}
