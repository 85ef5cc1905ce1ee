package protocol

import (
	"context"
	"fmt"
)

// Conversation drives a session one command at a time, for scripts and
// tests: Do sends a command and returns once its final reply has arrived
// and any data connection it opened has closed. Every event is passed to
// the observer in order, so nothing is lost between commands. No wait is
// bounded here: the session's own timeouts end every wait for the server,
// and the caller's context ends the rest.
type Conversation struct {
	s        *Session
	observe  func(Event)
	backlog  []Event
	closed   bool
	closeErr error
}

// Exchange is what one command produced.
type Exchange struct {
	// Seq is the command's number in the session.
	Seq int
	// Final is the final reply; Replies holds every reply, preliminary
	// ones (1yz) first.
	Final   *Reply
	Replies []*Reply
	// Data is the data connection's closing report, when the command
	// opened one.
	Data *DataInfo
	// Saved reports what became of the local file of a download saved to
	// a file (RETR name > file): kept, or left as it was.
	Saved *DataInfo
	// Events are all events from the send to the end of the exchange.
	Events []Event
}

// NewConversation takes over the events of s. observe, if not nil, sees
// every event.
func NewConversation(s *Session, observe func(Event)) *Conversation {
	if observe == nil {
		observe = func(Event) {}
	}
	return &Conversation{s: s, observe: observe}
}

// next returns the next event, waiting for one. After EventClose it
// returns ErrClosed; when ctx ends first, ctx's error.
func (c *Conversation) next(ctx context.Context) (Event, error) {
	for len(c.backlog) == 0 {
		if c.closed {
			return Event{}, c.endError()
		}
		select {
		case <-c.s.Events().Ready():
			c.backlog = c.s.Events().Drain()
		case <-ctx.Done():
			return Event{}, ctx.Err()
		}
	}
	ev := c.backlog[0]
	c.backlog = c.backlog[1:]
	c.observe(ev)
	if ev.Kind == EventClose {
		c.closed, c.closeErr = true, ev.Err
	}
	return ev, nil
}

// drain reads the events up to the close, adding them to x, and returns
// the session's end error. The session ends by itself: its reply has
// been cut and the connection is closing.
func (c *Conversation) drain(x *Exchange) error {
	for !c.closed {
		ev, err := c.next(context.Background())
		if err != nil {
			break
		}
		x.Events = append(x.Events, ev)
	}
	return c.endError()
}

func (c *Conversation) endError() error {
	if c.closeErr != nil {
		return fmt.Errorf("%w: %w", ErrClosed, c.closeErr)
	}
	return ErrClosed
}

// Greeting waits for the server's final greeting, and when TLS is
// required, for AUTH TLS and its handshake too.
func (c *Conversation) Greeting(ctx context.Context) (*Reply, error) {
	var greeting *Reply
	for {
		ev, err := c.next(ctx)
		if err != nil {
			return greeting, err
		}
		if ev.Kind == EventReply && ev.Err != nil {
			// Cut short: the session ends; report why.
			return ev.Reply, c.drain(&Exchange{})
		}
		if ev.Kind != EventReply || ev.Reply.Class() == 1 {
			continue
		}
		switch {
		case ev.Verb == GreetingVerb:
			greeting = ev.Reply
			if greeting.Code != 220 || !c.s.cfg.RequireTLS || c.s.cfg.ImplicitTLS {
				return greeting, nil
			}
		case ev.Verb == "AUTH":
			if ev.Reply.Class() != 2 && ev.Reply.Class() != 3 {
				// The session closes itself; report why.
				return greeting, c.drain(&Exchange{})
			}
			return greeting, c.waitTLS(ctx, nil)
		}
	}
}

// waitTLS waits for the control connection's handshake report, adding
// the events to x when it is not nil.
func (c *Conversation) waitTLS(ctx context.Context, x *Exchange) error {
	for {
		ev, err := c.next(ctx)
		if err != nil {
			return err
		}
		if x != nil {
			x.Events = append(x.Events, ev)
		}
		if ev.Kind == EventTLS && ev.TLS != nil && !ev.TLS.Data && !ev.TLS.NeedsDecision {
			return nil
		}
	}
}

// Do sends one command and waits until its exchange is over: the final
// reply has arrived and, when the command opened a data connection, that
// connection has closed. A command refused before sending returns the
// refusal (a *RefusedError) as its error, with the session still open.
// When ctx ends first, Do returns what it has with ctx's error, and the
// session goes on: Quit or Close it.
func (c *Conversation) Do(ctx context.Context, line string) (*Exchange, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := c.s.Send(line); err != nil {
		return nil, err
	}
	x := &Exchange{}
	sent, transfer, dataDone := false, false, false
	for {
		ev, err := c.next(ctx)
		if err != nil {
			return x, err
		}
		x.Events = append(x.Events, ev)
		switch {
		case !sent && ev.Kind == EventError && ev.Refused:
			return x, ev.Err
		case !sent && ev.Kind == EventSend:
			sent, transfer, x.Seq = true, ev.Transfer, ev.Seq
		case sent && ev.Seq == x.Seq && ev.Kind == EventReply:
			x.Replies = append(x.Replies, ev.Reply)
			if ev.Reply.Class() != 1 {
				x.Final = ev.Reply
			}
			if ev.Err != nil {
				// Cut short: the session ends; report why.
				return x, c.drain(x)
			}
		case sent && ev.Seq == x.Seq && ev.Kind == EventData && ev.Data.Phase == DataClosed:
			x.Data = ev.Data
			// A download saved to a file ends when the file is kept or
			// discarded, after the final reply.
			dataDone = ev.Data.Direction != "download" || ev.Data.LocalFile == ""
		case sent && ev.Seq == x.Seq && ev.Kind == EventData && ev.Data.Phase == DataSaved:
			x.Saved, dataDone = ev.Data, true
		}
		if x.Final != nil && (!transfer || dataDone) {
			if x.startsTLS() {
				// AUTH TLS: the handshake follows the reply.
				if err := c.waitTLS(ctx, x); err != nil {
					return x, err
				}
			}
			return x, nil
		}
	}
}

// startsTLS reports whether the exchange's final reply starts TLS, as
// its Effect (worked out once, in state.go) says: a 234 to AUTH TLS does,
// a 334 to AUTH GSSAPI does not.
func (x *Exchange) startsTLS() bool {
	for i := len(x.Events) - 1; i >= 0; i-- {
		if ev := x.Events[i]; ev.Kind == EventReply && ev.Reply == x.Final {
			return ev.Effect != nil && ev.Effect.Kind == EffectTLS
		}
	}
	return false
}

// Close ends the session and reports its remaining events to the observer.
func (c *Conversation) Close() {
	c.s.Close()
	c.drain(&Exchange{})
}

// Quit ends the session politely (see Session.Quit) and reports its
// remaining events to the observer, up to the close. The session's reply
// timeout bounds the wait for the server's 221; ctx ending first closes
// the session at once.
func (c *Conversation) Quit(ctx context.Context, why string) {
	c.s.Quit(why)
	for !c.closed {
		if _, err := c.next(ctx); err != nil {
			c.Close()
			return
		}
	}
}
