package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// interruptible returns a context cancelled by the first SIGINT (ctrl+c),
// SIGTERM or SIGHUP (the terminal window was closed), for every
// subcommand: run stops its transfer, says goodbye and exits 130; the
// terminal UI ends, and its sandbox's sample tree is removed rather than
// left in the temporary folder. After that first signal the
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

// stopSignals end ftpscope as ctrl+c does: SIGHUP too, as a closed
// terminal window sends it, and its default action would kill ftpscope
// before it removes its temporary files.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}
