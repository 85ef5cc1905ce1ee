package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// interruptible returns a context cancelled by the first SIGINT (ctrl+c)
// or SIGTERM, for every subcommand: run stops its transfer, says goodbye
// and exits 130; the terminal UI ends. After that first signal the
// default action comes back, so a second ctrl+c ends ftpscope at once,
// for a user who will not wait for a server's goodbye. stop releases the
// signals.
func interruptible(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		cancel() // restores the default action
	}()
	return ctx, cancel
}
