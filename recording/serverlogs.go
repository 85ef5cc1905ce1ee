package recording

import (
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ftpscope/ftpscope/protocol"
)

// ProFTPD's ExtendedLog writes one line per command in a LogFormat the
// administrator chooses. ftpscope reads two:
//
// The one ftpscope recommends, which records everything it needs (the
// time, the session's process id, the client, the command, the reply code
// and the reply text; ProFTPD writes PASS as "PASS (hidden)"):
//
//	LogFormat ftpscope "%{iso8601} %P %a \"%r\" %s \"%S\""
//	ExtendedLog /var/log/proftpd/ftpscope.log ALL ftpscope
//
//	2026-12-06 20:46:09,123 4211 127.0.0.1 "USER demo" 331 "Password required for demo"
//
// And ProFTPD's "default" format, "%h %l %u %t \"%r\" %s %b", which has no
// reply text and no process id (sessions are told apart by client):
//
//	127.0.0.1 UNKNOWN demo [06/Dec/2026:20:46:09 +0000] "USER demo" 331 -
//
// Supported fields, in these orders: %{iso8601} or %t, %P, %a or %h, %l,
// %u, %r, %s, %S, %b.

// noReplyText stands for the text of a reply that a log records only
// by its code.
const noReplyText = "(the log does not record the reply's text)"

func proftpdFormat() Format {
	return Format{
		Name:        "proftpd",
		Client:      "client",
		Description: "ProFTPD ExtendedLog (LogFormat \"%{iso8601} %P %a \\\"%r\\\" %s \\\"%S\\\"\" or the default \"%h %l %u %t \\\"%r\\\" %s %b\")",
		detect: func(head []byte) int {
			return scoreLines(head, 2, func(l string) bool {
				return proftpdRecommended.MatchString(l) || proftpdDefault.MatchString(l)
			})
		},
		parse: parseProftpd,
	}
}

var (
	proftpdRecommended = regexp.MustCompile(`^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:,\d{3})?) (\d+) (\S+) "(.*)" (\d{3}|-) "(.*)"$`)
	proftpdDefault     = regexp.MustCompile(`^(\S+) \S+ (\S+) \[([^\]]+)\] "(.*)" (\d{3}|-) (\d+|-)$`)
)

func parseProftpd(r io.Reader, c *collector) error {
	lines := newLineReader(r)
	// ProFTPD logs an OPTS command twice: first under its internal name
	// ("OPTS_UTF8 ON") with the reply, then as sent ("OPTS UTF8 ON")
	// with "-" for the reply. The first is held for the second.
	held := map[string][2]string{}
	for {
		l, err := lines.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		var t time.Time
		var key, label, command, code, text, sent string
		if m := proftpdRecommended.FindStringSubmatch(l); m != nil {
			t, _ = time.Parse("2006-01-02 15:04:05,000", m[1])
			if t.IsZero() {
				t, _ = time.Parse(time.DateTime, m[1])
			}
			key, label, command, code, text = "pid "+m[2], "ProFTPD pid "+m[2]+", client "+m[3], m[4], m[5], m[6]
		} else if m := proftpdDefault.FindStringSubmatch(l); m != nil {
			t, _ = time.Parse("02/Jan/2006:15:04:05 -0700", m[3])
			key, label, command, code, sent = "client "+m[1], "ProFTPD client "+m[1], m[4], m[5], m[6]
		} else {
			continue
		}
		if command == "-" || command == "" {
			continue
		}
		if strings.Contains(verbOf(command), "_") {
			held[key] = [2]string{code, text}
			continue
		}
		if h, ok := held[key]; ok && code == "-" {
			code, text = h[0], h[1]
		}
		delete(held, key)
		b := c.session(key)
		if b.label == "" {
			b.label = label
		}
		b.send(t, command)
		if n, err := strconv.ParseInt(sent, 10, 64); err == nil {
			b.dataBytes(t, n) // %b: the bytes the transfer moved
		}
		if code != "-" {
			if text == "" || text == "-" {
				text = noReplyText
			}
			b.replyLine(t, code+" "+text)
		}
		if verbOf(command) == "QUIT" {
			c.end(key)
		}
	}
}

// Pure-FTPd logs to syslog. At its default level it records logins and
// transfers; with -d (debug) it also records every command and every reply
// line:
//
//	Dec  6 20:46:09 host pure-ftpd: (?@127.0.0.1) [INFO] New connection from 127.0.0.1
//	Dec  6 20:46:09 host pure-ftpd: (?@127.0.0.1) [DEBUG] Command [user] [demo]
//	Dec  6 20:46:09 host pure-ftpd: (?@127.0.0.1) [DEBUG] 331 User demo OK. Password required
//	Dec  6 20:46:09 host pure-ftpd: (?@127.0.0.1) [DEBUG] Command [pass] [<*>]
//
// rsyslog writes a line feed inside a message (the lines of a multi-line
// reply) as "#012". Sessions are told apart by the syslog process id when
// there is one, else by client.

func pureFTPdFormat() Format {
	return Format{
		Name:        "pure-ftpd",
		Client:      "client",
		Description: "Pure-FTPd syslog lines (with -d for commands and replies)",
		detect: func(head []byte) int {
			return scoreLines(head, 2, func(l string) bool { return pureLine.MatchString(l) })
		},
		parse: parsePureFTPd,
	}
}

var (
	pureLine    = regexp.MustCompile(`^(?:(\w{3} [ \d]\d \d\d:\d\d:\d\d) \S+ )?pure-ftpd(?:\[(\d+)\])?: \(([^@)]*)@([^)]*)\) \[([A-Z]+)\] (.*)$`)
	pureCommand = regexp.MustCompile(`^Command \[([^\]]*)\] \[(.*)\]$`)
)

func parsePureFTPd(r io.Reader, c *collector) error {
	lines := newLineReader(r)
	for {
		l, err := lines.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		m := pureLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		var t time.Time
		if m[1] != "" {
			t, _ = time.Parse(time.Stamp, m[1])
		}
		pid, client, level, msg := m[2], m[4], m[5], m[6]
		key := "client " + client
		if pid != "" {
			key = "pid " + pid
		}
		switch {
		case strings.HasPrefix(msg, "New connection from "):
			c.end(key)
			b := c.session(key)
			b.label = "Pure-FTPd client " + client
			b.connect(t, "client "+client+" connected")
		case level == "DEBUG" && pureCommand.MatchString(msg):
			cm := pureCommand.FindStringSubmatch(msg)
			line := strings.ToUpper(cm[1])
			if cm[2] != "" {
				line += " " + cm[2]
			}
			c.session(key).send(t, line)
		case level == "DEBUG":
			// rsyslog writes the line feeds inside a message as "#012".
			for _, part := range strings.Split(msg, "#012") {
				part = strings.TrimSuffix(part, "#015")
				if _, _, ok := protocol.ParseCodeLine(part); ok || c.session(key).partial != nil {
					c.session(key).replyLine(t, part)
				}
			}
		case strings.HasPrefix(msg, "Logout"):
			c.session(key).close(t, "Pure-FTPd: "+msg)
			c.end(key)
		case level == "WARNING" || level == "ERROR":
			c.session(key).warn(t, "Pure-FTPd: "+msg)
		}
	}
}
