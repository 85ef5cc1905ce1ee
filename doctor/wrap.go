package doctor

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Wrap fits a text report's lines to a terminal width, breaking at spaces
// and indenting each continuation under the text it continues: after the
// verdict column of a check's line, after the mark of a detail, finding,
// command, reply, warning or error ("·", "?", ">", "<", "!", "✗" …). A
// word longer than a whole line is broken after its colons when it has
// some, so that a certificate fingerprint keeps each pair whole, and cut
// at the width otherwise. A width below 20 leaves the text as it is.
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
		// A fingerprint longer than a whole line starts where it is,
		// as a new line would not hold it either.
		first := strings.IndexByte(word, ':') + 1
		breaksAtColons := w > width-indent && first > 0
		switch {
		case i == 0:
		case col+1+w > width && !(breaksAtColons && col+1+first <= width):
			b.WriteString("\n" + pad)
			col = indent
		default:
			b.WriteString(" ")
			col++
		}
		for col+w > width {
			// A word wider than what is left of the line: break it
			// after its last colon that fits, or else at the width.
			fit := max(width-col, 1)
			head := ansi.Truncate(word, fit, "")
			if c := strings.LastIndexByte(head, ':'); c > 0 && breaksAtColons {
				fit = ansi.StringWidth(head[:c+1])
			}
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

// WrapCommand fits a shell command (or an address to type), with its
// indent, to a terminal width without breaking a word: it breaks at
// spaces and ends each broken line with " \\", the shell's line
// continuation, so that the lines copied together still run; the
// following lines are indented two more columns. A word longer than the
// width stays whole, on a line of its own. A width below 20 leaves the
// command as it is.
func WrapCommand(command string, width int) string {
	if width < 20 || ansi.StringWidth(command) <= width {
		return command
	}
	rest := strings.TrimLeft(command, " ")
	lead := len(command) - len(rest)
	pad := strings.Repeat(" ", min(lead+2, width/2))
	var b strings.Builder
	b.WriteString(command[:lead])
	col := lead
	words := strings.Fields(rest)
	for i, word := range words {
		w := ansi.StringWidth(word)
		if i < len(words)-1 {
			w += 2 // room for " \\" if the line breaks after this word
		}
		switch {
		case i == 0:
		case col+1+w > width:
			b.WriteString(" \\\n" + pad)
			col = len(pad)
		default:
			b.WriteString(" ")
			col++
		}
		b.WriteString(word)
		col += ansi.StringWidth(word)
	}
	return b.String()
}

// hangingIndent is where a wrapped line's continuation starts: under the
// text after a verdict column, or after a detail's mark; otherwise at the
// line's own indent.
func hangingIndent(line string) int {
	trimmed := strings.TrimLeft(line, " ")
	lead := len(line) - len(trimmed)
	if r, size := firstRune(trimmed); size > 0 && strings.ContainsRune("·?→<>!✗#", r) && strings.HasPrefix(trimmed[size:], " ") {
		// Under the text after the mark, however many spaces follow it
		// (run's "?   fix:" lines).
		after := trimmed[size:]
		return lead + 1 + len(after) - len(strings.TrimLeft(after, " "))
	}
	if lead == 0 && isVerdictColumn(line) {
		return 9 // "PROBLEM  " and the other verdicts are padded to 9
	}
	return lead
}

// isVerdictColumn reports whether line starts with a check's verdict in
// its column ("PROBLEM  ", "ok       "), the text starting at column 9.
func isVerdictColumn(line string) bool {
	if len(line) <= 9 || line[7:9] != "  " || line[9] == ' ' {
		return false
	}
	verdict := strings.TrimRight(line[:7], " ")
	return verdict != "" && !strings.Contains(verdict, " ")
}

func firstRune(s string) (rune, int) {
	for i, r := range s {
		if i == 0 {
			return r, len(string(r))
		}
	}
	return 0, 0
}
