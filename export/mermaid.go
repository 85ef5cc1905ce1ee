package export

import (
	"fmt"
	"strings"
	"unicode"
)

// mermaidMaxSteps bounds the diagram: Mermaid refuses a diagram of more
// than 50,000 characters by default (GitHub shows an error instead), and
// a few hundred arrows is already more than a reader follows. A label is
// at most a few hundred characters, so stopping at mermaidMaxChars keeps
// the whole under the limit.
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
	fmt.Fprintf(&b, "    participant C as %s\n", mermaidText("ftpscope (client)"))
	fmt.Fprintf(&b, "    participant S as %s\n", mermaidText(server+" (control connection)"))
	for i := range l.Slots {
		name := "data connection"
		if l.Slots > 1 {
			name = fmt.Sprintf("data connection slot %d", i+1)
		}
		fmt.Fprintf(&b, "    participant D%d as %s\n", i+1, mermaidText(name))
	}
	for i, s := range l.Steps {
		if i == mermaidMaxSteps || b.Len() > mermaidMaxChars {
			fmt.Fprintf(&b, "    Note over C,S: %s\n", mermaidText(fmt.Sprintf("the diagram stops here; %d more steps are in the sections below", len(l.Steps)-i)))
			break
		}
		text := mermaidText(s.Label)
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
	}
	return b.String()
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
