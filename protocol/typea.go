package protocol

// TYPE A line endings (RFC 959 §3.1.1.1): CRLF on the wire, the local
// convention (LF) in files.

import "io"

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
