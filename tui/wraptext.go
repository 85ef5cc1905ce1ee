package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// nonBreakingHyphen stands in for "-" while text is wrapped: ansi.Wrap
// always breaks after a hyphen, which cut flags and names in two at the
// end of a line ("--" then "after CMD", "--pasv-" then
// "address=server"), so that what the user reads is not what they must
// type.
const nonBreakingHyphen = "\u2011"

// wrapWords word-wraps text to width as lipgloss.Wrap does (styles kept
// across lines, words longer than the width broken), except that it
// never breaks a word that fits on a line after one of its hyphens.
func wrapWords(text string, width int) string {
	return keepHyphens(text, width, func(s string) string { return lipgloss.Wrap(s, width, "") })
}

// wrapANSI is wrapWords for text without lipgloss styles, as ansi.Wrap.
func wrapANSI(text string, width int) string {
	return keepHyphens(text, width, func(s string) string { return ansi.Wrap(s, width, "") })
}

// keepHyphens runs wrap with the hyphens of every word no wider than
// width protected. A longer word, such as a long path, must be broken
// anyway, and breaks best after a hyphen, so its hyphens are left alone.
// Text that already holds the stand-in (a server can send anything) is
// wrapped as it is, so that it comes back unchanged.
func keepHyphens(text string, width int, wrap func(string) string) string {
	if !strings.Contains(text, "-") || strings.Contains(text, nonBreakingHyphen) {
		return wrap(text)
	}
	var b strings.Builder
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		for j, word := range strings.Split(line, " ") {
			if j > 0 {
				b.WriteByte(' ')
			}
			if ansi.StringWidth(word) <= width {
				word = strings.ReplaceAll(word, "-", nonBreakingHyphen)
			}
			b.WriteString(word)
		}
	}
	return strings.ReplaceAll(wrap(b.String()), nonBreakingHyphen, "-")
}
