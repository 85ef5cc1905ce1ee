package main

import (
	"bytes"
	"io"

	"github.com/ftpscope/ftpscope/doctor"
)

// lineWrapper writes text for people to a terminal, each line wrapped to
// the terminal's width with doctor.Wrap once it is complete, so that the
// terminal does not break words where its rows end. The text is written
// in whole lines; a last line without its newline is not written.
type lineWrapper struct {
	w     io.Writer
	width int
	buf   []byte
}

// Write wraps and writes the complete lines of what has come so far.
func (l *lineWrapper) Write(p []byte) (int, error) {
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := string(l.buf[:i+1])
		l.buf = l.buf[i+1:]
		if _, err := io.WriteString(l.w, doctor.Wrap(line, l.width)); err != nil {
			return 0, err
		}
	}
}
