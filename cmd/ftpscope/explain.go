package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/tui"
)

// newExplainCommand builds `ftpscope explain CODE|COMMAND...`.
func newExplainCommand() *cobra.Command {
	var after string
	var width int
	cmd := &cobra.Command{
		Use:   "explain CODE|COMMAND...",
		Short: "Explain reply codes and commands from the built-in catalogue",
		Long: `Explain prints the catalogue's entry for each reply code or command named:
for a code, its digits read one by one, what it means, when you see it, what
to do, and where it is defined; for a command, its syntax, what it does,
whether it opens a data connection, and the replies the RFCs list for it.

A command may come with its argument, as typed to a server (AUTH TLS);
the argument is not explained. A code that is not in the catalogue (299,
599) is explained from its digits.
With --after, a code is explained as the answer to that command, with the
advice for that pairing and a note when the RFCs do not list it.

Output is styled in a terminal and plain text in a pipe; NO_COLOR is
honoured. Exit status: 0 on success, 2 for a name that is neither a code
nor a known command.`,
		Example: `  ftpscope explain 331
  ftpscope explain USER PASV
  ftpscope explain AUTH TLS
  ftpscope explain 350 --after RNFR
  ftpscope explain 202 331 | less`,
		Args: minimumArgs(1, "one or more reply codes or commands, such as 331 or USER"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := catalog.Load()
			if err != nil {
				return fail("load the catalogue: %w", err)
			}
			docs, err := cat.ExplainDocs(args, after)
			if err != nil {
				return usageError{err}
			}
			return printDocs(cmd.OutOrStdout(), docs, width)
		},
	}
	cmd.Flags().StringVar(&after, "after", "", "explain codes as the reply to `COMMAND`, such as USER or RETR")
	cmd.Flags().IntVar(&width, "width", 0, "wrap at this many columns (default: the terminal's width, or 80)")
	return cmd
}

// newCompareCommand builds `ftpscope compare A B`.
func newCompareCommand() *cobra.Command {
	var width int
	cmd := &cobra.Command{
		Use:   "compare CODE CODE",
		Short: "Compare two reply codes side by side",
		Long: `Compare shows two reply codes side by side: the key differences first
(class and so what the client does next, transient versus permanent, the
commands that produce each), then each code's digits, meaning, when you see
it, what to do and where it is defined.

Output is styled in a terminal and plain text in a pipe. Exit status: 0 on
success, 2 when an argument is not a reply code.`,
		Example: `  ftpscope compare 202 331
  ftpscope compare 450 550
  ftpscope compare 425 426`,
		Args: exactArgs(2, "two reply codes, such as 202 331"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := catalog.Load()
			if err != nil {
				return fail("load the catalogue: %w", err)
			}
			doc, err := cat.CompareDocFor(args[0], args[1])
			if err != nil {
				return usageError{fmt.Errorf("%w; compare takes two codes such as 202 331", err)}
			}
			return printDocs(cmd.OutOrStdout(), []catalog.Doc{doc}, width)
		},
	}
	cmd.Flags().IntVar(&width, "width", 0, "wrap at this many columns (default: the terminal's width, or 80)")
	return cmd
}

// printDocs writes documents separated by a blank line: styled and as wide
// as the terminal when w is one, plain text 80 columns wide otherwise.
func printDocs(w io.Writer, docs []catalog.Doc, width int) error {
	styles := tui.PlainStyles()
	out := w
	if f, ok := w.(*os.File); ok && term.IsTerminal(f.Fd()) {
		styles = tui.DefaultStyles()
		out = colorprofile.NewWriter(w, os.Environ())
		if width == 0 {
			if tw, _, err := term.GetSize(f.Fd()); err == nil && tw > 0 {
				width = min(tw, 120)
			}
		}
	}
	if width == 0 {
		width = 80
	}
	if width < 20 {
		return usageError{errors.New("--width must be at least 20")}
	}
	var b strings.Builder
	for i, doc := range docs {
		if i > 0 {
			b.WriteString("\n")
		}
		for _, line := range tui.RenderDoc(doc, width, styles) {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
		}
	}
	_, err := io.WriteString(out, b.String())
	return err
}
