package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/ftpscope/ftpscope/doctor"
	"github.com/ftpscope/ftpscope/sandbox"
)

// serveOptions are the flags of ftpscope serve.
type serveOptions struct {
	listen      string
	root        string
	users       []string
	anonymous   bool
	tls         bool
	faults      []string
	natAddress  string
	slowDelay   time.Duration
	dataTimeout time.Duration
}

// newServeCommand returns the serve subcommand, which runs the sandbox
// server on its own, for a class or a second terminal.
func newServeCommand() *cobra.Command {
	var opts serveOptions
	cmd := &cobra.Command{
		Use:   "serve [flags]",
		Short: "Run the sandbox FTP server on its own, with faults on purpose",
		Long: `serve runs ftpscope's sandbox FTP server on its own, for a class or a second
terminal, and prints a live log of every connection, command (passwords shown
as PASS ****) and reply. It serves the built-in sample tree (a fresh copy,
removed at the end) or --root FOLDER, to demo/demo and anonymous (read only)
unless --user and --anonymous say otherwise. --tls offers AUTH TLS with a
certificate made at start: its SHA-256 fingerprint is printed, and the
certificate is written to a file for clients such as curl --cacert.

Data connections are bound to the address the client connected to; PORT and
EPRT connect only to the client's own address.

Faults make the server misbehave on purpose, so that a real failure can be
shown: each one really happens on the wire, with the codes and wording of the
real server named. Give --fault NAME once per fault; several combine. Faults
can also be switched while ftpscope runs its own sandbox (:fault NAME on|off).

` + faultHelp() + `
While it runs, serve reads lines typed on its terminal: "fault NAME on" or
"fault NAME off" switches a fault from the next command, "faults" lists them.

serve runs until ctrl+c (or SIGTERM, or its terminal closes), then closes every connection, removes
the sample tree and exits with status 0: stopping is how serve ends, not a
failure. Exit status 1 when the server cannot start (the port is taken), 2
for a usage error.`,
		Example: `  ftpscope serve
  ftpscope serve --listen 127.0.0.1:2121 --tls --fault require-tls
  ftpscope serve --fault nat --fault slow --slow-delay 5s
  ftpscope serve --root ./course --user alice:secret --anonymous=false`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd.Context(), opts, cmd.InOrStdin(), transcriptWriter(cmd), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.listen, "listen", "127.0.0.1:2121", "`ADDR:PORT` to listen on (port 0 picks a free one)")
	f.StringVar(&opts.root, "root", "", "serve `FOLDER` instead of the sample tree (uploads change it)")
	f.StringArrayVar(&opts.users, "user", nil, "accept `NAME:PASSWORD` (repeatable; demo:demo when none)")
	f.BoolVar(&opts.anonymous, "anonymous", true, "accept anonymous logins, read only")
	f.BoolVar(&opts.tls, "tls", false, "offer AUTH TLS with a certificate made at start")
	f.StringArrayVar(&opts.faults, "fault", nil, "switch on a fault by `NAME` (repeatable; the faults are listed above)")
	f.StringVar(&opts.natAddress, "nat-address", "127.0.0.2", "the wrong `ADDRESS` the nat fault announces in 227")
	addDurationFlag(cmd, &opts.slowDelay, "slow-delay", sandbox.DefaultSlowDelay, "how long the slow fault waits before each reply")
	addDurationFlag(cmd, &opts.dataTimeout, "data-timeout", 30*time.Second, "how long to wait for a client's data connection")
	return cmd
}

// faultHelp lists the faults for serve --help, wrapped to fit 80
// columns.
func faultHelp() string {
	var b strings.Builder
	b.WriteString("Faults:\n")
	for _, f := range sandbox.FaultNames() {
		b.WriteString("  " + f.Name + "\n")
		text := f.Does + ". As " + f.Imitates + "."
		if f.NeedsTLS {
			text += " Needs --tls."
		}
		line := "     "
		for _, word := range strings.Fields(text) {
			if len(line)+1+len(word) > 76 {
				b.WriteString(line + "\n")
				line = "     "
			}
			line += " " + word
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// serveConfig turns the flags into the sandbox's options. Its errors are
// usage errors.
func serveConfig(opts serveOptions) (sandbox.Options, error) {
	host, port, err := sandbox.ParseListen(opts.listen)
	if err != nil {
		return sandbox.Options{}, err
	}
	cfg := sandbox.Options{
		Host:        host,
		Port:        port,
		Root:        opts.root,
		NoAnonymous: !opts.anonymous,
		TLS:         opts.tls,
		Faults:      opts.faults,
		NATAddress:  opts.natAddress,
		SlowDelay:   opts.slowDelay,
		DataTimeout: opts.dataTimeout,
	}
	if len(opts.users) > 0 {
		cfg.Users = map[string]string{}
		for _, spec := range opts.users {
			name, password, err := sandbox.ParseUser(spec)
			if err != nil {
				return sandbox.Options{}, err
			}
			cfg.Users[name] = password
		}
	}
	if opts.root != "" {
		if info, err := os.Stat(opts.root); err != nil || !info.IsDir() {
			return sandbox.Options{}, fmt.Errorf("--root %q is not a folder; give an existing folder to serve", opts.root)
		}
	}
	if opts.slowDelay <= 0 || opts.dataTimeout <= 0 {
		return sandbox.Options{}, errors.New("--slow-delay and --data-timeout must be longer than zero")
	}
	return cfg, nil
}

// runServe starts the sandbox, prints its summary and live log to out,
// and stops it when ctx ends or a stop signal comes.
func runServe(ctx context.Context, opts serveOptions, in io.Reader, out, errOut io.Writer) error {
	cfg, err := serveConfig(opts)
	if err != nil {
		return usageError{err}
	}
	// The sandbox calls Log one entry at a time; the lines typed on the
	// terminal are answered under the same lock, so lines never mix.
	var mu sync.Mutex
	say := func(line string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintln(out, line)
	}
	cfg.Log = func(e sandbox.LogEntry) { say(e.Format()) }
	srv, err := sandbox.Start(cfg)
	var unknown *sandbox.UnknownFaultError
	var needsTLS *sandbox.FaultNeedsTLSError
	switch {
	case errors.As(err, &unknown):
		return usageError{unknown}
	case errors.As(err, &needsTLS):
		return usageError{needsTLS}
	case errors.Is(err, syscall.EADDRINUSE):
		return fmt.Errorf("%s is already in use: choose another port with --listen (port 0 picks a free one)", opts.listen)
	case err != nil:
		return err
	}
	defer srv.Close()
	certFile := ""
	if srv.Cert != nil {
		if certFile, err = writeCertificate(srv.Cert); err != nil {
			return err
		}
		defer os.Remove(certFile)
	}
	// The summary is read by people and copied from: it is wrapped to the
	// terminal (80 columns in a pipe), commands kept whole. The live log
	// keeps one line per event, for grep.
	width := plainWidth(out)
	for _, line := range srv.Summary(cfg, certFile) {
		if line.Command {
			say(doctor.WrapCommand(line.Text, width))
		} else {
			say(doctor.Wrap(line.Text, width))
		}
	}
	say(doctor.Wrap("  · "+sandbox.ServeHelp, width))
	// Lines typed while serving switch faults; the reading ends with the
	// input (a closed or empty standard input leaves the server running).
	go func() {
		sc := bufio.NewScanner(in)
		for sc.Scan() {
			replies, err := srv.Control(sc.Text())
			if err != nil {
				say(doctor.Wrap("  ✗ "+err.Error(), width))
			}
			for _, r := range replies {
				say(doctor.Wrap("  · "+r, width))
			}
		}
	}()
	ctx, stop := signal.NotifyContext(ctx, stopSignals...)
	defer stop()
	<-ctx.Done()
	fmt.Fprintln(errOut, "ftpscope serve: stopped; closing every connection")
	return nil
}

// writeCertificate writes the sandbox's certificate to a new file in the
// temporary folder, for clients to trust, and returns its path.
func writeCertificate(cert *sandbox.Certificate) (string, error) {
	f, err := os.CreateTemp("", "ftpscope-serve-*.pem")
	if err != nil {
		return "", fmt.Errorf("write the certificate for clients: %w", err)
	}
	if _, err := f.Write(cert.PEM); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", fmt.Errorf("write the certificate for clients: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("write the certificate for clients: %w", err)
	}
	return f.Name(), nil
}
