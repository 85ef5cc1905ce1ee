package sandbox

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The sandbox owns its control connections: goftp.io/server reads commands
// from a controlConn that the sandbox's listener hands it. That lets the
// sandbox refuse a connection before goftp greets it (max-connections),
// run AUTH TLS itself (so that it knows the handshake's outcome and can
// present another certificate), delay replies (slow), and log every
// command and reply of every connection.

// listener wraps the server's TCP listener for goftp's Serve.
type listener struct {
	net.Listener
	srv *Server
}

// tooManyFromAddress is vsftpd's reply when max_per_ip is reached.
const tooManyFromAddress = "421 There are too many connections from your internet address.\r\n"

// Accept returns the next connection goftp should serve. A connection over
// the max-connections limit is answered 421 and closed here, as vsftpd
// does, and never reaches goftp.
func (l *listener) Accept() (net.Conn, error) {
	for {
		raw, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		c, ok := l.srv.conns.add(raw, l.srv)
		if ok {
			l.srv.log.add(LogEntry{Conn: c.id, Remote: c.remote, Kind: LogConnect, Text: "connected to " + raw.LocalAddr().String()})
			return c, nil
		}
		l.srv.log.add(LogEntry{Conn: c.id, Remote: c.remote, Kind: LogRefused, Text: strings.TrimSpace(tooManyFromAddress)})
		// Answered apart, so that a client that does not read cannot hold
		// up the connections behind it.
		go func() {
			raw.SetWriteDeadline(time.Now().Add(time.Second))
			raw.Write([]byte(tooManyFromAddress))
			raw.Close()
		}()
	}
}

// connTable counts the open control connections by client address and
// keeps them, so that Close can cut them off.
type connTable struct {
	mu     sync.Mutex
	next   int
	byAddr map[string]*controlConn // by the client's address (host:port)
	perIP  map[string]int
	closed bool
}

func newConnTable() *connTable {
	return &connTable{byAddr: map[string]*controlConn{}, perIP: map[string]int{}}
}

// add registers raw and returns its controlConn; ok is false when the
// max-connections fault refuses it.
func (t *connTable) add(raw net.Conn, srv *Server) (c *controlConn, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.next++
	c = &controlConn{Conn: raw, id: t.next, remote: raw.RemoteAddr().String(), srv: srv}
	ip := hostOf(raw.RemoteAddr())
	if t.closed || (srv.faults.has(FaultMaxConnections) && t.perIP[ip] >= 1) {
		return c, false
	}
	t.perIP[ip]++
	t.byAddr[c.remote] = c
	return c, true
}

func (t *connTable) remove(c *controlConn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.byAddr[c.remote] != c {
		return
	}
	delete(t.byAddr, c.remote)
	ip := hostOf(c.Conn.RemoteAddr())
	if t.perIP[ip]--; t.perIP[ip] <= 0 {
		delete(t.perIP, ip)
	}
}

// closeAll cuts off every connection and refuses new ones.
func (t *connTable) closeAll() {
	t.mu.Lock()
	t.closed = true
	conns := make([]*controlConn, 0, len(t.byAddr))
	for _, c := range t.byAddr {
		conns = append(conns, c)
	}
	t.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

func hostOf(addr net.Addr) string {
	if tcp, ok := addr.(*net.TCPAddr); ok {
		return tcp.IP.String()
	}
	host, _, _ := net.SplitHostPort(addr.String())
	return host
}

// controlConn is a control connection as goftp sees it. After AUTH TLS its
// reads and writes go through TLS. goftp reads and writes from the
// session's goroutine only, and the upgrade happens there too; Close may
// come from another goroutine (Server.Close) and only closes the socket.
type controlConn struct {
	net.Conn
	id     int
	remote string
	srv    *Server

	tls    atomic.Pointer[tls.Conn]
	closed sync.Once

	// The session's state that the sandbox keeps itself, read and
	// written from the session's goroutine only, except data, which Close
	// may reach.
	dataMu    sync.Mutex
	data      *dataSocket   // prepared by PASV, EPSV, PORT or EPRT
	running   *dataTransfer // the transfer under way
	gone      bool          // the connection is closed
	protP     bool          // PROT P is in force
	restAt    int64         // REST's offset for the next transfer
	userGiven bool          // USER was sent and PASS is awaited
	renaming  bool          // RNFR succeeded and RNTO is awaited
	lastCode  int           // the code of the last reply written

	// partial holds the start of a command line not yet ended by LF, for
	// the log.
	partial []byte
}

func (c *controlConn) Read(p []byte) (int, error) {
	var n int
	var err error
	if t := c.tls.Load(); t != nil {
		n, err = t.Read(p)
	} else {
		n, err = c.Conn.Read(p)
	}
	c.logCommands(p[:n])
	return n, err
}

func (c *controlConn) Write(p []byte) (int, error) {
	if c.srv.faults.has(FaultSlow) {
		time.Sleep(c.srv.slowDelay)
	}
	for _, line := range strings.SplitAfter(string(p), "\n") {
		if line = strings.TrimRight(line, "\r\n"); line != "" {
			if len(line) >= 4 && line[3] == ' ' {
				c.lastCode, _ = strconv.Atoi(line[:3])
			}
			c.srv.log.add(LogEntry{Conn: c.id, Remote: c.remote, Kind: LogReply, Text: line})
		}
	}
	if t := c.tls.Load(); t != nil {
		return t.Write(p)
	}
	return c.Conn.Write(p)
}

// RemoteAddr returns the client's address, as a sessionAddr, through
// which the sandbox's commands find the controlConn behind a goftp
// session.
func (c *controlConn) RemoteAddr() net.Addr {
	return sessionAddr{Addr: c.Conn.RemoteAddr(), c: c}
}

// sessionAddr is a client's address that also leads to its controlConn.
type sessionAddr struct {
	net.Addr
	c *controlConn
}

// writeRaw writes a reply that goftp cannot format, such as a multi-line
// one. goftp flushes each of its replies at once, so the order holds.
func (c *controlConn) writeRaw(reply string) {
	c.Write([]byte(reply))
}

// Close closes the connection once and forgets it.
func (c *controlConn) Close() error {
	err := c.Conn.Close()
	c.closed.Do(func() {
		c.dataMu.Lock()
		c.gone = true
		running := c.running
		c.dataMu.Unlock()
		if running != nil {
			running.tcp.Close()
		}
		c.prepare(nil)
		c.srv.conns.remove(c)
		c.srv.log.add(LogEntry{Conn: c.id, Remote: c.remote, Kind: LogClose, Text: "disconnected"})
	})
	return err
}

// logCommands logs each whole command line in b, passwords masked.
func (c *controlConn) logCommands(b []byte) {
	if c.srv.log.fn == nil {
		return
	}
	c.partial = append(c.partial, b...)
	for {
		i := bytes.IndexByte(c.partial, '\n')
		if i < 0 {
			break
		}
		line := strings.TrimRight(string(c.partial[:i]), "\r")
		c.partial = c.partial[i+1:]
		c.srv.log.add(LogEntry{Conn: c.id, Remote: c.remote, Kind: LogCommand, Text: MaskCommand(line)})
	}
	// The log keeps no more than 4 KiB of a line without its end, so a
	// client sending no LF cannot grow it.
	if len(c.partial) > 4096 {
		c.partial = c.partial[:0]
	}
}

// note adds an entry about this connection to the server's log.
func (c *controlConn) note(kind LogKind, text string) {
	c.srv.log.add(LogEntry{Conn: c.id, Remote: c.remote, Kind: kind, Text: text})
}

// upgrade runs the server's side of a TLS handshake on the connection,
// bounded by limit, and from then on reads and writes through TLS.
func (c *controlConn) upgrade(cfg *tls.Config, limit time.Duration) error {
	t := tls.Server(c.Conn, cfg)
	t.SetDeadline(time.Now().Add(limit))
	err := t.Handshake()
	t.SetDeadline(time.Time{})
	if err != nil {
		c.srv.log.add(LogEntry{Conn: c.id, Remote: c.remote, Kind: LogTLS, Text: "TLS handshake failed: " + err.Error()})
		return fmt.Errorf("TLS handshake: %w", err)
	}
	st := t.ConnectionState()
	c.srv.log.add(LogEntry{Conn: c.id, Remote: c.remote, Kind: LogTLS, Text: fmt.Sprintf("control connection protected: %s, %s", tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite))})
	c.tls.Store(t)
	return nil
}

// tlsState returns the connection's TLS state, or nil in clear.
func (c *controlConn) tlsState() *tls.ConnectionState {
	if t := c.tls.Load(); t != nil {
		st := t.ConnectionState()
		return &st
	}
	return nil
}
