package main

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
	"github.com/ftpscope/ftpscope/tui"
)

// uiOptions are the root command's flags and argument.
type uiOptions struct {
	target         string
	login          bool
	connectTimeout time.Duration
	replyTimeout   time.Duration
}

// runUI connects to the target, or to a fresh sandbox, and runs the TUI.
func runUI(ctx context.Context, opts uiOptions) error {
	cat, err := catalog.Load()
	if err != nil {
		return fail("load the catalogue: %w", err)
	}
	var (
		target protocol.Target
		intro  []string
		login  *tui.Login
	)
	if opts.target == "" {
		if opts.login {
			return usageError{fmt.Errorf("--login needs a URL with a user, such as ftp://demo:demo@127.0.0.1:2121")}
		}
		srv, err := sandbox.Start(sandbox.Options{})
		if err != nil {
			return fail("start the sandbox server: %w", err)
		}
		defer srv.Close()
		target, _ = protocol.ParseTarget(srv.Addr)
		intro = []string{
			fmt.Sprintf("sandbox FTP server on %s, serving a sample tree that is deleted on exit", srv.Addr),
			"log in: USER demo, then PASS with the password demo (or USER anonymous); :help lists keys and commands",
		}
	} else {
		target, err = protocol.ParseTarget(opts.target)
		if err != nil {
			return usageError{err}
		}
		switch {
		case opts.login && target.User == "":
			return usageError{fmt.Errorf("--login needs a user in the URL, such as ftp://user:password@%s", target.Addr())}
		case opts.login:
			login = &tui.Login{User: target.User, Password: target.Password}
		case target.User != "":
			intro = append(intro, fmt.Sprintf("the URL names user %q: type USER and PASS to log in (ftpscope sends nothing you did not ask for; --login sends them for you)", target.User))
		}
	}
	cfg := protocol.Config{Addr: target.Addr(), ConnectTimeout: opts.connectTimeout, ReplyTimeout: opts.replyTimeout}
	model := tui.New(tui.Options{
		Catalog: cat,
		Connect: func() *protocol.Session { return protocol.Dial(cfg) },
		Target:  target.Addr(),
		Intro:   intro,
		Login:   login,
	})
	p := tea.NewProgram(model, tea.WithContext(ctx))
	if _, err := p.Run(); err != nil {
		return fail("run the terminal UI: %w", err)
	}
	return nil
}
