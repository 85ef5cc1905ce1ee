package main

// Argument validators that say, in one sentence, what the command wanted.
// Cobra's own (ExactArgs, MinimumNArgs …) return plain text in cobra's
// words; these return an argCountError. markUsage makes every Args error
// a usageError (exit status 2), and flagError every flag error, so no
// error is ever recognised by its text.

import (
	"fmt"

	"github.com/spf13/cobra"
)

// argCountError is a command given the wrong number of arguments.
type argCountError struct {
	// command is the command's path, such as "ftpscope compare".
	command string
	// got is how many arguments were given; want says what was expected,
	// as a clause ("two reply codes, such as 202 331").
	got  int
	want string
}

func (e argCountError) Error() string {
	return fmt.Sprintf("%s takes %s; got %d argument%s", e.command, e.want, e.got, plural(e.got))
}

// exactArgs accepts exactly n arguments, described by want.
func exactArgs(n int, want string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return argCountError{cmd.CommandPath(), len(args), want}
		}
		return nil
	}
}

// minimumArgs accepts n arguments or more, described by want.
func minimumArgs(n int, want string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return argCountError{cmd.CommandPath(), len(args), want}
		}
		return nil
	}
}

// atMostOneServer is the Args of the commands that take a server URL.
func atMostOneServer(cmd *cobra.Command, args []string) error {
	if len(args) > 1 {
		return argCountError{cmd.CommandPath(), len(args), "at most one server URL (quote it if it contains spaces)"}
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
