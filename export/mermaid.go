package export

import (
	"fmt"
	"strings"
	"unicode"
)

// mermaidMaxSteps bounds the diagram: Mermaid refuses a diagram of more
// than 50,000 characters by default (GitHub shows an error instead), and
// a few hundred arrows is already more than a reader follows. Each
// statement is measured before it is written, so stopping at
// mermaidMaxChars keeps the whole under the limit, with room for the note
// that says where the diagram stops.
const (
	mermaidMaxSteps = 400
	mermaidMaxChars = 40000
)

// Mermaid returns the ladder as the source of a Mermaid sequence diagram,
// which GitHub, GitLab and most Markdown viewers draw: participants for
// the client, the control connection and each data slot, an arrow per
// command, reply and data movement, and notes for TLS, narration and the
// data connections' opening. Every label goes through mermaidText, so no
// server text can end a statement, open markup or close the fence. A long
// session is drawn up to mermaidMaxSteps steps.
func Mermaid(l *Ladder) string {
	var b strings.Builder
	b.WriteString("sequenceDiagram\n")
	server := "server"
	if l.Server != "" {
		server = "server " + l.Server
	}
	client := l.ClientName()
	if client != unknownClient {
		client += " (client)"
	}
	fmt.Fprintf(&b, "    participant C as %s\n", mermaidText(client))
	fmt.Fprintf(&b, "    participant S as %s\n", mermaidText(server+" (control connection)"))
	for i := range l.Slots {
		name := "data connection"
		if l.Slots > 1 {
			name = fmt.Sprintf("data connection slot %d", i+1)
		}
		fmt.Fprintf(&b, "    participant D%d as %s\n", i+1, mermaidText(name))
	}
	for i, s := range l.Steps {
		statement := mermaidStep(s)
		if i == mermaidMaxSteps || b.Len()+len(statement) > mermaidMaxChars {
			fmt.Fprintf(&b, "    Note over C,S: %s\n", mermaidText(fmt.Sprintf("the diagram stops here; %d more steps are in the sections below", len(l.Steps)-i)))
			break
		}
		b.WriteString(statement)
	}
	return b.String()
}

// mermaidStep returns the statement of one step, with its line end.
func mermaidStep(s Step) string {
	var b strings.Builder
	text := mermaidText(s.Label)
	if s.IsNote() {
		text = mermaidNote(s.Label)
	}
	switch s.Kind {
	case StepCommand:
		fmt.Fprintf(&b, "    C->>S: %s\n", text)
	case StepReply:
		fmt.Fprintf(&b, "    S-->>C: %s\n", text)
	case StepDataOpen:
		fmt.Fprintf(&b, "    C->>D%d: %s\n", s.Slot+1, text)
	case StepDataBytes:
		if s.Upload {
			fmt.Fprintf(&b, "    C-)D%d: %s\n", s.Slot+1, text)
		} else {
			fmt.Fprintf(&b, "    D%d--)C: %s\n", s.Slot+1, text)
		}
	case StepDataFailed:
		fmt.Fprintf(&b, "    C-xD%d: %s\n", s.Slot+1, text)
	case StepTLS:
		if s.Slot >= 0 {
			fmt.Fprintf(&b, "    Note over C,D%d: %s\n", s.Slot+1, text)
		} else {
			fmt.Fprintf(&b, "    Note over C,S: %s\n", text)
		}
	case StepNarration:
		fmt.Fprintf(&b, "    Note over C,S: %s\n", text)
	case StepConnect, StepClose:
		fmt.Fprintf(&b, "    Note over C,S: %s\n", text)
	}
	return b.String()
}

// mermaidNoteWidth is the width, in characters, that notes are wrapped
// to: Mermaid draws a note on one line however long, as wide as its text.
const mermaidNoteWidth = 60

// mermaidNote makes s the text of a note, wrapped at mermaidNoteWidth
// with Mermaid's <br/> (the one piece of markup the diagram holds, put
// there by ftpscope between lines that are each mermaidText), every word
// kept.
func mermaidNote(s string) string {
	lines := wrapWords(s, mermaidNoteWidth)
	for i, line := range lines {
		lines[i] = mermaidText(line)
	}
	return strings.Join(lines, "<br/>")
}

// wrapWords wraps s at width characters, at spaces; a word longer than
// width is split. Every character but the spaces at the breaks is kept.
func wrapWords(s string, width int) []string {
	var lines []string
	var line []rune
	for _, word := range strings.Fields(s) {
		w := []rune(word)
		if len(line) > 0 && len(line)+1+len(w) > width {
			lines, line = append(lines, string(line)), nil
		}
		if len(line) > 0 {
			line = append(line, ' ')
		}
		line = append(line, w...)
		for len(line) > width {
			lines, line = append(lines, string(line[:width])), line[width:]
		}
	}
	if len(line) > 0 || len(lines) == 0 {
		lines = append(lines, string(line))
	}
	return lines
}

// mermaidText makes s a safe Mermaid label: letters, digits, spaces and a
// few punctuation marks that mean nothing in a sequence diagram stay as
// they are; every other character becomes Mermaid's numeric entity #NNN;
// (Mermaid decodes it back for display). So ';' cannot end a statement,
// '#' or '%' cannot start an entity or a comment, '<' '>' '&' cannot make
// HTML, '`' cannot close the Markdown fence, ':' cannot start a message,
// and line breaks cannot start a new statement. Control characters are
// escaped by protocol.Escape before (Ladder labels already are); here
// they are encoded too, as a last line of defence.
func mermaidText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'):
			b.WriteRune(r)
		case strings.ContainsRune(" .,()/_-+=?!'*@[]|^$~", r):
			b.WriteRune(r)
		case r >= 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, "#%d;", r)
		}
	}
	if strings.TrimSpace(b.String()) == "" {
		return "#160;" // a message needs text; a no-break space shows none
	}
	return b.String()
}
