package main

import (
	"fmt"
	"strings"
	"testing"

	"charm.land/fang/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/ftpscope/ftpscope/internal/goldentest"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// plainHelp renders cmd's help without colours at width.
func plainHelp(cmd *cobra.Command, width int) string {
	return ansi.Strip(renderHelp(cmd, newHelpStyles(fang.ColorScheme{}, true), width))
}

// everyCommand is the root command and its subcommands.
func everyCommand() []*cobra.Command {
	root := newRootCommand()
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	return append([]*cobra.Command{root}, root.Commands()...)
}

// TestHelpWrapsAtWidth checks every command's help at several widths: no
// line wider than the width (but for one word longer than that), none
// ending with spaces, and every word of
// every flag's description whole (fang let the terminal cut "clear te|xt"
// at 80 columns).
func TestHelpWrapsAtWidth(t *testing.T) {
	for _, cmd := range everyCommand() {
		for _, width := range []int{40, 60, 80, 120} {
			t.Run(fmt.Sprintf("%s/%d", cmd.Name(), width), func(t *testing.T) {
				out := plainHelp(cmd, width)
				words := map[string]bool{}
				for i, l := range strings.Split(out, "\n") {
					// Only a word longer than the room may stick out, whole.
					if w := ansi.StringWidth(l); w > width && len(strings.Fields(l)) > 1 {
						t.Errorf("line %d is %d columns wide, more than %d: %q", i+1, w, width, l)
					}
					if strings.HasSuffix(l, " ") {
						t.Errorf("line %d ends with spaces: %q", i+1, l)
					}
					for _, w := range strings.Fields(l) {
						words[w] = true
					}
				}
				cmd.Flags().VisitAll(func(f *pflag.Flag) {
					_, usage := pflag.UnquoteUsage(f)
					for _, w := range strings.Fields(usage)[1:] { // the first is capitalised
						if !words[w] {
							t.Errorf("--%s: the word %q is not whole in the help", f.Name, w)
						}
					}
				})
			})
		}
	}
}

// TestHelpKeepsEveryWord checks that wrapping a command's description
// neither loses nor repeats a word, at any width.
func TestHelpKeepsEveryWord(t *testing.T) {
	for _, cmd := range everyCommand() {
		want := strings.Fields(strings.TrimSpace(cmd.Long))
		for _, width := range []int{38, 58, 78, 118} {
			got := strings.Fields(strings.Join(reflow(strings.TrimSpace(cmd.Long), width), "\n"))
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s at %d columns: the words of the description changed:\n%s", cmd.Name(), width, strings.Join(reflow(cmd.Long, width), "\n"))
			}
		}
	}
}

// TestHelpGolden pins the layout of a command's help at 80 columns, on
// a command whose flags change rarely.
func TestHelpGolden(t *testing.T) {
	for _, cmd := range everyCommand() {
		if cmd.Name() == "compare" {
			goldentest.Check(t, "help-compare-80.golden", plainHelp(cmd, 80))
		}
	}
}

// TestHelpDefaultsMeanSomething checks that no flag's help shows a
// default that is only a sentinel ("(-1)" for --split, which means "the
// remembered layout"): a default shown must be a value the user could
// give.
func TestHelpDefaultsMeanSomething(t *testing.T) {
	for _, cmd := range everyCommand() {
		out := plainHelp(cmd, 200)
		if strings.Contains(out, "(-1)") {
			t.Errorf("%s --help shows a default of -1:\n%s", cmd.Name(), out)
		}
	}
}
