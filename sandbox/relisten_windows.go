package sandbox

import "syscall"

// relisten calls listen again on the listening socket fd with a new
// backlog. Windows keeps the first backlog, so there the unanswered-port
// fault may answer a few connections before it drops the rest.
func relisten(fd uintptr, backlog int) error { return syscall.Listen(syscall.Handle(fd), backlog) }
