package protocol

import (
	"errors"
	"net"
	"os"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/ftpscope/ftpscope/internal/atomicfile"
)

// newBulkMover returns a mover for conn's bytes: into file by splice, or,
// with file nil, dropped by recv with MSG_TRUNC, which buf's length
// bounds per call (the kernel writes nothing into buf). It returns nil
// when conn is not a plain TCP connection or the mover cannot be set up;
// the caller then reads as usual.
func newBulkMover(conn net.Conn, file *os.File, buf []byte) bulkMover {
	tcp, ok := conn.(*net.TCPConn)
	if !ok || len(buf) == 0 {
		return nil
	}
	src, err := tcp.SyscallConn()
	if err != nil {
		return nil
	}
	words := connWords{tcp}
	if file == nil {
		return &dropMover{src: src, buf: buf, words: words}
	}
	dst, err := file.SyscallConn()
	if err != nil {
		return nil
	}
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		return nil
	}
	m := &spliceMover{src: src, dst: dst, pr: p[0], pw: p[1], size: 64 << 10, scratch: buf, words: words, name: file.Name()}
	// A larger pipe moves more per pair of calls. The default size is
	// kept when the system's pipe-max-size does not allow it.
	if got, err := unix.FcntlInt(uintptr(m.pw), unix.F_SETPIPE_SZ, 1<<20); err == nil && got > 0 {
		m.size = got
	}
	return m
}

// spliceWriteSize bounds each splice from the pipe into the file, as
// atomicfile bounds a write (atomicfile.WriteSize): Linux gives a
// buffered write of a large range large page-cache folios, and on the
// 2-vCPU VM of docs/PERFORMANCE.md ("Fifth round", "Sixth round") the copy
// into them was at times several times slower than usual. In sets of ten
// alternating rounds against lftp, a saved clear download ran at these
// multiples of lftp's speed: 0.46–2.39 with the whole 1 MiB pipe per call
// (three sets), 0.70–2.40 with 256 KiB (two), 0.64–2.82 with 128 KiB
// (two), 1.31–2.56 with 64 KiB (three) and 1.03–1.87 with 32 KiB (two).
// 48 KiB gave 1.24–1.91 (median 1.57) in 24 rounds where 64 KiB gave
// 1.33–2.22 (1.66), in minutes when large folios were fast; it is kept
// for the minutes when they are not. The pipe stays 1 MiB, so the socket
// is still drained in few calls.
const spliceWriteSize = atomicfile.WriteSize

// dropMover counts and drops a download that is not saved.
type dropMover struct {
	src   syscall.RawConn
	buf   []byte
	words connWords
}

func (m *dropMover) move() (got, wrote int64, readErr, writeErr error) {
	var n int
	var err error
	if rerr := m.src.Read(func(fd uintptr) bool {
		for {
			// For TCP, MSG_TRUNC takes the bytes off the receive queue
			// without copying them (tcp(7)); n is how many.
			n, _, err = unix.Recvfrom(int(fd), m.buf, unix.MSG_TRUNC)
			if err != unix.EINTR {
				return err != unix.EAGAIN
			}
		}
	}); rerr != nil {
		return 0, 0, m.words.readError(rerr), nil
	}
	switch {
	case err == unix.EINVAL || err == unix.EOPNOTSUPP:
		return 0, 0, errBulkUnsupported, nil
	case err != nil:
		return 0, 0, m.words.readError(err), nil
	}
	return int64(n), 0, nil, nil
}

func (m *dropMover) close() {}

// spliceMover moves a download into its file through a pipe: socket to
// pipe, then pipe to file, both inside the kernel.
type spliceMover struct {
	src, dst syscall.RawConn
	pr, pw   int // the pipe's read and write ends
	size     int // the pipe's capacity: the most one move takes
	// copying is set when the file refused splice: what was in the pipe
	// went through scratch instead, and the next move hands back to the
	// ordinary reads.
	copying bool
	scratch []byte
	words   connWords
	name    string // the file's, for its errors
}

func (m *spliceMover) move() (got, wrote int64, readErr, writeErr error) {
	if m.copying {
		return 0, 0, errBulkUnsupported, nil
	}
	// The pipe is empty here: each move drains it before returning.
	var in int64
	var err error
	if rerr := m.src.Read(func(fd uintptr) bool {
		for {
			in, err = unix.Splice(int(fd), nil, m.pw, nil, m.size, unix.SPLICE_F_MOVE|unix.SPLICE_F_NONBLOCK)
			if err != unix.EINTR {
				return err != unix.EAGAIN
			}
		}
	}); rerr != nil {
		return 0, 0, m.words.readError(rerr), nil
	}
	switch {
	case err == unix.EINVAL:
		return 0, 0, errBulkUnsupported, nil
	case err != nil:
		return 0, 0, m.words.readError(err), nil
	case in == 0:
		return 0, 0, nil, nil
	}
	out, werr := m.drain(in)
	return in, out, nil, werr
}

// drain moves n bytes from the pipe into the file and says how many
// reached it.
func (m *spliceMover) drain(n int64) (int64, error) {
	var done int64
	for done < n {
		var w int64
		var err error
		if werr := m.dst.Write(func(fd uintptr) bool {
			for {
				w, err = unix.Splice(m.pr, nil, int(fd), nil, int(min(n-done, spliceWriteSize)), unix.SPLICE_F_MOVE)
				if err != unix.EINTR {
					return err != unix.EAGAIN
				}
			}
		}); werr != nil {
			return done, m.fileError(werr)
		}
		if err == unix.EINVAL {
			m.copying = true
			k, err := m.copyOut(n - done)
			return done + k, err
		}
		if err != nil {
			return done, m.fileError(err)
		}
		done += w
	}
	return done, nil
}

// copyOut writes the n bytes left in the pipe to the file the ordinary
// way, for a file that refused splice, and says how many reached it.
func (m *spliceMover) copyOut(n int64) (int64, error) {
	var done int64
	for done < n {
		r, err := unix.Read(m.pr, m.scratch[:min(n-done, int64(len(m.scratch)))])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return done, os.NewSyscallError("read", err)
		}
		w, err := m.writeAll(m.scratch[:r])
		done += int64(w)
		if err != nil {
			return done, err
		}
	}
	return done, nil
}

// writeAll writes b to the file and says how much of it was written.
func (m *spliceMover) writeAll(b []byte) (int, error) {
	done := 0
	for done < len(b) {
		var w int
		var err error
		if werr := m.dst.Write(func(fd uintptr) bool {
			w, err = unix.Write(int(fd), b[done:])
			return err != unix.EAGAIN
		}); werr != nil {
			return done, m.fileError(werr)
		}
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return done, m.fileError(err)
		}
		done += w
	}
	return done, nil
}

func (m *spliceMover) close() {
	unix.Close(m.pr)
	unix.Close(m.pw)
}

// fileError words a failure to write the file as os.File.Write does.
func (m *spliceMover) fileError(err error) error {
	return &os.PathError{Op: "write", Path: m.name, Err: err}
}

// connWords words a failure to take bytes from the connection as a read
// from a net.Conn does ("read tcp a->b: read: connection reset by
// peer"), so a transcript reads the same whichever way the bytes came,
// and errors.Is and errors.As see the same errors beneath.
type connWords struct{ conn *net.TCPConn }

func (w connWords) readError(err error) error {
	var op *net.OpError
	if errors.As(err, &op) { // from RawConn.Read: a deadline, a close
		read := *op
		read.Op = "read"
		return &read
	}
	return &net.OpError{Op: "read", Net: "tcp", Source: w.conn.LocalAddr(), Addr: w.conn.RemoteAddr(), Err: os.NewSyscallError("read", err)}
}
