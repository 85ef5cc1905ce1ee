package recording

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxLogLine is the longest line of a text log kept; the rest of a longer
// line is dropped.
const maxLogLine = 64 << 10

// StopError says where, and why, reading a file stopped before its end.
type StopError struct {
	// Line is the line number (text formats) or Packet the packet number
	// (captures) reading stopped at; the other is 0.
	Line, Packet int
	// Reason says what was wrong there.
	Reason string
}

func (e *StopError) Error() string {
	switch {
	case e.Line > 0:
		return fmt.Sprintf("line %d %s", e.Line, e.Reason)
	case e.Packet > 0:
		return fmt.Sprintf("packet %d %s", e.Packet, e.Reason)
	}
	return e.Reason
}

// lineReader reads a text log line by line, bounded: a line longer than
// maxLogLine is cut, and a line holding a NUL byte (a binary file, or a
// log overwritten in the middle) stops reading.
type lineReader struct {
	r *bufio.Reader
	n int
}

func newLineReader(r io.Reader) *lineReader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReader(r)
	}
	return &lineReader{r: br}
}

// next returns the next line without its line ending, io.EOF at the end,
// or a *StopError.
func (l *lineReader) next() (string, error) {
	var buf []byte
	for {
		chunk, err := l.r.ReadSlice('\n')
		if room := maxLogLine - len(buf); room > 0 {
			buf = append(buf, chunk[:min(len(chunk), room)]...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read line %d: %w", l.n+1, err)
		}
		if len(buf) == 0 && err != nil {
			return "", io.EOF
		}
		break
	}
	l.n++
	if bytes.IndexByte(buf, 0) >= 0 {
		return "", &StopError{Line: l.n, Reason: "holds binary data (a NUL byte): the file is not all text from here"}
	}
	return strings.TrimRight(string(buf), "\r\n"), nil
}

// scoreLines scores head for a text format: the share of its first
// non-empty lines (at most 200) that match, in percent, and 0 when fewer
// than need lines match. A format's marker lines need not be all of the
// file, so a parser passes the lines only it would write.
func scoreLines(head []byte, need int, match func(line string) bool) int {
	if i := bytes.IndexByte(head, 0); i >= 0 {
		head = head[:i] // a text log garbled further on: judge what comes first
	}
	lines, hits := 0, 0
	for _, l := range strings.Split(string(head), "\n") {
		l = strings.TrimRight(l, "\r")
		if strings.TrimSpace(l) == "" {
			continue
		}
		lines++
		if match(l) {
			hits++
		}
		if lines == 200 {
			break
		}
	}
	if lines == 0 || hits < need {
		if hits > 0 {
			return 10 // familiar, not enough
		}
		return 0
	}
	return hits * 100 / lines
}
