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
// From a spin until the read next waits, the socket does not wake the
// poller (holdWakeups).
type spinConn struct {
	*net.TCPConn
	raw  syscall.RawConn
	gate spinGate
	// held is whether the socket's low-water mark is raised, holding
	// back the poller's wake-ups (holdWakeups).
	held bool
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
				// Interrupted: read again.
			case err != unix.EAGAIN:
				return true
			case c.gate.fast && until.IsZero():
				until = time.Now().Add(spinFor)
				c.holdWakeups(int(fd))
			case c.gate.fast && time.Now().Before(until):
				// Spin on.
			case c.releaseWakeups(int(fd)):
				// Read once more before waiting: the poller was not told
				// of what came while the mark was raised.
			default:
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

// holdWakeups raises the socket's low-water mark (SO_RCVLOWAT, socket(7))
// to a quarter of its receive buffer while the download spins and works,
// so that arriving data does not wake the network poller. Nothing waits
// there for this connection then, but the socket stays in the poller's
// epoll set, and with more than one P an idle thread sleeps in it: each
// segment that arrived woke that thread for nothing. A 1 GiB protected
// download from vsftpd made 25,000–37,000 context switches so, and
// 3,100–4,700 with the mark raised (docs/PERFORMANCE.md, "Fifth round").
// A read of a non-blocking socket still returns whatever is there. The
// mark stays below half the buffer because Linux grows the buffer, and
// clamps the TCP window to the mark, for one it cannot hold
// (tcp_set_rcvlowat); a quarter leaves both as they were.
func (c *spinConn) holdWakeups(fd int) {
	if c.held {
		return
	}
	rcvbuf, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF)
	if err != nil || rcvbuf < 8 {
		return
	}
	c.held = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVLOWAT, rcvbuf/4) == nil
}

// releaseWakeups puts the low-water mark back to one byte before a read
// waits on the poller, which then wakes it for any data, and reports
// whether it did. The caller reads once more after it, so that what came
// while the mark was raised is not left waiting. Should the kernel
// refuse, the wait still ends at the read deadline, or at the end of the
// data, which wakes a reader whatever the mark.
func (c *spinConn) releaseWakeups(fd int) bool {
	if c.held && unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVLOWAT, 1) == nil {
		c.held = false
		return true
	}
	return false
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
