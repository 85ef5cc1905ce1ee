package protocol

// What the session learns from replies: which command each answers, the
// data address a PASV or EPSV announced, TYPE and PROT in force, a REST
// offset, and the TLS upgrade that follows 234.

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"
)

// deliver matches a reply to the oldest waiting command, learns from it,
// and reports it. A 1yz reply is preliminary: the command keeps waiting
// for its final reply. When the reply starts TLS (234 to AUTH TLS), deliver
// runs the handshake and returns the protected connection. cut, when not
// nil, is the error that cut the reply short and ends the session.
func (s *Session) deliver(reply *Reply, cut error) net.Conn {
	now := time.Now()
	ev := Event{Kind: EventReply, Time: now, Reply: reply, Err: cut}
	var done *pendingCommand
	s.mu.Lock()
	// The session learns from the reply as it came; only what is shown has
	// any password the server repeated masked.
	ev.Reply = s.masked(reply)
	if len(s.pending) > 0 {
		p := s.pending[0]
		ev.Command, ev.Verb, ev.RTT, ev.Seq = p.masked, p.cmd.Verb, now.Sub(p.sentAt), p.seq
		if p.masked == GreetingVerb {
			ev.Verb = GreetingVerb
		}
		if reply.Class() != 1 {
			s.pending = s.pending[1:]
			done = &p
		}
	} else {
		s.unsolicited++
		for _, l := range reply.Lines {
			s.unsolicitedBytes += len(l)
		}
		if s.unsolicited > maxUnsolicitedReplies || s.unsolicitedBytes > maxUnsolicitedBytes {
			s.mu.Unlock()
			s.order.reader(ev)
			s.fail(&BoundError{Bound: BoundUnsolicited, Limit: fmt.Sprintf("%d replies or %s", maxUnsolicitedReplies, formatBytes(maxUnsolicitedBytes)), Read: fmt.Sprintf("%d replies (%s)", s.unsolicited, formatBytes(int64(s.unsolicitedBytes)))}, "")
			return nil
		}
	}
	transfer := s.transfers[ev.Seq]
	if done != nil {
		ev.Note, ev.Warnings = s.learn(done, reply)
	}
	s.armReadDeadline()
	s.mu.Unlock()
	if done != nil {
		// A reply that ends the session (221 to QUIT) closes it before
		// anyone sees the reply: a command sent on seeing it is then
		// refused as not sent, never written to a server that is gone.
		s.endAfterFinal(done.cmd.Verb, reply)
	}
	// The sequencer shows a transfer's final reply after its data
	// connection's end, and its 1xx before the data events.
	s.order.reader(ev)
	if transfer != nil && done == nil && reply.Class() == 1 {
		transfer.started()
	}
	if transfer != nil && done != nil {
		transfer.finished(reply.Code)
	}
	if done == nil {
		return nil
	}
	if ev.Verb == GreetingVerb && reply.Code == 220 && s.cfg.RequireTLS && !s.cfg.ImplicitTLS {
		s.enqueueInternal("AUTH TLS")
	}
	var upgraded net.Conn
	if e, ok := ReplyEffect(done.cmd.Verb, done.cmd.Arg, reply); ok && e.Kind == EffectTLS {
		upgraded = s.upgrade() // the effect the side panel shows is the one acted on
	}
	if done.cmd.Verb == "AUTH" && reply.Class() >= 4 && s.cfg.RequireTLS {
		s.fail(&AuthRefusedError{Code: reply.Code, Line: Escape(reply.Lines[0])}, "")
	}
	if done.barrier != nil {
		close(done.barrier)
	}
	select {
	case s.answered <- struct{}{}:
	default:
	}
	return upgraded
}

// learn updates the session from a final reply and returns a note for the
// reply event and warnings to report after it. Callers hold s.mu.
func (s *Session) learn(p *pendingCommand, reply *Reply) (note string, warnings []string) {
	verb, arg := p.cmd.Verb, strings.ToUpper(strings.TrimSpace(p.cmd.Arg))
	if t := s.transfers[p.seq]; t != nil && reply.Class() >= 4 {
		// A refused or failed transfer: its data connection is over. (An
		// active transfer answered 2xx goes on accepting: the server's
		// connection may still be in the accept queue, and the reply
		// timeout bounds the wait for a server that never connects.)
		go t.stopForReply(reply.Code)
	}
	switch {
	case verb == "PASV" && reply.Code == 227, verb == "LPSV" && reply.Code == 228:
		parse := ParsePASV
		if verb == "LPSV" {
			parse = ParseLPSV
		}
		pasv, err := parse(reply.Text())
		if err != nil {
			return s.passiveFailed(verb, err)
		}
		return s.choosePassive(pasv)
	case verb == "EPSV" && reply.Code == 229:
		pasv, err := ParseEPSV(reply.Text())
		if err != nil {
			return s.passiveFailed(verb, err)
		}
		return s.choosePassive(pasv)
	case (verb == "PASV" || verb == "EPSV" || verb == "LPSV") && RefusesMode(reply):
		if !slices.Contains(s.refusedPassive, verb) {
			s.refusedPassive = append(s.refusedPassive, verb)
		}
	case (verb == "PORT" || verb == "EPRT") && reply.Class() >= 4:
		if s.active != nil {
			s.active.Close()
			s.active = nil
			return "ftpscope stopped listening for a data connection: the server refused the address", nil
		}
	}
	// What the reply changed is worked out once, by ReplyEffect; the
	// session keeps what its transfers need.
	e, changed := ReplyEffect(verb, p.cmd.Arg, reply)
	switch {
	case !changed:
	case e.Kind == EffectLogin:
		s.loggedIn = true
	case e.Kind == EffectLogout:
		s.loggedIn = false
	case e.Kind == EffectType:
		s.ascii = e.Value == "A"
		if s.ascii {
			return "transfers now use TYPE A: line endings are converted (CRLF on the wire)", nil
		}
		return "transfers now use TYPE " + arg + ": bytes are moved unchanged", nil
	case e.Kind == EffectProt:
		s.prot = e.Value == "P"
		if s.prot {
			return "data connections will be protected with TLS, resuming the control connection's session", nil
		}
		return "data connections will be sent in clear text", nil
	case e.Kind == EffectRestart:
		s.restart, _ = strconv.ParseInt(e.Value, 10, 64)
		return fmt.Sprintf("the next RETR, STOR or APPE starts at byte %d", s.restart), nil
	case e.Kind == EffectReset:
		s.ascii, s.prot, s.restart, s.loggedIn = false, false, 0, false
		return "the session was reset: logged out, TYPE and PROT back to the server's defaults", nil
	}
	return "", nil
}

// passiveFailed forgets any earlier data address after a passive reply
// that could not be decoded, and remembers why for the next transfer's
// warning. Callers hold s.mu.
func (s *Session) passiveFailed(verb string, err error) (string, []string) {
	s.passive = nil
	s.passiveErr = fmt.Sprintf("the reply to %s could not be decoded (%v)", verb, err)
	return "", []string{err.Error()}
}

// choosePassive records where the next transfer connects. A 227 or 228
// address that is not the control connection's peer (a private address
// behind NAT, 0.0.0.0, another host) is replaced by the peer's, unless the
// user asked to follow the server. Callers hold s.mu.
func (s *Session) choosePassive(p Passive) (string, []string) {
	peer := s.peerIP()
	s.passiveErr, s.refusedPassive = "", nil
	if s.active != nil {
		s.active.Close()
		s.active = nil
	}
	if p.IP == nil { // EPSV: the port only
		s.passive = &net.TCPAddr{IP: peer, Port: p.Port}
		return fmt.Sprintf("data address: %s (%s)", s.passive, p.Working), nil
	}
	note := "data address: " + p.Working
	if p.IP.Equal(peer) {
		s.passive = &net.TCPAddr{IP: p.IP, Port: p.Port}
		return note, nil
	}
	if s.cfg.FollowPassiveAddress {
		s.passive = &net.TCPAddr{IP: p.IP, Port: p.Port}
		return note, []string{fmt.Sprintf("the server announced %s, which is not the control connection's address %s; following it, as asked (--pasv-address=server or :pasv-address server)", p.IP, peer)}
	}
	s.passive = &net.TCPAddr{IP: peer, Port: p.Port}
	why := "another host"
	switch {
	case p.IP.IsUnspecified():
		why = "an unspecified address"
	case p.IP.IsPrivate():
		why = "a private address, typical of a server behind NAT"
	case p.IP.IsLoopback():
		why = "a loopback address other than the one you connected to"
	}
	return note, []string{fmt.Sprintf("the server announced %s (%s), not %s where the control connection goes; ftpscope will connect to %s instead (--pasv-address=server follows the server)", p.IP, why, peer, s.passive)}
}

// peerIP is the control connection's remote address. Callers hold s.mu.
func (s *Session) peerIP() net.IP {
	if s.conn == nil {
		return nil
	}
	if a, ok := s.conn.RemoteAddr().(*net.TCPAddr); ok {
		return a.IP
	}
	return nil
}

// upgrade runs the TLS handshake after a 234 and switches both loops to the
// protected connection. A failed handshake ends the session: the server
// expects TLS and the connection cannot go back to clear text.
func (s *Session) upgrade() net.Conn {
	s.mu.Lock()
	conn := s.conn
	s.mu.Unlock()
	start := time.Now()
	tc, err := s.handshake(conn)
	if err != nil {
		s.fail(err, "")
		return nil
	}
	s.mu.Lock()
	s.conn, s.protected = tc, true
	s.armReadDeadline()
	s.mu.Unlock()
	s.reportHandshake(tc, time.Since(start))
	return tc
}
