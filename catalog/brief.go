package catalog

import "strings"

// Brief keeps what a short explanation of a reply needs: the title with
// the code's name, the notes (a reply the RFCs do not list for its
// command, a reply that breaks the rules), the advice after its command,
// what it changed and what it means. The digits, when it is seen, what to
// do, where it is defined and related codes are left out. The Markdown
// handout and the TUI's presentation mode show replies this way.
func (d Doc) Brief() Doc {
	var out Doc
	keep := false // whether the current section is kept
	for _, b := range d {
		switch b.Kind {
		case BlockTitle, BlockNote:
			out = append(out, b)
			continue
		case BlockHeading:
			keep = strings.HasPrefix(b.Text, "After ") || b.Text == "When the connection opens" || b.Text == "What changed" || b.Text == "What it means"
		case BlockSubtitle:
			continue
		}
		if keep {
			out = append(out, b)
		}
	}
	return out
}
