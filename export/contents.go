package export

// The handout's table of contents: the diagram, then the sections of the
// session, with links to the anchors Markdown viewers give headings.

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/ftpscope/ftpscope/diagnose"
)

// diagramTitle is the title of the diagram's section.
const diagramTitle = "The connections, as a diagram"

// diagramLegend says how to read the diagram of a session whose client is
// named client (Ladder.ClientName).
func diagramLegend(client string) string {
	who := "The client is " + mdText(client)
	if client == unknownClient {
		who = "The client is the program that connected (the recording does not say which)"
	}
	return "Time runs down. " + who + "; the control connection carries commands and replies; each data connection opens, carries a listing or a file, and closes. Viewers that draw Mermaid diagrams (GitHub, GitLab) show it as a picture."
}

// contentsLimit is how many sections the contents list by name; the rest
// are counted, so that the contents stay short.
const contentsLimit = 24

// tocEntry is a section listed in the contents.
type tocEntry struct {
	title string // Markdown, already escaped
	slug  string
}

// sectionHeading writes a level-two heading of the session and lists it
// in the contents.
func (m *markdownSink) sectionHeading(title string) {
	m.toc = append(m.toc, tocEntry{title: title, slug: m.out.heading(title)})
	m.out.para("## " + title)
}

// contents writes the table of contents: first the entries given (the
// sections before the session), then the session's sections.
func (m *markdownSink) contents(h *md, first ...tocEntry) {
	h.para("## Contents")
	entries := append(first, m.toc...)
	shown := entries[:min(len(entries), contentsLimit)]
	for _, e := range shown {
		h.item(fmt.Sprintf("[%s](#%s)", linkText(e.title), e.slug))
	}
	if more := len(entries) - len(shown); more > 0 {
		h.item(fmt.Sprintf("… and %d more sections below", more))
	}
}

// linkText makes a heading's Markdown usable as a link's text: a code
// span stays one, and brackets outside it are already escaped by mdText.
func linkText(title string) string { return title }

// slug returns the anchor GitHub and GitLab give a heading's text: the
// text without its Markdown (backticks, backslash escapes), in lower
// case, keeping letters, digits, spaces, '-' and '_', with each space
// made a '-'.
func slug(title string) string {
	var b strings.Builder
	escaped := false
	for _, r := range title {
		if r == '\\' && !escaped {
			escaped = true
			continue
		}
		escaped = false
		switch {
		case r == '`':
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// findingsTitle is the heading of the summary of findings.
const findingsTitle = "Findings"

// foundEntry is a finding and the section it was seen in.
type foundEntry struct {
	finding diagnose.Finding
	// section is the contents entry of the section, when there is one.
	section   tocEntry
	inSection bool
}

// noteFindings keeps findings for the summary at the top of the handout,
// with the section they fired in.
func (m *markdownSink) noteFindings(findings []diagnose.Finding) {
	for _, f := range findings {
		if f.Repeat {
			continue // listed once, where it was first explained
		}
		e := foundEntry{finding: f}
		if len(m.toc) > 0 {
			e.section, e.inSection = m.toc[len(m.toc)-1], true
		}
		m.found = append(m.found, e)
	}
}

// findingsSection writes the summary of findings: one line each, with
// its severity and a link to where it was seen; the details stay under
// that section.
func (m *markdownSink) findingsSection(h *md) {
	if len(m.found) == 0 {
		return
	}
	h.para("## " + findingsTitle)
	for _, e := range m.found {
		line := fmt.Sprintf("**%s:** %s", e.finding.Severity.Label(), mdText(e.finding.Cause))
		if e.inSection {
			line += fmt.Sprintf(" (see [%s](#%s))", linkText(e.section.title), e.section.slug)
		}
		h.item(line)
	}
}
