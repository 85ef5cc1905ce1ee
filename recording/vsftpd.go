package recording

import (
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// vsftpd with log_ftp_protocol=YES (and xferlog_std_format=NO) writes one
// line per command and per reply line to vsftpd_log_file:
//
//	Sun Dec  6 20:46:09 2026 [pid 10457] CONNECT: Client "127.0.0.1"
//	Sun Dec  6 20:46:09 2026 [pid 10457] FTP response: Client "127.0.0.1", "220 (vsFTPd 3.0.3)"
//	Sun Dec  6 20:46:09 2026 [pid 10457] [demo] FTP command: Client "127.0.0.1", "PASS <password>"
//	Sun Dec  6 20:46:10 2026 [pid 10456] [demo] OK LOGIN: Client "127.0.0.1"
//
// A session starts in one process and, after a successful login, goes on
// in another (vsftpd's privilege separation): the privileged parent logs
// OK LOGIN, and the next unknown process id of that client continues the
// session that sent PASS. vsftpd writes the password as
// "<password>", the CRLF inside a multi-line reply as "??", and every
// other byte that is not printable as "?".

func vsftpdFormat() Format {
	return Format{
		Name:        "vsftpd",
		Client:      "client",
		Description: "vsftpd log with log_ftp_protocol=YES",
		detect: func(head []byte) int {
			return scoreLines(head, 2, func(l string) bool { return vsftpdLine.MatchString(l) })
		},
		parse: parseVsftpd,
	}
}

var (
	vsftpdLine  = regexp.MustCompile(`^(\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}) \[pid (\d+)\] (?:\[([^\]]*)\] )?([A-Za-z][A-Za-z ]*): Client "([^"]*)"(?:, (.*))?$`)
	vsftpdBytes = regexp.MustCompile(`, (\d+) bytes, `)
)

func parseVsftpd(r io.Reader, c *collector) error {
	lines := newLineReader(r)
	// byClient finds the session a login line belongs to: vsftpd writes
	// OK LOGIN and FAIL LOGIN from its privileged process, whose process
	// id is not the session's.
	byClient := map[string]string{}
	// alias maps the process id of a session after login to the session;
	// loggedIn holds, per client, sessions whose login succeeded and whose
	// next process is not yet known.
	alias := map[string]string{}
	loggedIn := map[string][]string{}
	for {
		l, err := lines.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		m := vsftpdLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		t, _ := time.Parse("Mon Jan _2 15:04:05 2006", m[1])
		pid, what, client, rest := m[2], m[4], m[5], m[6]
		key := "pid " + pid
		if a, ok := alias[key]; ok {
			key = a
		} else if what != "CONNECT" && what != "OK LOGIN" && what != "FAIL LOGIN" && !c.has(key) && len(loggedIn[client]) > 0 {
			alias[key] = loggedIn[client][0]
			key = loggedIn[client][0]
			loggedIn[client] = loggedIn[client][1:]
		}
		switch what {
		case "CONNECT":
			c.end(key)
			b := c.session(key)
			b.label = "vsftpd pid " + pid + ", client " + client
			b.connect(t, "client "+client+" connected")
			byClient[client] = key
		case "FTP command":
			c.session(key).send(t, vsftpdText(rest))
		case "FTP response":
			b := c.session(key)
			text := vsftpdText(rest)
			// The CRLF inside a multi-line reply is logged as "??".
			text = strings.TrimSuffix(text, "??")
			b.replyLine(t, text)
		case "OK LOGIN", "FAIL LOGIN":
			k, ok := byClient[client]
			if !ok || !c.has(k) {
				continue
			}
			if what == "FAIL LOGIN" {
				c.session(k).warn(t, "vsftpd logged FAIL LOGIN: the user name or password was refused")
			} else {
				loggedIn[client] = append(loggedIn[client], k)
			}
		default:
			// OK DOWNLOAD, FAIL UPLOAD, …: a transfer's outcome.
			b := c.session(key)
			if bm := vsftpdBytes.FindStringSubmatch(rest); bm != nil {
				n, _ := strconv.ParseInt(bm[1], 10, 64)
				b.dataBytes(t, n)
			}
			if strings.HasPrefix(what, "FAIL ") {
				b.warn(t, "vsftpd logged "+what+": "+vsftpdText(rest))
			}
		}
	}
}

// vsftpdText removes the quotes around a logged command or reply.
func vsftpdText(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}
