//go:build !windows

package sandbox

import "syscall"

// relisten calls listen(2) again on the listening socket fd with a new
// backlog, which shrinks its queue of pending connections.
func relisten(fd uintptr, backlog int) error { return syscall.Listen(int(fd), backlog) }
