package export

// The handout's table of contents: the diagram, then the sections of the
// session, with links to the anchors Markdown viewers give headings.

import (
	"fmt"
	"strings"
	"unicode"
)

// The diagram's section, and how to read it.
const (
	diagramTitle  = "The connections, as a diagram"
	diagramLegend = "Time runs down. The client is ftpscope; the control connection carries commands and replies; each data connection opens, carries a listing or a file, and closes. Viewers that draw Mermaid diagrams (GitHub, GitLab) show it as a picture."
)

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
