package badserver

// Data connections: a passive listener whose reply may announce any
// address, a port where nothing listens, and a port whose connections
// hang because the kernel drops their SYNs.

import (
	"fmt"
	"net"
	"testing"
	"time"
)

// Data is a passive data listener on 127.0.0.1.
type Data struct {
	l    *net.TCPListener
	Port int
}

// listenOr425 opens a passive data listener as ListenData does, or,
// when none can be had, answers the command with 425 and returns nil.
func (c *Conn) listenOr425() *Data {
	d, err := c.ListenData()
	if err != nil {
		c.Lines("425 Cannot listen.")
		return nil
	}
	return d
}

// ListenData opens a passive data listener on 127.0.0.1, closed when the
// connection's script ends or the server stops.
func (c *Conn) ListenData() (*Data, error) {
	l, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	c.srv.track(l)
	return &Data{l: l, Port: l.Addr().(*net.TCPAddr).Port}, nil
}

// PASV returns a 227 reply announcing ip (such as "127.0.0.1", or
// "10.0.0.7" for a server behind NAT) and the listener's port.
func (d *Data) PASV(ip string) string { return PASVReply(ip, d.Port) }

// EPSV returns a 229 reply with the listener's port.
func (d *Data) EPSV() string { return EPSVReply(d.Port) }

// Accept waits, at most timeout, for the client's data connection.
func (d *Data) Accept(timeout time.Duration) (net.Conn, error) {
	d.l.SetDeadline(time.Now().Add(timeout))
	conn, err := d.l.Accept()
	d.l.Close()
	return conn, err
}

// Close stops listening.
func (d *Data) Close() { d.l.Close() }

// PASVReply formats a 227 reply for ip and port.
func PASVReply(ip string, port int) string {
	v4 := net.ParseIP(ip).To4()
	return fmt.Sprintf("227 Entering Passive Mode (%d,%d,%d,%d,%d,%d).", v4[0], v4[1], v4[2], v4[3], port/256, port%256)
}

// EPSVReply formats a 229 reply for port.
func EPSVReply(port int) string {
	return fmt.Sprintf("229 Entering Extended Passive Mode (|||%d|)", port)
}

// RefusedPort returns a port of 127.0.0.1 where nothing listens, so a
// connection to it is refused at once (a closed passive port, or a
// firewall that rejects).
func RefusedPort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("badserver: %v", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}
