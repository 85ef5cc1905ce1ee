package sandbox

import (
	"strings"
	"sync"
	"time"
)

// LogKind says what a log entry records.
type LogKind int

// The kinds of log entry.
const (
	LogConnect LogKind = iota // a client connected
	LogCommand                // a command the client sent (passwords masked)
	LogReply                  // a reply line the server sent
	LogClose                  // a client's control connection closed
	LogRefused                // a connection refused at once (max-connections)
	LogTLS                    // a TLS handshake on the control connection
	LogFault                  // a fault switched on or off
	LogData                   // a data connection opened, failed or ended
)

// LogEntry is one line of the server's live log, as `ftpscope serve`
// prints it. Text comes from the client or the server and is not escaped.
type LogEntry struct {
	Time time.Time
	// Conn numbers the client's control connection, from 1; 0 for entries
	// about the server itself.
	Conn   int
	Remote string // the client's address, empty for server entries
	Kind   LogKind
	Text   string
}

// serverLog hands entries to the user's function one at a time, so that it
// need not be safe for concurrent use.
type serverLog struct {
	mu sync.Mutex
	fn func(LogEntry)
}

func (l *serverLog) add(e LogEntry) {
	if l == nil || l.fn == nil {
		return
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fn(e)
}

// MaskCommand returns a command line with the argument of PASS (and ACCT,
// which can carry a password too) replaced by asterisks, so that logs never
// show a password.
func MaskCommand(line string) string {
	verb, _, found := strings.Cut(line, " ")
	switch strings.ToUpper(verb) {
	case "PASS", "ACCT":
		if found {
			return verb + " ****"
		}
	}
	return line
}
