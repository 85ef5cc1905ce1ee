package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/export"
	"github.com/ftpscope/ftpscope/protocol"
)

// closeGrace bounds a wait for the server.
const (
	// closeGrace is how long ftpscope waits for the server to close the
	// connection after a 221 or 421 reply, which announce it.
	closeGrace = 2 * time.Second
)

// runner plays one script on one session.
type runner struct {
	// print writes the transcript; it warns after a password sent in
	// clear text by itself.
	print   export.Writer
	out     *errWriter
	session *protocol.Session
	conv    *protocol.Conversation
	// ended is the error that ended the session, once reported: the
	// run's final error says it in the same plain words as the transcript.
	ended error
}

// observe prints one session event and remembers the error that ended
// the session. The transcript words errors itself (diagnose.EventLine).
func (r *runner) observe(ev protocol.Event) {
	if ev.Kind == protocol.EventError && ev.Err != nil && !ev.Refused {
		r.ended = ev.Err
	}
	r.print.Event(ev)
}

// play waits for the greeting, logs in when asked, sends the script's
// commands one by one and closes the connection.
func (r *runner) play(ctx context.Context, script io.Reader, user, password string, login bool) error {
	greeting, err := r.conv.Greeting(context.Background())
	if err != nil {
		msg := "the session ended before the script started: " + sentenceTail(err)
		if r.ended != nil {
			msg = diagnose.Describe(r.ended).String()
		}
		if errors.Is(err, protocol.ErrClosed) {
			// The error and close events already told why.
			r.shutdown()
			return errors.New(msg)
		}
		return r.stop(msg, false)
	}
	if greeting != nil && greeting.Code == 421 {
		r.closedWithin(closeGrace) // the server refuses service and closes
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
		text := strings.TrimSpace(sc.Text())
		switch {
		case text == "":
			continue
		case strings.HasPrefix(text, "#"):
			r.print.Narrate(text)
			continue
		}
		if _, err := r.do(ctx, text, lineName(n, text)); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return r.stop("could not read the script: "+sentenceTail(err), false)
	}
	r.shutdown()
	return nil
}

// do sends one command and waits for its exchange. what names the command
// in messages (never with a password). On failure it reports why, closes
// the session and returns the error that ends the run.
func (r *runner) do(ctx context.Context, line, what string) (*protocol.Exchange, error) {
	switch {
	case ctx.Err() != nil:
		return nil, r.stop(fmt.Sprintf("interrupted before %s was sent", what), false)
	case r.out.err != nil:
		// Nobody can read the transcript any more: stop quietly.
		r.shutdown()
		return nil, fmt.Errorf("could not write the transcript, so %s was not sent: %w", what, r.out.err)
	}
	x, err := r.conv.Do(context.Background(), line)
	switch {
	case err == nil:
		if x.Final.Code == 221 || x.Final.Code == 421 {
			// The server is closing the connection: wait for it, so that
			// the transcript shows its close, and a command that follows
			// is reported as not sent rather than racing the close.
			r.closedWithin(closeGrace)
		}
		return x, nil
	case x == nil && !errors.Is(err, protocol.ErrNotConnected):
		// Refused by the session before sending; the session is open.
		return nil, r.stop(fmt.Sprintf("the script stopped at %s: %s", what, sentenceTail(err)), false)
	case x == nil || x.Seq == 0 && errors.Is(err, protocol.ErrClosed):
		return nil, r.stop(fmt.Sprintf("the connection closed before the script ended: %s was not sent", what), true)
	case errors.Is(err, protocol.ErrClosed) && x.Final != nil:
		// Answered, then lost: a TLS handshake after 234 that failed, say.
		why := "the connection closed"
		if e := lastError(x); e != "" {
			why = e
		}
		return nil, r.stop(fmt.Sprintf("%s was answered %d, and then the session ended: %s", what, x.Final.Code, sentenceTail(errors.New(why))), true)
	case errors.Is(err, protocol.ErrClosed):
		return nil, r.stop(fmt.Sprintf("the connection closed before the script ended: %s got no final reply", what), true)
	case lastIsError(x, err):
		// The transcript already shows why, as an error event (a data
		// connection that could not be opened, say).
		r.shutdown()
		return nil, fmt.Errorf("%s failed: %s", what, sentenceTail(err))
	default:
		return nil, r.stop(fmt.Sprintf("%s failed: %s", what, sentenceTail(err)), true)
	}
}

// stop ends the run: it prints msg as an error and closes the session,
// printing its last events after msg, or before it when closedFirst is
// set (the message then explains the close). It returns msg as the error.
func (r *runner) stop(msg string, closedFirst bool) error {
	if closedFirst {
		r.shutdown()
	}
	r.print.Event(protocol.Event{Kind: protocol.EventError, Time: time.Now(), Line: capitalize(msg) + "."})
	if !closedFirst {
		r.shutdown()
	}
	return errors.New(msg)
}

// closedWithin reports whether the session ends within d.
func (r *runner) closedWithin(d time.Duration) bool {
	select {
	case <-r.session.Done():
		return true
	case <-time.After(d):
		return false
	}
}

// shutdown closes the session and prints its remaining events.
func (r *runner) shutdown() {
	r.conv.Close()
}

// lastIsError reports whether err is the text of the last event of x, an
// error event the transcript already shows.
// lastError returns the line of the last error event of an exchange, or
// "" when there is none.
func lastError(x *protocol.Exchange) string {
	for i := len(x.Events) - 1; i >= 0; i-- {
		if x.Events[i].Kind == protocol.EventError {
			return diagnose.EventLine(x.Events[i])
		}
	}
	return ""
}

func lastIsError(x *protocol.Exchange, err error) bool {
	if x == nil || len(x.Events) == 0 {
		return false
	}
	ev := x.Events[len(x.Events)-1]
	return ev.Kind == protocol.EventError && ev.Line == err.Error()
}

// lineName names script line n in messages: its number and the command
// with a PASS argument masked, or the number alone for a line that is not
// a command.
func lineName(n int, text string) string {
	cmd, err := protocol.ParseCommand(text)
	if err != nil {
		return fmt.Sprintf("line %d", n)
	}
	return fmt.Sprintf("line %d (%s)", n, protocol.Escape(cmd.Masked()))
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
