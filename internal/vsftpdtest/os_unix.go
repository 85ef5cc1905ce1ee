//go:build unix

package vsftpdtest

import (
	"os"
	"os/exec"
	"syscall"
)

// lockExclusive waits for an exclusive lock on f, held by this process
// until unlock is called (or the process ends).
func lockExclusive(f *os.File) (unlock func(), err error) {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return nil, err
	}
	return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }, nil
}

// inOwnGroup makes cmd start a process group of its own, so that
// killGroup also ends the processes it forks.
func inOwnGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killGroup kills p and every process in the group inOwnGroup made for
// it.
func killGroup(p *os.Process) {
	// The negative id names the process group.
	_ = syscall.Kill(-p.Pid, syscall.SIGKILL)
}
