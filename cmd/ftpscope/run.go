package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/export"
	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
)

// runOptions are the flags and argument of ftpscope run.
type runOptions struct {
	target         string
	script         string
	json           bool
	tls            bool
	insecure       bool
	login          bool
	sandbox        bool
	connectTimeout time.Duration
	replyTimeout   time.Duration
	pasvAddress    string
	allowFailures  bool
}

// newRunCommand returns the run subcommand, which plays a script of FTP
// commands and prints an annotated transcript.
func newRunCommand() *cobra.Command {
	var opts runOptions
	cmd := &cobra.Command{
		Use:   "run [flags] [ftp://[user[:password]@]host[:port] | ftps://... | host[:port]]",
		Short: "Send a script of FTP commands and print an annotated transcript",
		Long: `run connects to a server, sends the commands of a script one at a time, and
prints an annotated transcript: every command sent, every reply line received,
and a short explanation of each reply from ftpscope's catalogue.

The script is read from --script FILE, or from standard input. One command per
line, sent as written; blank lines are skipped, and lines starting with # are
comments, echoed as narration in the text transcript. Each command waits for
its final reply, and for the data connection it opened (LIST, RETR, STOR ...)
to close, before the next is sent. ftpscope's local redirections work as in
the terminal UI: RETR name > localfile, STOR name < localfile.

run sends nothing the script does not say: the script types USER and PASS
itself. Two flags add commands: --tls sends AUTH TLS after the greeting, and
--login sends USER and PASS from the URL (or demo/demo with --sandbox) before
the script. Passwords are always shown as PASS ****, in both formats. When the
script ends, the connection is closed; a script that wants a polite goodbye
ends with QUIT.

A line that ftpscope refuses to send (a CR or NUL inside it, a local file that
cannot be read, a data connection that cannot be opened) stops the script:
nothing after it is sent, and run exits with status 1.

ctrl+c stops the script: a transfer in progress is ended (a download saved
to a file leaves no temporary file behind), QUIT is sent when the server is
answering, and run exits with status 130. A second ctrl+c exits at once.

A server cannot hold a script forever: a reply may take at most 30s from its
first byte to its last line and 16 MiB of reading, or the session ends with
an error naming the bound (see SECURITY.md).

Text transcript prefixes:
  >   a command sent          <   a reply line, control characters escaped
      (two spaces) the catalogue's explanation of the reply; under an
      error, "details:" and the system's own words for it, when the
      plain sentence leaves out something that may matter
  ·   information: connection, data connection, TLS, notes such as the
      decoded passive address
  !   a warning               ✗   an error            #   narration
  ?   a finding: what is wrong and how to fix it (cause, fix, the setting
      to change on the server, source); the reply's general advice then
      gives way to it
  ·   timing: at each close, name lookup, connect, TLS, greeting, and each
      data connection's open and first byte

--json prints one JSON object per line instead (JSON Lines). Every object has
"kind" (connect, send, reply, data, tls, warning, error, finding, timing or
close) and "time"
(RFC 3339, UTC, fractional seconds). send: seq, line (masked), note. reply:
seq, code (0 when malformed), lines, name, class, command (masked), rtt_ms,
note, listed (whether the RFCs list the reply for the command, when known) and
expected (the replies they do list, when not). A reply's warnings and problems
follow it as separate warning objects. data: seq, phase (open, close, or
saved after the final reply to RETR name > file), verb, direction, bytes,
local, remote, protected, local_file, elapsed_ms, error, listing (the lines
of a LIST, NLST or MLSD, on close) and kept (on saved: whether local_file now
holds the download). Data progress events are left out in both formats: the
close carries the byte count. tls: seq, connection (control or data), version, cipher,
resumed, trusted, certificate {subject, issuer, not_before, not_after, sha256,
names, problem}. connect, warning, error and close: line; an error that ends
the session, and its close, add cause (refused, dns, reset, timeout,
unreachable, closed, not-tls, tls, certificate ...) and detail (the system's
own words); an error for a certificate that did not verify adds certificate,
as in tls. finding: seq, id, severity (error, warning or info), cause, fixes
{client, server {software: setting}}, server (the software answering, when
known), source, evidence (command numbers) and evidence_lines. timing,
before each close: lookup_ms, connect_ms, tls_ms, greeting_ms, addresses,
data [{seq, verb, open_ms, tls_ms, first_byte_ms, total_ms, bytes}]; data
objects also carry open_ms and first_byte_ms. Narration is not output in
JSON.

Exit status:
  0    the script ran to its end, no command's final reply was 4xx or 5xx,
       and the session ended cleanly (QUIT answered, or the connection
       closed by ftpscope after the last line); a 3xx on the way (331 then
       230, 350 then 250) is success
  1    a final 4xx or 5xx reply (unless --allow-failures); a connection,
       TLS or data connection that failed, or a connection that closed
       before the script ended (even with --allow-failures); a line
       refused before sending
  2    usage error, before connecting: a malformed URL or one with a path,
       no URL and no --sandbox, --tls with an ftps:// URL, an unknown flag,
       a script file that cannot be read or is a folder
  130  interrupted (ctrl+c or SIGTERM)

An error is printed once: in the transcript when the session had started,
on standard error otherwise. When replies failed, standard error names the
first.`,
		Example: `  ftpscope run --sandbox --script lesson.txt
  printf 'USER demo\nPASS demo\nPASV\nLIST\nQUIT\n' | ftpscope run 127.0.0.1:2121
  ftpscope run --json --tls --login --script check.txt ftp://user:secret@ftp.example.org`,
		Args: atMostOneServer,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.target = args[0]
			}
			return runScript(cmd.Context(), opts, cmd.InOrStdin(), transcriptWriter(cmd))
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.script, "script", "", "read the commands from `FILE` instead of standard input")
	f.BoolVar(&opts.json, "json", false, "print JSON Lines instead of a text transcript")
	f.BoolVar(&opts.tls, "tls", false, "require explicit FTPS: send AUTH TLS after the greeting, and stop if it fails")
	f.BoolVar(&opts.insecure, "insecure", false, "accept a TLS certificate that does not verify (it is still described)")
	f.BoolVar(&opts.login, "login", false, "send USER and PASS from the URL (demo/demo with --sandbox) before the script")
	f.BoolVar(&opts.sandbox, "sandbox", false, "run against a fresh embedded sandbox server instead of a URL (it offers AUTH TLS, with a certificate ftpscope trusts)")
	addDurationFlag(cmd, &opts.connectTimeout, "connect-timeout", protocol.DefaultConnectTimeout, "how long to wait for the connection and TLS handshakes")
	addDurationFlag(cmd, &opts.replyTimeout, "reply-timeout", protocol.DefaultReplyTimeout, "how long to wait for each reply before giving up")
	f.BoolVar(&opts.allowFailures, "allow-failures", false, "exit 0 even when replies are 4xx or 5xx, for scripts that provoke errors on purpose (connection, TLS and data connection failures still exit 1)")
	f.StringVar(&opts.pasvAddress, "pasv-address", "peer", "where passive data connections go: peer (the control connection's address) or server (the address in the reply)")
	return cmd
}

// runScript checks the options, connects, plays the script and prints the
// transcript to out. Usage errors are returned as usageError; any other
// error means the script did not run to its end.
func runScript(ctx context.Context, opts runOptions, stdin io.Reader, out io.Writer) error {
	target, err := checkRunOptions(opts)
	if err != nil {
		return err
	}
	script := stdin
	if opts.script != "" {
		f, err := os.Open(opts.script)
		if err != nil {
			return usageError{fmt.Errorf("cannot read the script %s: %v", opts.script, unwrapPath(err))}
		}
		defer f.Close()
		// A folder opens, and fails only when read: after connecting.
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			return usageError{fmt.Errorf("cannot read the script %s: it is a folder, not a file", opts.script)}
		}
		script = f
	}
	cat, err := catalog.Load()
	if err != nil {
		return fail("load the catalogue: %w", err)
	}
	if !opts.json && isTerminal(out) {
		// A transcript for people, on a terminal: words wrap, not the
		// terminal's rows. In a pipe it stays one line per event.
		out = &lineWrapper{w: out, width: terminalWidth(out)}
	}
	w := &errWriter{w: out}
	p := export.NewText(w, cat)
	if opts.json {
		p = export.NewJSON(w, cat)
	}
	cfg := protocol.Config{
		ConnectTimeout: opts.connectTimeout, ReplyTimeout: opts.replyTimeout,
		RequireTLS: opts.tls, Insecure: opts.insecure,
		FollowPassiveAddress: opts.pasvAddress == "server",
	}
	var user, password string
	if opts.sandbox {
		srv, err := sandbox.Start(sandbox.Options{TLS: true})
		if err != nil {
			return fail("start the sandbox server: %w", err)
		}
		defer srv.Close()
		// ftpscope made the sandbox's certificate, so it trusts exactly
		// that one: AUTH TLS works, and is still verified.
		cfg.Addr, cfg.RootCAs = srv.Addr, srv.Cert.Pool()
		user, password = sandbox.DemoUser, sandbox.DemoPassword
		p.Info(fmt.Sprintf("sandbox FTP server on %s, serving a sample tree that is deleted on exit (log in as demo/demo or anonymous)", srv.Addr))
	} else {
		cfg.Addr, cfg.ImplicitTLS = target.Addr(), target.ImplicitTLS
		user, password = target.User, target.Password
		if target.User != "" && !opts.login {
			p.Info(fmt.Sprintf("the URL names user %q, which is not sent: the script sends USER and PASS itself (or pass --login)", target.User))
		}
	}
	r := &runner{print: p, out: w, allowFailures: opts.allowFailures}
	r.session = protocol.Dial(cfg)
	r.conv = protocol.NewConversation(r.session, r.observe)
	err = r.play(ctx, script, user, password, opts.login)
	closeErr := p.Close()
	switch {
	case err != nil:
	case w.err != nil:
		err = fmt.Errorf("could not write the transcript: %w", w.err)
	case closeErr != nil:
		err = fmt.Errorf("could not write the transcript: %w", closeErr)
	}
	return err
}

// checkRunOptions validates the flags and parses the URL; every error it
// returns is a usageError.
func checkRunOptions(opts runOptions) (protocol.Target, error) {
	if opts.pasvAddress != "peer" && opts.pasvAddress != "server" {
		return protocol.Target{}, usageError{fmt.Errorf("--pasv-address must be peer or server, not %q", opts.pasvAddress)}
	}
	choice := serverChoice{command: "run", url: opts.target, sandbox: opts.sandbox, tls: opts.tls,
		connectTimeout: opts.connectTimeout, replyTimeout: opts.replyTimeout}
	target, err := choice.target()
	if err == nil && opts.login && !opts.sandbox && target.User == "" {
		err = usageError{fmt.Errorf("--login needs a user in the URL, such as ftp://user:password@%s", target.Addr())}
	}
	return target, err
}

// unwrapPath drops the path from an *os.PathError, which the message
// already names.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
