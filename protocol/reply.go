// Package protocol speaks FTP's control connection for ftpscope: it reads
// replies exactly as RFC 959 §4.2 defines them, writes commands under the
// Telnet rules of RFC 959 §4.1, and runs a session that reports every step
// as an Event for a user interface or a script runner to show. It has no
// user-interface code.
package protocol

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Bounds on what a server controls in a reply, so that a hostile or
// broken server can neither exhaust memory nor hold a session forever.
// SECURITY.md lists them all. The first three drop what is beyond them
// and say so in the reply's Problems: the reply goes on. The last two end
// the session (a *BoundError), since a reply past them is broken.
const (
	// MaxLineLength is the longest reply line kept, in bytes. The rest of a
	// longer line is read and dropped, and the reply says so.
	MaxLineLength = 8 << 10
	// MaxReplyLines is the most lines kept for one reply. Further lines are
	// read up to the reply's last line and dropped, and the reply says so.
	MaxReplyLines = 4096
	// MaxReplyBytes is the most bytes of line text kept for one reply;
	// beyond it lines are dropped as beyond MaxReplyLines. Raw keeps as
	// much again.
	MaxReplyBytes = 1 << 20
	// MaxReplyRead is the most bytes read for one reply, kept or dropped,
	// from its first byte to its last line: 16 MiB, thousands of times a
	// real reply. A session ends when a reply goes past it (a multi-line
	// reply that never ends, a giant line). Config.MaxReplyRead changes it.
	MaxReplyRead = 16 << 20
	// MaxReplyTime is the longest a reply may take from its first byte to
	// its last line: a server trickling a reply a byte at a time, or one
	// that never ends, is given up after it. The wait before a reply's
	// first byte is Config.ReplyTimeout's, so a long transfer waiting for
	// its 226 is not cut. Config.MaxReplyTime changes it.
	MaxReplyTime = 30 * time.Second
)

// Reply is one server reply: a single line, or the lines of a multi-line
// reply from "NNN-" up to the line that starts with "NNN ".
type Reply struct {
	// Code is the reply code, or 0 when the first line does not start with
	// three digits (a malformed reply).
	Code int
	// Lines are the lines as received, without their line endings, and
	// with a doubled Telnet IAC byte (0xFF 0xFF) read as the one byte the
	// server meant. The bytes are the server's: escape them before showing
	// them.
	Lines []string
	// Raw holds, for each line of Lines at the same index, the bytes
	// exactly as they came off the wire: the line ending as sent (CRLF,
	// a bare LF, or none for a last line cut by the connection's end),
	// trailing spaces, bytes that are not UTF-8, and a doubled 0xFF as
	// doubled. A line longer than MaxLineLength keeps its first
	// MaxLineLength bytes here as in Lines. A raw view (text and hex) of a
	// line is built on it; Lines is what to interpret. The only change
	// ftpscope ever makes is masking a password the server repeated,
	// replaced by "****" here as in Lines.
	//
	// The bytes of Raw are read-only: a line's text in Lines may be a
	// string over the same memory (a ReplyReader reads the common
	// one-line reply into one allocation), so writing into them would
	// change a string. To change a line, replace the slice, as masking
	// does (bytes.ReplaceAll returns a copy).
	Raw [][]byte
	// Problems lists ways the reply breaks RFC 959's rules (a bare LF line
	// ending, a truncated line, a malformed first line). Empty for a
	// well-formed reply.
	Problems []string
}

// Class returns the reply's first digit (1 to 6), or 0 when malformed.
func (r *Reply) Class() int { return r.Code / 100 }

// Text returns the reply's text: the first line after its code, or the whole
// first line of a malformed reply.
func (r *Reply) Text() string {
	if len(r.Lines) == 0 {
		return ""
	}
	if r.Code == 0 || len(r.Lines[0]) < 4 {
		return r.Lines[0]
	}
	return r.Lines[0][4:]
}

// CodeString returns the code as three digits, or "???" when malformed.
func (r *Reply) CodeString() string {
	if r.Code == 0 {
		return "???"
	}
	return strconv.Itoa(r.Code)
}

// Malformed reports whether the first line lacked a valid reply code.
func (r *Reply) Malformed() bool { return r.Code == 0 }

// ErrUnexpectedEOF is returned when the connection ends inside a
// multi-line reply; the partial reply is returned with it.
var ErrUnexpectedEOF = errors.New("connection closed inside a multi-line reply")

// ReplyReader reads replies from a control connection.
type ReplyReader struct {
	r *bufio.Reader
	// MaxRead bounds the bytes read for one reply, kept or not; past it
	// ReadReply returns what it kept with a *BoundError. Zero means no
	// bound.
	MaxRead int64
	// OnStart, when set, is called as the first byte of each reply
	// arrives, before the rest is read: the session starts the reply's
	// clock (MaxReplyTime) there.
	OnStart func()
	// read counts the bytes read of the current reply.
	read int64
	// acc accumulates the reply being read, and slab holds the memory
	// replies are built in (replybuf.go).
	acc  replyAcc
	slab replySlab
}

// Read returns the bytes read of the last reply, kept or not.
func (rr *ReplyReader) Read() int64 { return rr.read }

// errReadBound stops readLine when a reply went past MaxRead.
var errReadBound = errors.New("read bound")

// NewReplyReader returns a reader of replies from r.
func NewReplyReader(r io.Reader) *ReplyReader {
	return &ReplyReader{r: bufio.NewReaderSize(r, 16<<10)}
}

// ReadReply reads one reply. RFC 959 §4.2 allows two forms:
//
//	220 Service ready.
//
//	211-Features:
//	 EPSV
//	211 End
//
// A multi-line reply ends at the first line that starts with the same three
// digits followed by a space; lines in between may have any shape, including
// other codes ("123-First\n124 Middle\n123 End"). A first line without a
// valid code is returned as a one-line reply with Code 0.
//
// At the end of the stream ReadReply returns io.EOF with no reply; a last
// line without its CRLF is still returned as a reply, with a problem noted.
// When the stream ends inside a multi-line reply, it returns the lines read
// so far with ErrUnexpectedEOF. Any other read error is returned wrapped,
// with the partial reply when there is one.
func (rr *ReplyReader) ReadReply() (*Reply, error) {
	rr.read = 0
	if rr.r.Buffered() == 0 {
		// Wait for the reply's first byte, so that its clock starts then.
		if _, err := rr.r.Peek(1); err != nil {
			return nil, err
		}
	}
	if rr.OnStart != nil {
		rr.OnStart()
	}
	reply, err := rr.readReply()
	if err != nil && errors.Is(err, errReadBound) {
		reply.note(fmt.Sprintf("the reply was cut: ftpscope reads at most %s for one reply", formatBytes(rr.MaxRead)))
		return reply, &BoundError{Bound: BoundReplyTotal, Limit: formatBytes(rr.MaxRead), Code: reply.Code, Read: formatBytes(rr.read)}
	}
	return reply, err
}

// readReply is ReadReply after the first byte has come. Lines are read
// into the reader's accumulator, and the reply is built from it when it
// ends (rr.acc.reply), in a few allocations whatever its length.
func (rr *ReplyReader) readReply() (*Reply, error) {
	chunk, e := rr.r.ReadSlice('\n')
	if r := rr.wellFormedOneLine(chunk, e); r != nil {
		return r, nil
	}
	rr.acc.reset()
	reply := &rr.acc.head
	span, problem, err := rr.readLineFrom(chunk, e)
	if err != nil && span.rawLen() == 0 {
		return nil, err
	}
	rr.acc.keep(span)
	reply.note(problem)
	code, sep, ok := parseCodeLine(rr.acc.text(span))
	if !ok {
		reply.note("the first line does not start with a three-digit reply code")
		return rr.acc.reply(&rr.slab), wrapEOF(err, false)
	}
	reply.Code = code
	if sep != '-' || err != nil {
		return rr.acc.reply(&rr.slab), wrapEOF(err, sep == '-')
	}
	dropped, kept := 0, span.textLen()
	unfinished := func(err error) (*Reply, error) {
		if dropped > 0 {
			reply.note(fmt.Sprintf("%d lines dropped: a reply keeps at most %d lines and %d bytes", dropped, MaxReplyLines, MaxReplyBytes))
		}
		reply.note(fmt.Sprintf("the multi-line reply never ended: no line starting %q came", fmt.Sprintf("%03d ", code)))
		return rr.acc.reply(&rr.slab), wrapEOF(err, true)
	}
	for {
		span, problem, err = rr.readLine()
		if errors.Is(err, errReadBound) {
			return rr.acc.reply(&rr.slab), err
		}
		if span.rawLen() == 0 && err != nil {
			return unfinished(err)
		}
		line := rr.acc.text(span)
		last := false
		if c, s, ok := parseCodeLine(line); ok && c == code && s == ' ' {
			last = true
		}
		switch {
		case rr.acc.lines() < MaxReplyLines && kept+len(line) <= MaxReplyBytes:
			rr.acc.keep(span)
			reply.note(problem)
			kept += len(line)
		case last:
			// Keep the last line: it ends the reply, so show it.
			rr.acc.replaceLast(span)
			dropped++
		default:
			rr.acc.drop(span)
			dropped++
		}
		if last {
			if dropped > 0 {
				reply.note(fmt.Sprintf("%d lines dropped: a reply keeps at most %d lines and %d bytes", dropped, MaxReplyLines, MaxReplyBytes))
			}
			return rr.acc.reply(&rr.slab), wrapEOF(err, false)
		}
		if err != nil {
			return unfinished(err)
		}
	}
}

// wellFormedOneLine returns the reply when the first line read, chunk
// (ending with e), is a whole one-line reply with nothing to note: a code,
// a space or nothing after it, CRLF at its end, no longer than
// MaxLineLength nor MaxRead, with no 0xFF byte (so no Telnet IAC to
// undo). Otherwise it returns nil and the line is read the long way, to
// the same effect.
func (rr *ReplyReader) wellFormedOneLine(chunk []byte, e error) *Reply {
	n := len(chunk)
	if e != nil || n < 2 || n > MaxLineLength || chunk[n-2] != '\r' ||
		(rr.MaxRead > 0 && rr.read+int64(n) > rr.MaxRead) || bytes.IndexByte(chunk, 0xff) >= 0 {
		return nil
	}
	code, sep, ok := parseCodeLine(chunk[:n-2])
	if !ok || sep != ' ' {
		return nil
	}
	rr.read += int64(n)
	return rr.slab.oneLineReply(code, chunk)
}

// wrapEOF turns the error that ended a read into the one ReadReply returns.
func wrapEOF(err error, inside bool) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, io.EOF) && inside:
		return ErrUnexpectedEOF
	case errors.Is(err, io.EOF):
		return nil // the reply is complete; the next read reports io.EOF
	case errors.Is(err, errReadBound):
		return err
	default:
		return fmt.Errorf("read reply: %w", err)
	}
}

func (r *Reply) note(problem string) {
	if problem == "" {
		return
	}
	for _, p := range r.Problems {
		if p == problem {
			return
		}
	}
	r.Problems = append(r.Problems, problem)
}

// readLine reads one line into the accumulator and returns where it is:
// its text without the ending and with Telnet's doubled IAC undone, and
// its raw bytes as read, ending included. It keeps at most MaxLineLength
// bytes and drops the rest of the line. problem describes a deviation from
// the CRLF rule or a truncation.
func (rr *ReplyReader) readLine() (span lineSpan, problem string, err error) {
	chunk, e := rr.r.ReadSlice('\n')
	return rr.readLineFrom(chunk, e)
}

// readLineFrom is readLine once its first chunk, ending with e, is read.
func (rr *ReplyReader) readLineFrom(chunk []byte, e error) (span lineSpan, problem string, err error) {
	span.raw0 = len(rr.acc.raw)
	truncated := false
	for {
		if room := MaxLineLength - (len(rr.acc.raw) - span.raw0); room > 0 {
			if len(chunk) > room {
				rr.acc.raw = append(rr.acc.raw, chunk[:room]...)
				truncated = true
			} else {
				rr.acc.raw = append(rr.acc.raw, chunk...)
			}
		} else if len(chunk) > 0 {
			truncated = true
		}
		rr.read += int64(len(chunk))
		if rr.MaxRead > 0 && rr.read > rr.MaxRead {
			err = errReadBound
			break
		}
		if e == bufio.ErrBufferFull {
			chunk, e = rr.r.ReadSlice('\n')
			continue
		}
		err = e
		break
	}
	span.raw1 = len(rr.acc.raw)
	buf := rr.acc.raw[span.raw0:span.raw1]
	switch {
	case bytes.HasSuffix(buf, []byte("\r\n")):
		buf = buf[:len(buf)-2]
	case bytes.HasSuffix(buf, []byte("\n")):
		buf = buf[:len(buf)-1]
		problem = "a line ends with LF alone; RFC 959 requires CRLF"
	case len(buf) > 0 && !truncated && err != errReadBound:
		problem = "the last line has no CRLF: the connection ended first"
	}
	if truncated {
		if bytes.HasSuffix(buf, []byte("\r")) {
			buf = buf[:len(buf)-1]
		}
		problem = fmt.Sprintf("a line longer than %d bytes was cut short", MaxLineLength)
	}
	// Telnet doubles a 0xFF data byte (IAC) on the wire (RFC 959 §4.1,
	// RFC 854); the line the server meant has it once.
	span.text0 = len(rr.acc.textBuf)
	if bytes.Contains(buf, []byte{0xff, 0xff}) {
		buf = bytes.ReplaceAll(buf, []byte{0xff, 0xff}, []byte{0xff})
	}
	rr.acc.textBuf = append(rr.acc.textBuf, buf...)
	span.text1 = len(rr.acc.textBuf)
	return span, problem, err
}

// ParseCodeLine reports whether line starts with a reply code: three
// digits, the first 1 to 6, followed by a space (sep ' ', or the end of the
// line), or a hyphen (sep '-', a multi-line reply's first line). Readers of
// recorded sessions use it to recognise replies as the session does.
func ParseCodeLine(line string) (code int, sep byte, ok bool) { return parseCodeLine(line) }

// parseCodeLine is ParseCodeLine for text or bytes.
func parseCodeLine[S string | []byte](line S) (code int, sep byte, ok bool) {
	if len(line) < 3 {
		return 0, 0, false
	}
	for i := 0; i < 3; i++ {
		if line[i] < '0' || line[i] > '9' {
			return 0, 0, false
		}
	}
	if line[0] < '1' || line[0] > '6' {
		return 0, 0, false
	}
	sep = ' '
	if len(line) > 3 {
		sep = line[3]
		if sep != ' ' && sep != '-' {
			return 0, 0, false
		}
	}
	code = int(line[0]-'0')*100 + int(line[1]-'0')*10 + int(line[2]-'0')
	return code, sep, true
}
