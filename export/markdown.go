package export

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/protocol"
)

// markdownLegend tells students how to read the handout.
const markdownLegend = "Each numbered section is one command sent to the server, then the server's reply exactly as it arrived, then what the reply means. Passwords are shown as `****`."

// markdownSink writes a handout: a title, then one section per command
// with its replies and their explanations.
//
// The handout starts with a table of contents and the ladder diagram of
// the session, which are known only at the end; so the sections are
// written to body, and close writes the title, the contents, the diagram
// and then body to w.
type markdownSink struct {
	w    io.Writer
	out  md
	body bytes.Buffer
	cat  *catalog.Catalog
	// ladder collects the diagram; toc the sections to list.
	ladder Ladder
	toc    []tocEntry
	// found lists the session's findings for the summary at the top.
	found []foundEntry
	// started reports that the title is written. Narration and notes
	// that come before the first event wait in pending, so that the
	// title can name the server of the connect event.
	started bool
	first   protocol.Event
	pending []pendingBlock
	// section is the exchange whose heading was written last.
	section section
	// steps counts the commands sent, for the section headings; stepOf
	// maps a command's Seq to its step number.
	steps  int
	stepOf map[int]int
	// lastError is what the last error shown said happened, so that a
	// close caused by the same error does not repeat it.
	lastError string
}

// pendingBlock is a paragraph or list item waiting for the title.
type pendingBlock struct {
	item bool
	text string
}

// section identifies the exchange a heading opened.
type section struct {
	open    bool
	seq     int
	command string
}

// newMarkdownSink returns a sink that writes Markdown to w.
func newMarkdownSink(w io.Writer, cat *catalog.Catalog) *markdownSink {
	m := &markdownSink{w: w, cat: cat, stepOf: map[int]int{}}
	m.out = md{w: &m.body, slugs: map[string]int{}}
	return m
}

// start records the first event, whose connect line names the server
// and whose time dates the handout; the title, and the narration and
// notes that came before it, are written by close.
func (m *markdownSink) start(first protocol.Event) {
	m.started = true
	m.first = first
}

// head writes the title, the server and date, the legend, the contents
// and the diagram to h.
func (m *markdownSink) head(h *md) {
	h.para("# FTP session transcript")
	var facts []string
	if m.first.Kind == protocol.EventConnect {
		if server := serverOf(m.first.Line); server != "" {
			facts = append(facts, "**Server:** "+codeSpan(protocol.Escape(server)))
		}
	}
	switch {
	case m.first.Time.IsZero():
	case m.first.Time.Year() == 0: // a recorded log with times of day only
		facts = append(facts, "**Time:** "+m.first.Time.Format("15:04")+" (the recording has no date)")
	default:
		facts = append(facts, "**Date:** "+m.first.Time.Format("2006-01-02 15:04 MST"))
	}
	if len(facts) > 0 {
		h.para(strings.Join(facts, " · "))
	}
	h.para(markdownLegend)
	for _, p := range m.pending {
		if p.item {
			h.item(p.text)
		} else {
			h.para(p.text)
		}
	}
	if len(m.ladder.Steps) == 0 {
		return
	}
	// The head's headings are counted first, as they come first.
	var first []tocEntry
	if len(m.found) > 0 {
		first = append(first, tocEntry{title: findingsTitle, slug: h.heading(findingsTitle)})
	}
	diagram := tocEntry{title: diagramTitle, slug: h.heading(diagramTitle)}
	m.contents(h, append(first, diagram)...)
	m.findingsSection(h)
	h.para("## " + diagramTitle)
	h.para(diagramLegend(m.ladder.ClientName()))
	h.para(fenceAs("mermaid", strings.Split(strings.TrimSuffix(Mermaid(&m.ladder), "\n"), "\n")))
}

// serverOf reads the server's address from a connect event's line,
// "connected to ADDR from ADDR"; it returns "" for any other line.
func serverOf(line string) string {
	rest, ok := strings.CutPrefix(line, "connected to ")
	if !ok {
		return ""
	}
	server, _, _ := strings.Cut(rest, " ")
	return server
}

// event writes one session event; data progress is left out.
func (m *markdownSink) event(ev protocol.Event, findings []diagnose.Finding) {
	if !m.started {
		m.start(ev)
	}
	defer m.findings(findings)
	defer m.noteFindings(findings)
	m.ladder.Add(ev)
	switch ev.Kind {
	case protocol.EventConnect:
		m.out.item(mdText(ev.Line))
	case protocol.EventSend:
		m.steps++
		if ev.Seq > 0 {
			m.stepOf[ev.Seq] = m.steps
		}
		m.section = section{open: true, seq: ev.Seq, command: ev.Line}
		m.sectionHeading(fmt.Sprintf("%d. %s", m.steps, codeSpan(protocol.Escape(ev.Line))))
		if ev.Note != "" {
			m.out.item(mdText(ev.Note))
		}
	case protocol.EventReply:
		m.reply(ev)
	case protocol.EventData:
		if ev.Data == nil || ev.Data.Phase == protocol.DataProgress || ev.Line == "" {
			return
		}
		if ev.Data.Err != nil {
			m.out.quote("**Warning:** " + mdText(ev.Line))
			m.detail(ev)
			return
		}
		m.out.item(mdText(ev.Line))
		if lines, more := listing(ev.Data); len(lines) > 0 {
			if more > 0 {
				lines = append(lines, fmt.Sprintf("… %d more lines", more))
			}
			m.out.para(fence(lines))
		}
	case protocol.EventTLS:
		m.out.item(mdText(ev.Line))
		if ev.TLS != nil && !ev.TLS.Data && ev.TLS.Cert.SHA256 != "" { // a recording may not know it
			m.out.item(mdText("certificate: " + ev.TLS.Cert.String()))
		}
	case protocol.EventWarning:
		m.out.quote("**Warning:** " + mdText(ev.Line))
	case protocol.EventError:
		m.out.quote("**Error:** " + mdText(ev.Line))
		m.detail(ev)
		m.lastError = diagnose.Describe(ev.Err).What
	case protocol.EventClose:
		if ev.Err != nil && diagnose.Describe(ev.Err).What == m.lastError {
			m.out.item("disconnected after the error above")
		} else {
			m.out.item(mdText("disconnected: " + ev.Line))
		}
	}
}

// reply writes a reply under the heading of its command (opening one when
// the reply does not belong to the last command sent), its lines in a
// fenced block, its explanation, its note and its warnings. Its problems
// are notes of the explanation.
func (m *markdownSink) reply(ev protocol.Event) {
	switch {
	case ev.Verb == protocol.GreetingVerb:
		if !m.section.open || m.section.command != protocol.GreetingVerb {
			m.section = section{open: true, command: protocol.GreetingVerb}
			m.sectionHeading("The server's greeting")
		}
	case ev.Verb == "":
		m.section = section{}
		m.sectionHeading("A reply no command was waiting for")
	case !m.section.open || m.section.seq != ev.Seq || m.section.command != ev.Command:
		// A reply to a command typed ahead, or one whose send was not
		// seen: its section goes on under a heading of its own.
		m.section = section{open: true, seq: ev.Seq, command: ev.Command}
		if step, ok := m.stepOf[ev.Seq]; ok && ev.Seq > 0 {
			m.out.para(fmt.Sprintf("## %d. %s, continued", step, codeSpan(protocol.Escape(ev.Command))))
		} else {
			m.out.para("## Reply to " + codeSpan(protocol.Escape(ev.Command)))
		}
	}
	lines := make([]string, len(ev.Reply.Lines))
	for i, l := range ev.Reply.Lines {
		lines[i] = protocol.Escape(l)
	}
	m.out.para(fence(lines))

	r := ev.Reply
	e := m.cat.Explain(r.CodeString(), ev.Verb)
	if r.Malformed() {
		e.Listing = catalog.Listing{} // no command lists "???"
	}
	ctx := catalog.ContextFor(ev.Command, ev.Verb, effectText(ev), r.Problems)
	renderDoc(&m.out, briefReplyDoc(m.cat.ReplyDoc(e, ctx)), 3)
	if ev.Note != "" && !sameTopic(ev.Note, ctx.State) {
		m.out.item(mdText(ev.Note))
	}
	for _, w := range ev.Warnings {
		m.out.quote("**Warning:** " + mdText(w))
	}
}

// detail writes, under an error's quote, the error's own words when the
// line's plain words leave out something that may matter.
func (m *markdownSink) detail(ev protocol.Event) {
	if d := diagnose.EventDetail(ev); d != "" {
		m.out.quote("Details: " + codeSpan(d))
	}
}

// findings writes what diagnose concluded, as a quote under the event:
// the cause, the fixes and the source; a finding said before on this
// connection, one reminder line naming the step that explained it.
func (m *markdownSink) findings(findings []diagnose.Finding) {
	for _, f := range findings {
		if f.Repeat {
			see := ""
			if step, ok := m.stepOf[f.FirstSeq]; ok && f.FirstSeq != 0 {
				see = fmt.Sprintf("step %d", step)
			}
			m.out.quote(fmt.Sprintf("**Finding (%s):** %s", f.Severity.Label(), mdText(f.Again(see))))
			continue
		}
		m.out.quote(fmt.Sprintf("**Finding (%s):** %s", f.Severity.Label(), mdText(f.Cause)))
		if f.ClientFix != "" {
			m.out.quote("- **Fix:** " + mdText(f.ClientFix))
		}
		for _, s := range f.ServerFixes {
			m.out.quote(fmt.Sprintf("- **On the server (%s):** %s", protocol.ServerName(s.Server), mdText(s.Fix)))
		}
		m.out.quote("- Source: " + mdText(f.Source))
	}
}

// sameTopic reports whether a reply's note says again what its "What
// changed" paragraph says ("transfers now use TYPE I ..." after "Transfers
// now use TYPE I ..."): both start with the same two words. Notes on
// another topic, such as a decoded passive address, are kept.
func sameTopic(note, state string) bool {
	n, s := strings.Fields(strings.ToLower(note)), strings.Fields(strings.ToLower(state))
	return len(n) >= 2 && len(s) >= 2 && n[0] == s[0] && n[1] == s[1]
}

// narrate writes a script comment as a paragraph in italics, so that
// the presenter's words stand apart from the catalogue's explanations
// around them.
func (m *markdownSink) narrate(text string, at time.Time) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	m.ladder.Add(Narration(text, at))
	para := "*" + mdText(text) + "*"
	if !m.started {
		m.pending = append(m.pending, pendingBlock{text: para})
		return
	}
	m.out.para(para)
}

// info writes a note of ftpscope's own as a list item.
func (m *markdownSink) info(text string, _ time.Time) {
	if !m.started {
		m.pending = append(m.pending, pendingBlock{item: true, text: mdText(text)})
		return
	}
	m.out.item(mdText(text))
}

// close writes the handout: the title, the contents and the diagram,
// then the sections.
func (m *markdownSink) close() {
	if !m.started {
		m.start(protocol.Event{})
	}
	h := md{w: m.w, slugs: map[string]int{}}
	m.head(&h)
	if m.body.Len() > 0 {
		_, _ = io.WriteString(m.w, "\n")
	}
	_, _ = m.body.WriteTo(m.w)
}

// briefReplyDoc keeps what a handout needs of a reply's explanation
// (see catalog.Doc.Brief); the rest is left to `ftpscope explain`.
func briefReplyDoc(doc catalog.Doc) catalog.Doc { return doc.Brief() }

// renderDoc writes a catalogue document as Markdown: the title as a
// heading of the given level, a subtitle in italics, a heading and the
// paragraph under it as one paragraph led by the heading in bold, notes
// as block quotes, items as a list, and columns as a list of their two
// sides. Every text is escaped for Markdown.
func renderDoc(out *md, doc catalog.Doc, level int) {
	for i := 0; i < len(doc); i++ {
		b := doc[i]
		switch b.Kind {
		case catalog.BlockTitle:
			title := mdText(b.Text)
			if b.Code != "" {
				title = mdText(b.Code) + " " + title
			}
			out.para(strings.Repeat("#", level) + " " + title)
		case catalog.BlockSubtitle:
			out.para("*" + mdText(b.Text) + "*")
		case catalog.BlockHeading:
			if i+1 < len(doc) && doc[i+1].Kind == catalog.BlockText {
				i++
				out.para("**" + mdText(b.Text) + ":** " + mdText(doc[i].Text))
				continue
			}
			out.para("**" + mdText(b.Text) + "**")
		case catalog.BlockText:
			out.para(mdText(b.Text))
		case catalog.BlockNote:
			out.quote("**Note:** " + mdText(b.Text))
		case catalog.BlockItem:
			out.item(mdText(b.Text))
		case catalog.BlockColumns:
			if b.Header {
				out.para("**" + mdText(b.LeftCode+" "+b.Left) + "** · **" + mdText(b.RightCode+" "+b.Right) + "**")
				continue
			}
			out.item("**" + mdText(b.LeftCode) + ":** " + mdText(b.Left))
			out.item("**" + mdText(b.RightCode) + ":** " + mdText(b.Right))
		}
	}
}

// mdKind is the kind of a Markdown block, which decides the separator
// before the next one.
type mdKind int

// The kinds of block md writes.
const (
	mdNone mdKind = iota
	mdPara
	mdItem
	mdQuote
)

// md writes Markdown blocks with the blank lines between them: list items
// in a row form one list, block quotes in a row one quote.
type md struct {
	w    io.Writer
	last mdKind
	// slugs counts the headings written by anchor, when not nil.
	slugs map[string]int
}

// block writes one block of the given kind. A write error is kept by the
// stickyWriter underneath.
func (o *md) block(kind mdKind, text string) {
	sep := "\n"
	switch {
	case o.last == mdNone:
		sep = ""
	case kind == mdItem && o.last == mdItem:
		sep = ""
	case kind == mdQuote && o.last == mdQuote:
		sep = ">\n"
	}
	_, _ = io.WriteString(o.w, sep+text+"\n")
	o.last = kind
}

// para writes a paragraph, heading or fenced block. A heading's anchor
// is counted, as a Markdown viewer numbers repeated ones.
func (o *md) para(text string) {
	if title, ok := strings.CutPrefix(strings.TrimLeft(text, "#"), " "); ok && strings.HasPrefix(text, "#") && o.slugs != nil {
		o.slugs[slug(title)]++
	}
	o.block(mdPara, text)
}

// heading returns the anchor that a heading with this title, written
// next, gets: the title's slug, and "-1", "-2" … after the first of the
// same slug, as GitHub and GitLab number them.
func (o *md) heading(title string) string {
	s := slug(title)
	if n := o.slugs[s]; n > 0 {
		return fmt.Sprintf("%s-%d", s, n)
	}
	return s
}

// item writes a list item.
func (o *md) item(text string) { o.block(mdItem, "- "+text) }

// quote writes a paragraph of a block quote.
func (o *md) quote(text string) { o.block(mdQuote, "> "+text) }

// fence returns lines as a fenced code block whose fence is longer than
// any run of backticks in them, so that no line can close it.
func fence(lines []string) string { return fenceAs("text", lines) }

// fenceAs is fence with another info string, such as "mermaid".
func fenceAs(info string, lines []string) string {
	n := 3
	for _, l := range lines {
		n = max(n, longestRun(l, '`')+1)
	}
	f := strings.Repeat("`", n)
	return f + info + "\n" + strings.Join(lines, "\n") + "\n" + f
}

// codeSpan returns s as an inline code span, delimited by more backticks
// than any run inside it and padded with a space when s starts or ends
// with a backtick or a space, as CommonMark requires.
func codeSpan(s string) string {
	d := strings.Repeat("`", longestRun(s, '`')+1)
	if s == "" || s[0] == '`' || s[len(s)-1] == '`' || s[0] == ' ' && s[len(s)-1] == ' ' {
		s = " " + s + " "
	}
	return d + s + d
}

// longestRun returns the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

// mdText makes text safe and literal in a Markdown paragraph: control
// characters are escaped with protocol.Escape, spaces around it removed,
// and every character that Markdown could read as markup (emphasis, code,
// links, raw HTML, entities, math, or a list, quote or heading at the
// start) is escaped with a backslash. A server cannot inject markup into
// the handout.
func mdText(text string) string {
	s := strings.TrimSpace(protocol.Escape(text))
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case strings.ContainsRune("\\`*[]<&~#$", r):
			b.WriteByte('\\')
		case r == '_' && !(i > 0 && isWordBefore(s[:i]) && isWordAfter(s[i+size:])):
			b.WriteByte('\\')
		case i == 0 && strings.ContainsRune("-+=>|", r):
			b.WriteByte('\\')
		case (r == '.' || r == ')') && i > 0 && isDigits(s[:i]):
			b.WriteByte('\\') // "1." or "1)" would start an ordered list
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

// isWordBefore reports whether s ends with a letter or digit.
func isWordBefore(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// isWordAfter reports whether s starts with a letter or digit.
func isWordAfter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
