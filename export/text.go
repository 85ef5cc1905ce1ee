package export

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/protocol"
)

// Prefixes of the text transcript.
const (
	prefixSent      = "> "
	prefixReceived  = "< "
	prefixExplained = "  "
	prefixInfo      = "· "
	prefixWarning   = "! "
	prefixError     = "✗ "
	prefixNarration = "# "
	prefixFinding   = "? "
)

// textSink writes the transcript for people: one line per event.
type textSink struct {
	w   io.Writer
	cat *catalog.Catalog
	// lastError is what the last error shown said happened, so that a
	// close caused by the same error does not repeat it.
	lastError string
}

// line writes one line: the prefix, then text escaped for the terminal.
// A write error is kept by the stickyWriter underneath.
func (p *textSink) line(prefix, text string) {
	_, _ = fmt.Fprintf(p.w, "%s%s\n", prefix, protocol.Escape(text))
}

// event prints one session event; data progress is left out.
func (p *textSink) event(ev protocol.Event, findings []diagnose.Finding) {
	defer p.findings(findings)
	switch ev.Kind {
	case protocol.EventConnect:
		p.line(prefixInfo, ev.Line)
	case protocol.EventSend:
		p.line(prefixSent, ev.Line)
		if ev.Note != "" {
			p.line(prefixInfo, ev.Note)
		}
	case protocol.EventReply:
		p.reply(ev, diagnosed(findings))
	case protocol.EventData:
		if ev.Data == nil || ev.Data.Phase == protocol.DataProgress || ev.Line == "" {
			return
		}
		if ev.Data.Err != nil {
			p.line(prefixWarning, ev.Line)
			p.detail(ev)
			return
		}
		p.line(prefixInfo, ev.Line)
		lines, more := listing(ev.Data)
		for _, l := range lines {
			_, _ = fmt.Fprintf(p.w, "  | %s\n", l) // already escaped
		}
		if more > 0 {
			_, _ = fmt.Fprintf(p.w, "  | … %d more lines\n", more)
		}
	case protocol.EventTLS:
		p.line(prefixInfo, ev.Line)
		if ev.TLS != nil && !ev.TLS.Data && ev.TLS.Cert.SHA256 != "" { // a recording may not know it
			p.line(prefixInfo, "certificate: "+ev.TLS.Cert.String())
		}
	case protocol.EventWarning:
		p.line(prefixWarning, ev.Line)
	case protocol.EventError:
		p.line(prefixError, ev.Line)
		p.detail(ev)
		if cert, ok := unverifiedCertificate(ev); ok {
			p.line(prefixInfo, "certificate: "+cert.String())
		}
		p.lastError = diagnose.Describe(ev.Err).What
	case protocol.EventClose:
		if st := ev.State; st != nil && !st.ConnectedAt.IsZero() {
			p.line(prefixInfo, "timing: "+st.Timing.String())
			for _, d := range st.Timing.Data {
				p.line(prefixInfo, "timing of the data connection for "+d.String())
			}
		}
		if ev.Err != nil && diagnose.Describe(ev.Err).What == p.lastError {
			p.line(prefixInfo, "disconnected after the error above")
		} else {
			p.line(prefixInfo, "disconnected: "+ev.Line)
		}
	}
}

// detail prints, under an error's line, the error's own words when the
// line's plain words leave out something that may matter.
func (p *textSink) detail(ev protocol.Event) {
	if d := diagnose.EventDetail(ev); d != "" {
		p.line(prefixExplained, "details: "+d)
	}
}

// reply prints a reply's lines, its explanation, its note and warnings.
func (p *textSink) reply(ev protocol.Event, diagnosed bool) {
	for _, l := range ev.Reply.Lines {
		p.line(prefixReceived, l)
	}
	explained := explainReply(p.cat, ev)
	if diagnosed {
		explained = explained[:1]
		explained[0], _, _ = strings.Cut(explained[0], ": ") // the code's name only; the finding says why
	}
	for _, l := range explained {
		p.line(prefixExplained, l)
	}
	if ev.Note != "" {
		p.line(prefixInfo, ev.Note)
	}
	for _, w := range replyWarnings(ev) {
		p.line(prefixWarning, w)
	}
}

// findings writes what diagnose concluded: "? cause: …", then the fixes
// and the source, each on its own line; a finding said before on this
// connection, one reminder line.
func (p *textSink) findings(findings []diagnose.Finding) {
	for _, f := range findings {
		if f.Repeat {
			p.line(prefixFinding, f.Reminder(f.SeeCommand()))
			continue
		}
		p.line(prefixFinding, f.Headline())
		if f.ClientFix != "" {
			p.line(prefixFinding, "  fix: "+f.ClientFix)
		}
		for _, s := range f.ServerFixes {
			p.line(prefixFinding, "  on the server ("+protocol.ServerName(s.Server)+"): "+s.Fix)
		}
		p.line(prefixFinding, "  source: "+f.Source)
	}
}

// narrate echoes a script comment.
func (p *textSink) narrate(text string, _ time.Time) { p.line(prefixNarration, text) }

// info prints a note of ftpscope's own.
func (p *textSink) info(text string, _ time.Time) { p.line(prefixInfo, text) }

// close has nothing to flush: every line is written as it comes.
func (p *textSink) close() {}

// malformedExplanation explains a reply without a reply code.
const malformedExplanation = "??? Malformed reply: it does not start with a three-digit code, so no client can tell what it means (RFC 959 §4.2); treat it as a failure."

// explainReply returns the explanation lines of a reply: the code, its
// name and one sentence of advice, then, when the RFCs do not list the
// reply for its command, a line that says so.
func explainReply(cat *catalog.Catalog, ev protocol.Event) []string {
	if ev.Reply.Malformed() {
		return []string{malformedExplanation}
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
