package badserver

import (
	"fmt"
	"net"
	"syscall"
	"testing"
	"time"
)

// DroppingPort returns a port of 127.0.0.1 whose connections never
// complete, as behind a firewall that drops packets: a socket listens
// there with an accept queue of one, which a connection of its own fills,
// and it never accepts. The kernel then drops every further SYN, so a
// client's connect hangs until its own timeout. The port is closed when
// the test ends.
func DroppingPort(tb testing.TB) int {
	tb.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		tb.Fatalf("badserver: socket: %v", err)
	}
	tb.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		tb.Fatalf("badserver: bind: %v", err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		tb.Fatalf("badserver: listen: %v", err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		tb.Fatalf("badserver: getsockname: %v", err)
	}
	port := sa.(*syscall.SockaddrInet4).Port
	// Fill the accept queue: with a backlog of 0 it holds one connection.
	filler, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 5*time.Second)
	if err != nil {
		tb.Fatalf("badserver: filling the accept queue: %v", err)
	}
	tb.Cleanup(func() { filler.Close() })
	return port
}
