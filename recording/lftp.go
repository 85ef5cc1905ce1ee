package recording

import (
	"errors"
	"io"
	"net"
	"regexp"
	"strings"
	"time"

	"github.com/ftpscope/ftpscope/protocol"
)

// lftp -d (debug) writes "---> " before each command it sends, "<--- "
// before each reply line it reads, "---- " before its own notes and "**** "
// before errors. The inner lines of a multi-line reply come without a
// prefix, as do the listings lftp prints. With `set log:show-time yes` a
// line starts with the date and time.

func lftpFormat() Format {
	return Format{
		Name:        "lftp",
		Client:      "lftp",
		Description: "lftp -d (debug) output",
		detect: func(head []byte) int {
			return scoreLines(head, 2, func(l string) bool {
				_, l = lftpTime(l)
				return strings.HasPrefix(l, "---> ") || strings.HasPrefix(l, "<--- ") ||
					strings.HasPrefix(l, "---- ") || strings.HasPrefix(l, "**** ")
			})
		},
		parse: parseLftp,
	}
}

var (
	lftpStamp      = regexp.MustCompile(`^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) `)
	lftpConnecting = regexp.MustCompile(`^Connecting to (\S+) \((\S+)\) port (\d+)`)
)

// lftpTime splits the time lftp's log:show-time puts before a line.
func lftpTime(l string) (time.Time, string) {
	m := lftpStamp.FindStringSubmatch(l)
	if m == nil {
		return time.Time{}, l
	}
	t, err := time.Parse(time.DateTime, m[1])
	if err != nil {
		return time.Time{}, l
	}
	return t, l[len(m[0]):]
}

func parseLftp(r io.Reader, c *collector) error {
	lines := newLineReader(r)
	n := 0
	var b *builder
	start := func(t time.Time) *builder {
		n++
		b = c.session("lftp " + itoa(n))
		return b
	}
	var data lftpData
	for {
		raw, err := lines.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		t, l := lftpTime(raw)
		if b == nil && (strings.HasPrefix(l, "---> ") || strings.HasPrefix(l, "<--- ")) {
			start(t)
		}
		switch {
		case strings.HasPrefix(l, "---> "):
			b.send(t, l[5:])
		case strings.HasPrefix(l, "<--- "):
			b.replyLine(t, l[5:])
		case strings.HasPrefix(l, "---- "):
			note := l[5:]
			switch {
			case lftpConnecting.MatchString(note):
				m := lftpConnecting.FindStringSubmatch(note)
				if b == nil || b.seq > 0 || len(b.events) > 1 {
					start(t)
				}
				b.label = "lftp to " + m[1] + " port " + m[3]
				b.connectTo(t, "connecting to "+m[2]+" port "+m[3], net.JoinHostPort(m[2], m[3]))
			case strings.HasPrefix(note, "Closing control socket") && b != nil:
				b.close(t, "lftp closed the control connection")
			case b != nil:
				data.note(b, t, note)
			}
		case strings.HasPrefix(l, "WARNING: ") && b != nil:
			// lftp's own warnings, such as a certificate it does not trust.
			b.warn(t, "lftp: "+protocol.Escape(strings.TrimPrefix(l, "WARNING: ")))
		case strings.HasPrefix(l, "**** ") && b != nil:
			b.fail(t, "lftp: "+l[5:])
		case b != nil && b.partial != nil:
			b.replyLine(t, l) // an inner line of a multi-line reply
		}
	}
}

// lftpData turns lftp's notes about data connections into events. lftp
// logs that a data connection opened and closed but not the bytes it
// moved, and an open and close without a count would draw a transfer of
// 0 bytes; so only what changes the diagnosis is shown: lftp ignoring
// the address of a 227.
type lftpData struct{}

func (d *lftpData) note(b *builder, t time.Time, note string) {
	if strings.HasPrefix(note, "Address returned by PASV seemed to be incorrect") {
		b.warn(t, "lftp did not use the address in the 227 reply, which it found wrong, and connects to the server's address instead (its ftp:fix-pasv-address setting)")
	}
}
