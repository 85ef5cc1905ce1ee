// Package export writes the transcript of an FTP session in the formats
// ftpscope saves and prints: plain text (the transcript of `ftpscope run`),
// JSON Lines (`ftpscope run --json`), and Markdown with explanations, a
// handout for students. Every format takes the same session events, in
// order, and escapes every byte that came from the network; passwords
// stay masked.
package export

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/protocol"
)

// The names of the formats, as Format returns them and NewWriter takes
// them.
const (
	// FormatText is the annotated text transcript of `ftpscope run`.
	FormatText = "text"
	// FormatMarkdown is a Markdown handout with an explanation per reply.
	FormatMarkdown = "markdown"
	// FormatJSON is JSON Lines, one object per event, as `ftpscope run
	// --json` prints.
	FormatJSON = "json"
)

// ClearTextWarning is the warning every format adds after a PASS command
// sent before the control connection was protected by TLS.
const ClearTextWarning = "the password was sent in clear text: anyone on the network path can read it; use AUTH TLS (or --tls) before logging in"

// AnonymousClearTextNote is the note said instead of ClearTextWarning for
// an anonymous login (RFC 1635), whose "password" is by convention an
// e-mail address and no secret: what travels in clear text is the
// session itself.
const AnonymousClearTextNote = "anonymous login in clear text: its password is by convention an e-mail address, not a secret, but the commands, replies and files of this session can be read on the network path"

// ClearTextNote is what every front end says after ev, a command sent,
// about what it exposed: after a PASS sent before TLS protected the
// control connection, ClearTextWarning (warn true), or for an anonymous
// login AnonymousClearTextNote (warn false, a note); "" otherwise. It is
// the one place that decides it: the terminal UI and every format follow.
func ClearTextNote(ev protocol.Event) (text string, warn bool) {
	if ev.Kind != protocol.EventSend || !strings.HasPrefix(strings.ToUpper(ev.Line), "PASS ") || ev.State != nil && ev.State.ControlTLS {
		return "", false
	}
	if ev.State != nil && protocol.IsAnonymousUser(ev.State.PendingUser) {
		return AnonymousClearTextNote, false
	}
	return ClearTextWarning, true
}

// Writer turns session events into one transcript format. A Writer is not
// safe for concurrent use: call it from one goroutine, in the order the
// events happened, and call Close once at the end.
//
// The constructors take the catalogue that explains replies; a nil
// catalogue explains them from their digits alone. Every format masks the
// argument of PASS and ACCT, escapes bytes from the network with
// protocol.Escape, and after a PASS sent before TLS protected the control
// connection adds what ClearTextNote says (a warning, or for an anonymous
// login a note).
type Writer interface {
	// Event writes one session event. Data progress events are left out
	// by every format: the data connection's close carries the byte count.
	Event(ev protocol.Event)
	// Narrate writes a "# comment" line of a script, with or without its
	// leading "#", said now (the format that dates lines, the message log,
	// dates it with the time of the call). Text and Markdown show it; JSON
	// leaves it out. A narration that happened earlier is an event of
	// KindNarration, dated with its own time (see Narration).
	Narrate(text string)
	// Info writes a note of ftpscope's own that is not a session event,
	// such as the sandbox's address, dated now. Text and Markdown show it;
	// JSON leaves it out.
	Info(text string)
	// Close writes what the format still holds and returns the first
	// write error, if any. It does not close the underlying io.Writer.
	Close() error
}

// NewText returns a Writer of the annotated text transcript that
// `ftpscope run` prints: one line per event, with a prefix that says what
// the line is ("> " sent, "< " received, "  " explanation, "· " information,
// "! " warning, "✗ " error, "# " narration).
func NewText(w io.Writer, cat *catalog.Catalog) Writer {
	out := &stickyWriter{w: w, format: FormatText}
	return &writer{out: out, sink: &textSink{w: out, cat: orEmpty(cat)}}
}

// NewJSON returns a Writer of JSON Lines, as `ftpscope run --json` prints:
// one object per event, each with "kind" and "time" and the fields of its
// kind. Narration and notes of ftpscope's own are left out.
func NewJSON(w io.Writer, cat *catalog.Catalog) Writer {
	out := &stickyWriter{w: w, format: FormatJSON}
	return &writer{out: out, sink: newJSONSink(out, orEmpty(cat))}
}

// NewMarkdown returns a Writer of a Markdown handout: a title with the
// server and the date, then one section per command with the command sent,
// the reply lines exactly as received (escaped, in a fenced block), and a
// short explanation of each reply from the catalogue.
func NewMarkdown(w io.Writer, cat *catalog.Catalog) Writer {
	out := &stickyWriter{w: w, format: FormatMarkdown}
	return &writer{out: out, sink: newMarkdownSink(out, orEmpty(cat))}
}

// Format picks a format from a file name's extension, in any case: .md
// and .markdown give FormatMarkdown; .jsonl, .json and .ndjson give
// FormatJSON; .txt, .text, .log and no extension give FormatText. Any
// other extension (such as .html) names no format: ok is false, and
// UnknownFormatError says so.
func Format(path string) (format string, ok bool) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".md", ".markdown":
		return FormatMarkdown, true
	case ".jsonl", ".json", ".ndjson":
		return FormatJSON, true
	case ".txt", ".text", ".log", "":
		return FormatText, true
	}
	return "", false
}

// Extensions lists the extensions Format knows, for messages.
const Extensions = ".txt or .log (text), .md (a Markdown handout), .jsonl (JSON Lines)"

// UnknownFormatError is the error for a file whose extension names no
// format: nothing is written rather than the wrong format.
type UnknownFormatError struct{ Path string }

func (e *UnknownFormatError) Error() string {
	return fmt.Sprintf("%s: ftpscope does not write %s files; use %s", e.Path, filepath.Ext(e.Path), Extensions)
}

// NewWriter returns the Writer for a format name: FormatText,
// FormatMarkdown or FormatJSON. Any other name is an error.
func NewWriter(format string, w io.Writer, cat *catalog.Catalog) (Writer, error) {
	switch format {
	case FormatText:
		return NewText(w, cat), nil
	case FormatMarkdown:
		return NewMarkdown(w, cat), nil
	case FormatJSON:
		return NewJSON(w, cat), nil
	}
	return nil, fmt.Errorf("unknown transcript format %q: use %s, %s or %s", format, FormatText, FormatMarkdown, FormatJSON)
}

// orEmpty returns cat, or an empty catalogue when cat is nil: replies are
// then explained from their digits alone.
func orEmpty(cat *catalog.Catalog) *catalog.Catalog {
	if cat == nil {
		return &catalog.Catalog{}
	}
	return cat
}

// sink is what each format implements; writer adds what all formats
// share.
type sink interface {
	// event writes an event; findings are what diagnose concluded from
	// it, shown with it.
	event(ev protocol.Event, findings []diagnose.Finding)
	// narrate and info take the time the line was said, which the
	// message log writes before it.
	narrate(text string, at time.Time)
	info(text string, at time.Time)
	close()
}

// writer implements Writer for every format: it masks passwords, warns
// after a password sent in clear text, and keeps the first write error.
type writer struct {
	out  *stickyWriter
	sink sink
	// tracker interprets events that come without a state (built by
	// hand); a session's events arrive interpreted.
	tracker *protocol.Tracker
	// diag concludes findings from the events, for every format.
	diag *diagnose.Engine
}

// Event writes one event, then ClearTextNote's warning or note after a
// PASS sent on an unprotected connection.
func (w *writer) Event(ev protocol.Event) {
	if ev.State == nil {
		if w.tracker == nil {
			w.tracker = protocol.NewTracker()
		}
		w.tracker.Observe(&ev)
	}
	switch ev.Kind {
	case KindNarration:
		// Dated with its own time, not the time it is written at nor
		// the previous event's.
		w.narrate(ev.Line, ev.Time)
		return
	case protocol.EventSend:
		ev.Line = mask(ev.Line)
	case protocol.EventReply:
		ev.Command = mask(ev.Command)
		if ev.Reply == nil {
			return // nothing to show; a session never reports one
		}
	}
	if w.diag == nil {
		w.diag = diagnose.New()
	}
	found := w.diag.Observe(ev)
	switch ev.Kind {
	case protocol.EventTLS, protocol.EventError, protocol.EventClose, protocol.EventData:
		// An error a finding explains says only what happened; the
		// finding, written after it, says why and what to do.
		ev.Line = w.diag.Line(ev, found)
	}
	w.sink.event(ev, found)
	switch note, warn := ClearTextNote(ev); {
	case warn:
		w.sink.event(protocol.Event{Kind: protocol.EventWarning, Time: ev.Time, Seq: ev.Seq, Line: note}, nil)
	case note != "":
		w.sink.info(note, ev.Time)
	}
}

// Narrate writes a script comment said now.
func (w *writer) Narrate(text string) { w.narrate(text, time.Now()) }

// narrate writes a script comment said at a time; a zero time is now.
func (w *writer) narrate(text string, at time.Time) {
	if at.IsZero() {
		at = time.Now()
	}
	w.sink.narrate(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(text), "#")), at)
}

// Info writes a note of ftpscope's own, written now.
func (w *writer) Info(text string) { w.sink.info(text, time.Now()) }

// Close finishes the transcript and reports the first write error.
func (w *writer) Close() error {
	w.sink.close()
	if w.out.err != nil {
		return fmt.Errorf("write the %s transcript: %w", w.out.format, w.out.err)
	}
	return nil
}

// mask hides the argument of a PASS or ACCT command line, as
// protocol.Command.Masked does. Sessions report masked lines already; this
// keeps a password out of a transcript even when a caller's event was
// built by hand.
func mask(line string) string {
	verb, arg, ok := strings.Cut(line, " ")
	if !ok || arg == "****" || strings.TrimSpace(arg) == "" {
		return line
	}
	if v := strings.ToUpper(verb); v == "PASS" || v == "ACCT" {
		return verb + " ****"
	}
	return line
}

// stickyWriter remembers the first write error and writes nothing after
// it, so that formats can write without checking each call.
type stickyWriter struct {
	w      io.Writer
	format string
	err    error
}

// Write writes p unless an earlier write failed.
func (s *stickyWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		s.err = err
	}
	return n, err
}

// unverifiedCertificate is the certificate behind an error event that
// refused it without asking anyone (run, doctor, --tls without the
// terminal UI), so that the transcript shows its subject, dates and
// SHA-256: the finding tells the user to compare that fingerprint, and a
// certificate the user was asked about has been shown already.
func unverifiedCertificate(ev protocol.Event) (protocol.CertInfo, bool) {
	var certErr *protocol.CertificateError
	if ev.Kind != protocol.EventError || !errors.As(ev.Err, &certErr) || certErr.Refused || certErr.Cert.SHA256 == "" {
		return protocol.CertInfo{}, false
	}
	return certErr.Cert, true
}

// diagnosed reports whether findings take the place of the code's
// generic advice (Finding.ReplacesAdvice), as it may point the wrong way
// (a 500 OOPS is no unknown command).
func diagnosed(findings []diagnose.Finding) bool {
	return slices.ContainsFunc(findings, diagnose.Finding.ReplacesAdvice)
}

// effectText is what a reply changed, in one sentence, or "".
func effectText(ev protocol.Event) string {
	if ev.Effect == nil {
		return ""
	}
	return ev.Effect.Text
}

// replyWarnings returns what is wrong with a reply (its Problems, such as
// a bare LF) and what ftpscope noticed about it (its Warnings).
func replyWarnings(ev protocol.Event) []string {
	var out []string
	for _, problem := range ev.Reply.Problems {
		out = append(out, "in this reply, "+problem)
	}
	return append(out, ev.Warnings...)
}
