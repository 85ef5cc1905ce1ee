package catalog

import (
	"fmt"
	"strings"
)

// Comparison holds two replies to be read side by side.
type Comparison struct {
	A, B Explanation
}

// Compare explains codes a and b side by side. It works for any two codes,
// known or not, of the same class or not.
func (c *Catalog) Compare(a, b string) Comparison {
	return Comparison{A: c.Explain(a, ""), B: c.Explain(b, "")}
}

// nextStep says what a client does after a reply of the given class.
func nextStep(e Explanation) string {
	if !e.DigitsOK {
		return "treat " + e.Code + " as a failure and read its text"
	}
	switch e.Class.Value {
	case '1':
		return "wait: a final reply follows on the control connection"
	case '2':
		return "the command is done: send the next one"
	case '3':
		return "the server waits for the next command of the sequence"
	case '4':
		return "the command failed for now: try again later"
	case '5':
		return "the command failed: change it or the situation before trying again"
	case '6':
		return "decode the protected reply inside it"
	}
	return "read the reply's text"
}

// Differences lists what sets the two replies apart, most important
// first: class (and so the client's next step), transient versus
// permanent, function, and the commands that produce each.
func (c *Catalog) Differences(cmp Comparison) []string {
	a, b := cmp.A, cmp.B
	var out []string
	pair := string([]byte{a.Class.Value, b.Class.Value})
	switch {
	case a.Code == b.Code:
		return []string{"These are the same code."}
	case a.DigitsOK && b.DigitsOK && pair == "45":
		// Transient against permanent says the next step in full.
		out = append(out, fmt.Sprintf("%s is a %s reply: the same command may work if tried again later. %s is a %s reply: repeating it unchanged fails again.", a.Code, describeClass(a), b.Code, describeClass(b)))
	case a.DigitsOK && b.DigitsOK && pair == "54":
		out = append(out, fmt.Sprintf("%s is a %s reply: repeating it unchanged fails again. %s is a %s reply: the same command may work if tried again later.", a.Code, describeClass(a), b.Code, describeClass(b)))
	case a.DigitsOK && b.DigitsOK && a.Class.Value != b.Class.Value:
		out = append(out, fmt.Sprintf("%s is a %s reply and %s a %s reply: after %s %s; after %s %s.",
			a.Code, describeClass(a), b.Code, describeClass(b), a.Code, nextStep(a), b.Code, nextStep(b)))
	case a.DigitsOK && b.DigitsOK:
		out = append(out, fmt.Sprintf("Both are %s replies, so the client's next step is the same: %s.", describeClass(a), nextStep(a)))
	default:
		out = append(out, fmt.Sprintf("%s: %s. %s: %s.", a.Code, describeClass(a), b.Code, describeClass(b)))
	}
	if a.DigitsOK && b.DigitsOK {
		if a.Function.Value != b.Function.Value {
			out = append(out, fmt.Sprintf("The second digit differs: %s is about %s, %s about %s.", a.Code, a.Function.Name, b.Code, b.Function.Name))
		} else if a.Class.Value == b.Class.Value {
			out = append(out, fmt.Sprintf("Both are about %s; only the third digit tells them apart: %s is %q, %s is %q.",
				a.Function.Name, a.Code, a.Reply.Name, b.Code, b.Reply.Name))
		}
	}
	ca, cb := c.CommandsListing(a.Code), c.CommandsListing(b.Code)
	switch {
	case len(ca) > 0 && strings.Join(ca, " ") == strings.Join(cb, " "):
		out = append(out, fmt.Sprintf("The RFCs list both in answer to the same commands: %s; the command does not tell them apart, the situation does.", listOrNone(ca)))
	case len(ca)+len(cb) > 0:
		out = append(out, fmt.Sprintf("The RFCs list %s in answer to %s, and %s in answer to %s.", a.Code, listOrNone(ca), b.Code, listOrNone(cb)))
	}
	for _, e := range []Explanation{a, b} {
		if !e.Known {
			out = append(out, e.Code+" is not a standard reply: it is explained from its digits alone.")
		}
	}
	return out
}

func listOrNone(names []string) string {
	switch len(names) {
	case 0:
		return "no command"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// CompareDoc lays a comparison out as a document: the key differences
// (the classes, the digits, the commands each answers), then each aspect
// side by side. Each thing is said once.
func (c *Catalog) CompareDoc(cmp Comparison) Doc {
	a, b := cmp.A, cmp.B
	var d Doc
	// The title names both; the key differences start with their
	// classes, so no summary repeats them.
	d = append(d, Block{Kind: BlockTitle, Code: a.Code, Text: a.Reply.Name + "  vs  " + b.Code + " " + b.Reply.Name})
	d.add(BlockHeading, "Key differences")
	for _, diff := range c.Differences(cmp) {
		d.add(BlockItem, diff)
	}
	row := func(heading, left, right string) {
		if strings.TrimSpace(left+right) == "" {
			return
		}
		d = append(d, Block{Kind: BlockHeading, Text: heading},
			Block{Kind: BlockColumns, Left: oneLine(left), Right: oneLine(right), LeftCode: a.Code, RightCode: b.Code})
	}
	d = append(d, Block{Kind: BlockHeading, Text: "Side by side"},
		Block{Kind: BlockColumns, Header: true, Left: a.Reply.Name, Right: b.Reply.Name, LeftCode: a.Code, RightCode: b.Code})
	digits := func(e Explanation) string {
		if !e.DigitsOK {
			return e.Reply.Name
		}
		return fmt.Sprintf("%c = %s, %c = %s", e.Class.Value, e.Class.Name, e.Function.Value, e.Function.Name)
	}
	row("Digits", digits(a), digits(b))
	row("What it means", a.Reply.Meaning, b.Reply.Meaning)
	row("When you see it", a.Reply.When, b.Reply.When)
	row("What to do", a.Reply.Action, b.Reply.Action)
	row("Defined in", a.Reply.Defined, b.Reply.Defined)
	return d
}
