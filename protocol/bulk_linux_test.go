package protocol

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/internal/badserver"
)

// tcpPair returns the two ends of a loopback TCP connection.
func tcpPair(t *testing.T) (client, server *net.TCPConn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	s := <-accepted
	if s == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { c.Close(); s.Close() })
	return c.(*net.TCPConn), s.(*net.TCPConn)
}

// moveAll moves until the end of the data or an error, and returns the
// totals and the first error.
func moveAll(m bulkMover) (got, wrote int64, readErr, writeErr error) {
	for {
		g, w, rerr, werr := m.move()
		got, wrote = got+g, wrote+w
		if rerr != nil || werr != nil || g == 0 {
			return got, wrote, rerr, werr
		}
	}
}

// sendAndClose writes data on conn in uneven pieces and closes it.
func sendAndClose(conn net.Conn, data []byte) {
	go func() {
		defer conn.Close()
		for len(data) > 0 {
			k := min(len(data), 100_000)
			if _, err := conn.Write(data[:k]); err != nil {
				return
			}
			data = data[k:]
		}
	}()
}

func TestBulkMoversTakeEveryByte(t *testing.T) {
	data := badserver.Pattern(5<<20 + 7)
	t.Run("into a file", func(t *testing.T) {
		client, server := tcpPair(t)
		path := filepath.Join(t.TempDir(), "out")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		m := newBulkMover(client, f, make([]byte, 4096))
		if m == nil {
			t.Fatal("no mover for a TCP connection and a file")
		}
		defer m.close()
		sendAndClose(server, data)
		got, wrote, rerr, werr := moveAll(m)
		if rerr != nil || werr != nil || got != int64(len(data)) || wrote != got {
			t.Fatalf("moved %d, wrote %d (%v, %v), want %d both and no error", got, wrote, rerr, werr, len(data))
		}
		checkFile(t, path, data)
	})
	t.Run("dropped", func(t *testing.T) {
		client, server := tcpPair(t)
		m := newBulkMover(client, nil, make([]byte, 1<<20))
		if m == nil {
			t.Fatal("no mover for a TCP connection")
		}
		defer m.close()
		sendAndClose(server, data)
		got, wrote, rerr, werr := moveAll(m)
		if rerr != nil || werr != nil || got != int64(len(data)) || wrote != 0 {
			t.Fatalf("moved %d, wrote %d (%v, %v), want %d moved, none written", got, wrote, rerr, werr, len(data))
		}
	})
	t.Run("TLS is read as usual", func(t *testing.T) {
		if m := newBulkMover(fakeConn{}, nil, make([]byte, 1)); m != nil {
			t.Fatal("a mover for a connection that is not TCP")
		}
	})
}

// moverInto returns a mover for client into a new file ("file") or
// dropping the bytes ("nowhere"), closed with the test.
func moverInto(t *testing.T, client *net.TCPConn, into string) bulkMover {
	t.Helper()
	var f *os.File
	if into == "file" {
		var err error
		if f, err = os.Create(filepath.Join(t.TempDir(), "out")); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
	}
	m := newBulkMover(client, f, make([]byte, 4096))
	t.Cleanup(m.close)
	return m
}

// fakeConn is a net.Conn that is not a TCP connection.
type fakeConn struct{ net.Conn }

func TestBulkMoverWaitsUnderTheReadDeadline(t *testing.T) {
	for _, into := range []string{"file", "nowhere"} {
		t.Run(into, func(t *testing.T) {
			client, server := tcpPair(t)
			m := moverInto(t, client, into)
			client.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
			_, _, rerr, werr := m.move()
			var to interface{ Timeout() bool }
			if werr != nil || !errors.As(rerr, &to) || !to.Timeout() {
				t.Fatalf("move on a silent connection: %v, %v; want a timeout", rerr, werr)
			}
			// The connection is still whole: what comes next is moved.
			client.SetReadDeadline(time.Time{})
			server.Write([]byte("after"))
			if got, _, rerr, _ := m.move(); got != 5 || rerr != nil {
				t.Fatalf("move after the timeout took %d (%v), want 5", got, rerr)
			}
			// Closed under it, as when the transfer is stopped.
			time.AfterFunc(20*time.Millisecond, func() { client.Close() })
			if _, _, rerr, _ := m.move(); !errors.Is(rerr, net.ErrClosed) {
				t.Fatalf("move on a closed connection: %v, want net.ErrClosed", rerr)
			}
		})
	}
}

// TestSpliceMoverReportsTheFileFailing: a pipe whose reader has gone
// refuses what is written (EPIPE). That is the file's error, not the
// connection's, and what reached the file is counted apart from what
// was taken from the connection.
func TestSpliceMoverReportsTheFileFailing(t *testing.T) {
	client, server := tcpPair(t)
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	syscall.Close(p[0])
	w := os.NewFile(uintptr(p[1]), "pipe")
	defer w.Close()
	m := newBulkMover(client, w, make([]byte, 4096))
	defer m.close()
	sendAndClose(server, badserver.Pattern(1<<20))
	got, wrote, rerr, werr := moveAll(m)
	if rerr != nil || !errors.Is(werr, syscall.EPIPE) || got == 0 || wrote != 0 {
		t.Fatalf("moved %d, wrote %d (%v, %v), want some moved, none written, EPIPE from the file", got, wrote, rerr, werr)
	}
	if want := "write pipe: broken pipe"; werr.Error() != want {
		t.Errorf("the file's error reads %q, want %q, as os.File.Write words it", werr, want)
	}
}

// TestBulkMoverNamesAResetAsARead: a connection reset while bytes move in
// the kernel reads as it does from conn.Read, so the transcript does not
// depend on which way the bytes came.
func TestBulkMoverNamesAResetAsARead(t *testing.T) {
	for _, into := range []string{"file", "nowhere"} {
		t.Run(into, func(t *testing.T) {
			client, server := tcpPair(t)
			m := moverInto(t, client, into)
			server.SetLinger(0) // close with a reset
			server.Close()
			_, _, rerr, _ := moveAll(m)
			want := fmt.Sprintf("read tcp %s->%s: read: connection reset by peer", client.LocalAddr(), client.RemoteAddr())
			if !errors.Is(rerr, syscall.ECONNRESET) || rerr.Error() != want {
				t.Fatalf("after a reset: %v, want %q", rerr, want)
			}
		})
	}
}

// TestSpliceMoverFallsBackWhenTheFileRefuses: splice(2) does not write to
// a file opened for appending (EINVAL). What is already in the pipe is
// written the ordinary way, and the next move hands back to reads.
func TestSpliceMoverFallsBackWhenTheFileRefuses(t *testing.T) {
	client, server := tcpPair(t)
	path := filepath.Join(t.TempDir(), "out")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := newBulkMover(client, f, make([]byte, 4096))
	defer m.close()
	data := badserver.Pattern(300_000)
	sendAndClose(server, data)
	got, wrote, rerr, werr := m.move()
	if got == 0 || wrote != got || rerr != nil || werr != nil {
		t.Fatalf("first move: %d moved, %d written (%v, %v), want all it took written", got, wrote, rerr, werr)
	}
	if _, _, rerr, _ := m.move(); rerr != errBulkUnsupported {
		t.Fatalf("second move: %v, want errBulkUnsupported", rerr)
	}
	on, _ := os.ReadFile(path)
	if !bytes.Equal(on, data[:got]) {
		t.Fatalf("the file holds %d bytes that are not the first %d sent", len(on), got)
	}
}
