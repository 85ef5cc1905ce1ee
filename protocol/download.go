package protocol

import (
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/ftpscope/ftpscope/internal/atomicfile"
)

// gatherSize is how many bytes a download gathers in its buffer before
// writing them to the file: the most the file takes in one write
// (atomicfile.WriteSize, three TLS records). A write per record (16 KiB)
// costs a system call each; copying the records into a separate buffer
// costs a copy of every byte, and took more CPU for a protected saved
// download (docs/PERFORMANCE.md).
const gatherSize = atomicfile.WriteSize

// readSize is the buffer a download reads into once past its preview.
const readSize = 1 << 20

// download reads the data connection to its end. It keeps the first
// PreviewSize bytes, counts them all, and writes them to the local file
// when one was named, converting CRLF to LF for TYPE A. The file is
// returned for reportSaved to keep or discard once the final reply is in.
func (s *Session) download(t *transfer, conn net.Conn, progress func(int64)) ([]byte, int64, *saveTarget, error) {
	d := &downloader{
		t: t, conn: conn, progress: progress, out: io.Discard,
		timeout: s.cfg.ReplyTimeout,
		// Moving the deadline on every read costs more than the read,
		// so it is moved at most every quarter of ReplyTimeout (and at
		// least every second), and set that much further: a stall is
		// declared after between one and 1.25 ReplyTimeouts of silence,
		// never sooner.
		rearm:        min(time.Second, s.cfg.ReplyTimeout/4),
		lastProgress: time.Now(),
		preview:      make([]byte, 0, 4096),
		buf:          make([]byte, 64<<10),
	}
	if t.savePath != "" {
		dest, err := openSaveTarget(t.savePath, t.restart)
		if err != nil {
			return nil, 0, nil, err
		}
		d.dest, d.out = dest, dest
		if t.ascii {
			d.conv = &crlfToLF{w: dest}
			d.out = d.conv
		}
	}
	// TYPE A converts line ends in memory, so its bytes never move in
	// the kernel.
	d.bulkTried = d.conv != nil
	err := d.run()
	return d.preview, d.n, d.dest, err
}

// downloader holds one download in progress. Its bytes travel one of two
// ways. Read: into buf, gathered and written to the file (decrypted
// first under TLS). Past the preview, a clear download moves inside the
// kernel instead (bulk.go).
type downloader struct {
	t        *transfer
	conn     net.Conn
	progress func(int64)
	dest     *saveTarget // the local file, or nil
	conv     *crlfToLF   // TYPE A's line-end conversion, or nil
	out      io.Writer   // where read bytes are written: conv, dest or io.Discard

	timeout, rearm time.Duration
	armed          time.Time // when the read deadline was last moved
	lastProgress   time.Time

	preview []byte
	n       int64 // bytes received
	buf     []byte
	held    int // bytes read into buf and not yet written

	bulk      bulkMover
	bulkTried bool // whether bulk was set up, or ruled out, yet
}

// run moves the data to its end, or to the first error, and writes out
// what it holds.
func (d *downloader) run() error {
	defer func() {
		if d.bulk != nil {
			d.bulk.close()
		}
	}()
	var err error
	for done := false; !done && err == nil; {
		if now := time.Now(); now.Sub(d.armed) >= d.rearm {
			d.armed = now
			d.conn.SetReadDeadline(now.Add(d.timeout + d.rearm))
		}
		if len(d.buf) < readSize && d.held == 0 && d.n >= PreviewSize {
			// Past the preview, a large buffer takes what loopback and
			// fast links deliver in few reads or moves; a listing or a
			// small file never needs it.
			d.buf = make([]byte, readSize)
		}
		if !d.bulkTried && len(d.preview) == PreviewSize {
			if err = d.startBulk(); err != nil {
				break
			}
		}
		if d.bulk != nil {
			done, err = d.move()
		} else {
			done, err = d.read()
		}
		if d.n > 0 && time.Since(d.lastProgress) >= progressEvery {
			d.lastProgress = time.Now()
			d.progress(d.n)
		}
	}
	if d.conv != nil {
		if ferr := d.conv.flush(); ferr != nil && err == nil {
			err = d.writeError(ferr)
		}
	}
	return err
}

// read reads once, keeps the preview, and writes what it gathered once
// there is enough, at the end, on an error, or before the bulk moving
// starts (which writes to the file directly).
func (d *downloader) read() (done bool, err error) {
	k, rerr := d.conn.Read(d.buf[d.held:])
	if k > 0 {
		if d.n == 0 {
			d.t.firstByte = time.Since(d.t.openedAt)
		}
		if room := PreviewSize - len(d.preview); room > 0 {
			d.preview = append(d.preview, d.buf[d.held:d.held+min(k, room)]...)
		}
		d.n += int64(k)
		d.held += k
	}
	if d.held >= gatherSize || rerr != nil || !d.bulkTried && len(d.preview) == PreviewSize {
		_, werr := d.out.Write(d.buf[:d.held])
		d.held = 0
		if werr != nil {
			return true, d.writeError(werr)
		}
	}
	switch {
	case rerr == io.EOF:
		return true, nil
	case rerr != nil:
		return true, &DataError{Verb: d.t.verb, Op: DataTransfer, Err: rerr}
	}
	return false, nil
}

// startBulk sets up moving the rest in the kernel: into the file, or
// dropped when nothing is saved. Without a mover (TLS, another system)
// the download goes on reading.
func (d *downloader) startBulk() error {
	d.bulkTried = true
	var file *os.File
	if d.dest != nil {
		f, err := d.dest.direct()
		if err != nil {
			return &DataError{Verb: d.t.verb, Op: DataLocalFile, Err: err}
		}
		file = f
	}
	d.bulk = newBulkMover(d.conn, file, d.buf)
	return nil
}

// move moves the next bytes in the kernel. When the kernel refuses, the
// download goes back to reading, having lost nothing.
func (d *downloader) move() (done bool, err error) {
	got, wrote, rerr, werr := d.bulk.move()
	if rerr == errBulkUnsupported {
		d.bulk.close()
		d.bulk = nil
		return false, nil
	}
	d.n += got
	if d.dest != nil {
		d.dest.wrote(wrote)
	}
	switch {
	case werr != nil:
		return true, d.writeError(werr)
	case rerr != nil:
		return true, &DataError{Verb: d.t.verb, Op: DataTransfer, Err: rerr}
	}
	return got == 0, nil
}

// writeError is a failure to write the local file.
func (d *downloader) writeError(err error) error {
	return &DataError{Verb: d.t.verb, Op: DataLocalFile, Err: fmt.Errorf("write %s: %w", d.t.savePath, err)}
}
