package sandbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	ftpserver "goftp.io/server/v2"
)

// The sandbox owns its data connections instead of goftp.io/server, for
// three reasons:
//
//   - A passive listener binds only the address the control connection
//     arrived on, never all addresses, so a sandbox on 127.0.0.1 exposes
//     no data port elsewhere, and a client that follows a wrong announced
//     address (the nat fault) really fails.
//   - The faults act on the real connection: refused, dropped, reset in
//     the middle of a transfer, never answered.
//   - Protection follows vsftpd: once the control connection is protected,
//     a transfer is refused with 522 until PROT P is in force; under PROT P
//     the server runs TLS's server side on the data connection, passive or
//     active, and can require the client to resume the control
//     connection's TLS session on it (require-tls-reuse).
//
// Replies use vsftpd's wording.

// dataSocket is the data connection that PASV, EPSV, PORT or EPRT
// prepared and that no transfer has used yet.
type dataSocket struct {
	// listener is set for a passive connection; nil when the refuse-data
	// fault closed it at once.
	listener net.Listener
	// dropped is closed when drop-data's goroutine has accepted and closed
	// the client's connection.
	dropped chan struct{}
	// filler holds the listener's queue full for unanswered-pasv-port.
	filler net.Conn
	// activeAddr is the client's address for PORT or EPRT.
	activeAddr string
	// unreachable is set when a fault means no connection can be made.
	unreachable bool
}

func (d *dataSocket) close() {
	if d.listener != nil {
		d.listener.Close()
	}
	if d.filler != nil {
		d.filler.Close()
	}
}

// errNoDataConnection is why a data connection could not be made under a
// fault.
var errNoDataConnection = errors.New("no data connection could be made")

// open makes the data connection: it accepts the client's connection to a
// passive port or connects to the client's active port, within limit.
func (d *dataSocket) open(limit time.Duration) (net.Conn, error) {
	if d.unreachable {
		return nil, errNoDataConnection
	}
	if d.dropped != nil {
		<-d.dropped
		return nil, errNoDataConnection
	}
	if d.listener != nil {
		tl := d.listener.(*net.TCPListener)
		tl.SetDeadline(time.Now().Add(limit))
		defer d.listener.Close()
		return tl.Accept()
	}
	dialer := net.Dialer{Timeout: limit}
	return dialer.Dial("tcp", d.activeAddr)
}

// prepare replaces the session's prepared data connection with d; nil
// closes it.
func (c *controlConn) prepare(d *dataSocket) {
	c.dataMu.Lock()
	old := c.data
	c.data = d
	if c.gone {
		// The session is closed: nothing will use d.
		c.data = nil
		if d != nil {
			defer d.close()
		}
	}
	c.dataMu.Unlock()
	if old != nil {
		old.close()
	}
}

// track notes t as the transfer under way, so that Close can end it; it
// reports false when the session is already closed.
func (c *controlConn) track(t *dataTransfer) bool {
	c.dataMu.Lock()
	defer c.dataMu.Unlock()
	c.running = t
	return !c.gone
}

// finish forgets the transfer under way and closes its connection.
func (c *controlConn) finish() {
	c.dataMu.Lock()
	t := c.running
	c.running = nil
	c.dataMu.Unlock()
	if t != nil {
		t.tcp.Close()
	}
}

// takeData returns the prepared data connection and forgets it: each
// transfer uses its own.
func (c *controlConn) takeData() *dataSocket {
	c.dataMu.Lock()
	defer c.dataMu.Unlock()
	d := c.data
	c.data = nil
	return d
}

// passiveCommand answers PASV (extended false) and EPSV.
type passiveCommand struct {
	srv      *Server
	extended bool
}

func (passiveCommand) IsExtend() bool     { return false }
func (passiveCommand) RequireParam() bool { return false }
func (passiveCommand) RequireAuth() bool  { return true }

func (cmd passiveCommand) Execute(sess *ftpserver.Session, param string) {
	c := cmd.srv.control(sess)
	if cmd.srv.faults.has(FaultNoPasv) {
		sess.WriteMessage(550, "Permission denied.")
		return
	}
	if cmd.extended {
		switch p := strings.ToUpper(strings.TrimSpace(param)); p {
		case "", "1", "2":
		case "ALL":
			sess.WriteMessage(200, "EPSV ALL ok.")
			return
		default:
			sess.WriteMessage(522, "Bad network protocol.")
			return
		}
	}
	local := c.LocalAddr().(*net.TCPAddr).IP
	if !cmd.extended && local.To4() == nil {
		sess.WriteMessage(425, "PASV cannot announce an IPv6 address: use EPSV.")
		return
	}
	d, port, err := cmd.srv.listenData(local)
	if err != nil {
		sess.WriteMessage(425, "Failed to establish connection.")
		return
	}
	c.prepare(d)
	if cmd.extended {
		sess.WriteMessage(229, fmt.Sprintf("Entering Extended Passive Mode (|||%d|)", port))
		return
	}
	announce := local.To4()
	switch {
	case cmd.srv.faults.has(FaultNAT):
		announce = net.ParseIP(cmd.srv.nat).To4()
	case sess.PublicIP() != "":
		if ip := net.ParseIP(sess.PublicIP()).To4(); ip != nil {
			announce = ip
		}
	}
	sess.WriteMessage(227, fmt.Sprintf("Entering Passive Mode (%d,%d,%d,%d,%d,%d).",
		announce[0], announce[1], announce[2], announce[3], port>>8, port&0xff))
}

// listenData opens a passive listener on ip, the address the control
// connection arrived on, and applies the faults that concern it.
func (s *Server) listenData(ip net.IP) (*dataSocket, int, error) {
	addr := net.JoinHostPort(ip.String(), "0")
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, 0, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	d := &dataSocket{listener: l}
	switch {
	case s.faults.has(FaultRefuseData):
		// Nothing listens on the port any more: a client's connection is
		// refused (RST), as with a firewall that rejects it.
		l.Close()
		d.listener, d.unreachable = nil, true
	case s.faults.has(FaultUnansweredPort):
		// A listener whose queue is full: Linux drops the client's SYN,
		// as a firewall that drops the passive range does, so the
		// client's connect times out.
		if err := fillBacklog(l.(*net.TCPListener), &d.filler); err != nil {
			l.Close()
			return nil, 0, err
		}
		d.unreachable = true
	case s.faults.has(FaultDropData):
		d.dropped = make(chan struct{})
		go func() {
			defer close(d.dropped)
			defer l.Close()
			l.(*net.TCPListener).SetDeadline(time.Now().Add(s.dataLimit))
			if conn, err := l.Accept(); err == nil {
				conn.Close()
			}
		}()
	}
	return d, port, nil
}

// fillBacklog shrinks l's queue of pending connections to one and fills it
// with a connection of its own, kept in *filler, so that the kernel drops
// every further connection attempt without an answer.
func fillBacklog(l *net.TCPListener, filler *net.Conn) error {
	raw, err := l.SyscallConn()
	if err != nil {
		return err
	}
	var listenErr error
	if err := raw.Control(func(fd uintptr) { listenErr = relisten(fd, 0) }); err != nil {
		return err
	}
	if listenErr != nil {
		return listenErr
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", l.Addr().String())
	if err != nil {
		return fmt.Errorf("fill the passive port's queue: %w", err)
	}
	*filler = conn
	return nil
}

// activeCommand answers PORT (extended false) and EPRT. As vsftpd does
// (port_promiscuous=NO), it connects only to the address of the client on
// the control connection, and only when a transfer needs it.
type activeCommand struct {
	srv      *Server
	extended bool
}

func (activeCommand) IsExtend() bool     { return false }
func (activeCommand) RequireParam() bool { return true }
func (activeCommand) RequireAuth() bool  { return true }

func (cmd activeCommand) Execute(sess *ftpserver.Session, param string) {
	c := cmd.srv.control(sess)
	var ip net.IP
	var port int
	var ok bool
	if cmd.extended {
		ip, port, ok = parseEPRT(param)
	} else {
		ip, port, ok = parsePORT(param)
	}
	verb, advice := "PORT", "Consider using PASV."
	if cmd.extended {
		verb, advice = "EPRT", "Consider using EPSV."
	}
	peer := c.Conn.RemoteAddr().(*net.TCPAddr).IP
	if !ok || !ip.Equal(peer) {
		sess.WriteMessage(500, "Illegal "+verb+" command.")
		return
	}
	d := &dataSocket{activeAddr: net.JoinHostPort(ip.String(), strconv.Itoa(port))}
	d.unreachable = cmd.srv.faults.has(FaultRefuseData)
	c.prepare(d)
	sess.WriteMessage(200, verb+" command successful. "+advice)
}

// parsePORT reads PORT's h1,h2,h3,h4,p1,p2.
func parsePORT(param string) (net.IP, int, bool) {
	parts := strings.Split(strings.TrimSpace(param), ",")
	if len(parts) != 6 {
		return nil, 0, false
	}
	var n [6]int
	for i, p := range parts {
		v, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || v < 0 || v > 255 {
			return nil, 0, false
		}
		n[i] = v
	}
	port := n[4]<<8 | n[5]
	return net.IPv4(byte(n[0]), byte(n[1]), byte(n[2]), byte(n[3])), port, port != 0
}

// parseEPRT reads EPRT's |proto|address|port| (RFC 2428).
func parseEPRT(param string) (net.IP, int, bool) {
	param = strings.TrimSpace(param)
	if len(param) < 2 {
		return nil, 0, false
	}
	parts := strings.Split(param, param[:1])
	if len(parts) != 5 || parts[0] != "" || parts[4] != "" {
		return nil, 0, false
	}
	ip := net.ParseIP(parts[2])
	port, err := strconv.Atoi(parts[3])
	if ip == nil || err != nil || port <= 0 || port > 65535 {
		return nil, 0, false
	}
	if (parts[1] == "1") != (ip.To4() != nil) || (parts[1] != "1" && parts[1] != "2") {
		return nil, 0, false
	}
	return ip, port, true
}

// dataTransfer is a data connection in use by one transfer.
type dataTransfer struct {
	net.Conn          // TLS under PROT P
	tcp      net.Conn // the connection beneath
}

// reset closes the connection with a TCP reset, as a connection dropped in
// the middle of a transfer is.
func (t *dataTransfer) reset() {
	if tcp, ok := t.tcp.(*net.TCPConn); ok {
		tcp.SetLinger(0)
	}
	t.tcp.Close()
}

// startTransfer checks that a transfer may run, answers 150 with text,
// makes the data connection and, under PROT P, runs TLS on it. It answers
// the failures itself and then returns nil.
func (s *Server) startTransfer(sess *ftpserver.Session, text string) *dataTransfer {
	c := s.control(sess)
	d := c.takeData()
	if d == nil {
		sess.WriteMessage(425, "Use PORT or PASV first.")
		return nil
	}
	if c.tlsState() != nil && !c.protP {
		d.close()
		sess.WriteMessage(522, "Data connections must be encrypted.")
		return nil
	}
	conn, err := d.open(s.dataLimit)
	if err != nil {
		d.close()
		c.note(LogData, "no data connection: "+err.Error())
		sess.WriteMessage(425, "Failed to establish connection.")
		return nil
	}
	c.note(LogData, "data connection: client "+conn.RemoteAddr().String()+", server "+conn.LocalAddr().String())
	sess.WriteMessage(150, text)
	t := &dataTransfer{Conn: conn, tcp: conn}
	if !c.track(t) {
		conn.Close()
		return nil
	}
	if !c.protP {
		return t
	}
	tc := tls.Server(conn, s.tlsConfig)
	tc.SetDeadline(time.Now().Add(s.dataLimit))
	err = tc.Handshake()
	tc.SetDeadline(time.Time{})
	if err == nil && s.faults.has(FaultRequireTLSReuse) && !tc.ConnectionState().DidResume {
		err = errors.New("no TLS session reuse")
	}
	if err != nil {
		conn.Close()
		c.note(LogData, "data connection TLS failed: "+err.Error())
		msg := "SSL connection failed"
		if s.faults.has(FaultRequireTLSReuse) {
			msg += "; session reuse required: see require_ssl_reuse option in vsftpd.conf man page"
		}
		sess.WriteMessage(522, msg)
		return nil
	}
	t.Conn = tc
	return t
}
