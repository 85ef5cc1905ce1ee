package main

import (
	"context"
	"crypto/x509"
	"fmt"
	"os"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/doctor"
	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
	"github.com/ftpscope/ftpscope/tui"
)

// uiOptions are the root command's flags and argument.
type uiOptions struct {
	target         string
	login          bool
	tls            bool
	insecure       bool
	pasvAddress    string
	connectTimeout time.Duration
	replyTimeout   time.Duration
	noHistory      bool
	// lesson, when set, plays a lesson against the sandbox (learn NAME).
	lesson *lessonRun
	// The presenter's flags: a script to play, presentation mode, the
	// split, and the message log.
	play    string
	present bool
	split   splitFlag
	logPath string
}

// addUIFlags declares the root command's flags.
func addUIFlags(cmd *cobra.Command, opts *uiOptions) {
	f := cmd.Flags()
	f.BoolVar(&opts.login, "login", false, "send the URL's user and password (USER, PASS) right after connecting")
	f.BoolVar(&opts.tls, "tls", false, "send AUTH TLS after the greeting and refuse to send USER or PASS in clear text")
	f.BoolVar(&opts.insecure, "insecure", false, "accept a server certificate that does not verify (it is still shown)")
	f.StringVar(&opts.pasvAddress, "pasv-address", "peer", "where data connections go after PASV: peer (the control connection's address) or server (the address in the 227 reply)")
	addDurationFlag(cmd, &opts.connectTimeout, "connect-timeout", protocol.DefaultConnectTimeout, "how long to wait for the connection and TLS handshakes")
	addDurationFlag(cmd, &opts.replyTimeout, "reply-timeout", protocol.DefaultReplyTimeout, "how long to wait for each reply before giving up")
	f.BoolVar(&opts.noHistory, "no-history", false, "keep no command history on disk (it never holds PASS or ACCT lines anyway)")
	f.StringVar(&opts.play, "play", "", "play a prepared demonstration from `FILE`: each enter puts the script's next line in the input, a second enter sends it (see docs/PLAY.md)")
	f.BoolVar(&opts.present, "present", false, "start in presentation mode, for a projector (f6 toggles it)")
	f.Var(&opts.split, "split", "the side panel's share of a wide screen, in `PERCENT` (20-75), or 0 to hide it; without it, the last layout f7, f8 and f9 left (40 at first)")
	f.StringVar(&opts.logPath, "log", "", "append the session to `FILE` as it runs, one line per event, passwords masked (:log FILE does the same later)")
}

// runUI connects to the target, or to a fresh sandbox, and runs the TUI.
func runUI(ctx context.Context, opts uiOptions) error {
	if opts.pasvAddress != "peer" && opts.pasvAddress != "server" {
		return usageError{fmt.Errorf("--pasv-address must be peer or server, not %q", opts.pasvAddress)}
	}
	if opts.connectTimeout <= 0 || opts.replyTimeout <= 0 {
		return usageError{fmt.Errorf("--connect-timeout and --reply-timeout take a positive duration, such as 10s or 1m")}
	}
	cat, err := catalog.Load()
	if err != nil {
		return fail("load the catalogue: %w", err)
	}
	pres, err := presenterOptions(opts)
	if err != nil {
		return err
	}
	defer pres.log.Close()
	var (
		target protocol.Target
		intro  []string
		login  *tui.Login
		roots  *x509.CertPool
		// setFault switches the sandbox's faults, for :fault and --play's !fault.
		setFault func(name string, on bool) error
		// faultStates lists the sandbox's faults, for :fault.
		faultStates func() []tui.FaultState
	)
	if opts.target == "" {
		if opts.login {
			return usageError{fmt.Errorf("--login needs a URL with a user, such as ftp://demo:demo@127.0.0.1:2121")}
		}
		srv, err := sandbox.Start(sandbox.Options{TLS: true})
		if err != nil {
			return fail("start the sandbox server: %w", err)
		}
		defer srv.Close()
		faultStates, setFault = sandboxFaultStates(srv), srv.SetFault
		target, _ = protocol.ParseTarget(srv.Addr)
		// ftpscope made the sandbox's certificate, so it trusts exactly
		// that one: AUTH TLS works and is still verified.
		roots = srv.Cert.Pool()
		intro = []string{
			fmt.Sprintf("sandbox FTP server on %s, serving a sample tree that is deleted on exit", srv.Addr),
			"log in: USER demo, then PASS with the password demo (or USER anonymous); :help lists keys and commands",
			"try PASV then LIST, TYPE I, EPSV then RETR pub/hello.txt, or AUTH TLS before logging in",
		}
		if opts.lesson != nil {
			intro, login = opts.lesson.start(srv, cat)
		}
	} else {
		target, err = protocol.ParseTarget(opts.target)
		if err != nil {
			return usageError{err}
		}
		switch {
		case opts.tls && target.ImplicitTLS:
			return usageError{errTLSWithFTPS}
		case opts.login && target.User == "":
			return usageError{fmt.Errorf("--login needs a user in the URL, such as ftp://user:password@%s", target.Addr())}
		case opts.login:
			login = &tui.Login{User: target.User, Password: target.Password}
		case target.User != "":
			intro = append(intro, fmt.Sprintf("the URL names user %q: type USER and PASS to log in (ftpscope sends nothing you did not ask for; --login sends them for you)", target.User))
		}
	}
	base := protocol.Config{
		ConnectTimeout:       opts.connectTimeout,
		ReplyTimeout:         opts.replyTimeout,
		RequireTLS:           opts.tls,
		Insecure:             opts.insecure,
		AskTrust:             !opts.insecure,
		FollowPassiveAddress: opts.pasvAddress == "server",
	}
	sandboxAddr := ""
	if roots != nil {
		sandboxAddr = target.Addr()
	}
	var opened sessions
	connect := func(t protocol.Target) *protocol.Session {
		cfg := base
		cfg.Addr, cfg.ImplicitTLS = t.Addr(), t.ImplicitTLS
		if t.Addr() == sandboxAddr {
			cfg.RootCAs = roots // only the sandbox's own certificate is trusted this way
		}
		return opened.add(protocol.Dial(cfg))
	}
	// :doctor checks a server with the session's own TLS settings, as the
	// user of the URL (or --login), demo on the sandbox, else anonymous.
	checkServer := func(ctx context.Context, t protocol.Target, progress func(doctor.Progress)) *doctor.Report {
		o := doctor.Options{
			Addr: t.Addr(), ImplicitTLS: t.ImplicitTLS, TLS: opts.tls, Insecure: opts.insecure,
			User: t.User, Password: t.Password, Catalog: cat,
		}
		if t.Addr() == sandboxAddr {
			o.RootCAs, o.User, o.Password = roots, sandbox.DemoUser, sandbox.DemoPassword
		}
		return doctor.Run(ctx, o, progress)
	}
	warnings, err := checkScriptFaults(pres.script, setFault != nil)
	if err != nil {
		return err
	}
	intro = append(intro, warnings...)
	history, warning := loadHistory(opts.noHistory)
	if warning != "" {
		intro = append(intro, warning)
	}
	intro = append(intro, pres.warnings...)
	intro = append(intro, preloadLines(os.Getenv("FTPSCOPE_DEBUG_PRELOAD"))...)
	if pres.log != nil {
		intro = append(intro, "appending the session to "+pres.log.Path()+" as it runs (passwords masked); :log off stops")
	}
	programOpts, pastes := terminalInput(ctx)
	model := tui.New(tui.Options{
		Catalog:     cat,
		Connect:     connect,
		Target:      target,
		Intro:       intro,
		Login:       login,
		History:     history,
		Pastes:      pastes,
		Lesson:      opts.lesson.options(),
		FaultStates: faultStates,

		Layout:     pres.layout,
		LayoutPath: pres.layoutPath,
		Present:    opts.present,
		Play:       pres.script,
		SetFault:   setFault,
		Log:        pres.log,
		Doctor:     checkServer,
	})
	p := tea.NewProgram(model, programOpts...)
	_, err = p.Run()
	// Quitting ends the session in the background (QUIT, or a close when
	// the server is not answering); let it end, so a download being saved
	// keeps or discards its file, leaving no temporary file behind. This
	// bounds how long ftpscope lingers after its window is gone; it orders
	// nothing.
	opened.wait(exitGrace)
	if ctx.Err() != nil {
		return errInterrupted // SIGTERM, or SIGINT from outside the terminal
	}
	if err != nil {
		return fail("run the terminal UI: %w", err)
	}
	return nil
}

// loadHistory loads the command history from the XDG state directory. A
// history that cannot be read is replaced by an empty one kept in memory,
// with a warning to show.
func loadHistory(off bool) (*tui.History, string) {
	if off {
		return tui.NewHistory(""), ""
	}
	path, err := tui.DefaultHistoryPath()
	if err != nil {
		return tui.NewHistory(""), "command history is off: " + err.Error()
	}
	h, err := tui.LoadHistory(path)
	if err != nil {
		return tui.NewHistory(""), "command history is off: " + err.Error()
	}
	return h, ""
}

// exitGrace bounds the wait, once the UI has quit, for its sessions to say
// goodbye.
const exitGrace = 2 * time.Second

// sessions records the sessions the UI opened, to wait for at exit.
type sessions struct {
	mu   sync.Mutex
	list []*protocol.Session
}

func (o *sessions) add(s *protocol.Session) *protocol.Session {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.list = append(o.list, s)
	return s
}

// wait waits until every session has ended, or limit has passed.
func (o *sessions) wait(limit time.Duration) {
	o.mu.Lock()
	list := o.list
	o.mu.Unlock()
	deadline := time.After(limit)
	for _, s := range list {
		select {
		case <-s.Done():
		case <-deadline:
			return
		}
	}
}

// terminalInput is the program's options: its context and, when standard
// input is a terminal, that terminal read through a PasteRecorder, so
// that the escape sequences Bubble Tea drops from a paste can be named.
func terminalInput(ctx context.Context) ([]tea.ProgramOption, *tui.PasteRecorder) {
	opts := []tea.ProgramOption{tea.WithContext(ctx)}
	if !term.IsTerminal(os.Stdin.Fd()) {
		return opts, nil // Bubble Tea opens the terminal itself
	}
	pastes := tui.NewPasteRecorder()
	return append(opts, tea.WithInput(pastes.Input(os.Stdin))), pastes
}
