// Package badserver is a scriptable, misbehaving FTP server for tests. It
// listens on 127.0.0.1 only and plays a Script on every control
// connection: a Go function that writes whatever bytes it likes (escape
// sequences, giant lines, endless replies, one byte a second, malformed
// codes) and reads the client's commands.
//
// Most tests need only a ready-made scenario (see scenarios.go):
//
//	srv := badserver.Start(t, badserver.EndlessReply())
//	// connect ftpscope to srv.Addr and send STAT
//
// Writing a scenario of your own takes Serve, which answers the usual
// commands like a small well-behaved server (login, TYPE, PWD, PASV, EPSV,
// LIST, RETR, QUIT), and a Handlers map that overrides the verbs you want
// to misbehave:
//
//	srv := badserver.Start(t, func(c *badserver.Conn) {
//		c.Lines("220 hello")
//		badserver.Serve(c, badserver.Handlers{
//			"STAT": func(c *badserver.Conn, arg string) { c.Write("211-a\r\n") },
//		})
//	})
//
// Data connections come from Conn.ListenData (a passive listener whose 227
// may announce any address), RefusedPort (nothing listens) and
// DroppingPort (connections hang: their SYNs are dropped).
package badserver

import (
	"bufio"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// Script plays one control connection. It returns when it is done; the
// connection is then closed.
type Script func(c *Conn)

// Server is a running misbehaving server.
type Server struct {
	// Addr is host:port on 127.0.0.1.
	Addr string

	tb       testing.TB
	listener net.Listener
	done     chan struct{}
	wg       sync.WaitGroup
	mu       sync.Mutex
	closers  []io.Closer
}

// Start serves script on a new port of 127.0.0.1, once per connection,
// until the test ends; then it closes every connection and waits for the
// scripts to return.
func Start(tb testing.TB, script Script) *Server {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("badserver: listen: %v", err)
	}
	s := &Server{Addr: l.Addr().String(), tb: tb, listener: l, done: make(chan struct{})}
	s.wg.Add(1)
	go s.accept(script)
	tb.Cleanup(s.Close)
	return s
}

// Raw serves handle on a new port of 127.0.0.1, once per connection,
// with the bare connection: for tests of what lies below FTP, such as a
// TLS handshake on connect, bytes that are no reply, or a reset. Like a
// Script's, the connection is closed when handle returns, and at the
// test's end, which waits for handle to return.
func Raw(tb testing.TB, handle func(net.Conn)) *Server {
	tb.Helper()
	return Start(tb, func(c *Conn) { handle(c.conn) })
}

// Close stops the server: it closes the listener and every connection and
// waits for the scripts to return. Start arranges for it at the test's
// end; calling it earlier is allowed.
func (s *Server) Close() {
	select {
	case <-s.done:
		return
	default:
	}
	close(s.done)
	s.listener.Close()
	s.mu.Lock()
	for _, c := range s.closers {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *Server) accept(script Script) {
	defer s.wg.Done()
	for {
		nc, err := s.listener.Accept()
		if err != nil {
			return
		}
		s.track(nc)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer nc.Close()
			script(&Conn{conn: nc, r: bufio.NewReader(nc), srv: s})
		}()
	}
}

// track remembers a connection or listener to close at the end.
func (s *Server) track(c io.Closer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.done:
		c.Close()
	default:
		s.closers = append(s.closers, c)
	}
}

// Conn is one control connection, as a Script sees it. Its methods report
// write errors by returning false or an error; a script usually stops at
// the first one, since the client is gone.
type Conn struct {
	conn net.Conn
	r    *bufio.Reader
	srv  *Server
}

// Done is closed when the server stops.
func (c *Conn) Done() <-chan struct{} { return c.srv.done }

// Write sends s exactly as given: no line ending is added.
func (c *Conn) Write(s string) error {
	_, err := c.conn.Write([]byte(s))
	return err
}

// Lines sends each line followed by CRLF, in one write.
func (c *Conn) Lines(lines ...string) error {
	return c.Write(strings.Join(lines, "\r\n") + "\r\n")
}

// Trickle sends s one byte at a time, every interval, and stops early when
// the client goes or the server stops.
func (c *Conn) Trickle(s string, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for i := 0; i < len(s); i++ {
		if err := c.Write(s[i : i+1]); err != nil {
			return err
		}
		select {
		case <-t.C:
		case <-c.srv.done:
			return errors.New("badserver: stopped")
		}
	}
	return nil
}

// Command reads the client's next command line and splits it into an
// upper-cased verb and its argument. ok is false once the client has
// closed the connection.
func (c *Conn) Command() (verb, arg string, ok bool) {
	line, err := c.r.ReadString('\n')
	if err != nil && line == "" {
		return "", "", false
	}
	line = strings.TrimRight(line, "\r\n")
	verb, arg, _ = strings.Cut(line, " ")
	return strings.ToUpper(verb), arg, true
}

// Hold waits, sending nothing, until the client closes the connection or
// the server stops: a server that has gone silent.
func (c *Conn) Hold() {
	go func() {
		<-c.srv.done
		c.conn.Close()
	}()
	buf := make([]byte, 512)
	for {
		if _, err := c.conn.Read(buf); err != nil {
			return
		}
	}
}

// Hangup closes the control connection at once.
func (c *Conn) Hangup() { c.conn.Close() }

// Reset closes the control connection with a TCP reset instead of an
// orderly close, as when a server's process dies under it: the client's
// next read fails with "connection reset by peer".
func (c *Conn) Reset() {
	conn := c.conn
	if tc, ok := conn.(*tls.Conn); ok {
		conn = tc.NetConn()
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		tcp.SetLinger(0) // close sends RST
	}
	conn.Close()
}

// StartTLS runs the server side of a TLS handshake with cert on the
// control connection (after a 234), and goes on over TLS. It returns the
// handshake's error, for a client that refused the certificate.
func (c *Conn) StartTLS(cert tls.Certificate) error {
	tc := tls.Server(c.conn, &tls.Config{Certificates: []tls.Certificate{cert}})
	if err := tc.Handshake(); err != nil {
		return err
	}
	c.conn, c.r = tc, bufio.NewReader(tc)
	return nil
}

// Remote is the client's address.
func (c *Conn) Remote() net.Addr { return c.conn.RemoteAddr() }
