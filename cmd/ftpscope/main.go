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

	"charm.land/fang/v2"
	"github.com/spf13/cobra"

	"github.com/ftpscope/ftpscope/protocol"
)

// Exit codes, documented in the README and in --help.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// usageError marks an error the user can fix by changing the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func main() {
	// ftpscope itself never logs; goftp.io/server, behind the sandbox,
	// reports some errors (SIZE or MDTM of a missing file) with the
	// standard logger, which would draw over the terminal UI or interleave
	// with a run transcript. Its session events already carry the replies.
	log.SetOutput(io.Discard)
	root := newRootCommand()
	err := fang.Execute(context.Background(), root, fang.WithoutVersion(), fang.WithErrorHandler(printError))
	os.Exit(exitCode(err))
}

// exitCode is the exit status for the error a command returned: 0 for
// none, 2 for a usage error, 1 for anything else.
func exitCode(err error) int {
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue) || isCobraUsage(err):
		return exitUsage
	default:
		return exitFailure
	}
}

// printError prints an error as one plain line on standard error, the
// same in a terminal and in a pipe, so scripts can match it; usage errors
// add where to read more.
func printError(w io.Writer, _ fang.Styles, err error) {
	// Errors can quote the server (a certificate, a reply): escape them.
	fmt.Fprintf(w, "ftpscope: %s\n", protocol.Escape(err.Error()))
	if exitCode(err) == exitUsage {
		fmt.Fprintln(w, "Run 'ftpscope --help' for usage.")
	}
}

// isCobraUsage recognises cobra's own usage errors (unknown flag, wrong
// number of arguments), which it returns as plain errors.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, prefix := range []string{"unknown flag", "unknown shorthand flag", "unknown command", "accepts ", "requires ", "flag needs an argument", "invalid argument", "bad flag syntax"} {
		if len(msg) >= len(prefix) && msg[:len(prefix)] == prefix {
			return true
		}
	}
	return false
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

Subcommands: run plays a script without the UI; explain and compare print
the catalogue's entries.

Exit status: 0 on success, 1 when ftpscope could not run, 2 for a usage error.`,
		Example: `  ftpscope                               # the built-in sandbox server
  ftpscope ftp.example.org               # port 21
  ftpscope 127.0.0.1:2121
  ftpscope --login ftp://demo:demo@127.0.0.1:2121`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.target = args[0]
			}
			return runUI(cmd.Context(), opts)
		},
	}
	addUIFlags(root, &opts)
	root.AddCommand(newExplainCommand(), newCompareCommand())
	root.AddCommand(newRunCommand())
	return root
}

// fail wraps an error for fang to print, keeping usage errors typed.
func fail(format string, args ...any) error {
	return fmt.Errorf(format, args...)
}
