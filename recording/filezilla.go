package recording

import (
	"errors"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// FileZilla's message log has one line per message: its type ("Status:",
// "Command:", "Response:", "Error:", and with debug logging "Trace:" and
// "Listing:"), a tab, and the message. Copied from the client's window it
// may start with the time ("10:23:45\t"); written by the "log to file"
// setting each line starts with the date and time, the process id and
// the number of the engine (connection) that wrote it:
//
//	2026-12-06 20:46:09 4211 1 Command: USER demo
//
// FileZilla masks the password itself ("PASS ********").

func fileZillaFormat() Format {
	return Format{
		Name:        "filezilla",
		Client:      "FileZilla",
		Description: "FileZilla message log",
		detect: func(head []byte) int {
			return scoreLines(head, 2, func(l string) bool {
				_, _, kind, _ := fileZillaLine(l)
				return kind != ""
			})
		},
		parse: parseFileZilla,
	}
}

var (
	// fzFile is the start of a line of FileZilla's log file.
	fzFile = regexp.MustCompile(`^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (\d+) (\d+) `)
	// fzClock is the time the message window shows before a line.
	fzClock = regexp.MustCompile(`^(\d\d:\d\d:\d\d)\t`)
	// fzKind is a message's type and the space after it.
	fzKind = regexp.MustCompile(`^(Status|Command|Response|Error|Trace|Listing):(\t+| +)`)
	// fzTransferred is the status line after a transfer, with its size.
	fzTransferred = regexp.MustCompile(`transferred ([\d,. ]+) bytes`)
	// fzConnecting is the status line that starts a connection.
	fzConnecting = regexp.MustCompile(`^Connecting to (\S+?)\.*$`)
)

// fileZillaLine splits a line of the message log into its time (zero when
// it has none), its engine ("" when none), its type and its message; kind
// is "" for a line that is not FileZilla's.
func fileZillaLine(l string) (t time.Time, engine, kind, msg string) {
	if m := fzFile.FindStringSubmatch(l); m != nil {
		t, _ = time.Parse(time.DateTime, m[1])
		engine = m[3]
		l = l[len(m[0]):]
	} else if m := fzClock.FindStringSubmatch(l); m != nil {
		t, _ = time.Parse(time.TimeOnly, m[1])
		l = l[len(m[0]):]
	}
	m := fzKind.FindStringSubmatch(l)
	if m == nil {
		return time.Time{}, "", "", ""
	}
	return t, engine, m[1], l[len(m[0]):]
}

func parseFileZilla(r io.Reader, c *collector) error {
	lines := newLineReader(r)
	// FileZilla runs several engines at once, each with its own
	// connection; a log without engine numbers has one.
	count := map[string]int{}
	current := map[string]*builder{}
	get := func(engine string, fresh bool) *builder {
		if b, ok := current[engine]; ok && !fresh {
			return b
		}
		count[engine]++
		key := "engine " + engine + " #" + itoa(count[engine])
		b := c.session(key)
		if engine != "" {
			b.label = "FileZilla connection " + engine
		}
		current[engine] = b
		return b
	}
	for {
		l, err := lines.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		t, engine, kind, msg := fileZillaLine(l)
		switch kind {
		case "Command":
			get(engine, false).send(t, msg)
		case "Response":
			get(engine, false).replyLine(t, msg)
		case "Error":
			get(engine, false).fail(t, "FileZilla: "+msg)
		case "Status":
			if m := fzConnecting.FindStringSubmatch(msg); m != nil {
				b := current[engine]
				b = get(engine, b != nil && len(b.events) > 0)
				if b.label == "" {
					b.label = "FileZilla to " + m[1]
				} else {
					b.label += " to " + m[1]
				}
				if _, _, err := net.SplitHostPort(m[1]); err == nil {
					b.connectTo(t, "connecting to "+m[1], m[1])
				} else {
					b.connect(t, "connecting to "+m[1])
				}
				continue
			}
			b, ok := current[engine]
			if !ok {
				continue
			}
			switch {
			case strings.HasPrefix(msg, "TLS connection established") || strings.HasPrefix(msg, "SSL connection established"):
				b.protect(t, "", "", "TLS handshake done on the control connection (FileZilla does not log the version)")
			case strings.HasPrefix(msg, "Disconnected from server") || strings.HasPrefix(msg, "Connection closed by server"):
				b.close(t, "FileZilla: "+msg)
			case strings.Contains(msg, "unroutable address"):
				b.warn(t, "FileZilla: "+msg)
			case fzTransferred.MatchString(msg):
				digits := strings.NewReplacer(",", "", ".", "", " ", "").Replace(fzTransferred.FindStringSubmatch(msg)[1])
				if n, err := strconv.ParseInt(digits, 10, 64); err == nil {
					b.transferred(t, n)
				}
			}
		}
	}
}
