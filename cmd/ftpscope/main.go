// Command ftpscope explores the FTP protocol by hand: a terminal UI that
// sends the commands you type, shows every reply as it arrives, and
// explains each one. With no server named, it starts a sandbox server on
// loopback and connects to it.
//
// Exit status: 0 on success, 1 when ftpscope could not run (the sandbox or
// the terminal failed), 2 for a usage error such as a malformed URL.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/ftpscope/ftpscope/internal/flagwords"
	"github.com/ftpscope/ftpscope/lesson"
	"github.com/ftpscope/ftpscope/protocol"
)

// usageError marks an error the user can fix by changing the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// commandError names the command an error came from, such as
// "ftpscope run", so that a usage error points at that command's --help.
type commandError struct {
	path string
	err  error
}

func (e commandError) Error() string { return e.err.Error() }
func (e commandError) Unwrap() error { return e.err }

func main() {
	// ftpscope itself never logs; goftp.io/server, behind the sandbox,
	// reports some errors (SIZE or MDTM of a missing file) with the
	// standard logger, which would draw over the terminal UI or interleave
	// with a run transcript. Its session events already carry the replies.
	log.SetOutput(io.Discard)
	root := newRootCommand()
	ctx, stop := interruptible(context.Background())
	err := execute(ctx, root)
	stop()
	os.Exit(exitCode(err))
}

// execute runs the command line as fang.Execute would, with ftpscope's
// help (help.go: fang's look, wrapped at the terminal's width) and its
// one-line errors: cobra prints neither usage nor errors itself.
func execute(ctx context.Context, root *cobra.Command) error {
	root.SilenceUsage, root.SilenceErrors = true, true
	root.SetHelpFunc(helpFunc)
	root.AddCommand(newManCommand())
	err := root.ExecuteContext(ctx)
	if err != nil {
		printError(root.ErrOrStderr(), err)
	}
	return err
}

// printError prints an error as one plain line on standard error, the
// same in a terminal and in a pipe, so scripts can match it; usage errors
// add where to read more.
func printError(w io.Writer, err error) {
	var shown shownError
	if errors.As(err, &shown) || errors.Is(err, errInterrupted) {
		return // the transcript says it
	}
	// Errors can quote the server (a certificate, a reply): escape them.
	// A malformed lesson file's problems are one line each.
	var lessonErrs lesson.Errors
	if errors.As(err, &lessonErrs) {
		for _, e := range lessonErrs {
			fmt.Fprintf(w, "ftpscope: %s\n", protocol.Escape(e.Error()))
		}
	} else {
		fmt.Fprintf(w, "ftpscope: %s\n", protocol.Escape(err.Error()))
	}
	if exitCode(err) == exitUsage {
		path := "ftpscope"
		var ce commandError
		if errors.As(err, &ce) {
			path = ce.path
		}
		fmt.Fprintf(w, "Run '%s --help' for usage.\n", path)
	}
}

// markUsage makes cmd and its subcommands report their errors as
// commandError, naming the command, and their flag and argument errors
// as usageError too, so that exitCode and printError need not recognise
// cobra's messages.
func markUsage(cmd *cobra.Command) {
	if args := cmd.Args; args != nil {
		cmd.Args = func(c *cobra.Command, a []string) error {
			if err := args(c, a); err != nil {
				return commandError{c.CommandPath(), usageError{err}}
			}
			return nil
		}
	}
	if run := cmd.RunE; run != nil {
		cmd.RunE = func(c *cobra.Command, a []string) error {
			if err := run(c, a); err != nil {
				return commandError{c.CommandPath(), err}
			}
			return nil
		}
	}
	for _, sub := range cmd.Commands() {
		markUsage(sub)
	}
}

// flagError is the commands' FlagErrorFunc: a flag error is a usage
// error of the command it was given to, with pflag's wording replaced
// where ftpscope has a clearer sentence.
func flagError(cmd *cobra.Command, err error) error {
	var bad badDuration
	if errors.As(err, &bad) {
		err = bad
	} else {
		err = flagwords.Plain(err)
	}
	return commandError{cmd.CommandPath(), usageError{err}}
}

// durationFlag is a time.Duration flag whose parse error says how to
// write a duration (pflag's says "time: invalid duration").
type durationFlag struct {
	name string
	d    *time.Duration
}

// addDurationFlag declares --name on cmd, with a default value.
func addDurationFlag(cmd *cobra.Command, d *time.Duration, name string, value time.Duration, usage string) {
	*d = value
	cmd.Flags().Var(durationFlag{name, d}, name, usage)
}

func (f durationFlag) String() string {
	if f.d == nil {
		return "0s"
	}
	return f.d.String()
}

func (f durationFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return badDuration{f.name, s}
	}
	*f.d = d
	return nil
}

func (f durationFlag) Type() string { return "duration" }

// badDuration is the error of a durationFlag given something else.
type badDuration struct{ flag, value string }

func (e badDuration) Error() string {
	return fmt.Sprintf("--%s %q is not a duration: write it like 30s or 2m", e.flag, e.value)
}

// transcriptWriter is where a command prints what it was asked for (a
// transcript): standard output.
func transcriptWriter(cmd *cobra.Command) io.Writer {
	return cmd.OutOrStdout()
}

func newRootCommand() *cobra.Command {
	var opts uiOptions
	root := &cobra.Command{
		Use:   "ftpscope [ftp://[user[:password]@]host[:port] | ftps://… | host[:port]]",
		Short: "Explore the FTP protocol by hand, with every reply explained",
		Long: `ftpscope is a terminal program for exploring FTP by hand. Type raw protocol
commands (USER, PASS, PASV, LIST, FEAT, AUTH TLS ...), watch the control
connection live, and read an explanation of every reply: its digits, what it
means, and what to do next.

With no argument, ftpscope starts a sandbox FTP server on 127.0.0.1 and
connects to it (log in as demo/demo, or anonymous). Credentials in a URL are
not sent unless you pass --login; otherwise type USER and PASS yourself.

ftps:// connects with implicit TLS (port 990); --tls upgrades with AUTH TLS
and refuses to send a password in clear text. Certificates are verified; an
untrusted one is shown (subject, issuer, validity, SHA-256) and you decide.

Subcommands: run plays a script without the UI; doctor checks a server and
explains what is wrong; learn teaches FTP in lessons; serve runs the sandbox
on its own, with faults on purpose, for a class; open explains a recorded
session; explain and compare print the catalogue's entries.

Exit status: 0 on success, 1 when ftpscope could not run, 2 for a usage
error, 130 when interrupted.`,
		Example: `  ftpscope                               # the built-in sandbox server
  ftpscope ftp.example.org               # port 21
  ftpscope 127.0.0.1:2121
  ftpscope --login ftp://demo:demo@127.0.0.1:2121`,
		Args: atMostOneServer,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.target = args[0]
			}
			return runUI(cmd.Context(), opts)
		},
	}
	addUIFlags(root, &opts)
	root.AddCommand(newExplainCommand(), newCompareCommand())
	root.AddCommand(newRunCommand(), newOpenCommand(), newLearnCommand(), newDoctorCommand())
	root.AddCommand(newServeCommand())
	root.SetFlagErrorFunc(flagError) // inherited by the subcommands
	markUsage(root)
	return root
}

// fail wraps an error for printError, keeping usage errors typed.
func fail(format string, args ...any) error {
	return fmt.Errorf(format, args...)
}
