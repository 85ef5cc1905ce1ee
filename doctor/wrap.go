package doctor

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Wrap fits a text report's lines to a terminal width, breaking at spaces
// and indenting each continuation under the text it continues: after the
// verdict column of a check's line, after the "·", "?" or "<" of a
// detail, finding or reply. A word longer than the width (a certificate
// fingerprint) is cut. A width below 20 leaves the text as it is.
func Wrap(text string, width int) string {
	if width < 20 {
		return text
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(text, "\n") {
		body := strings.TrimSuffix(line, "\n")
		wrapLine(&b, body, width)
		if len(body) < len(line) {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// wrapLine writes one line, wrapped to width.
func wrapLine(b *strings.Builder, line string, width int) {
	if ansi.StringWidth(line) <= width {
		b.WriteString(line)
		return
	}
	indent := hangingIndent(line)
	if indent > width/2 {
		indent = width / 2
	}
	pad := strings.Repeat(" ", indent)
	rest := strings.TrimLeft(line, " ")
	col := len(line) - len(rest)
	b.WriteString(line[:col])
	for i, word := range strings.Split(rest, " ") {
		w := ansi.StringWidth(word)
		switch {
		case i == 0:
		case col+1+w > width:
			b.WriteString("\n" + pad)
			col = indent
		default:
			b.WriteString(" ")
			col++
		}
		for col+w > width {
			// A word wider than what is left of the line: cut it.
			fit := max(width-col, 1)
			b.WriteString(ansi.Truncate(word, fit, ""))
			word = ansi.TruncateLeft(word, fit, "")
			w = ansi.StringWidth(word)
			b.WriteString("\n" + pad)
			col = indent
		}
		b.WriteString(word)
		col += w
	}
}

// hangingIndent is where a wrapped line's continuation starts: under the
// text after a verdict column, or after a detail's mark.
func hangingIndent(line string) int {
	trimmed := strings.TrimLeft(line, " ")
	lead := len(line) - len(trimmed)
	if r, size := firstRune(trimmed); size > 0 && strings.ContainsRune("·?→<!", r) && strings.HasPrefix(trimmed[size:], " ") {
		return lead + 2
	}
	if lead == 0 {
		return 9 // "PROBLEM  " and the other verdicts are padded to 9
	}
	return lead
}

func firstRune(s string) (rune, int) {
	for i, r := range s {
		if i == 0 {
			return r, len(string(r))
		}
	}
	return 0, 0
}
