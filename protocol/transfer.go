package protocol

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"time"
	"unicode/utf8"
)

// PreviewSize is how much of a download is kept in memory for showing (a
// listing, a file not saved): the bound BoundPreview. Every byte is
// counted, and saved when the user asked; a download past it says so in
// its close event.
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
	if code := t.answeredWith(); err != nil && code != 0 && (t.dialled != nil || code != 425) {
		// The server refused the command (a missing file, a folder it
		// may not write) and so never took the data connection: a
		// protected passive one whose TLS handshake it never answered,
		// or an active one it never connected to. The connection was not
		// used; it did not fail. An active connection answered 425 did
		// fail: the server could not reach ftpscope's address.
		info.Phase = DataClosed
		if t.dialled != nil { // an active connection was never opened
			info.Local, info.Remote, info.OpenTime = t.dialled.LocalAddr().String(), t.dialled.RemoteAddr().String(), t.openTime
		}
		s.reportDataEnd(t, Event{Kind: EventData, Seq: t.seq, Line: "data connection closed unused: " + t.stoppedBecause(), Data: &info})
		s.reportSaved(t, nil, info)
		return
	}
	if err != nil {
		info.Phase, info.Err = DataClosed, err
		s.reportDataEnd(t, Event{Kind: EventData, Seq: t.seq, Line: fmt.Sprintf("data connection for %s failed: %v", t.verb, err), Data: &info})
		s.reportSaved(t, nil, info)
		return
	}
	defer conn.Close()
	t.openedAt = time.Now()
	info.Local, info.Remote, info.OpenTime = conn.LocalAddr().String(), conn.RemoteAddr().String(), t.openTime
	if t.dialled == nil { // passive connections were reported when dialled
		opened := info
		opened.Phase = DataOpened
		s.order.data(Event{Kind: EventData, Seq: t.seq, Line: fmt.Sprintf("data connection accepted: %s ← %s", info.Local, info.Remote), Data: &opened})
	}

	progress := func(n int64) {
		s.keepWaiting()
		p := info
		p.Phase, p.Bytes, p.Elapsed = DataProgress, n, time.Since(start)
		s.order.data(Event{Kind: EventData, Seq: t.seq, Data: &p})
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
	// A stall is ftpscope's own decision, taken before it closed the
	// connection: the server's 426 that the close provokes may already be
	// in by now, and must not turn the stall into "closed unused" (which
	// of the two is seen first would then depend on timing).
	if reason := t.stoppedBecause(); reason != "" && err != nil && !isStall(err) {
		if n == 0 && t.answeredWith() != 0 {
			// Refused before any data: nothing was cut short.
			err, unused = nil, reason
		} else {
			err = &DataError{Verb: t.verb, Op: DataStopped, Reason: reason}
		}
	}
	info.Phase, info.Bytes, info.Elapsed, info.Preview, info.Err = DataClosed, n, time.Since(start), preview, err
	info.FirstByte = t.firstByte
	line := fmt.Sprintf("data connection closed: %s %s in %s", formatBytes(n), map[string]string{"download": "received", "upload": "sent"}[t.direction], formatDuration(info.Elapsed))
	switch {
	case unused != "":
		line = "data connection closed unused: " + unused
	case err != nil:
		line += " (" + err.Error() + ")"
	}
	if n > int64(len(preview)) && t.savePath == "" && t.direction == "download" {
		// Said, never silent: what is shown is not all there was.
		line += fmt.Sprintf("; the first %s are kept for showing (bound: %s)", formatBytes(PreviewSize), BoundPreview)
	}
	s.reportDataEnd(t, Event{Kind: EventData, Seq: t.seq, Line: line, Data: &info})
	s.reportSaved(t, dest, info)
}

// reportDataEnd reports the data connection's end; the sequencer shows it
// after the server's first reply to the command, and the final reply
// after it.
func (s *Session) reportDataEnd(t *transfer, ev Event) {
	s.order.data(ev)
	t.markEnded()
	s.keepWaiting() // the control connection's clock takes over
}

// openData returns the transfer's data connection: the one dialled before
// the command (passive), or the server's connection accepted after it
// (active), with TLS on top when PROT P is in force.
func (s *Session) openData(t *transfer) (net.Conn, error) {
	var conn net.Conn
	if t.dialled != nil {
		conn = t.dialled
	} else {
		acceptStart := time.Now()
		deadline := time.Now().Add(s.cfg.ReplyTimeout)
		if tl, ok := t.listener.(*net.TCPListener); ok {
			tl.SetDeadline(deadline)
		}
		c, err := t.listener.Accept()
		t.openTime = time.Since(acceptStart)
		t.listener.Close()
		if err != nil {
			select {
			case <-t.stopped:
				return nil, &DataError{Verb: t.verb, Op: DataStopped, Addr: t.listener.Addr().String(), Reason: "the server did not connect before its final reply"}
			default:
			}
			return nil, &DataError{Verb: t.verb, Op: DataAccept, Addr: t.listener.Addr().String(), Err: err}
		}
		remote := c.RemoteAddr().(*net.TCPAddr)
		if t.peer != nil && !remote.IP.Equal(t.peer) {
			c.Close()
			return nil, &DataError{Verb: t.verb, Op: DataForeignPeer, Addr: remote.String()}
		}
		conn = c
	}
	t.setConn(conn)
	if !t.protected {
		return conn, nil
	}
	under := conn
	if t.direction == "download" {
		under = spinningReads(conn)
	}
	tc := tls.Client(under, s.tls.config(true))
	t.setConn(tc)
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.ConnectTimeout)
	defer cancel()
	handshakeStart := time.Now()
	if err := tc.HandshakeContext(ctx); err != nil {
		conn.Close()
		return nil, &DataError{Verb: t.verb, Op: DataHandshake, Err: &HandshakeError{Data: true, Err: err}}
	}
	info := s.tls.describeState(tc.ConnectionState(), true)
	info.Handshake = time.Since(handshakeStart)
	s.order.data(Event{Kind: EventTLS, Seq: t.seq, Line: "data connection protected: " + info.Summary(), TLS: &info})
	return tc, nil
}

// upload sends the local file, converting LF to CRLF for TYPE A, then
// closes the connection: end of file is how the server knows the upload
// is complete (RFC 959 §3.4, stream mode). It sends nothing before the
// server's 1xx: a server that refuses the upload (553, 550) never reads
// the data connection, which the kernel may have accepted all the same,
// and a file written into it would be reported as sent.
func (s *Session) upload(t *transfer, conn net.Conn, progress func(int64)) (int64, error) {
	select {
	case <-t.preliminary:
	case <-t.final:
		// A final reply without a 1xx: the server does not take the data.
		// Stopped here, not only by the session's own stop that may come
		// later, so that the end reads the same either way.
		t.stopForReply(t.finalCode)
		return 0, &DataError{Verb: t.verb, Op: DataTransfer, Err: net.ErrClosed}
	case <-t.stopped:
		return 0, &DataError{Verb: t.verb, Op: DataTransfer, Err: net.ErrClosed}
	}
	if t.restart > 0 {
		if _, err := t.upload.Seek(t.restart, io.SeekStart); err != nil {
			return 0, &DataError{Verb: t.verb, Op: DataLocalFile, Err: fmt.Errorf("seek %s: %w", t.upload.Name(), err)}
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
	if err != nil {
		err = &DataError{Verb: t.verb, Op: DataTransfer, Err: err}
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
