package protocol

// Sending: the writer goroutine takes typed commands in order, prepares a
// transfer's data connection first, and writes each command once the ones
// it depends on are answered.

import (
	"fmt"
	"time"
)

// writeLoop sends queued commands in order.
func (s *Session) writeLoop() {
	for {
		select {
		case <-s.ctx.Done():
			return
		case q := <-s.cmds:
			if s.isClosed() {
				s.notSent(q, nil)
				continue
			}
			if err := s.write(q); err != nil {
				s.fail(&SendError{Verb: q.line.Command.Verb, Err: err}, "")
				return
			}
		}
	}
}

// write prepares and sends one command: for a transfer it first opens (or
// listens for) the data connection; PORT and EPRT without an argument are
// filled in with a listener of ftpscope's. After AUTH it waits for the
// reply and the TLS handshake before sending anything else.
func (s *Session) write(q queued) error {
	cmd := q.line.Command
	var t *transfer
	var err error
	var note string
	var warnings []string
	if q.afterData {
		s.waitForData()
	}
	switch {
	case cmd.Verb == "PORT" || cmd.Verb == "EPRT":
		cmd, note, err = s.prepareActive(cmd)
	case IsTransfer(cmd.Verb):
		// The data connection depends on the replies to earlier commands
		// (PASV, TYPE, PROT, REST), so wait for them first.
		s.waitForReplies()
		if s.isClosed() {
			s.notSent(q, nil)
			return nil
		}
		t, warnings, err = s.prepareTransfer(q)
	}
	if err != nil {
		for _, w := range warnings {
			s.order.other(Event{Kind: EventWarning, Line: w})
		}
		if q.upload != nil {
			q.upload.Close()
		}
		s.order.other(Event{Kind: EventError, Line: err.Error() + "; " + cmd.Verb + " was not sent", Err: refused(cmd.Verb, err), Refused: true})
		return nil
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		s.notSent(q, t)
		return nil
	}
	s.seq++
	p := pendingCommand{seq: s.seq, cmd: cmd, masked: cmd.Shown(), sentAt: time.Now()}
	if w := cmd.TrailingSpaceWarning(); w != "" {
		warnings = append(warnings, w)
	}
	s.rememberSecret(cmd)
	if cmd.Verb == "AUTH" {
		p.barrier = make(chan struct{})
	}
	s.pending = append(s.pending, p)
	s.unsolicited, s.unsolicitedBytes = 0, 0
	if t != nil {
		t.seq = p.seq
		s.transfers[p.seq] = t
		s.order.transfer(p.seq)
	}
	conn := s.conn
	busy := len(s.transfers) > 0
	s.armReadDeadline()
	s.mu.Unlock()
	if t != nil && note == "" {
		switch {
		case t.upload != nil:
			note = fmt.Sprintf("sends the local file %s (%s)", t.upload.Name(), formatBytes(t.uploadSize-t.restart))
		case t.savePath != "":
			note = "saves to the local file " + t.savePath + " once the server confirms the transfer"
			if t.restart > 0 {
				note = fmt.Sprintf("resumes the local file %s from byte %d", t.savePath, t.restart)
			}
		}
	}
	for _, w := range warnings {
		// Before the command, which they are about: numbered with it.
		s.order.other(Event{Kind: EventWarning, Seq: p.seq, Line: w})
	}
	if t != nil && t.opened != nil {
		opened := *t.opened
		opened.Seq = p.seq
		s.order.other(opened)
	}
	wire, shown := cmd.Wire(), cmd.MaskedWire()
	if cmd.Verb == "ABOR" && busy {
		wire, note = s.synch(conn, wire)
		shown = wire // ABOR carries no secret
	}
	s.order.other(Event{Kind: EventSend, Line: p.masked, Seq: p.seq, Transfer: t != nil, Note: note, Raw: shown})
	conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	if _, err := conn.Write(wire); err != nil {
		if t != nil {
			t.stop("the command could not be sent")
			s.startTransfer(t) // reports the close
		}
		return err
	}
	if t != nil {
		s.startTransfer(t)
	}
	if p.barrier != nil {
		select {
		case <-p.barrier:
		case <-s.ctx.Done():
		}
	}
	return nil
}
