package protocol

import (
	"net"
	"time"
)

// A protected download reads decrypted records from crypto/tls, which
// reads the socket. When ftpscope decrypts and writes faster than the
// server sends, it finds the socket empty and sleeps on the network
// poller, every 100 KiB or so of a fast download. With the server on the
// same machine, each sleep leaves ftpscope's CPU idle, the scheduler
// wakes the server's processes there, and ftpscope's next write to the
// file waits for the CPU behind them (docs/PERFORMANCE.md, "Fourth
// round"). So a fast download from this machine tries an empty socket
// again for a short while before it sleeps, as busy polling does in the
// kernel (SO_BUSY_POLL in socket(7)): most of those waits end within it.
//
// Only then. Over a network the waits are the network's, and below
// spinMinRate they are long: trying again would keep a CPU busy for
// nothing.
const (
	// spinFor is how long a read tries an empty socket again. On
	// loopback, nine in ten waits of a protected download from vsftpd
	// ended within 160 µs, and spins of 20 and 100 µs made no
	// difference (docs/PERFORMANCE.md).
	spinFor = 500 * time.Microsecond
	// spinMinRate is the speed, in bytes per second, from which a
	// download spins.
	spinMinRate = 100e6
	// spinPeriod is how often the speed is measured again.
	spinPeriod = 10 * time.Millisecond
)

// spinGate decides, from the bytes a download reads and when, whether a
// read that finds the socket empty tries again before sleeping. A
// download starts slow: it spins once it has been fast for a whole
// period, and stops after the first period it is not.
type spinGate struct {
	start time.Time // when the current period began
	bytes int64     // read since then
	fast  bool
}

// read records n bytes read at now.
func (g *spinGate) read(n int, now time.Time) {
	if g.start.IsZero() {
		g.start = now
	}
	g.bytes += int64(n)
	if elapsed := now.Sub(g.start); elapsed >= spinPeriod {
		g.fast = float64(g.bytes) >= spinMinRate*elapsed.Seconds()
		g.start, g.bytes = now, 0
	}
}

// onThisMachine reports whether addr, a connection's remote address, is
// a loopback address: a server whose processes share this machine's
// CPUs with ftpscope.
func onThisMachine(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}
