package recording

import (
	"fmt"
	"sort"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/reassembly"
)

// Limits that bound what a capture keeps in memory.
const (
	// sniffBytes is how much of each direction of a connection is kept
	// to tell whether it is FTP control.
	sniffBytes = 4 << 10
	// maxUndecided is how much one direction may send, all kept, before
	// a connection still undecided (the other side silent) is taken for
	// something else than FTP control.
	maxUndecided = 64 << 10
	// maxControlBytes is the most bytes kept of one control connection's
	// direction; what follows is counted, not read.
	maxControlBytes = 16 << 20
	// previewBytes is how much of a data connection's content is kept,
	// for a listing shown in the side panel.
	previewBytes = 4 << 10
	// maxNotes bounds the retransmission notes of one connection.
	maxNotes = 5
	// Reassembly holds segments that arrive after a gap (a packet the
	// capture dropped) until the gap is filled; these bound it, in pages
	// of about 1900 bytes, after which it skips the gap and says so.
	maxPagesPerConn = 1024
	maxPagesTotal   = 8192
)

// capture follows every TCP connection of a packet capture.
//
// Retransmissions are noticed here, segment by segment, before the
// segments reach gopacket's reassembly: reassembly hands a stream each
// byte once, in order, and silently drops a segment that repeats bytes it
// already delivered, so after reassembly a retransmission leaves no trace.
type capture struct {
	conns     map[string]*tcpConn
	order     []*tcpConn
	assembler *reassembly.Assembler
	packets   int
}

// tcpConn is one TCP connection: its two directions, what was learnt of
// it, and for a control connection the bytes read.
type tcpConn struct {
	id int
	// client opened the connection (sent the SYN), or sent the first
	// packet seen when the capture started after the handshake.
	client, server string
	first, last    time.Time
	sawSYN         bool
	// synAck is when the server's SYN/ACK was seen, and firstData when
	// the first payload byte was: the handshake's and the first byte's
	// times.
	synAck, firstData time.Time
	// dir[0] is client to server, dir[1] server to client.
	dir  [2]direction
	kind connKind
	// reset is set when a segment had RST, by the side resetBy (0 or 1).
	reset     bool
	resetBy   int
	resetTime time.Time
	// resetAfterFIN is set when the side that reset had already closed
	// its end (FIN): the reset only refused bytes that came after, as
	// when a client's TLS close_notify reaches a server that has closed.
	resetAfterFIN bool
	finished      bool
}

// direction is one direction of a connection.
type direction struct {
	seen    bool
	highest uint32 // the end of the highest segment seen
	// sent counts the payload bytes the sender's sequence numbers moved
	// past, segments the capture missed included and retransmissions
	// once: what a data connection carried.
	sent    int64
	bytes   int64 // payload bytes delivered by reassembly
	sniff   []byte
	chunks  []chunk // control connections: what was read, when
	kept    int
	retrans int
	notes   []chunkNote
	gaps    int64
	preview []byte
	// fin is set once the sender's FIN was seen.
	fin bool
}

// chunk is bytes read in one direction at one time.
type chunk struct {
	t    time.Time
	dir  int
	data []byte
	// gap is the number of bytes missing from the capture before data.
	gap int
}

// chunkNote is a retransmission worth telling.
type chunkNote struct {
	t     time.Time
	bytes int
}

type connKind int

const (
	kindUnknown connKind = iota
	kindControl
	kindOther // a data connection, or not FTP
)

func newCapture() *capture {
	c := &capture{conns: map[string]*tcpConn{}}
	c.assembler = reassembly.NewAssembler(reassembly.NewStreamPool(&streamFactory{c}))
	c.assembler.MaxBufferedPagesPerConnection = maxPagesPerConn
	c.assembler.MaxBufferedPagesTotal = maxPagesTotal
	return c
}

// key names the connection a segment belongs to, the same both ways.
func connKey(a, b string) string {
	if a < b {
		return a + " " + b
	}
	return b + " " + a
}

// packet handles one captured packet.
func (c *capture) packet(n int, data []byte, ci gopacket.CaptureInfo, lt layers.LinkType) {
	c.packets = n
	flow, tcp, ok := decodeTCP(data, lt)
	if !ok {
		return
	}
	src := endpoint(flow.Src(), tcp.TransportFlow().Src())
	dst := endpoint(flow.Dst(), tcp.TransportFlow().Dst())
	key := connKey(src, dst)
	conn, ok := c.conns[key]
	if ok && conn.finished && tcp.SYN && !tcp.ACK {
		ok = false // a new connection on the same ports
		c.assembler.FlushCloseOlderThan(ci.Timestamp.Add(time.Nanosecond))
	}
	if !ok {
		conn = &tcpConn{id: len(c.order) + 1, client: src, server: dst, first: ci.Timestamp, sawSYN: tcp.SYN && !tcp.ACK}
		if tcp.SYN && tcp.ACK {
			conn.client, conn.server = dst, src // the capture missed the SYN
		}
		c.conns[key] = conn
		c.order = append(c.order, conn)
	}
	conn.last = ci.Timestamp
	d := 0
	if src == conn.server {
		d = 1
	}
	if d == 1 && tcp.SYN && tcp.ACK && conn.synAck.IsZero() {
		conn.synAck = ci.Timestamp
	}
	if len(tcp.Payload) > 0 && conn.firstData.IsZero() {
		conn.firstData = ci.Timestamp
	}
	conn.segment(d, tcp, ci.Timestamp)
	if tcp.FIN || tcp.RST {
		conn.finished = true
	}
	if conn.kind == kindOther && conn.previewFull() && !tcp.FIN && !tcp.RST {
		// Not FTP control, and its preview is kept: its byte count comes
		// from the sequence numbers, so reassembly (and its buffers) can
		// skip the rest of a large transfer.
		return
	}
	ctx := &assemblerContext{ci: ci}
	c.assembler.AssembleWithContext(flow, tcp, ctx)
	if n%4096 == 0 {
		// Let reassembly give up connections idle for two minutes, so
		// a long capture does not keep them all.
		c.assembler.FlushCloseOlderThan(ci.Timestamp.Add(-2 * time.Minute))
	}
}

// segment notes a segment's reset and whether it repeats bytes already
// seen in its direction (a retransmission), before reassembly.
func (t *tcpConn) segment(d int, tcp *layers.TCP, at time.Time) {
	if tcp.RST && !t.reset {
		t.reset, t.resetBy, t.resetTime = true, d, at
		t.resetAfterFIN = t.dir[d].fin
	}
	if tcp.FIN {
		t.dir[d].fin = true
	}
	n := len(tcp.Payload)
	if n == 0 {
		return
	}
	dir := &t.dir[d]
	end := tcp.Seq + uint32(n)
	if dir.seen && int32(end-dir.highest) <= 0 {
		dir.retrans++
		if len(dir.notes) < maxNotes {
			dir.notes = append(dir.notes, chunkNote{t: at, bytes: n})
		}
		return
	}
	switch {
	case !dir.seen:
		dir.sent = int64(n)
		dir.highest = end
	case int32(end-dir.highest) > 0:
		dir.sent += int64(end - dir.highest)
		dir.highest = end
	}
	dir.seen = true
}

// deliver receives reassembled bytes in order.
func (t *tcpConn) deliver(d int, data []byte, at time.Time, skip int) {
	dir := &t.dir[d]
	dir.bytes += int64(len(data))
	if skip > 0 {
		dir.gaps += int64(skip)
	}
	switch t.kind {
	case kindUnknown:
		room := sniffBytes - len(dir.sniff)
		dir.sniff = append(dir.sniff, data[:min(len(data), max(room, 0))]...)
		dir.chunks = append(dir.chunks, chunk{t: at, dir: d, data: append([]byte(nil), data...), gap: skip})
		t.kind = classify(t.dir[0].sniff, t.dir[1].sniff)
		if t.kind == kindUnknown && dir.bytes >= maxUndecided {
			// Lines that look like replies but no command in answer:
			// a data connection carrying text, not a control connection.
			t.kind = kindOther
		}
		if t.kind == kindOther {
			t.keepPreview()
		}
	case kindControl:
		if dir.kept+len(data) > maxControlBytes {
			return
		}
		dir.kept += len(data)
		dir.chunks = append(dir.chunks, chunk{t: at, dir: d, data: append([]byte(nil), data...), gap: skip})
	case kindOther:
		if room := previewBytes - len(dir.preview); room > 0 {
			dir.preview = append(dir.preview, data[:min(len(data), room)]...)
		}
	}
}

// previewFull reports whether the preview of a connection that is not
// FTP control holds all it keeps, in the direction that sends.
func (t *tcpConn) previewFull() bool {
	return len(t.dir[0].preview) >= previewBytes || len(t.dir[1].preview) >= previewBytes
}

// keepPreview turns the bytes kept while classifying into the preview of
// a connection that is not FTP control, and frees them.
func (t *tcpConn) keepPreview() {
	for i := range t.dir {
		dir := &t.dir[i]
		for _, ch := range dir.chunks {
			if room := previewBytes - len(dir.preview); room > 0 {
				dir.preview = append(dir.preview, ch.data[:min(len(ch.data), room)]...)
			}
		}
		dir.chunks, dir.sniff = nil, nil
	}
}

// finish hands the control connections to the collector as sessions.
func (c *capture) finish(col *collector) {
	c.assembler.FlushAll()
	var data []*tcpConn
	for _, t := range c.order {
		if t.kind == kindUnknown {
			// Too little to tell: decide on what there is.
			if looksLikeControl(t.dir[0].sniff, t.dir[1].sniff) {
				t.kind = kindControl
			} else {
				t.kind = kindOther
				t.keepPreview()
			}
		}
		if t.kind == kindOther {
			data = append(data, t)
		}
	}
	used := map[*tcpConn]bool{}
	for _, t := range c.order {
		if t.kind == kindControl {
			buildControl(col, t, data, used)
		}
	}
}

// streamFactory makes the reassembly streams of a capture.
type streamFactory struct{ c *capture }

func (f *streamFactory) New(netFlow, tcpFlow gopacket.Flow, _ *layers.TCP, _ reassembly.AssemblerContext) reassembly.Stream {
	src := endpoint(netFlow.Src(), tcpFlow.Src())
	dst := endpoint(netFlow.Dst(), tcpFlow.Dst())
	return &stream{conn: f.c.conns[connKey(src, dst)], src: src}
}

// stream hands one connection's reassembled bytes to its tcpConn.
type stream struct {
	conn *tcpConn
	src  string // the source of the first packet, reassembly's "client"
}

func (s *stream) Accept(_ *layers.TCP, _ gopacket.CaptureInfo, _ reassembly.TCPFlowDirection, _ reassembly.Sequence, start *bool, _ reassembly.AssemblerContext) bool {
	*start = true // also follow connections whose handshake the capture missed
	return true
}

func (s *stream) ReassembledSG(sg reassembly.ScatterGather, ac reassembly.AssemblerContext) {
	if s.conn == nil {
		return
	}
	dir, _, _, skip := sg.Info()
	n, _ := sg.Lengths()
	if n == 0 && skip <= 0 {
		return
	}
	// Reassembly's "client" sent the first packet it saw, which may be
	// either end of the connection as tcpConn names them.
	sender := s.src
	if dir == reassembly.TCPDirServerToClient {
		sender = s.conn.client
		if s.src == s.conn.client {
			sender = s.conn.server
		}
	}
	d := 0
	if sender == s.conn.server {
		d = 1
	}
	s.conn.deliver(d, sg.Fetch(n), sg.CaptureInfo(0).Timestamp, max(skip, 0))
}

func (s *stream) ReassemblyComplete(reassembly.AssemblerContext) bool { return true }

// assemblerContext gives reassembly each packet's capture time.
type assemblerContext struct{ ci gopacket.CaptureInfo }

func (a *assemblerContext) GetCaptureInfo() gopacket.CaptureInfo { return a.ci }

// sortChunks merges the chunks of both directions in time order.
func sortChunks(t *tcpConn) []chunk {
	all := append(append([]chunk(nil), t.dir[0].chunks...), t.dir[1].chunks...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].t.Before(all[j].t) })
	return all
}

// handshakeTime is how long the TCP handshake took (SYN to SYN/ACK), or 0
// when the capture missed part of it.
func (t *tcpConn) handshakeTime() time.Duration {
	if !t.sawSYN || t.synAck.IsZero() {
		return 0
	}
	return t.synAck.Sub(t.first)
}

// describeConn names a connection for a session's label.
func describeConn(t *tcpConn) string {
	return fmt.Sprintf("TCP %s → %s", t.client, t.server)
}
