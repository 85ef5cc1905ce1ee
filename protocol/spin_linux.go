package protocol

import (
	"io"
	"net"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// spinConn is the TCP connection of a protected download from this
// machine as crypto/tls reads it: while the download is fast (spinGate),
// a read that finds the socket empty tries again for up to spinFor before
// it waits on the network poller (spin.go says why). Everything else is
// the TCP connection's, and so are the deadlines: a spin ends, at the
// latest, spinFor after the deadline. Its errors read as a net.Conn's.
type spinConn struct {
	*net.TCPConn
	raw  syscall.RawConn
	gate spinGate
}

// spinningReads returns conn with reads that spin while fast, or conn
// itself when it is not a TCP connection to this machine.
func spinningReads(conn net.Conn) net.Conn {
	tcp, ok := conn.(*net.TCPConn)
	if !ok || !onThisMachine(tcp.RemoteAddr()) {
		return conn
	}
	raw, err := tcp.SyscallConn()
	if err != nil {
		return conn
	}
	return &spinConn{TCPConn: tcp, raw: raw}
}

// Read reads what the socket holds into p, waiting for something when it
// holds nothing: first by trying again, while the download is fast, then
// on the poller.
func (c *spinConn) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	var n int
	var err error
	var until time.Time // the end of the spin, from the first empty read
	if rerr := c.raw.Read(func(fd uintptr) bool {
		for {
			if until.IsZero() {
				n, err = unix.Read(int(fd), p)
			} else {
				n, err = readNow(fd, p)
			}
			switch {
			case err == unix.EINTR:
				continue
			case err != unix.EAGAIN:
				return true
			case !c.gate.fast:
				return false
			}
			now := time.Now()
			if until.IsZero() {
				until = now.Add(spinFor)
			} else if now.After(until) {
				return false // wait on the poller; after it, no spin again
			}
		}
	}); rerr != nil {
		return 0, connWords{c.TCPConn}.readError(rerr)
	}
	if err != nil {
		return 0, connWords{c.TCPConn}.readError(err)
	}
	if n == 0 {
		return 0, io.EOF
	}
	c.gate.read(n, time.Now())
	return n, nil
}

// readNow reads the non-blocking socket fd into p, which must not be
// empty. Such a read returns at once, so it goes without the scheduler's
// bookkeeping for a system call that may block (unix.Read's), which
// spinning would otherwise pay on every try: in alternating runs, a
// spin with it was 0.93 of lftp's speed and one without it 1.03.
func readNow(fd uintptr, p []byte) (int, error) {
	n, _, errno := unix.RawSyscall(unix.SYS_READ, fd, uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)))
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}
