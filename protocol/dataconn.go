package protocol

// Preparing data connections: the passive address dialled or the active
// listener opened before a transfer command is sent, the Telnet Synch
// before ABOR, and the bookkeeping of running transfers.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"
)

// Telnet bytes for interrupting a server during a transfer (RFC 854).
const (
	telnetIAC = 0xff // Interpret As Command
	telnetIP  = 0xf4 // Interrupt Process
	telnetDM  = 0xf2 // Data Mark, the end of a Synch
)

// synch precedes ABOR with the Telnet "Interrupt Process" and "Synch"
// signals, as RFC 959 §4.1.3 asks, so a server busy sending data notices
// the ABOR (vsftpd's async_abor_enable needs this): IAC IP IAC goes as TCP
// urgent data, and the Data Mark starts the command line. Over TLS urgent
// data cannot be sent, and ABOR goes alone.
func (s *Session) synch(conn net.Conn, wire []byte) ([]byte, string) {
	if !sendUrgent(conn, []byte{telnetIAC, telnetIP, telnetIAC}) {
		return wire, "sent without the Telnet Synch (not possible on this connection): the server may notice ABOR only after the transfer"
	}
	return append([]byte{telnetDM}, wire...), "preceded by the Telnet signals IP and Synch (IAC IP, urgent IAC DM), as RFC 959 §4.1.3 asks, so the server notices ABOR during the transfer"
}

// waitForReplies waits until every command sent so far has its final
// reply, or the session ends (the reply timeout ends it when a reply does
// not come).
func (s *Session) waitForReplies() {
	for {
		s.mu.Lock()
		n := len(s.pending)
		s.mu.Unlock()
		if n == 0 {
			return
		}
		select {
		case <-s.answered:
		case <-s.ctx.Done():
			return
		}
	}
}

// prepareTransfer readies the data connection for a transfer command:
// it dials the passive address, or takes the active listener. Without
// either, the command is sent anyway, with a warning, so the user sees the
// server's own answer (usually 425). The warnings are returned for the
// writer to report with the command's number.
func (s *Session) prepareTransfer(q queued) (*transfer, []string, error) {
	s.mu.Lock()
	restart := s.restart
	if verb := q.line.Command.Verb; restart > 0 && verb == "RETR" && q.line.SaveTo != "" {
		if err := checkRestartFile(q.line.SaveTo, restart); err != nil {
			// Not sent, so the server still holds the offset: keep it.
			s.mu.Unlock()
			return nil, nil, err
		}
	}
	passive, active, passiveErr, refused := s.passive, s.active, s.passiveErr, s.refusedPassive
	s.passive, s.active, s.passiveErr = nil, nil, ""
	s.restart = 0
	t := newTransfer()
	t.verb, t.direction = q.line.Command.Verb, transferVerbs[q.line.Command.Verb]
	t.ascii, t.protected = s.ascii, s.prot
	t.upload, t.uploadSize, t.savePath, t.restart = q.upload, q.uploadSize, q.line.SaveTo, restart
	peer := s.peerIP()
	clearData := s.protected && !s.prot
	loggedIn := s.loggedIn
	s.mu.Unlock()
	var warnings []string
	if clearData {
		warnings = append(warnings, "the control connection is protected but PROT P was not sent, so this data connection goes in clear text; send PBSZ 0 and PROT P first (many servers refuse clear data with 521 or 522)")
	}
	if restart > 0 && t.verb != "RETR" && t.verb != "STOR" && t.verb != "APPE" {
		t.restart = 0
	}
	switch {
	case passive != nil:
		ctx, cancel := context.WithTimeout(s.ctx, s.cfg.ConnectTimeout)
		defer cancel()
		var d net.Dialer
		dialStart := time.Now()
		conn, err := d.DialContext(ctx, "tcp", passive.String())
		t.openTime = time.Since(dialStart)
		if err != nil {
			return nil, warnings, &DataError{Verb: t.verb, Op: DataDial, Addr: passive.String(), Err: err}
		}
		t.dialled = conn
		t.opened = &Event{Kind: EventData, Line: fmt.Sprintf("data connection open: %s → %s", conn.LocalAddr(), conn.RemoteAddr()), Data: &DataInfo{
			Phase: DataOpened, Direction: t.direction, Verb: t.verb, Local: conn.LocalAddr().String(), Remote: conn.RemoteAddr().String(), Protected: t.protected,
			OpenTime: t.openTime,
		}}
	case active != nil:
		t.listener, t.peer = active, peer
	default:
		warnings = append(warnings, noDataConnection(t.verb, loggedIn, passiveErr, refused))
		if q.upload != nil {
			q.upload.Close()
		}
		return nil, warnings, nil
	}
	return t, warnings, nil
}

// prepareActive opens the listener for active mode. PORT or EPRT typed
// without an argument listens on the control connection's local address,
// and the command is filled in; with an argument, ftpscope listens where
// it says, which must be an address of this machine.
func (s *Session) prepareActive(cmd Command) (Command, string, error) {
	s.mu.Lock()
	local := s.conn.LocalAddr().(*net.TCPAddr)
	s.mu.Unlock()
	var want *net.TCPAddr
	var err error
	switch {
	case cmd.Arg == "":
		want = &net.TCPAddr{IP: local.IP}
	case cmd.Verb == "PORT":
		want, err = ParsePORT(cmd.Arg)
	default:
		want, err = ParseEPRT(cmd.Arg)
	}
	if err != nil {
		return cmd, "", err
	}
	if cmd.Verb == "PORT" && want.IP.To4() == nil {
		return cmd, "", errors.New("PORT carries only IPv4 addresses; on an IPv6 connection use EPRT")
	}
	l, err := net.ListenTCP("tcp", want)
	if err != nil {
		return cmd, "", fmt.Errorf("cannot listen on %s for the data connection: %w", want, err)
	}
	addr := l.Addr().(*net.TCPAddr)
	if cmd.Arg == "" {
		if cmd.Verb == "PORT" {
			if cmd.Arg, err = FormatPORT(addr); err != nil {
				l.Close()
				return cmd, "", err
			}
		} else {
			cmd.Arg = FormatEPRT(addr)
		}
	}
	s.mu.Lock()
	if s.active != nil {
		s.active.Close()
	}
	s.active, s.passive = l, nil
	s.mu.Unlock()
	return cmd, fmt.Sprintf("ftpscope listens on %s for the server's data connection (port %d = %d×256+%d)", addr, addr.Port, addr.Port/256, addr.Port%256), nil
}

// startTransfer runs a transfer in its own goroutine, so the writer stays
// free to send ABOR while data flows.
func (s *Session) startTransfer(t *transfer) {
	s.transferWG.Add(1)
	go s.runTransfer(t)
}

// endTransfer forgets a finished transfer.
func (s *Session) endTransfer(t *transfer) {
	s.mu.Lock()
	delete(s.transfers, t.seq)
	s.armReadDeadline()
	s.mu.Unlock()
	s.transferWG.Done()
}

// stopTransfers stops every transfer and waits for each to report its
// end, so that EventClose stays the last event. Stopping closes their
// connections, so none of them can keep the wait going.
func (s *Session) stopTransfers() {
	s.mu.Lock()
	var running []*transfer
	for _, t := range s.transfers {
		running = append(running, t)
	}
	if s.active != nil {
		s.active.Close()
		s.active = nil
	}
	s.mu.Unlock()
	for _, t := range running {
		t.stop("the connection ended")
	}
	s.transferWG.Wait()
}

// noDataConnection is the warning for a transfer command sent with no
// data connection prepared. Before a login with nothing else to say,
// logging in comes first: servers refuse the command (and PASV or EPSV)
// with 530 until then, which is also why such a refusal does not count
// as refusing the mode (RefusesMode).
func noDataConnection(verb string, loggedIn bool, passiveErr string, refused []string) string {
	why := "none is prepared: send PASV or EPSV (or PORT/EPRT) first"
	switch {
	case passiveErr != "":
		why = "none is prepared, because " + passiveErr
	case len(refused) > 0:
		why = "none is prepared: " + afterRefusedPassive(refused)
	case !loggedIn:
		return verb + " needs a login and a data connection, and neither is there: log in (USER, then PASS), then send PASV or EPSV. Sending it anyway; expect 530."
	}
	expect := "expect 425"
	if !loggedIn {
		expect = "the server will likely refuse it, with 530 until you log in"
	}
	return verb + " needs a data connection, and " + why + ". Sending it anyway; " + expect + "."
}

// afterRefusedPassive says what is left to try once the server refused
// the passive-mode commands refused (PASV, EPSV, LPSV), so that the
// warning before a transfer never advises the command just refused.
func afterRefusedPassive(refused []string) string {
	pasv, epsv := slices.Contains(refused, "PASV"), slices.Contains(refused, "EPSV")
	switch {
	case pasv && epsv:
		return "the server refused PASV and EPSV, so send PORT or EPRT (active mode) first"
	case epsv:
		return "the server refused EPSV, so send PASV (or PORT/EPRT) first"
	default:
		return "the server refused " + strings.Join(refused, " and ") + ", so send EPSV (or PORT/EPRT) first"
	}
}
