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
// across lines, words longer than the width broken), except that it never
// breaks a line after a hyphen.
func wrapWords(text string, width int) string {
	return keepHyphens(text, func(s string) string { return lipgloss.Wrap(s, width, "") })
}

// wrapANSI is wrapWords for text without lipgloss styles, as ansi.Wrap.
func wrapANSI(text string, width int) string {
	return keepHyphens(text, func(s string) string { return ansi.Wrap(s, width, "") })
}

// keepHyphens runs wrap with every hyphen of text protected. Text that
// already holds the stand-in (a server can send anything) is wrapped as
// it is, so that it comes back unchanged.
func keepHyphens(text string, wrap func(string) string) string {
	if !strings.Contains(text, "-") || strings.Contains(text, nonBreakingHyphen) {
		return wrap(text)
	}
	return strings.ReplaceAll(wrap(strings.ReplaceAll(text, "-", nonBreakingHyphen)), nonBreakingHyphen, "-")
}
