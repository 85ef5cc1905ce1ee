package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/export"
	"github.com/ftpscope/ftpscope/protocol"
)

// runner plays one script on one session.
type runner struct {
	// print writes the transcript; it warns after a password sent in
	// clear text by itself.
	print   export.Writer
	out     *errWriter
	session *protocol.Session
	conv    *protocol.Conversation
	// allowFailures makes 4xx and 5xx replies no reason to exit 1.
	allowFailures bool
	// ended is the error that ended the session, once reported: the
	// run's final error says it in the same plain words as the transcript.
	ended error
	// failed counts final 4xx and 5xx replies; firstFailed names the
	// first, as "line 3 (RETR x) was answered 550".
	failed      int
	firstFailed string
	// dataFailed is the first data connection that failed, which is a
	// failure even with --allow-failures.
	dataFailed error
	// current names the script line being played, for firstFailed.
	current string
}

// observe prints one session event and remembers what decides the exit
// status: the error that ended the session, failed replies, a failed
// data connection. The transcript words errors itself
// (diagnose.EventLine).
func (r *runner) observe(ev protocol.Event) {
	switch {
	case ev.Kind == protocol.EventError && ev.Err != nil && !ev.Refused:
		r.ended = ev.Err
	case ev.Kind == protocol.EventReply && (ev.Reply.Class() == 4 || ev.Reply.Class() == 5):
		r.failed++
		if r.firstFailed == "" {
			what := r.current
			if ev.Verb == protocol.GreetingVerb {
				what = "the greeting"
			}
			r.firstFailed = fmt.Sprintf("%s was answered %d", what, ev.Reply.Code)
		}
	case ev.Kind == protocol.EventData && ev.Data != nil && ev.Data.Phase == protocol.DataClosed && ev.Data.Err != nil && r.dataFailed == nil:
		r.dataFailed = ev.Data.Err
	}
	r.print.Event(ev)
}

// play waits for the greeting, logs in when asked, sends the script's
// commands one by one and closes the connection. Its error decides the
// exit status (see runExitStatus); an error the transcript already shows
// is a shownError, not to be printed again.
func (r *runner) play(ctx context.Context, script io.Reader, user, password string, login bool) error {
	r.current = "the greeting"
	if _, err := r.conv.Greeting(ctx); err != nil {
		return r.sessionOver(ctx, err, "")
	}
	if login {
		x, err := r.do(ctx, "USER "+user, "--login's USER")
		if err != nil {
			return err
		}
		if x.Final.Code == 331 {
			if _, err := r.do(ctx, "PASS "+password, "--login's PASS"); err != nil {
				return err
			}
		}
	}
	sc := bufio.NewScanner(script)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		// A CRLF script's CR goes, and the indentation; the rest of the
		// line is the command as written, trailing spaces included
		// (ParseCommand keeps them, and a warning shows them).
		text := strings.TrimLeftFunc(strings.TrimSuffix(sc.Text(), "\r"), unicode.IsSpace)
		switch {
		case strings.TrimSpace(text) == "":
			continue
		case strings.HasPrefix(text, "#"):
			r.print.Narrate(strings.TrimSpace(text))
			continue
		}
		if _, err := r.do(ctx, text, lineName(n, text)); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return r.stop("could not read the script: " + sentenceTail(err))
	}
	r.conv.Close()
	return r.outcome()
}

// outcome is the run's result once the script has run to its end: a
// failed data connection, or failed replies without --allow-failures,
// make it a failure.
func (r *runner) outcome() error {
	switch {
	case r.dataFailed != nil:
		// The transcript shows the data connection's end and why.
		return shownError{fmt.Errorf("a data connection failed: %s", diagnose.Describe(r.dataFailed).What)}
	case r.failed > 0 && !r.allowFailures:
		more := ""
		if r.failed > 1 {
			more = fmt.Sprintf(", and %d more failed", r.failed-1)
		}
		return repliesFailed{fmt.Sprintf("%s%s (--allow-failures accepts 4xx and 5xx replies)", r.firstFailed, more)}
	}
	return nil
}

// do sends one command and waits for its exchange. what names the command
// in messages (never with a password). On failure it reports why, ends
// the session and returns the error that ends the run.
func (r *runner) do(ctx context.Context, line, what string) (*protocol.Exchange, error) {
	if r.out.err != nil {
		// Nobody can read the transcript any more: stop quietly.
		r.conv.Close()
		return nil, fmt.Errorf("could not write the transcript, so %s was not sent: %w", what, r.out.err)
	}
	r.current = what
	x, err := r.conv.Do(ctx, line)
	var refused *protocol.RefusedError
	switch {
	case err == nil:
		return x, nil
	case errors.As(err, &refused) && !errors.Is(err, protocol.ErrNotConnected):
		// Refused before sending; the session is still open.
		if x != nil && len(x.Events) > 0 {
			// The transcript shows the refusal (a data connection that
			// could not be opened, say).
			r.conv.Close()
			return nil, shownError{fmt.Errorf("%s was not sent: %w", what, err)}
		}
		return nil, r.stop(fmt.Sprintf("the script stopped at %s: %s", what, diagnose.Describe(err).String()))
	case errors.Is(err, protocol.ErrNotConnected) && x != nil && len(x.Events) > 0:
		// The session reported the command as not sent.
		return nil, r.sessionOver(ctx, err, "")
	case errors.Is(err, protocol.ErrNotConnected):
		return nil, r.sessionOver(ctx, err, fmt.Sprintf("the connection closed before the script ended: %s was not sent", what))
	case x != nil && x.Final != nil && errors.Is(err, protocol.ErrClosed):
		// Answered, then lost: a reply cut short, or a TLS handshake after
		// 234 that failed. The transcript shows why.
		return nil, r.sessionOver(ctx, err, "")
	default:
		return nil, r.sessionOver(ctx, err, fmt.Sprintf("the connection closed before the script ended: %s got no final reply", what))
	}
}

// sessionOver ends the run after the session ended or ctx was cancelled.
// An interrupt stops the transfer, says goodbye and returns
// errInterrupted. Otherwise the transcript already shows why the session
// ended (its error and close events); msg, when not empty, adds what was
// left undone.
func (r *runner) sessionOver(ctx context.Context, err error, msg string) error {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return r.interrupt()
	}
	r.conv.Close()
	if msg != "" {
		r.print.Event(protocol.Event{Kind: protocol.EventError, Time: time.Now(), Line: capitalize(msg) + "."})
		return shownError{errors.New(msg)}
	}
	if r.ended != nil {
		return shownError{r.ended}
	}
	return shownError{err}
}

// interrupt ends the run after ctrl+c: it stops any transfer (a download
// saved to a file keeps its file as it was, and its temporary file is
// removed), sends QUIT when the server is answering, and prints the end of
// the session. The wait for the 221 is bounded by the reply timeout; a
// second ctrl+c ends ftpscope at once (see interruptible).
func (r *runner) interrupt() error {
	r.print.Event(protocol.Event{Kind: protocol.EventWarning, Time: time.Now(), Line: "interrupted: stopping, and saying goodbye to the server"})
	r.conv.Quit(context.Background(), "interrupted")
	return errInterrupted
}

// stop ends the run on a line that could not be sent: it prints msg as an
// error and closes the session. It returns msg as the error, shown.
func (r *runner) stop(msg string) error {
	r.print.Event(protocol.Event{Kind: protocol.EventError, Time: time.Now(), Line: capitalize(msg) + "."})
	r.conv.Close()
	return shownError{errors.New(msg)}
}

// lineName names script line n in messages: its number and the command
// with a PASS argument masked, or the number alone for a line that is not
// a command.
func lineName(n int, text string) string {
	cmd, err := protocol.ParseCommand(text)
	if err != nil {
		return fmt.Sprintf("line %d", n)
	}
	return fmt.Sprintf("line %d (%s)", n, protocol.Escape(cmd.Shown()))
}

// sentenceTail makes an error's text fit inside a sentence: no final
// period, so callers can continue or end the sentence themselves.
func sentenceTail(err error) string {
	return strings.TrimRight(err.Error(), ".")
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// errWriter remembers the first write error, so that printing can go on
// unchecked and the run reports the failure once at the end.
type errWriter struct {
	w   io.Writer
	err error
}

// Write writes p unless an earlier write failed.
func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	if err != nil {
		e.err = err
	}
	return n, err
}
