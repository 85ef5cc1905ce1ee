package main

import (
	"bytes"
	"flag"
	"github.com/ftpscope/ftpscope/internal/goldentest"
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/catalog"
)

var _ = flag.Bool("update", false, "rewrite testdata/*.golden with the current output")

// runCLI runs ftpscope in-process with args and returns its output and
// the exit status main would give.
func runCLI(t *testing.T, args ...string) (string, int) {
	t.Helper()
	root := newRootCommand()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	root.SilenceUsage, root.SilenceErrors = true, true // as execute does
	err := root.Execute()
	if err != nil {
		out.WriteString("ftpscope: " + err.Error() + "\n")
	}
	return out.String(), exitCode(err)
}

func TestExplainAndCompareGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"explain-331", []string{"explain", "331"}},
		{"explain-USER", []string{"explain", "USER"}},
		{"explain-202-331", []string{"explain", "202", "331"}},
		{"explain-299", []string{"explain", "299"}},
		{"explain-10068", []string{"explain", "10068"}},
		{"explain-350-after-RNFR", []string{"explain", "350", "--after", "RNFR"}},
		{"explain-202-after-RETR", []string{"explain", "202", "--after", "retr"}},
		{"compare-202-331", []string{"compare", "202", "331"}},
		{"compare-450-550", []string{"compare", "450", "550"}},
		{"compare-425-426", []string{"compare", "425", "426"}},
		{"compare-202-331-narrow", []string{"compare", "202", "331", "--width", "50"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, code := runCLI(t, tt.args...)
			if code != exitOK {
				t.Fatalf("exit %d:\n%s", code, got)
			}
			if strings.Contains(got, "\x1b") {
				t.Errorf("output to a pipe holds escape sequences:\n%q", got)
			}
			width := 80
			if tt.name == "compare-202-331-narrow" {
				width = 50
			}
			for i, line := range strings.Split(got, "\n") {
				if n := len([]rune(line)); n > width {
					t.Errorf("line %d is %d wide, more than %d: %q", i+1, n, width, line)
				}
			}
			goldentest.Check(t, tt.name+".golden", got)
		})
	}
}

// TestExplainEveryCode prints an entry for every code and command in the
// catalogue, each with its sections.
func TestExplainEveryCode(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range append(cat.Codes(), cat.Commands()...) {
		got, code := runCLI(t, "explain", name)
		if code != exitOK || !strings.HasPrefix(got, name) {
			t.Errorf("explain %s: exit %d, output starting %q", name, code, got[:min(len(got), 40)])
		}
		for _, section := range []string{"Defined in"} {
			if !strings.Contains(got, section) {
				t.Errorf("explain %s lacks %q", name, section)
			}
		}
	}
}

func TestExplainUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"explain", "RETRR"}, `did you mean RETR`},
		{[]string{"explain", "FEET"}, `FEAT`},
		{[]string{"explain", "nosuch"}, `"nosuch" is neither a reply code nor a command in the catalogue` + "\n"},
		{[]string{"explain", "331", "--after", "LOGIN"}, `neither a reply code nor a command`},
		{[]string{"compare", "202", "USER"}, `not a reply code`},
		{[]string{"compare", "202"}, `takes two reply codes`},
		{[]string{"explain"}, `takes one or more reply codes or commands`},
	}
	for _, tt := range tests {
		got, code := runCLI(t, tt.args...)
		if code != exitUsage || !strings.Contains(got, tt.want) {
			t.Errorf("ftpscope %s: exit %d, output %q; want exit %d and %q", strings.Join(tt.args, " "), code, got, exitUsage, tt.want)
		}
	}
}

// TestSubcommandsTakeTheLocalArguments runs the cases of tui's
// TestLocalCommandsTakeTheSubcommandsArguments through the subcommands:
// what :explain and :compare accept, ftpscope explain and compare accept.
func TestSubcommandsTakeTheLocalArguments(t *testing.T) {
	tests := []struct {
		args []string
		want string // in the output
		code int
	}{
		{[]string{"explain", "550", "--after", "CWD"}, "After CWD", exitOK},
		{[]string{"explain", "--after=cwd", "550"}, "After CWD", exitOK},
		{[]string{"explain", "USER", "PASV"}, "PASV", exitOK},
		{[]string{"explain", "AUTH", "TLS"}, "AUTH (AUTHENTICATION", exitOK},
		{[]string{"explain", "331", "--width", "60"}, "331", exitOK},
		{[]string{"explain", "550", "--after", "NOPE"}, `"NOPE" is neither a reply code nor a command`, exitUsage},
		{[]string{"explain", "550", "--bogus"}, "there is no flag --bogus", exitUsage},
		{[]string{"compare", "10060", "421"}, "10060", exitOK},
		{[]string{"compare", "450", "550", "--width", "60"}, "450", exitOK},
		{[]string{"compare", "4", "5"}, `"4" is not a reply code`, exitUsage},
		{[]string{"explain", "999"}, `"999" is not a reply code`, exitUsage},
		{[]string{"explain", "2"}, `"2" is not a reply code`, exitUsage},
		{[]string{"explain", "1000"}, `"1000" is not a reply code`, exitUsage},
		{[]string{"explain", "10070"}, `"10070" is not a reply code`, exitUsage},
		{[]string{"explain", "10054"}, "10054", exitOK},
		{[]string{"explain", "699"}, "699", exitOK},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, code := runCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d, output:\n%s\nwant exit %d and %q", code, out, tt.code, tt.want)
			}
		})
	}
}
