package tui

// Fitting the hint row to the screen's width, as Bubbles' help component
// fits its short help: a hint is made of parts, each readable on its own,
// and a part that does not fit is shortened or left out whole, the least
// important first, rather than cut in the middle of a word. What is left
// out is in the full help (f1 or ?).

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"
)

// hintSep separates the parts of a hint.
const hintSep = " · "

// hintPart is one part of the hint row.
type hintPart struct {
	// forms says the part from its longest to its shortest wording;
	// every form must read whole.
	forms []string
	// rank orders the parts by importance: 0 is kept first, and the
	// highest rank is the first left out.
	rank int
}

// part returns a hint part of one or more wordings, longest first.
func part(rank int, forms ...string) hintPart { return hintPart{forms: forms, rank: rank} }

// fitHint joins the parts, in their order, into at most width cells. The
// parts are chosen by rank: each is kept, in its shortest form, if it
// still fits beside those more important; then each kept part, by rank,
// takes the longest form that fits. So a part is never cut: it is said
// shorter, or not at all. A first part too wide even when short is cut,
// so that the row always says something.
func fitHint(width int, parts ...hintPart) string {
	order := make([]int, 0, len(parts))
	for i, p := range parts {
		if len(p.forms) > 0 && p.forms[0] != "" {
			order = append(order, i)
		}
	}
	// Most important first; among equals, the earlier part.
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && parts[order[j]].rank < parts[order[j-1]].rank; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	chosen := make([]int, len(parts)) // 1 + the index of the form chosen; 0 for left out
	used := 0
	for _, i := range order {
		forms := parts[i].forms
		w := ansi.StringWidth(forms[len(forms)-1])
		if used > 0 {
			w += ansi.StringWidth(hintSep)
		}
		if used+w <= width {
			chosen[i], used = len(forms), used+w
		}
	}
	for _, i := range order {
		if chosen[i] == 0 {
			continue
		}
		forms := parts[i].forms
		short := ansi.StringWidth(forms[chosen[i]-1])
		for f := 0; f < chosen[i]-1; f++ {
			if grow := ansi.StringWidth(forms[f]) - short; used+grow <= width {
				chosen[i], used = f+1, used+grow
				break
			}
		}
	}
	var out []string
	for i, c := range chosen {
		if c > 0 {
			out = append(out, parts[i].forms[c-1])
		}
	}
	if len(out) == 0 && len(order) > 0 {
		forms := parts[order[0]].forms
		return cut(forms[len(forms)-1], width)
	}
	return strings.Join(out, hintSep)
}

// clauses returns the wordings of a sentence for a hint part, longest
// first: the sentence, then each shorter run of its words that ends
// before a comma, colon, semicolon or bracket, so that every wording
// reads as a whole ("Passive mode: asks the server …" gives "Passive
// mode"). Runs of fewer than two words are left out.
func clauses(sentence string) []string {
	forms := []string{sentence}
	for i := len(sentence) - 1; i > 0; i-- {
		if !strings.ContainsRune(",:;(", rune(sentence[i])) {
			continue
		}
		head := strings.TrimRight(sentence[:i], " ")
		if len(strings.Fields(head)) >= 2 && head != forms[len(forms)-1] {
			forms = append(forms, head)
		}
	}
	return forms
}

// scrollParts are the first words of a scrolled pane's last row: how many
// lines are below and the key that reads on, or at the end how many are
// above; then, when some are above, the key that goes back. A pane adds
// keys of its own after them.
func scrollParts(top, below int, down, up key.Binding) []hintPart {
	var parts []hintPart
	if below > 0 {
		parts = append(parts,
			part(0, fmt.Sprintf("↓ %d more %s", below, lineWord(below))),
			part(1, down.Help().Key+" reads on"))
	} else {
		parts = append(parts, part(0, fmt.Sprintf("↑ %d %s above", top, lineWord(top))))
	}
	if top > 0 {
		parts = append(parts, part(2, up.Help().Key+" goes back"))
	}
	return parts
}

// lineWord is "line" or "lines", for n of them.
func lineWord(n int) string {
	if n == 1 {
		return "line"
	}
	return "lines"
}
