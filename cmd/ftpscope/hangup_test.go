package main

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/internal/tmuxtest"
)

// leftIn lists what is left in dir, polling until it is empty or for ten
// seconds at most: a bound against hanging while the program cleans up,
// not a measure.
func leftIn(t *testing.T, dir string) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if len(names) == 0 || time.Now().After(deadline) {
			return names
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestServeCleansUpOnHangup closes serve's terminal, as a teacher closes
// the window: SIGHUP must stop it as ctrl+c does, removing the sample
// tree and the certificate written for curl, and exit 0. It used to die
// and leave both in the temporary folder.
func TestServeCleansUpOnHangup(t *testing.T) {
	bin := buildBinary(t)
	tmp := t.TempDir()
	cmd := exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--tls")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && !strings.Contains(sc.Text(), "connect with:") {
	}
	if left := leftIn(t, tmp); len(left) != 2 {
		t.Fatalf("while serving, the temporary folder holds %q; want the sample tree and the certificate", left)
	}
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	for sc.Scan() {
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("serve after SIGHUP: %v, want exit status 0", err)
	}
	if left := leftIn(t, tmp); len(left) > 0 {
		t.Errorf("serve left %q in the temporary folder", left)
	}
}

// TestLearnCleansUpWhenTheTerminalCloses closes the terminal of a lesson
// that made practice files, in a real terminal: the sandbox's sample tree
// and the practice folder must go, as they do on ctrl+c.
func TestLearnCleansUpWhenTheTerminalCloses(t *testing.T) {
	bin := buildBinary(t)
	tmp := t.TempDir()
	term := tmuxtest.Start(t, 80, 24, []string{"TERM=xterm-256color", "XDG_STATE_HOME=" + t.TempDir(), "TMPDIR=" + tmp}, bin, "learn", "errors")
	term.WaitFor("practice files for uploads are in")
	if left := leftIn(t, tmp); len(left) < 2 {
		t.Fatalf("during the lesson, the temporary folder holds %q; want the sample tree and the practice files", left)
	}
	term.Close()
	if left := leftIn(t, tmp); len(left) > 0 {
		t.Errorf("closing the terminal left %q in the temporary folder", left)
	}
}
