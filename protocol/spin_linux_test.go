package protocol

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/internal/badserver"
	"golang.org/x/sys/unix"
)

// spinningClient returns the client end of a loopback connection with
// spinning reads, already fast, and the server end.
func spinningClient(t *testing.T) (*spinConn, *net.TCPConn) {
	t.Helper()
	client, server := tcpPair(t)
	c, ok := spinningReads(client).(*spinConn)
	if !ok {
		t.Fatalf("spinningReads of a loopback connection is a %T, want a *spinConn", spinningReads(client))
	}
	c.gate.fast = true
	return c, server
}

// TestSpinConnReadsEveryByte: the bytes come in pieces with pauses
// longer and shorter than a spin, and every one is read, in order, then
// the end.
func TestSpinConnReadsEveryByte(t *testing.T) {
	c, server := spinningClient(t)
	data := badserver.Pattern(3<<20 + 5)
	go func() {
		defer server.Close()
		for i, rest := 0, data; len(rest) > 0; i++ {
			k := min(len(rest), 64_000+i%7*10_000)
			if _, err := server.Write(rest[:k]); err != nil {
				return
			}
			rest = rest[k:]
			time.Sleep(time.Duration(i%4) * 300 * time.Microsecond) // 0 to 900 µs
		}
	}()
	got, err := io.ReadAll(c)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes (%v), want the %d sent", len(got), err, len(data))
	}
}

// TestSpinConnHoldsWakeupsOnlyWhileBusy: holding the wake-ups raises the
// socket's low-water mark to a quarter of its receive buffer and leaves
// the buffer as it was. A read that waits on the poller lowers the mark
// to one byte first, so one byte after a silence longer than a spin is
// read when it comes, not held back until the deadline.
func TestSpinConnHoldsWakeupsOnlyWhileBusy(t *testing.T) {
	c, server := spinningClient(t)
	sockopt := func(opt int) int {
		t.Helper()
		var v int
		var err error
		if cerr := c.raw.Control(func(fd uintptr) { v, err = unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, opt) }); cerr != nil || err != nil {
			t.Fatalf("getsockopt %d: %v %v", opt, cerr, err)
		}
		return v
	}
	rcvbuf := sockopt(unix.SO_RCVBUF)
	c.raw.Control(func(fd uintptr) { c.holdWakeups(int(fd)) })
	if got := sockopt(unix.SO_RCVLOWAT); !c.held || got != rcvbuf/4 {
		t.Fatalf("held wake-ups: low-water mark %d (held %v), want %d, a quarter of the %d-byte buffer", got, c.held, rcvbuf/4, rcvbuf)
	}
	if got := sockopt(unix.SO_RCVBUF); got != rcvbuf {
		t.Fatalf("holding the wake-ups changed the receive buffer from %d to %d bytes", rcvbuf, got)
	}

	time.AfterFunc(20*time.Millisecond, func() { server.Write([]byte("x")) })
	c.SetReadDeadline(time.Now().Add(3 * time.Second))
	buf := make([]byte, 16)
	if n, err := c.Read(buf); err != nil || string(buf[:n]) != "x" {
		t.Fatalf("one byte after a silence: %q, %v; want \"x\" (was the low-water mark left raised?)", buf[:n], err)
	}
	if got := sockopt(unix.SO_RCVLOWAT); c.held || got != 1 {
		t.Errorf("after a read that waited: low-water mark %d (held %v), want 1", got, c.held)
	}
}

// TestSpinConnWaitsUnderTheReadDeadline: on a silent connection, a fast
// read spins, then waits on the poller until the deadline, and says so
// as a read does; the connection is whole afterwards, and a close under
// a waiting read ends it.
func TestSpinConnWaitsUnderTheReadDeadline(t *testing.T) {
	c, server := spinningClient(t)
	c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	_, err := c.Read(make([]byte, 100))
	var op *net.OpError
	if !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &op) || op.Op != "read" {
		t.Fatalf("read on a silent connection: %v, want a read's deadline error", err)
	}
	c.SetReadDeadline(time.Time{})
	server.Write([]byte("after"))
	buf := make([]byte, 100)
	if n, err := c.Read(buf); string(buf[:n]) != "after" || err != nil {
		t.Fatalf("read after the deadline: %q, %v; want \"after\"", buf[:n], err)
	}
	time.AfterFunc(20*time.Millisecond, func() { c.Close() })
	if _, err := c.Read(buf); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("read on a closed connection: %v, want net.ErrClosed", err)
	}
}

// TestSpinConnNamesAResetAsARead: a reset reads as a net.Conn's read
// says it, whether it was there before the read, or came while the read
// waited, spinning or not.
func TestSpinConnNamesAResetAsARead(t *testing.T) {
	for _, tt := range []struct {
		fast  bool
		after time.Duration
	}{{true, 0}, {false, 0}, {true, 100 * time.Microsecond}, {true, 5 * time.Millisecond}, {false, 5 * time.Millisecond}} {
		t.Run(fmt.Sprintf("fast=%v,after=%v", tt.fast, tt.after), func(t *testing.T) {
			c, server := spinningClient(t)
			c.gate.fast = tt.fast
			server.SetLinger(0) // close with a reset
			reset := func() { server.Close() }
			if tt.after == 0 {
				reset()
			} else {
				time.AfterFunc(tt.after, reset)
			}
			_, err := io.ReadAll(c)
			want := fmt.Sprintf("read tcp %s->%s: read: connection reset by peer", c.LocalAddr(), c.RemoteAddr())
			if !errors.Is(err, syscall.ECONNRESET) || err.Error() != want {
				t.Fatalf("after a reset: %v, want %q", err, want)
			}
		})
	}
}

// TestSpinningReadsOnlyOverTCP: a connection that is not TCP is read as
// it is.
func TestSpinningReadsOnlyOverTCP(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	if got := spinningReads(a); got != a {
		t.Errorf("spinningReads of a pipe is a %T, want the pipe itself", got)
	}
}
