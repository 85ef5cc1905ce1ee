package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/protocol"
)

// printer writes the transcript of ftpscope run in one format.
type printer interface {
	// event prints one session event.
	event(ev protocol.Event)
	// narrate prints a # comment of the script.
	narrate(text string)
	// info prints a note of ftpscope's own, such as the sandbox's address.
	info(text string)
	// fail prints why the script stopped.
	fail(text string)
}

// Prefixes of the text transcript.
const (
	prefixSent      = "> "
	prefixReceived  = "< "
	prefixExplained = "  "
	prefixInfo      = "· "
	prefixWarning   = "! "
	prefixError     = "✗ "
	prefixNarration = "# "
)

// textPrinter writes the transcript for people: one line per event.
type textPrinter struct {
	w   io.Writer
	cat *catalog.Catalog
	// lastError is the last error line shown, so that a close caused by
	// the same error does not repeat it.
	lastError string
}

// line writes one line: the prefix, then text escaped for the terminal.
func (p *textPrinter) line(prefix, text string) {
	fmt.Fprintf(p.w, "%s%s\n", prefix, protocol.Escape(text))
}

// event prints one session event; data progress is left out.
func (p *textPrinter) event(ev protocol.Event) {
	switch ev.Kind {
	case protocol.EventConnect:
		p.line(prefixInfo, ev.Line)
	case protocol.EventSend:
		p.line(prefixSent, ev.Line)
		if ev.Note != "" {
			p.line(prefixInfo, ev.Note)
		}
	case protocol.EventReply:
		p.reply(ev)
	case protocol.EventData:
		if ev.Data == nil || ev.Data.Phase == protocol.DataProgress || ev.Line == "" {
			return
		}
		if ev.Data.Err != nil {
			p.line(prefixWarning, ev.Line)
		} else {
			p.line(prefixInfo, ev.Line)
		}
	case protocol.EventTLS:
		p.line(prefixInfo, ev.Line)
		if ev.TLS != nil && !ev.TLS.Data {
			p.line(prefixInfo, "certificate: "+ev.TLS.Cert.String())
		}
	case protocol.EventWarning:
		p.line(prefixWarning, ev.Line)
	case protocol.EventError:
		p.line(prefixError, ev.Line)
		p.lastError = ev.Line
	case protocol.EventClose:
		if ev.Err != nil && ev.Err.Error() == p.lastError {
			p.line(prefixInfo, "disconnected after the error above")
		} else {
			p.line(prefixInfo, "disconnected: "+ev.Line)
		}
	}
}

// reply prints a reply's lines, its explanation, its note and warnings.
func (p *textPrinter) reply(ev protocol.Event) {
	for _, l := range ev.Reply.Lines {
		p.line(prefixReceived, l)
	}
	for _, l := range explainReply(p.cat, ev) {
		p.line(prefixExplained, l)
	}
	if ev.Note != "" {
		p.line(prefixInfo, ev.Note)
	}
	for _, w := range replyWarnings(ev) {
		p.line(prefixWarning, w)
	}
}

// narrate echoes a script comment.
func (p *textPrinter) narrate(text string) {
	p.line(prefixNarration, strings.TrimSpace(strings.TrimPrefix(text, "#")))
}

// info prints a note of ftpscope's own.
func (p *textPrinter) info(text string) { p.line(prefixInfo, text) }

// fail prints why the script stopped.
func (p *textPrinter) fail(text string) {
	p.line(prefixError, text)
	p.lastError = text
}

// explainReply returns the explanation lines of a reply: the code, its
// name and one sentence of advice, then, when the RFCs do not list the
// reply for its command, a line that says so.
func explainReply(cat *catalog.Catalog, ev protocol.Event) []string {
	if ev.Reply.Malformed() {
		return []string{"??? Malformed reply: it does not start with a three-digit code, so no client can tell what it means (RFC 959 §4.2); treat it as a failure."}
	}
	e := cat.Explain(ev.Reply.CodeString(), ev.Verb)
	text := e.Code + " " + e.Reply.Name
	advice := e.Advice
	if advice == "" {
		advice = e.Reply.Meaning
	}
	if s := firstSentence(advice); s != "" {
		text += ": " + s
	}
	lines := []string{text}
	if l := e.Listing; l.Checked && !l.Listed {
		lines = append(lines, fmt.Sprintf("not listed: the RFCs do not list %s as a reply to %s; they list %s.", e.Code, e.Verb, strings.Join(l.Expected, " ")))
	}
	return lines
}

// replyWarnings returns what is wrong with a reply (its Problems, such as a
// bare LF) and what ftpscope noticed about it (its Warnings).
func replyWarnings(ev protocol.Event) []string {
	var out []string
	for _, problem := range ev.Reply.Problems {
		out = append(out, "in this reply, "+problem)
	}
	return append(out, ev.Warnings...)
}

// firstSentence returns the first sentence of a catalogue text, on one
// line: up to the first '.', '!' or '?' (and any closing quote or
// bracket) that ends the text or is followed by a space and a capital.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for i := 0; i < len(s); i++ {
		if s[i] != '.' && s[i] != '!' && s[i] != '?' {
			continue
		}
		end := i + 1
		for end < len(s) && strings.IndexByte(`"')]`, s[end]) >= 0 {
			end++
		}
		if end == len(s) || end+1 < len(s) && s[end] == ' ' && isSentenceStart(s[end+1]) {
			return s[:end]
		}
	}
	return s
}

// isSentenceStart reports whether b can start a sentence: a capital, a
// digit or an opening quote.
func isSentenceStart(b byte) bool {
	return b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '"' || b == '('
}
