package vsftpdtest

// vsftpd runs on Unix only, so on Windows every test that needs it skips
// (no vsftpd binary is found); these let the package, and the tests that
// import it, compile there.

import (
	"os"
	"os/exec"

	"golang.org/x/sys/windows"
)

// lockExclusive waits for an exclusive lock on f, held by this process
// until unlock is called (or the file is closed).
func lockExclusive(f *os.File) (unlock func(), err error) {
	h := windows.Handle(f.Fd())
	whole := new(windows.Overlapped)
	if err := windows.LockFileEx(h, windows.LOCKFILE_EXCLUSIVE_LOCK, 0, 1, 0, whole); err != nil {
		return nil, err
	}
	return func() { _ = windows.UnlockFileEx(h, 0, 1, 0, whole) }, nil
}

// inOwnGroup leaves cmd as it is: Windows has no process groups that
// killGroup could end together.
func inOwnGroup(*exec.Cmd) {}

// killGroup kills p.
func killGroup(p *os.Process) { _ = p.Kill() }
