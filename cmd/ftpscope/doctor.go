package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/doctor"
	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
)

// doctorOptions are the flags and argument of ftpscope doctor.
type doctorOptions struct {
	target         string
	tls            bool
	insecure       bool
	caCert         string
	json           bool
	markdown       bool
	write          bool
	sandbox        bool
	faults         []string
	connectTimeout time.Duration
	replyTimeout   time.Duration
}

// errProblemsFound ends a doctor run that found a problem: the report
// says which, so nothing more is printed.
var errProblemsFound = errors.New("doctor found a problem")

func newDoctorCommand() *cobra.Command {
	var opts doctorOptions
	cmd := &cobra.Command{
		Use:   "doctor [flags] [ftp://[user[:password]@]host[:port] | ftps://... | host[:port]]",
		Short: "Check an FTP server and explain what is wrong with it",
		Long: `doctor runs a sequence of checks against a server, each over a real
connection, and prints a report: a verdict for every check (ok, warning,
PROBLEM, skipped), what was found, the findings that explain it with what to
change on the client and on the server (with the setting's name for the
server software answering), and the catalogue's explanation of the replies
behind a verdict.

The checks: reachability (name lookup and TCP connect times), the greeting
(a 120, a 421, a banner), FEAT and the features it announces, TLS (AUTH TLS,
the handshake, the certificate's trust, names and expiry, the version and
cipher; the implicit handshake with ftps://), the login, passive mode with
PASV and with EPSV each followed by a listing over a real data connection
(a passive address that is private or not the server's is a NAT or
passive-address setting; a passive port that does not answer is a
firewall), active mode with PORT and EPRT, protected data (PBSZ 0, PROT P
and a listing whose TLS session resumes the control connection's), UTF-8
file names, and with --write an upload, its size and its deletion.

Credentials come from the URL, or anonymous is used. Credentials in the URL
are your consent to log in; without --tls or ftps:// they travel in clear
text, and the report says so first. Checks run one connection at a time, so
a server that allows one connection per address is checked, not refused.
A check is skipped only when the server lacks the feature or a check it
depends on failed. Doctor changes nothing on the server unless --write is
given.

On a terminal each check shows a spinner while it runs. --markdown prints a
report to attach to a support ticket, with every check's transcript
(passwords masked); --json a machine-readable one.

Exit status:
  0    no problem found (warnings may remain)
  1    a problem was found
  2    usage error
  130  interrupted (ctrl+c)`,
		Example: `  ftpscope doctor ftp://ftp.example.org
  ftpscope doctor --tls ftp://user:secret@ftp.example.org
  ftpscope doctor --markdown ftps://ftp.example.org > r.md
  ftpscope doctor --sandbox --fault nat       # see what a NAT fault looks like`,
		Args: atMostOneServer,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.target = args[0]
			}
			return runDoctor(cmd.Context(), opts, transcriptWriter(cmd), isTerminal(cmd.OutOrStdout()))
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.tls, "tls", false, "protect the session with AUTH TLS before logging in, and never send the password in clear text")
	f.BoolVar(&opts.insecure, "insecure", false, "accept a TLS certificate that does not verify (the TLS check still says why)")
	f.StringVar(&opts.caCert, "cacert", "", "trust the certificates in this PEM `FILE` as well as the system's (ftpscope serve --tls writes one)")
	f.BoolVar(&opts.json, "json", false, "print the report as JSON, with every check's transcript")
	f.BoolVar(&opts.markdown, "markdown", false, "print the report as Markdown, with every check's transcript, for a support ticket")
	f.BoolVar(&opts.write, "write", false, "also upload a small file, read its size and delete it (otherwise nothing on the server changes)")
	f.BoolVar(&opts.sandbox, "sandbox", false, "check a fresh embedded sandbox server instead of a URL (demo/demo, with TLS)")
	f.StringArrayVar(&opts.faults, "fault", nil, "with --sandbox, switch on a sandbox fault (repeatable; see ftpscope serve --help)")
	addDurationFlag(cmd, &opts.connectTimeout, "connect-timeout", doctor.DefaultConnectTimeout, "how long each connection, TLS handshake and data connection may take")
	addDurationFlag(cmd, &opts.replyTimeout, "reply-timeout", doctor.DefaultReplyTimeout, "how long to wait for each reply")
	return cmd
}

// isTerminal reports whether w is a terminal, for the live progress.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// readCertPool returns the system's roots plus the certificates of a PEM
// file.
func readCertPool(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("--cacert: there is no file %s", path)
	}
	if err != nil {
		return nil, fmt.Errorf("--cacert: cannot read %s: %w", path, errors.Unwrap(err))
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("--cacert: %s holds no PEM certificate", path)
	}
	return pool, nil
}

// terminalWidth is the width of the terminal w writes to, or 0 when it
// cannot be told.
func terminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok {
		return 0
	}
	width, _, err := term.GetSize(f.Fd())
	if err != nil {
		return 0
	}
	return width
}

// plainWidth is the width to wrap text for people at: the terminal's, or
// 80 columns when w is a pipe or a file, or its width cannot be told.
func plainWidth(w io.Writer) int {
	if width := terminalWidth(w); width > 0 {
		return width
	}
	return pipeWidth
}

// doctorTarget checks the options and says what to check: every error it
// returns is a usageError.
func doctorTarget(o doctorOptions) (protocol.Target, error) {
	switch {
	case o.json && o.markdown:
		return protocol.Target{}, usageError{errors.New("give either --json or --markdown, not both")}
	case len(o.faults) > 0 && !o.sandbox:
		return protocol.Target{}, usageError{errors.New("--fault works only with --sandbox: faults belong to ftpscope's own server")}
	}
	return serverChoice{command: "doctor", url: o.target, sandbox: o.sandbox, tls: o.tls,
		connectTimeout: o.connectTimeout, replyTimeout: o.replyTimeout}.target()
}

// runDoctor runs the checks and prints the report; it returns
// errProblemsFound when a check found a problem.
func runDoctor(ctx context.Context, o doctorOptions, out io.Writer, terminal bool) error {
	target, err := doctorTarget(o)
	if err != nil {
		return err
	}
	cat, err := catalog.Load()
	if err != nil {
		return fmt.Errorf("load the catalogue: %w", err)
	}
	opts := doctor.Options{
		Addr: target.Addr(), ImplicitTLS: target.ImplicitTLS, TLS: o.tls, Insecure: o.insecure,
		User: target.User, Password: target.Password, Write: o.write,
		ConnectTimeout: o.connectTimeout, ReplyTimeout: o.replyTimeout, Catalog: cat,
	}
	if o.caCert != "" {
		pool, err := readCertPool(o.caCert)
		if err != nil {
			return usageError{err}
		}
		opts.RootCAs = pool
	}
	if o.sandbox {
		srv, err := sandbox.Start(sandbox.Options{TLS: true, Faults: o.faults})
		if err != nil {
			var unknown *sandbox.UnknownFaultError
			if errors.As(err, &unknown) {
				return usageError{unknown} // without the sandbox's prefix, as serve says it
			}
			return fmt.Errorf("start the sandbox server: %w", err)
		}
		defer srv.Close()
		opts.Addr, opts.RootCAs = srv.Addr, srv.Cert.Pool()
		opts.User, opts.Password = sandbox.DemoUser, sandbox.DemoPassword
	}
	var report *doctor.Report
	if o.json || o.markdown {
		report = doctor.Run(ctx, opts, nil)
		if o.json {
			err = report.WriteJSON(out)
		} else {
			err = report.WriteMarkdown(out)
		}
		if err != nil {
			return fmt.Errorf("write the report: %w", err)
		}
	} else {
		live := doctor.NewLive(out, terminal)
		if terminal {
			live.SetWidth(terminalWidth(out))
		}
		live.Header(opts.Addr, doctor.Warnings(opts))
		report = doctor.Run(ctx, opts, live.Progress)
		live.Close(report)
	}
	switch {
	case ctx.Err() != nil:
		return errInterrupted
	case report.Problems() > 0:
		return shownError{errProblemsFound}
	}
	return nil
}
