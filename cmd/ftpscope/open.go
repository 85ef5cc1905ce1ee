package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/export"
	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/recording"
	"github.com/ftpscope/ftpscope/tui"
)

// openOptions are the flags of `ftpscope open`.
type openOptions struct {
	format               string
	session              int
	list                 bool
	text, json, markdown bool
	noHistory            bool
}

func newOpenCommand() *cobra.Command {
	var opts openOptions
	cmd := &cobra.Command{
		Use:   "open FILE",
		Short: "Explain a session someone else recorded: a client log, a server log or a capture",
		Long: `open reads an FTP session recorded by another tool and shows it in the
terminal UI as if it had happened live, with the file's own times: every
reply explained, findings, search and :save. Nothing is sent anywhere.
With --text, --json or --markdown it prints the explained transcript
instead, as run and :save write it. FILE - reads standard input.

The format is found from the content, never from the file name:
  curl-v       curl -v (verbose) output
  curl-trace   curl --trace-ascii output
  lftp         lftp -d (debug) output
  filezilla    FileZilla's message log, copied from the window or written
               by its "log to file" setting, with or without times
  vsftpd       vsftpd's log with log_ftp_protocol=YES
  proftpd      ProFTPD's ExtendedLog with
               LogFormat ftpscope "%{iso8601} %P %a \"%r\" %s \"%S\""
               (or the default format, which has no reply text)
  pure-ftpd    Pure-FTPd's syslog lines (run it with -d for commands)
  json         ftpscope's own JSON Lines (run --json, :save x.jsonl)
  pcap, pcapng packet captures (tcpdump -w, also -i any)
--format NAME reads the file as NAME whatever it looks like.

A file with several sessions (a capture, a server log) lists them; the TUI
shows the first (:session N shows another), --session N picks one, and
--list prints the list. Passwords are masked everywhere.

Exit status: 0 on success, 1 when the file cannot be read or is in no
known format, 2 for a usage error.`,
		Example: `  ftpscope open capture.pcapng
  ftpscope open --markdown filezilla.log > answer.md
  curl -v ftp://host/ 2>&1 | ftpscope open --text -
  ftpscope open --list /var/log/vsftpd.log
  ftpscope open --session 3 --json /var/log/vsftpd.log`,
		Args: exactArgs(1, "one recording file (- for standard input)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("session") && opts.session == 0 {
				// 0 is the default, every session; given, it is a mistake.
				return usageError{errors.New("--session takes a session number from 1, not 0")}
			}
			return runOpen(cmd.Context(), opts, args[0], transcriptWriter(cmd), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.format, "format", "", "read the file as this format: "+strings.Join(recording.FormatNames(), ", "))
	f.IntVar(&opts.session, "session", 0, "show only session N of the file (1 is the first; --list shows them)")
	f.BoolVar(&opts.list, "list", false, "print the sessions in the file, one a line, and exit")
	f.BoolVar(&opts.text, "text", false, "print the explained transcript as text instead of opening the UI")
	f.BoolVar(&opts.json, "json", false, "print the transcript as JSON Lines instead of opening the UI")
	f.BoolVar(&opts.markdown, "markdown", false, "print a Markdown handout instead of opening the UI")
	f.BoolVar(&opts.noHistory, "no-history", false, "keep no command history on disk")
	return cmd
}

// runOpen reads the recording, then prints it or shows it in the UI.
func runOpen(ctx context.Context, opts openOptions, path string, out, errOut io.Writer) error {
	outputs := 0
	for _, on := range []bool{opts.text, opts.json, opts.markdown, opts.list} {
		if on {
			outputs++
		}
	}
	if outputs > 1 {
		return usageError{errors.New("give at most one of --text, --json, --markdown and --list")}
	}
	if opts.session < 0 {
		return usageError{fmt.Errorf("--session takes a session number from 1, not %d", opts.session)}
	}
	if opts.format != "" {
		if _, ok := recording.FormatByName(opts.format); !ok {
			return usageError{&recording.BadFormatError{Name: opts.format}}
		}
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return usageError{fmt.Errorf("cannot read %s: it is a folder, not a file", path)}
	}
	rec, err := recording.OpenFile(path, opts.format)
	if err != nil {
		return openError(path, err)
	}
	if opts.session > len(rec.Sessions) {
		return usageError{fmt.Errorf("%s holds %d %s: --session takes 1 to %d (--list shows them)", path, len(rec.Sessions), map[bool]string{true: "session", false: "sessions"}[len(rec.Sessions) == 1], len(rec.Sessions))}
	}
	sessions := rec.Sessions
	if opts.session > 0 {
		sessions = sessions[opts.session-1 : opts.session]
	}
	if opts.list {
		for i, s := range rec.Sessions {
			fmt.Fprintf(out, "%d\t%s\n", i+1, s.Label)
		}
		return nil
	}
	cat, err := catalog.Load()
	if err != nil {
		return fail("load the catalogue: %w", err)
	}
	if opts.text || opts.json || opts.markdown {
		if err := printRecording(out, cat, rec, sessions, opts); err != nil {
			return err
		}
		if rec.Stopped != nil {
			// The transcript ends with the same words; a script reading
			// standard output alone learns it from standard error.
			fmt.Fprintf(errOut, "ftpscope: %s: %s; the transcript shows what came before\n", path, stoppedLine(rec.Stopped))
		}
		return nil
	}
	return openUI(ctx, cat, rec, opts)
}

// openError says in one sentence why a recording could not be read.
func openError(path string, err error) error {
	var unknown *recording.UnknownFormatError
	switch {
	case errors.As(err, &unknown):
		return fmt.Errorf("%s: %w", path, err)
	case errors.Is(err, recording.ErrNoSessions):
		return fmt.Errorf("%s: %w: the file is readable, but no FTP control connection is in it", path, err)
	case errors.Is(err, os.ErrNotExist), errors.Is(err, os.ErrPermission):
		return fmt.Errorf("cannot open %s: %v", path, unwrapPath(err))
	}
	return fmt.Errorf("%s: %w", path, err)
}

// stoppedLine says where reading a damaged file stopped.
func stoppedLine(err error) string {
	return "reading stopped before the end of the file: " + protocol.Escape(err.Error())
}

// printRecording writes the sessions in the format asked for.
func printRecording(out io.Writer, cat *catalog.Catalog, rec *recording.Recording, sessions []recording.Session, opts openOptions) error {
	if opts.text && isTerminal(out) {
		out = &lineWrapper{w: out, width: terminalWidth(out)} // as run's transcript
	}
	w := &errWriter{w: out}
	p := export.NewText(w, cat)
	switch {
	case opts.json:
		p = export.NewJSON(w, cat)
	case opts.markdown:
		p = export.NewMarkdown(w, cat)
	}
	p.Info(fmt.Sprintf("recording %s, read as %s", rec.Name, rec.Format))
	for i, s := range sessions {
		if len(rec.Sessions) > 1 {
			n := i + 1
			if opts.session > 0 {
				n = opts.session
			}
			p.Info(fmt.Sprintf("session %d of %d: %s", n, len(rec.Sessions), s.Label))
		}
		for _, ev := range s.Events {
			p.Event(ev)
		}
	}
	if err := p.Close(); err != nil {
		return fmt.Errorf("could not write the transcript: %w", err)
	}
	if w.err != nil {
		return fmt.Errorf("could not write the transcript: %w", w.err)
	}
	return nil
}

// openUI shows the recording in the terminal UI.
func openUI(ctx context.Context, cat *catalog.Catalog, rec *recording.Recording, opts openOptions) error {
	r := &tui.Recording{File: rec.Name, Format: rec.Format}
	for _, s := range rec.Sessions {
		r.Sessions = append(r.Sessions, tui.RecordedSession{Label: s.Label, Events: s.Events})
	}
	if opts.session > 0 {
		r.Selected = opts.session - 1
	}
	history, warning := loadHistory(opts.noHistory)
	intro := []string{fmt.Sprintf("recording %s, read as %s: nothing is sent anywhere; ctrl+p selects a reply, :save writes the transcript", rec.Name, rec.Format)}
	if warning != "" {
		intro = append(intro, warning)
	}
	if rec.Stopped != nil {
		intro = append(intro, stoppedLine(rec.Stopped)+"; the last session ends where it did")
	}
	model := tui.New(tui.Options{Catalog: cat, Recording: r, Intro: intro, History: history})
	if _, err := tea.NewProgram(model, tea.WithContext(ctx)).Run(); err != nil {
		return fail("run the terminal UI: %w", err)
	}
	return nil
}
