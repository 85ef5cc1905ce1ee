package main

import (
	"fmt"
	"image/color"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/fang/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	mango "github.com/muesli/mango-cobra"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// ftpscope draws its own --help, in fang's colours and layout, because
// fang's cannot be configured: it breaks words where the terminal wraps
// its long lines (flag descriptions are never wrapped), and pads every
// line to 120 columns in a pipe. This help wraps at the terminal's width
// (80 columns in a pipe), at spaces only, and pads nothing.

// Help widths: fang's cap for a wide terminal, and the width in a pipe
// (of help and of the other text written for people, see plainWidth).
const (
	maxHelpWidth = 120
	pipeWidth    = 80
	minHelpWidth = 40
)

// helpStyles are fang's default styles, made from its colour scheme:
// the words of code blocks on the block's background, the names in the
// lists of commands and flags on none.
type helpStyles struct {
	text, title, description, flagDefault lipgloss.Style
	block                                 lipgloss.Style
	name, command, flag, argument, dimmed lipgloss.Style
	comment, quoted                       lipgloss.Style
	listCommand, listFlag, listArgument   lipgloss.Style
	// plain is set when the output has no colours: the code blocks then
	// lose their vertical padding, as in fang.
	plain bool
}

// newHelpStyles makes the styles of cs; plain drops the code blocks'
// vertical padding, for output without colours.
func newHelpStyles(cs fang.ColorScheme, plain bool) helpStyles {
	fg := func(s lipgloss.Style, c color.Color) lipgloss.Style {
		if c == nil {
			return s
		}
		return s.Foreground(c)
	}
	code := lipgloss.NewStyle()
	if cs.Codeblock != nil {
		code = code.Background(cs.Codeblock)
	}
	list := lipgloss.NewStyle()
	block := fg(code, cs.Base).MarginLeft(2).Padding(1, 2)
	if plain {
		block = block.PaddingTop(0).PaddingBottom(0)
	}
	return helpStyles{
		text:         fg(list, cs.Base),
		title:        fg(lipgloss.NewStyle().Bold(true), cs.Title).Transform(strings.ToUpper).Padding(1, 0).Margin(0, 2),
		description:  fg(list, cs.Description),
		flagDefault:  fg(list, cs.FlagDefault),
		block:        block,
		name:         fg(code, cs.Program),
		command:      fg(code, cs.Command),
		flag:         fg(code, cs.Flag),
		argument:     fg(code, cs.Argument),
		dimmed:       fg(code, cs.DimmedArgument),
		comment:      fg(code, cs.Comment),
		quoted:       fg(code, cs.QuotedString),
		listCommand:  fg(list, cs.Command),
		listFlag:     fg(list, cs.Flag),
		listArgument: fg(list, cs.DimmedArgument),
		plain:        plain,
	}
}

// helpFunc prints a command's help: its description, usage, examples,
// subcommands and flags, wrapped to the output's width.
func helpFunc(cmd *cobra.Command, _ []string) {
	out := cmd.OutOrStdout()
	w := colorprofile.NewWriter(out, os.Environ())
	dark := false
	if f, ok := out.(*os.File); ok && term.IsTerminal(f.Fd()) {
		dark = lipgloss.HasDarkBackground(os.Stdin, f)
	}
	cs, plain := fang.DefaultColorScheme(lipgloss.LightDark(dark)), w.Profile <= colorprofile.Ascii
	if plain {
		// No colours at all, so that no styled padding is left at the
		// ends of lines once the writer strips the styles.
		cs = fang.ColorScheme{}
	}
	st := newHelpStyles(cs, plain)
	_, _ = io.WriteString(w, renderHelp(cmd, st, helpWidth(out)))
}

// helpWidth is the width to wrap help at: the terminal's, up to 120
// columns, or 80 when the output is not a terminal.
func helpWidth(out io.Writer) int {
	f, ok := out.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return pipeWidth
	}
	w, _, err := term.GetSize(f.Fd())
	if err != nil || w <= 0 {
		return pipeWidth
	}
	return max(min(w, maxHelpWidth), minHelpWidth)
}

// renderHelp lays a command's help out for width columns.
func renderHelp(cmd *cobra.Command, st helpStyles, width int) string {
	var b strings.Builder
	line := func(s string) { b.WriteString(strings.TrimRight(s, " ") + "\n") }
	block := func(s string) {
		for _, l := range strings.Split(s, "\n") {
			line(l)
		}
	}

	if long := strings.TrimSpace(cmp(cmd.Long, cmd.Short)); long != "" {
		line("")
		for _, l := range reflow(long, width-2) {
			line("  " + st.text.Render(l))
		}
	}

	// Code blocks: the margin, the padding, and what is left for text.
	inner := width - st.block.GetHorizontalFrameSize()
	block(st.title.Render("usage"))
	block(st.block.Render(renderCode(cmd, []string{useLine(cmd)}, st, inner)))
	if examples := exampleLines(cmd.Example); len(examples) > 0 {
		block(st.title.Render("examples"))
		block(st.block.Render(renderCode(cmd, examples, st, inner)))
	}

	cmds, flags := commandRows(cmd, st), flagRows(cmd, st)
	keyWidth := 10
	for _, r := range append(append([]helpRow(nil), cmds...), flags...) {
		keyWidth = max(keyWidth, ansi.StringWidth(r.key)+2)
	}
	keyWidth = min(keyWidth, (width-4)/2)
	for _, group := range []struct {
		title string
		rows  []helpRow
	}{{"commands", cmds}, {"flags", flags}} {
		if len(group.rows) == 0 {
			continue
		}
		block(st.title.Render(group.title))
		for _, r := range group.rows {
			for _, l := range r.render(st, keyWidth, width) {
				line(l)
			}
		}
	}
	line("")
	return b.String()
}

// reflow wraps a description to width: lines of prose are joined into
// paragraphs and wrapped at spaces; an indented line (a list, a table)
// keeps its layout, and is wrapped only when too wide, under its text.
func reflow(text string, width int) []string {
	var out, para []string
	flush := func() {
		if len(para) > 0 {
			out = append(out, wrapWords(strings.Join(para, " "), width)...)
			para = nil
		}
	}
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimRight(l, " ")
		switch {
		case l == "":
			flush()
			out = append(out, "")
		case !strings.HasPrefix(l, " "):
			para = append(para, l)
		default:
			flush()
			out = append(out, wrapIndented(l, width)...)
		}
	}
	flush()
	return out
}

// wrapIndented wraps an indented line too wide for width, its following
// lines under its text: after a short marker such as "0" or ">" and the
// spaces that follow it, or two columns in.
func wrapIndented(l string, width int) []string {
	if ansi.StringWidth(l) <= width {
		return []string{l}
	}
	body := strings.TrimLeft(l, " ")
	prefix, hang := l[:len(l)-len(body)], len(l)-len(body)+2
	if marker, rest, ok := strings.Cut(body, " "); ok && utf8.RuneCountInString(marker) <= 3 {
		text := strings.TrimLeft(rest, " ")
		prefix += body[:len(body)-len(text)]
		body, hang = text, ansi.StringWidth(prefix)
	}
	lines := wrapWords(body, width-hang)
	out := make([]string, len(lines))
	for i, r := range lines {
		if i == 0 {
			out[i] = prefix + r
		} else {
			out[i] = strings.Repeat(" ", hang) + r
		}
	}
	return out
}

func cmp(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// useLine is the command's usage line: its path, arguments and flags.
func useLine(cmd *cobra.Command) string {
	use := strings.TrimSpace(strings.TrimPrefix(cmd.UseLine(), cmd.CommandPath()))
	use = strings.TrimSpace(strings.ReplaceAll(use, "[flags]", ""))
	parts := []string{cmd.CommandPath()}
	if cmd.HasAvailableSubCommands() && cmd.Runnable() {
		parts = append(parts, "[command]")
	}
	if use != "" {
		parts = append(parts, use)
	}
	if cmd.HasAvailableFlags() {
		parts = append(parts, "[--flags]")
	}
	return strings.Join(parts, " ")
}

// exampleLines are an Example's lines without their common indentation,
// blank lines at either end dropped.
func exampleLines(example string) []string {
	lines := strings.Split(strings.Trim(example, "\n"), "\n")
	indent := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " "))
		if indent < 0 || n < indent {
			indent = n
		}
	}
	var out []string
	for _, l := range lines {
		if len(l) >= indent && indent > 0 {
			l = l[indent:]
		}
		out = append(out, strings.TrimRight(l, " "))
	}
	if len(out) == 1 && out[0] == "" {
		return nil
	}
	return out
}

// renderCode colours shell lines as fang does (the program, subcommands,
// flags, quoted strings, comments), wrapping a line too long for width at
// a space with a four-space indent, so that nothing is cut.
func renderCode(cmd *cobra.Command, lines []string, st helpStyles, width int) string {
	longest := 0
	var rows []string
	for _, l := range lines {
		wrapped := []string{l} // spacing kept, such as aligned comments
		if ansi.StringWidth(l) > width {
			words := strings.Join(strings.Fields(l), " ")
			first := wrapWords(words, width)[0]
			wrapped = []string{first}
			rest := strings.TrimSpace(strings.TrimPrefix(words, first))
			for _, r := range wrapWords(rest, width-4) {
				wrapped = append(wrapped, "    "+r)
			}
		}
		for _, r := range wrapped {
			longest = max(longest, ansi.StringWidth(r))
			rows = append(rows, r)
		}
	}
	for i, r := range rows {
		styled := colourShell(cmd, r, st)
		if pad := longest - ansi.StringWidth(r); pad > 0 && !st.plain {
			styled += st.argument.Render(strings.Repeat(" ", pad)) // an even block
		}
		rows[i] = styled
	}
	return strings.Join(rows, "\n")
}

// colourShell colours one line of shell: words are styled by what they
// are, spaces kept as written.
func colourShell(cmd *cobra.Command, line string, st helpStyles) string {
	var b strings.Builder
	comment, quoted := false, false
	sub := map[string]bool{}
	for _, c := range cmd.Root().Commands() {
		sub[c.Name()] = true
	}
	for _, tok := range splitKeepSpaces(line) {
		switch {
		case strings.TrimSpace(tok) == "":
			b.WriteString(st.argument.Render(tok))
		case comment || strings.HasPrefix(tok, "#"):
			comment = true
			b.WriteString(st.comment.Render(tok))
		case quoted:
			b.WriteString(st.quoted.Render(tok))
			quoted = !strings.HasSuffix(tok, "'") && !strings.HasSuffix(tok, `"`)
		case strings.HasPrefix(tok, "'") || strings.HasPrefix(tok, `"`):
			b.WriteString(st.quoted.Render(tok))
			quoted = len(tok) == 1 || tok[len(tok)-1] != tok[0]
		case tok == cmd.Root().Name():
			b.WriteString(st.name.Render(tok))
		case sub[tok]:
			b.WriteString(st.command.Render(tok))
		case strings.HasPrefix(tok, "-"):
			b.WriteString(st.flag.Render(tok))
		case tok == "|" || tok == "\\" || strings.HasPrefix(tok, "[") || strings.HasPrefix(tok, ">") || strings.HasPrefix(tok, "<"):
			b.WriteString(st.dimmed.Render(tok))
		default:
			b.WriteString(st.argument.Render(tok))
		}
	}
	return b.String()
}

// splitKeepSpaces splits s into words and runs of spaces, in order.
func splitKeepSpaces(s string) []string {
	var out []string
	start := 0
	for i := 1; i <= len(s); i++ {
		if i == len(s) || (s[i] == ' ') != (s[start] == ' ') {
			out = append(out, s[start:i])
			start = i
		}
	}
	return out
}

// helpRow is one command or flag: its name, styled, and its description.
type helpRow struct {
	key, desc, suffix string
}

// render lays a row out: the key indented by four, the description in
// its column, wrapped at spaces; a key too wide for the column puts the
// description on the lines below.
func (r helpRow) render(st helpStyles, keyWidth, width int) []string {
	indent := strings.Repeat(" ", 4+keyWidth)
	words := wrapWords(titleFirstWord(r.desc), width-4-keyWidth)
	var out []string
	first := "    " + r.key
	gap := keyWidth - ansi.StringWidth(r.key)
	if gap < 2 {
		out = append(out, first)
		first, gap = indent, 0
	}
	for i, l := range words {
		lead := indent
		if i == 0 {
			lead = first + strings.Repeat(" ", gap)
		}
		text := st.description.Render(l)
		last := i == len(words)-1
		// The default value goes on the last line when it fits.
		fits := ansi.StringWidth(l)+1+ansi.StringWidth(r.suffix) <= width-4-keyWidth
		if last && r.suffix != "" && fits {
			text += " " + st.flagDefault.Render(r.suffix)
		}
		out = append(out, lead+text)
		if last && r.suffix != "" && !fits {
			out = append(out, indent+st.flagDefault.Render(r.suffix))
		}
	}
	return out
}

// commandRows lists the available subcommands: the name and arguments
// when they are short, the name alone when not.
func commandRows(cmd *cobra.Command, st helpStyles) []helpRow {
	var rows []helpRow
	for _, c := range cmd.Commands() {
		if !c.IsAvailableCommand() && c.Name() != "help" {
			continue
		}
		use := strings.TrimSpace(strings.ReplaceAll(c.Use, "[flags]", ""))
		if ansi.StringWidth(use) > 24 {
			use = c.Name()
		}
		name, args, _ := strings.Cut(use, " ")
		key := st.listCommand.Render(name)
		if args != "" {
			key += " " + st.listArgument.Render(args)
		}
		rows = append(rows, helpRow{key: key, desc: c.Short})
	}
	return rows
}

// flagRows lists the command's flags: the name, the kind of value a flag
// that is not a switch takes, the description and the default value.
func flagRows(cmd *cobra.Command, st helpStyles) []helpRow {
	var rows []helpRow
	flag, arg := st.listFlag, st.listArgument
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		key := flag.Render("--" + f.Name)
		if f.Shorthand != "" {
			key = flag.Render("-"+f.Shorthand) + " " + key
		}
		name, usage := pflag.UnquoteUsage(f)
		if name != "" && f.Value.Type() != "bool" {
			key += " " + arg.Render(name)
		}
		row := helpRow{key: key, desc: usage}
		switch f.DefValue {
		case "", "false", "0", "[]":
		default:
			row.suffix = "(" + f.DefValue + ")"
		}
		rows = append(rows, row)
	})
	return rows
}

// wrapWords wraps text at spaces to width columns; a word longer than
// width stands alone on its line, whole.
func wrapWords(text string, width int) []string {
	width = max(width, 10)
	var lines []string
	var cur strings.Builder
	curWidth := 0
	for _, word := range strings.Fields(text) {
		w := ansi.StringWidth(word)
		if curWidth > 0 && curWidth+1+w > width {
			lines = append(lines, cur.String())
			cur.Reset()
			curWidth = 0
		}
		if curWidth > 0 {
			cur.WriteByte(' ')
			curWidth++
		}
		cur.WriteString(word)
		curWidth += w
	}
	if curWidth > 0 || len(lines) == 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// titleFirstWord capitalises a description's first letter, as fang does.
func titleFirstWord(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// newManCommand is the hidden `ftpscope man`, which prints a manual page
// made from the commands' help (roff), as fang's did.
func newManCommand() *cobra.Command {
	return &cobra.Command{
		Use:                   "man",
		Short:                 "Print the manual page",
		Hidden:                true,
		DisableFlagsInUseLine: true,
		Args:                  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			page, err := mango.NewManPage(1, cmd.Root())
			if err != nil {
				return fmt.Errorf("make the manual page: %w", err)
			}
			_, err = io.WriteString(cmd.OutOrStdout(), page.Build(roff.NewDocument()))
			return err
		},
	}
}
