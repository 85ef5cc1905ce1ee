package protocol

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// PreviewSize is how much of a download is kept in memory for showing;
// every byte is counted, and saved when the user asked.
const PreviewSize = 64 << 10

// IsText reports whether data reads as text: valid UTF-8 without NUL
// bytes. A multi-byte character cut at the end still counts, since a
// preview stops at PreviewSize wherever that falls. The data view and the
// transcripts use it to choose between text and a hex dump or nothing.
func IsText(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 {
		return false
	}
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			return len(b) < utf8.UTFMax && !utf8.FullRune(b)
		}
		b = b[size:]
	}
	return true
}

// progressEvery is the least time between two progress events.
const progressEvery = 250 * time.Millisecond

// transferSettle is how long the final reply to a transfer command waits
// for the data connection's end to be reported, so the transcript reads
// "data connection closed" before 226 even when the reply is read first.
// It is longer than the grace given to an active connection that has not
// arrived (stopUnlessConnected), so that one ends first.
const transferSettle = 3 * time.Second

// transfer is one data connection, from its preparation to its end.
type transfer struct {
	seq       int
	verb      string
	direction string
	ascii     bool
	protected bool

	// Exactly one of dialled (passive) and listener (active) is set.
	dialled  net.Conn
	listener net.Listener
	peer     net.IP // active: the only address allowed to connect
	// opened reports the passive connection; it is pushed once the
	// command has its number, just before the command.
	opened *Event

	upload     *os.File
	uploadSize int64
	savePath   string
	restart    int64

	stopOnce sync.Once
	stopped  chan struct{}
	// answered is closed when the server's first reply to the command
	// has been reported, so the data connection's end is reported after
	// the 150.
	answerOnce sync.Once
	answered   chan struct{}
	// ended is closed once the data connection's end has been reported,
	// so the final reply is reported after it.
	endOnce sync.Once
	ended   chan struct{}
	// final is closed when the final reply has been reported; finalCode
	// is its code. A download decides whether to keep its file then.
	finalOnce sync.Once
	final     chan struct{}
	finalCode int

	mu         sync.Mutex
	conn       net.Conn // the connection in use, once there is one
	stopReason string   // why ftpscope stopped the transfer, once it did
}

func newTransfer() *transfer {
	return &transfer{
		stopped:  make(chan struct{}),
		answered: make(chan struct{}),
		ended:    make(chan struct{}),
		final:    make(chan struct{}),
	}
}

// replied notes that the server's first reply to the command has been
// reported.
func (t *transfer) replied() { t.answerOnce.Do(func() { close(t.answered) }) }

// waitAnswered waits, briefly, for the server's first reply, so the
// transcript reads 150, data closed, 226, as the protocol unfolds, even
// when the data arrives before the control connection's reply is read.
func (t *transfer) waitAnswered() {
	select {
	case <-t.answered:
	case <-t.stopped:
	case <-time.After(time.Second):
	}
}

// markEnded notes that the data connection's end has been reported.
func (t *transfer) markEnded() { t.endOnce.Do(func() { close(t.ended) }) }

// waitEnded waits, at most limit, for the data connection's end to be
// reported.
func (t *transfer) waitEnded(ctx context.Context, limit time.Duration) {
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case <-t.ended:
	case <-ctx.Done():
	case <-timer.C:
	}
}

// finished records the final reply's code, once it has been reported.
func (t *transfer) finished(code int) {
	t.finalOnce.Do(func() {
		t.finalCode = code
		close(t.final)
	})
}

// waitFinal waits for the final reply's code: 0 when the session ended or
// limit passed without one.
func (t *transfer) waitFinal(ctx context.Context, limit time.Duration) int {
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case <-t.final:
		return t.finalCode
	case <-ctx.Done():
	case <-timer.C:
	}
	// The reply may have been reported just as the wait gave up.
	select {
	case <-t.final:
		return t.finalCode
	default:
		return 0
	}
}

// stop ends the transfer early: it closes whatever is open, so a blocked
// accept, read or write returns. The reason is shown if the data
// connection was cut.
func (t *transfer) stop(reason string) {
	t.stopOnce.Do(func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		t.stopReason = reason
		close(t.stopped)
		if t.listener != nil {
			t.listener.Close()
		}
		if t.dialled != nil {
			t.dialled.Close()
		}
		if t.conn != nil {
			t.conn.Close()
		}
	})
}

// stoppedBecause returns why ftpscope stopped the transfer, or "" if it
// did not.
func (t *transfer) stoppedBecause() string {
	select {
	case <-t.stopped:
		t.mu.Lock()
		defer t.mu.Unlock()
		return t.stopReason
	default:
		return ""
	}
}

// stopUnlessConnected stops the transfer if it has no data connection
// after wait.
func (t *transfer) stopUnlessConnected(wait time.Duration) {
	select {
	case <-time.After(wait):
		if !t.connected() {
			t.stop(fmt.Sprintf("the server did not connect within %v of its final reply", wait))
		}
	case <-t.stopped:
	}
}

// connected reports whether the data connection exists yet.
func (t *transfer) connected() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.conn != nil
}

func (t *transfer) setConn(c net.Conn) {
	t.mu.Lock()
	t.conn = c
	t.mu.Unlock()
}

// runTransfer moves the data of one transfer and reports it: an open
// event, progress events, and always a close event; for a download saved
// to a file, a saved event after the final reply.
func (s *Session) runTransfer(t *transfer) {
	info := DataInfo{Direction: t.direction, Verb: t.verb, Protected: t.protected, ASCII: t.ascii, LocalFile: t.savePath, Size: t.uploadSize}
	if t.upload != nil {
		info.LocalFile = t.upload.Name()
		defer t.upload.Close()
	}
	defer s.endTransfer(t)
	defer t.markEnded() // also on a path that reports nothing
	start := time.Now()
	conn, err := s.openData(t)
	if err != nil {
		info.Phase, info.Err = DataClosed, err
		s.reportDataEnd(t, Event{Kind: EventData, Seq: t.seq, Line: fmt.Sprintf("data connection for %s failed: %v", t.verb, err), Data: &info})
		s.reportSaved(t, nil, info)
		return
	}
	defer conn.Close()
	info.Local, info.Remote = conn.LocalAddr().String(), conn.RemoteAddr().String()
	if t.dialled == nil { // passive connections were reported when dialled
		opened := info
		opened.Phase = DataOpened
		s.events.Push(Event{Kind: EventData, Seq: t.seq, Line: fmt.Sprintf("data connection accepted: %s ← %s", info.Local, info.Remote), Data: &opened})
	}

	progress := func(n int64) {
		s.keepWaiting()
		p := info
		p.Phase, p.Bytes, p.Elapsed = DataProgress, n, time.Since(start)
		s.events.Push(Event{Kind: EventData, Seq: t.seq, Data: &p})
	}
	var preview []byte
	var n int64
	var dest *saveTarget
	if t.direction == "download" {
		preview, n, dest, err = s.download(t, conn, progress)
	} else {
		n, err = s.upload(t, conn, progress)
	}
	// Close now, not later: vsftpd sends 226 for a protected download only
	// once the client has closed its side of the data connection.
	conn.Close()
	unused := ""
	if reason := t.stoppedBecause(); reason != "" && err != nil {
		if n == 0 && strings.HasPrefix(reason, "the server answered") {
			// Refused before any data: nothing was cut short.
			err, unused = nil, " unused: "+reason
		} else {
			err = errors.New("stopped by ftpscope: " + reason)
		}
	}
	info.Phase, info.Bytes, info.Elapsed, info.Preview, info.Err = DataClosed, n, time.Since(start), preview, err
	line := fmt.Sprintf("data connection closed: %s %s in %s", formatBytes(n), map[string]string{"download": "received", "upload": "sent"}[t.direction], formatDuration(info.Elapsed))
	switch {
	case unused != "":
		line = "data connection closed unused:" + unused
	case err != nil:
		line += " (" + err.Error() + ")"
	}
	s.reportDataEnd(t, Event{Kind: EventData, Seq: t.seq, Line: line, Data: &info})
	s.reportSaved(t, dest, info)
}

// reportDataEnd reports the data connection's end, after the server's first
// reply to the command, and lets the final reply be reported after it.
func (s *Session) reportDataEnd(t *transfer, ev Event) {
	t.waitAnswered()
	s.events.Push(ev)
	t.markEnded()
}

// openData returns the transfer's data connection: the one dialled before
// the command (passive), or the server's connection accepted after it
// (active), with TLS on top when PROT P is in force.
func (s *Session) openData(t *transfer) (net.Conn, error) {
	var conn net.Conn
	if t.dialled != nil {
		conn = t.dialled
	} else {
		deadline := time.Now().Add(s.cfg.ReplyTimeout)
		if tl, ok := t.listener.(*net.TCPListener); ok {
			tl.SetDeadline(deadline)
		}
		c, err := t.listener.Accept()
		t.listener.Close()
		if err != nil {
			select {
			case <-t.stopped:
				return nil, errors.New("the server did not connect before its final reply")
			default:
			}
			return nil, fmt.Errorf("waiting for the server to connect to %s: %w", t.listener.Addr(), err)
		}
		remote := c.RemoteAddr().(*net.TCPAddr)
		if t.peer != nil && !remote.IP.Equal(t.peer) {
			c.Close()
			return nil, fmt.Errorf("refused a data connection from %s: only the server, %s, may connect", remote, t.peer)
		}
		conn = c
	}
	t.setConn(conn)
	if !t.protected {
		return conn, nil
	}
	tc := tls.Client(conn, s.tls.config(true))
	t.setConn(tc)
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.ConnectTimeout)
	defer cancel()
	if err := tc.HandshakeContext(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("TLS handshake on the data connection: %w", err)
	}
	info := s.tls.describeState(tc.ConnectionState(), true)
	s.events.Push(Event{Kind: EventTLS, Seq: t.seq, Line: "data connection protected: " + info.Summary(), TLS: &info})
	return tc, nil
}

// download reads the data connection to its end. It keeps the first
// PreviewSize bytes, counts them all, and writes them to the local file
// when one was named, converting CRLF to LF for TYPE A. The file is
// returned for reportSaved to keep or discard once the final reply is in.
func (s *Session) download(t *transfer, conn net.Conn, progress func(int64)) ([]byte, int64, *saveTarget, error) {
	var out io.Writer = io.Discard
	var dest *saveTarget
	var conv *crlfToLF
	if t.savePath != "" {
		d, err := openSaveTarget(t.savePath, t.restart)
		if err != nil {
			return nil, 0, nil, err
		}
		dest, out = d, d
		if t.ascii {
			conv = &crlfToLF{w: d}
			out = conv
		}
	}
	preview := make([]byte, 0, 4096)
	buf := make([]byte, 32<<10)
	var n int64
	last := time.Now()
	var err error
	for {
		conn.SetReadDeadline(time.Now().Add(s.cfg.ReplyTimeout))
		k, rerr := conn.Read(buf)
		if k > 0 {
			if room := PreviewSize - len(preview); room > 0 {
				preview = append(preview, buf[:min(k, room)]...)
			}
			n += int64(k)
			if _, werr := out.Write(buf[:k]); werr != nil {
				err = fmt.Errorf("write %s: %w", t.savePath, werr)
				break
			}
			if time.Since(last) >= progressEvery {
				last = time.Now()
				progress(n)
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			err = rerr
			break
		}
	}
	if conv != nil {
		if ferr := conv.flush(); ferr != nil && err == nil {
			err = fmt.Errorf("write %s: %w", t.savePath, ferr)
		}
	}
	return preview, n, dest, err
}

// upload sends the local file, converting LF to CRLF for TYPE A, then
// closes the connection: end of file is how the server knows the upload
// is complete (RFC 959 §3.4, stream mode).
func (s *Session) upload(t *transfer, conn net.Conn, progress func(int64)) (int64, error) {
	if t.restart > 0 {
		if _, err := t.upload.Seek(t.restart, io.SeekStart); err != nil {
			return 0, fmt.Errorf("seek %s: %w", t.upload.Name(), err)
		}
	}
	counter := &countingWriter{w: conn, conn: conn, timeout: s.cfg.ReplyTimeout, progress: progress}
	var dst io.Writer = counter
	if t.ascii {
		dst = &lfToCRLF{w: counter}
	}
	_, err := io.Copy(dst, t.upload)
	if err == nil {
		if tc, ok := conn.(*tls.Conn); ok {
			err = tc.CloseWrite()
		}
	}
	cerr := conn.Close()
	if err == nil && cerr != nil {
		err = cerr
	}
	return counter.n, err
}

// countingWriter counts bytes written, with a deadline per write so a
// stalled server cannot hang an upload, and reports progress.
type countingWriter struct {
	w        io.Writer
	conn     net.Conn
	timeout  time.Duration
	n        int64
	last     time.Time
	progress func(int64)
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.conn.SetWriteDeadline(time.Now().Add(c.timeout))
	k, err := c.w.Write(p)
	c.n += int64(k)
	if time.Since(c.last) >= progressEvery {
		c.last = time.Now()
		c.progress(c.n)
	}
	return k, err
}

// crlfToLF turns CRLF into LF, as a TYPE A download is stored locally
// (RFC 959 §3.1.1.1). A CR at the end of one chunk is held back until the
// next shows whether an LF follows.
type crlfToLF struct {
	w       io.Writer
	heldCR  bool
	scratch []byte
}

func (c *crlfToLF) Write(p []byte) (int, error) {
	out := c.scratch[:0]
	for _, b := range p {
		if c.heldCR {
			c.heldCR = false
			if b != '\n' {
				out = append(out, '\r')
			}
		}
		if b == '\r' {
			c.heldCR = true
			continue
		}
		out = append(out, b)
	}
	c.scratch = out
	if _, err := c.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// flush writes a CR held back at the very end.
func (c *crlfToLF) flush() error {
	if c.heldCR {
		c.heldCR = false
		_, err := c.w.Write([]byte{'\r'})
		return err
	}
	return nil
}

// lfToCRLF turns a bare LF into CRLF, as a TYPE A upload is sent.
type lfToCRLF struct {
	w       io.Writer
	lastCR  bool
	scratch []byte
}

func (c *lfToCRLF) Write(p []byte) (int, error) {
	out := c.scratch[:0]
	for _, b := range p {
		if b == '\n' && !c.lastCR {
			out = append(out, '\r')
		}
		out = append(out, b)
		c.lastCR = b == '\r'
	}
	c.scratch = out
	if _, err := c.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// formatDuration shows a duration with about three significant digits.
func formatDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case d < time.Second:
		return d.Round(10 * time.Microsecond).String()
	default:
		return d.Round(10 * time.Millisecond).String()
	}
}

// formatBytes shows a byte count exactly, with a binary-unit hint for
// large counts: "1048576 bytes (1.0 MiB)".
func formatBytes(n int64) string {
	switch {
	case n == 1:
		return "1 byte"
	case n < 10<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%d bytes (%.1f KiB)", n, float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%d bytes (%.1f MiB)", n, float64(n)/(1<<20))
	}
}
