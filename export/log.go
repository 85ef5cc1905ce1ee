package export

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/protocol"
)

// FormatLog is the message log that --log and :log append to as a
// session runs, as FileZilla's message log does: one line per event, each
// with its date and time and a word for what it is (Status, Command,
// Response, Warning, Error, Note).
const FormatLog = "log"

// NewLog returns a Writer of the message log. Each event becomes whole
// lines, so a log read while it grows, or cut short by a crash, holds no
// half event. Passwords are masked, and bytes from the network escaped,
// as in every format.
func NewLog(w io.Writer) Writer {
	out := &stickyWriter{w: w, format: FormatLog}
	return &writer{out: out, sink: &logSink{w: out}}
}

// logSink writes the message log.
type logSink struct {
	w io.Writer
}

// logTime is the layout of each line's date and time.
const logTime = "2006-01-02 15:04:05.000"

// line writes one line of the log, dated at. Every line carries the
// time of what it says; an event built without a time (never one a
// session reports) is dated when it is written, never with the time of
// the event before it.
func (l *logSink) line(at time.Time, word, text string) {
	if at.IsZero() {
		at = time.Now()
	}
	_, _ = fmt.Fprintf(l.w, "%s %-9s %s\n", at.Format(logTime), word+":", protocol.Escape(text))
}

func (l *logSink) event(ev protocol.Event, findings []diagnose.Finding) {
	defer l.findings(ev.Time, findings)
	switch ev.Kind {
	case protocol.EventConnect:
		l.line(ev.Time, "Status", ev.Line)
	case protocol.EventTLS:
		l.line(ev.Time, "Status", ev.Line)
		if info := ev.TLS; info != nil && !info.Trusted && !info.NeedsDecision && info.Cert.SHA256 != "" {
			// Which certificate was accepted without verifying (by the
			// user when asked, or --insecure): its subject and SHA-256,
			// for comparing with the administrator's afterwards.
			l.line(ev.Time, "Status", "certificate "+info.Acceptance()+": "+info.Cert.String())
		}
	case protocol.EventSend:
		l.line(ev.Time, "Command", ev.Line)
		if ev.Note != "" {
			l.line(ev.Time, "Status", ev.Note)
		}
	case protocol.EventReply:
		for _, text := range ev.Reply.Lines {
			l.line(ev.Time, "Response", text)
		}
		if ev.Note != "" {
			l.line(ev.Time, "Status", ev.Note)
		}
		for _, w := range replyWarnings(ev) {
			l.line(ev.Time, "Warning", w)
		}
	case protocol.EventData:
		if ev.Data == nil || ev.Data.Phase == protocol.DataProgress || ev.Line == "" {
			return
		}
		word := "Status"
		if ev.Data.Err != nil {
			word = "Warning"
		}
		l.line(ev.Time, word, ev.Line)
		l.detail(ev)
	case protocol.EventWarning:
		l.line(ev.Time, "Warning", ev.Line)
	case protocol.EventError:
		l.line(ev.Time, "Error", ev.Line)
		l.detail(ev)
	case protocol.EventClose:
		l.line(ev.Time, "Status", "disconnected: "+ev.Line)
	}
}

// detail writes, under an error's line, the error's own words when the
// line's plain words leave out something that may matter.
func (l *logSink) detail(ev protocol.Event) {
	if d := diagnose.EventDetail(ev); d != "" {
		l.line(ev.Time, "Details", d)
	}
}

// findings writes what diagnose concluded after the event that showed
// it: the cause, then each fix, as "Finding" lines; a finding said
// before on this connection, one reminder line.
func (l *logSink) findings(at time.Time, findings []diagnose.Finding) {
	for _, f := range findings {
		if f.Repeat {
			l.line(at, "Finding", f.Reminder(f.SeeCommand()))
			continue
		}
		l.line(at, "Finding", f.Headline())
		if f.ClientFix != "" {
			l.line(at, "Finding", "fix: "+f.ClientFix)
		}
		for _, s := range f.ServerFixes {
			l.line(at, "Finding", "on the server ("+protocol.ServerName(s.Server)+"): "+s.Fix)
		}
	}
}

func (l *logSink) narrate(text string, at time.Time) {
	if text = strings.TrimSpace(text); text != "" {
		l.line(at, "Note", text)
	}
}

func (l *logSink) info(text string, at time.Time) { l.line(at, "Status", text) }

func (l *logSink) close() {}
