package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/internal/badserver"
)

// TestRunInterruptedDuringATransfer sends SIGINT to the real binary while
// it downloads from a slow server to a file. ftpscope must end the
// transfer, say goodbye with QUIT, leave no temporary file and exit 130.
func TestRunInterruptedDuringATransfer(t *testing.T) {
	bin := buildBinary(t)
	srv := badserver.Start(t, badserver.SlowDownload(64<<20, 10*time.Millisecond))
	dir := t.TempDir()
	out := filepath.Join(dir, "big.bin")
	cmd := exec.Command(bin, "run", "--allow-failures", srv.Addr)
	cmd.Stdin = strings.NewReader("EPSV\nRETR big > " + out + "\nNOOP\n")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt once the transfer is under way.
	got := interruptAt(t, cmd, stdout, "< 150 ", "the transfer never started")
	for _, want := range []string{"! interrupted", "ended early: interrupted", "> QUIT\n", "< 221 "} {
		if !strings.Contains(got, want) {
			t.Errorf("the transcript lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "> NOOP") {
		t.Errorf("a line after the interrupt was sent:\n%s", got)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") || strings.HasPrefix(e.Name(), ".") {
			t.Errorf("a temporary file is left behind: %s", e.Name())
		}
	}
	if stderr.Len() > 0 {
		t.Errorf("standard error: %q, want nothing (the transcript says it)", stderr.String())
	}
}

// TestRunInterruptedWhileTheServerIsStuck sends SIGINT while the server
// owes a reply: ftpscope does not wait for a QUIT it would never get
// answered; it closes and exits 130.
func TestRunInterruptedWhileTheServerIsStuck(t *testing.T) {
	bin := buildBinary(t)
	srv := badserver.Start(t, func(c *badserver.Conn) { badserver.Greet(c); c.Hold() })
	cmd := exec.Command(bin, "run", srv.Addr)
	cmd.Stdin = strings.NewReader("NOOP\n")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	got := interruptAt(t, cmd, stdout, "> NOOP", "NOOP was never sent")
	if strings.Contains(got, "> QUIT") || !strings.Contains(got, "disconnected: closed by ftpscope") {
		t.Errorf("want a close without QUIT:\n%s", got)
	}
}

// interruptAt reads the started command's transcript from stdout until it
// holds mark (failing with never when it ends first), sends SIGINT, reads
// the rest, and checks that the command exited 130. It returns the whole
// transcript.
func interruptAt(t *testing.T, cmd *exec.Cmd, stdout io.Reader, mark, never string) string {
	t.Helper()
	var transcript strings.Builder
	r := bufio.NewReader(stdout)
	for !strings.Contains(transcript.String(), mark) {
		line, err := r.ReadString('\n')
		transcript.WriteString(line)
		if err != nil {
			t.Fatalf("%s:\n%s", never, transcript.String())
		}
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(r)
	transcript.Write(rest)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
		t.Fatalf("exit: %v, want status %d\n%s", err, exitInterrupted, transcript.String())
	}
	return transcript.String()
}
