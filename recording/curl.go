package recording

import (
	"errors"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ftpscope/ftpscope/protocol"
)

// curl -v writes "* " for its own notes, "> " for what it sent and "< "
// for what it received on the control connection, and "{ [N bytes data]"
// for data read. curl --trace-ascii writes "== Info: " notes and blocks
// that start "=> Send header, N bytes" or "<= Recv header, N bytes",
// followed by the bytes, one line each, after a hexadecimal offset.

// curlVerboseFormat reads curl -v (--verbose) output.
func curlVerboseFormat() Format {
	return Format{
		Name:        "curl-v",
		Client:      "curl",
		Description: "curl -v (verbose) output",
		detect: func(head []byte) int {
			return scoreLines(head, 2, func(l string) bool {
				return strings.HasPrefix(l, "* ") || strings.HasPrefix(l, "*  ") ||
					strings.HasPrefix(l, "> ") || strings.HasPrefix(l, "< ") ||
					strings.HasPrefix(l, "{ [") || strings.HasPrefix(l, "} [") || strings.HasPrefix(l, "curl: (")
			})
		},
		parse: parseCurlVerbose,
	}
}

// curlTraceFormat reads curl --trace-ascii output.
func curlTraceFormat() Format {
	return Format{
		Name:        "curl-trace",
		Client:      "curl",
		Description: "curl --trace-ascii output",
		detect: func(head []byte) int {
			return scoreLines(head, 2, func(l string) bool {
				l = stripTraceTime(l)
				return strings.HasPrefix(l, "== Info:") || strings.HasPrefix(l, "=> Send ") ||
					strings.HasPrefix(l, "<= Recv ") || traceOffset.MatchString(l)
			})
		},
		parse: parseCurlTrace,
	}
}

var (
	// curlConnected is curl's note that the control connection is open.
	curlConnected = regexp.MustCompile(`^Connected to (\S+) \((\S+)\) port (\d+)`)
	// curlDataFailed is curl's note that a connection it opened failed
	// (curl 7.88 and later; older versions say "connect to H port P
	// failed" too).
	curlDataFailed = regexp.MustCompile(`^connect to (\S+) port (\d+) failed: (.+)$`)
	// curlTLS is curl's note of the negotiated TLS version and cipher.
	curlTLS = regexp.MustCompile(`^SSL connection using (\S+) / (\S+)`)
	// curlDataBytes is curl -v's line for data read or written.
	curlDataBytes = regexp.MustCompile(`^[{}] \[(\d+) bytes data\]`)
	// traceOffset starts a line of bytes in --trace-ascii output.
	traceOffset = regexp.MustCompile(`^([0-9a-f]{4,}): `)
	// traceTime is the clock --trace-time puts before every line.
	traceTime = regexp.MustCompile(`^\d\d:\d\d:\d\d\.\d{6} `)
	// traceBlock starts a block of --trace-ascii output.
	traceBlock = regexp.MustCompile(`^(=>|<=) (Send|Recv) (header|data|SSL data), (\d+) bytes`)
)

func stripTraceTime(l string) string {
	if loc := traceTime.FindStringIndex(l); loc != nil {
		return l[loc[1]:]
	}
	return l
}

// curlNotes turns curl's own notes into events; both formats share them.
type curlNotes struct {
	b         *builder
	connected bool
}

func (c *curlNotes) note(t time.Time, text string) {
	text = strings.TrimSpace(text)
	switch {
	case !c.connected && curlConnected.MatchString(text):
		c.connected = true
		m := curlConnected.FindStringSubmatch(text)
		c.b.connectTo(t, "connected to "+m[2]+":"+m[3], net.JoinHostPort(m[2], m[3]))
		c.b.label = "curl to " + m[1] + " port " + m[3]
	case curlTLS.MatchString(text) && !c.b.tls:
		m := curlTLS.FindStringSubmatch(text)
		c.b.protect(t, m[1], m[2], "TLS handshake done: "+m[1]+", "+m[2])
	case c.connected && curlDataFailed.MatchString(text):
		// After the control connection, a connection curl fails to open
		// is the data connection: to a passive address it followed.
		m := curlDataFailed.FindStringSubmatch(text)
		addr := net.JoinHostPort(m[1], m[2])
		refused := strings.EqualFold(m[3], "Connection refused")
		if !refused && !strings.Contains(strings.ToLower(m[3]), "timed out") {
			c.b.fail(t, "curl: "+text)
			return
		}
		c.b.add(protocol.Event{Kind: protocol.EventError, Time: t, Err: dataDialFailed("", addr, refused),
			Line: "curl could not open the data connection to " + addr + ": " + m[3]})
	case strings.HasPrefix(text, "curl: ("), strings.HasPrefix(text, "Failed "), strings.Contains(text, "failed to "),
		strings.HasPrefix(text, "Connection died"), strings.HasPrefix(text, "Recv failure"):
		c.b.fail(t, "curl: "+strings.TrimPrefix(text, "curl: "))
	case strings.HasPrefix(text, "Closing connection"):
		c.b.close(t, "curl closed the connection")
	}
}

func parseCurlVerbose(r io.Reader, c *collector) error {
	b := c.session("curl")
	notes := &curlNotes{b: b}
	lines := newLineReader(r)
	for {
		l, err := lines.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch {
		case strings.HasPrefix(l, "> "):
			b.send(time.Time{}, l[2:])
		case strings.HasPrefix(l, "< "):
			b.replyLine(time.Time{}, l[2:])
		case strings.HasPrefix(l, "* "):
			notes.note(time.Time{}, l[2:])
		case strings.HasPrefix(l, "curl: ("):
			notes.note(time.Time{}, l)
		case curlDataBytes.MatchString(l) && !b.tls:
			n, _ := strconv.ParseInt(curlDataBytes.FindStringSubmatch(l)[1], 10, 64)
			b.dataBytes(time.Time{}, n)
		}
	}
}

func parseCurlTrace(r io.Reader, c *collector) error {
	b := c.session("curl")
	notes := &curlNotes{b: b}
	lines := newLineReader(r)
	// block is the kind of the block being read: "send", "recv", or ""
	// for data and TLS records, whose bytes are counted, not read.
	var (
		block      string
		blockData  bool
		pending    strings.Builder // the line being joined from 64-byte pieces
		nextOffset = -1
	)
	flushLine := func() {
		if pending.Len() == 0 {
			return
		}
		line := pending.String()
		pending.Reset()
		if block == "send" {
			b.send(time.Time{}, line)
		} else {
			b.replyLine(time.Time{}, line)
		}
	}
	for {
		l, err := lines.next()
		if errors.Is(err, io.EOF) {
			flushLine()
			return nil
		}
		if err != nil {
			flushLine()
			return err
		}
		l = stripTraceTime(l)
		if m := traceBlock.FindStringSubmatch(l); m != nil {
			flushLine()
			block, blockData, nextOffset = "", false, -1
			switch {
			case m[3] == "header" && m[2] == "Send":
				block = "send"
			case m[3] == "header":
				block = "recv"
			case m[3] == "data":
				// "data" is the plain payload, over TLS too ("SSL data" are
				// the encrypted records).
				blockData = true
				n, _ := strconv.ParseInt(m[4], 10, 64)
				b.dataBytes(time.Time{}, n)
			}
			continue
		}
		if strings.HasPrefix(l, "== Info: ") {
			flushLine()
			block = ""
			notes.note(time.Time{}, strings.TrimPrefix(l, "== Info: "))
			continue
		}
		m := traceOffset.FindStringSubmatch(l)
		if m == nil || block == "" || blockData {
			continue
		}
		off, _ := strconv.ParseInt(m[1], 16, 64)
		text := l[len(m[0]):]
		// A line cut at 64 bytes goes on at the next offset without the
		// two bytes of a CRLF in between.
		if nextOffset >= 0 && int(off) != nextOffset {
			flushLine()
		}
		pending.WriteString(text)
		nextOffset = int(off) + len(text)
	}
}
