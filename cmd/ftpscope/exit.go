package main

// Exit statuses and the errors that choose them. Every command's error
// is sorted by type (errors.Is and errors.As), never by its text:
//
//	0    success
//	1    failure: a connection, TLS or data connection that failed, a
//	     script stopped early, a 4xx or 5xx reply in ftpscope run
//	     without --allow-failures
//	2    usage error (usageError), before anything was sent
//	130  interrupted by ctrl+c or SIGTERM (errInterrupted), as a shell
//	     reports a program ended by SIGINT

import (
	"context"
	"errors"

	"github.com/ftpscope/ftpscope/diagnose"
)

// Exit codes, documented in the README and in --help.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// errInterrupted ends a command stopped by ctrl+c or SIGTERM.
var errInterrupted = errors.New("interrupted")

// shownError is a failure the transcript already shows (its error line,
// or the session's own error and close events): main prints nothing more,
// so every fatal error is printed once.
type shownError struct{ err error }

// Error is the error in the transcript's plain words.
func (e shownError) Error() string { return diagnose.Describe(e.err).String() }
func (e shownError) Unwrap() error { return e.err }

// repliesFailed ends a script that ran to its end with replies of class
// 4 or 5, without --allow-failures. Its message, on standard error, names
// the first; the transcript shows them all.
type repliesFailed struct{ first string }

func (e repliesFailed) Error() string { return "the script ran to its end, but " + e.first }

// exitCode is the exit status for the error a command returned.
func exitCode(err error) int {
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errInterrupted), errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &ue):
		return exitUsage
	default:
		return exitFailure
	}
}
