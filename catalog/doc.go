package catalog

import (
	"fmt"
	"slices"
	"strings"
)

// BlockKind says how a Block is shown.
type BlockKind int

// The kinds of block a document is made of.
const (
	// BlockTitle is the document's first line; Code, when set, is shown
	// coloured by its class.
	BlockTitle BlockKind = iota
	// BlockSubtitle is a dim line under the title.
	BlockSubtitle
	// BlockHeading starts a section.
	BlockHeading
	// BlockText is a paragraph.
	BlockText
	// BlockNote is a paragraph that deserves attention (a warning).
	BlockNote
	// BlockItem is a bullet in a list.
	BlockItem
	// BlockColumns shows two paragraphs side by side (Left, Right),
	// under the headings of a comparison; narrow outputs stack them.
	BlockColumns
)

// Block is one piece of an explanation, independent of how it is drawn:
// the TUI's side panel, `ftpscope explain` in a terminal and in a pipe all
// render the same blocks.
type Block struct {
	Kind BlockKind
	Text string
	// Code is a reply code to colour, on titles and columns.
	Code string
	// Left and Right are the two sides of a BlockColumns; LeftCode and
	// RightCode colour their headings.
	Left, Right         string
	LeftCode, RightCode string
	// Header marks the columns that name the two sides; Left and Right
	// then hold the names, shown after their codes.
	Header bool
}

// Doc is an explanation as a list of blocks.
type Doc []Block

func (d *Doc) add(kind BlockKind, text string) {
	if strings.TrimSpace(text) != "" {
		*d = append(*d, Block{Kind: kind, Text: oneLine(text)})
	}
}

func (d *Doc) section(heading, text string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	d.add(BlockHeading, heading)
	d.add(BlockText, text)
}

// oneLine folds the line breaks of YAML prose into spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// ReplyDoc explains a reply: name, digits, context, meaning, when, what
// to do, where defined. It is what the side panel and `ftpscope explain
// CODE` show.
func (c *Catalog) ReplyDoc(e Explanation, context Context) Doc {
	var d Doc
	d = append(d, Block{Kind: BlockTitle, Code: e.Code, Text: e.Reply.Name})
	switch {
	case context.Unsolicited:
		d.add(BlockSubtitle, "no command was waiting for this reply")
	case context.Command != "":
		d.add(BlockSubtitle, "in reply to "+context.Command)
	}
	if e.DigitsOK {
		d.add(BlockText, fmt.Sprintf("%c = %s: %s.", e.Class.Value, e.Class.Name, e.Class.Detail))
		d.add(BlockText, fmt.Sprintf("%c = %s: %s.", e.Function.Value, e.Function.Name, e.Function.Detail))
	}
	if e.Listing.Checked && !e.Listing.Listed {
		d.add(BlockNote, fmt.Sprintf("The RFCs do not list %s as a reply to %s; they list %s. The server may be non-standard, or the reply may belong to another command.",
			e.Code, e.Verb, strings.Join(e.Listing.Expected, " ")))
	}
	if e.Listing.Exception != "" {
		d.add(BlockText, fmt.Sprintf("Not in %s's own list of replies, and right all the same: %s (%s).", e.Verb, e.Listing.Exception, e.Listing.Source))
	}
	for _, p := range context.Problems {
		d.add(BlockNote, "This reply breaks the rules: "+p+".")
	}
	if e.Advice != "" {
		heading := "After " + e.Verb
		if strings.HasPrefix(e.Verb, "(") { // the greeting's "(connection)"
			heading = "When the connection opens"
		}
		d.section(heading, e.Advice)
	}
	if context.State != "" {
		d.section("What changed", context.State)
	}
	d.section("What it means", e.Reply.Meaning)
	d.section("When you see it", e.Reply.When)
	d.section("What to do", e.Reply.Action)
	d.section("In practice", e.Reply.Servers)
	defined := e.Reply.Defined
	if e.Reply.Text != "" {
		defined += `, as "` + e.Code + " " + e.Reply.Text + `"`
	}
	d.section("Defined in", defined)
	for _, also := range e.Reply.Also {
		d.add(BlockItem, also)
	}
	if !e.Known {
		d.section("Status", "Not in the catalogue: "+e.Reply.Status+", explained from its digits.")
	} else if e.Reply.Status != "standard" {
		d.section("Status", e.Reply.Status)
	}
	if len(e.Reply.Related) > 0 {
		d.section("Related", strings.Join(e.Reply.Related, " "))
	}
	return d
}

// CommandDoc explains a command: syntax, what it does, whether it opens a
// data connection, its replies per RFC, and what comes next.
func (c *Catalog) CommandDoc(cmd *Command) Doc {
	var d Doc
	title := cmd.Name
	if cmd.LongName != "" && cmd.LongName != cmd.Name {
		title += " (" + cmd.LongName + ")"
	}
	d = append(d, Block{Kind: BlockTitle, Text: title + ": " + oneLine(cmd.Summary)})
	d.add(BlockSubtitle, cmd.Syntax)
	d.add(BlockText, cmd.Description)
	data := "No: it works on the control connection alone."
	if cmd.Data {
		data = "Yes: send PASV, EPSV, PORT or EPRT first; ftpscope then opens the data connection for you."
	}
	d.section("Data connection", data)
	d.section("What comes next", cmd.Next)
	if len(cmd.Replies) > 0 {
		d.add(BlockHeading, "Replies the RFCs list")
		for _, l := range cmd.Replies {
			var parts []string
			for _, part := range []struct {
				name  string
				codes []string
			}{{"preliminary", l.Preliminary}, {"intermediate", l.Intermediate}, {"success", l.Success}, {"failure", l.Failure}, {"error", l.Error}} {
				if len(part.codes) > 0 {
					parts = append(parts, part.name+" "+strings.Join(part.codes, " "))
				}
			}
			d.add(BlockItem, l.Source+": "+strings.Join(parts, "; "))
		}
	}
	if cmd.Example != "" {
		d.add(BlockHeading, "Example")
		for _, l := range strings.Split(strings.TrimSpace(cmd.Example), "\n") {
			d = append(d, Block{Kind: BlockText, Text: l})
		}
	}
	status := cmd.Defined
	if cmd.Status != "standard" {
		status += " (" + cmd.Status + ")"
	}
	d.section("Defined in", status)
	if len(cmd.Related) > 0 {
		d.section("Related", strings.Join(cmd.Related, " "))
	}
	return d
}

// CommandsListing returns, for a reply code, the commands whose RFC
// replies include it, in alphabetical order.
func (c *Catalog) CommandsListing(code string) []string {
	var names []string
	for name, cmd := range c.commands {
		for _, l := range cmd.Replies {
			if slices.Contains(l.All(), code) && !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	return names
}
