package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// interruptible returns a context cancelled by the first SIGINT (ctrl+c),
// SIGTERM or SIGHUP, for every subcommand: run stops its transfer, says
// goodbye and exits 130; the terminal UI ends. SIGHUP is what closing the
// terminal's window sends: without it, ftpscope died there and left its
// sandbox's sample tree, a lesson's practice files and serve's
// certificate in the temporary folder. After that first signal the
// default action comes back, so a second ctrl+c ends ftpscope at once,
// for a user who will not wait for a server's goodbye. stop releases the
// signals.
func interruptible(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := signal.NotifyContext(parent, stopSignals...)
	go func() {
		<-ctx.Done()
		cancel() // restores the default action
	}()
	return ctx, cancel
}

// stopSignals are the signals that end ftpscope cleanly.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}
