package recording

import (
	"bytes"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/ftpscope/ftpscope/protocol"
)

// pcapBuilder writes a capture packet by packet, for the cases the real
// fixtures cannot provoke on loopback: a retransmission, a reset.
type pcapBuilder struct {
	t    *testing.T
	buf  bytes.Buffer
	w    *pcapgo.Writer
	now  time.Time
	seqs map[string]uint32
}

func newPcapBuilder(t *testing.T) *pcapBuilder {
	p := &pcapBuilder{t: t, now: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), seqs: map[string]uint32{}}
	p.w = pcapgo.NewWriter(&p.buf)
	if err := p.w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	return p
}

// segment writes one TCP segment from src to dst (host:port) and returns
// the sequence number it used. seq < 0 continues the direction's stream.
func (p *pcapBuilder) segment(src, dst string, flags string, payload string, seq int64) uint32 {
	p.t.Helper()
	sh, sp, _ := net.SplitHostPort(src)
	dh, dp, _ := net.SplitHostPort(dst)
	key := src + ">" + dst
	s := p.seqs[key]
	if seq >= 0 {
		s = uint32(seq)
	}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: net.ParseIP(sh).To4(), DstIP: net.ParseIP(dh).To4()}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(atoiPort(sp)), DstPort: layers.TCPPort(atoiPort(dp)), Seq: s, Window: 65535,
		SYN: strings.Contains(flags, "S"), ACK: strings.Contains(flags, "A"), FIN: strings.Contains(flags, "F"),
		RST: strings.Contains(flags, "R"), PSH: payload != ""}
	if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
		p.t.Fatal(err)
	}
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, tcp, gopacket.Payload(payload)); err != nil {
		p.t.Fatal(err)
	}
	p.now = p.now.Add(time.Millisecond)
	data := buf.Bytes()
	if err := p.w.WritePacket(gopacket.CaptureInfo{Timestamp: p.now, CaptureLength: len(data), Length: len(data)}, data); err != nil {
		p.t.Fatal(err)
	}
	next := s + uint32(len(payload))
	if tcp.SYN || tcp.FIN {
		next++
	}
	if seq < 0 || next > p.seqs[key] {
		p.seqs[key] = next
	}
	return s
}

func atoiPort(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// handshake opens a connection from client to server.
func (p *pcapBuilder) handshake(client, server string) {
	p.segment(client, server, "S", "", 1000)
	p.segment(server, client, "SA", "", 5000)
	p.segment(client, server, "A", "", -1)
}

// TestCaptureRetransmissionAndReset follows a control connection on an
// unusual port (found by its content) whose server sends a reply twice
// (a retransmission, which reassembly alone would drop without a trace),
// an active-mode transfer whose data connection is reset, and a reset of
// the control connection.
func TestCaptureRetransmissionAndReset(t *testing.T) {
	const client, server = "192.0.2.10:40000", "198.51.100.5:2121"
	p := newPcapBuilder(t)
	p.handshake(client, server)
	p.segment(server, client, "A", "220 ready\r\n", -1)
	p.segment(client, server, "A", "USER ann\r\n", -1)
	s := p.segment(server, client, "A", "331 more\r\n", -1)
	p.segment(server, client, "A", "331 more\r\n", int64(s)) // sent again
	p.segment(client, server, "A", "PASS hunter22\r\n", -1)
	p.segment(server, client, "A", "230 in\r\n", -1)
	p.segment(client, server, "A", "PORT 192,0,2,10,156,64\r\n", -1)
	p.segment(server, client, "A", "200 PORT ok\r\n", -1)
	p.segment(client, server, "A", "RETR big.iso\r\n", -1)
	p.segment(server, client, "A", "150 here it comes\r\n", -1)
	const dataServer, dataClient = "198.51.100.5:20", "192.0.2.10:40000"
	p.handshake(dataServer, dataClient)
	p.segment(dataServer, dataClient, "A", strings.Repeat("x", 1000), -1)
	p.segment(dataServer, dataClient, "R", "", -1)
	p.segment(server, client, "A", "426 transfer aborted\r\n", -1)
	p.segment(server, client, "R", "", -1)

	rec, err := Read(&p.buf, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Sessions) != 1 {
		t.Fatalf("%d sessions, want the one control connection", len(rec.Sessions))
	}
	var lines []string
	var closeErr error
	var data *protocol.DataInfo
	for _, ev := range rec.Sessions[0].Events {
		line := ev.Line
		if ev.Reply != nil {
			line = strings.Join(ev.Reply.Lines, "|")
		}
		lines = append(lines, string(ev.Kind)+" "+line)
		if ev.Kind == protocol.EventClose {
			closeErr = ev.Err
		}
		if ev.Kind == protocol.EventData && ev.Data.Phase == protocol.DataClosed {
			data = ev.Data
		}
		if strings.Contains(ev.Line, "hunter22") {
			t.Errorf("the password is shown: %q", ev.Line)
		}
	}
	all := strings.Join(lines, "\n")
	for _, want := range []string{
		"warning TCP retransmission on the control connection: the server sent 10 bytes again",
		"send PASS ****",
		"data connection open: 198.51.100.5:20 → 192.0.2.10:40000, the address PORT announced",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no %q in the events:\n%s", want, all)
		}
	}
	if n := strings.Count(all, "reply 331 more"); n != 1 {
		t.Errorf("the reply 331 read %d times, want once:\n%s", n, all)
	}
	if data == nil || data.Bytes != 1000 || data.Err == nil || data.Verb != "RETR" {
		t.Errorf("data close %+v, want RETR, 1000 bytes, reset", data)
	}
	if closeErr == nil || !strings.Contains(closeErr.Error(), "reset") {
		t.Errorf("close error %v, want the server's reset", closeErr)
	}
}

// TestCaptureTextDataIsNotControl checks that a data connection whose
// content looks like replies ("123 …" lines), with the other side
// silent, is not taken for a control connection, and is not kept whole.
func TestCaptureTextDataIsNotControl(t *testing.T) {
	const server, client = "198.51.100.5:40001", "192.0.2.10:50000"
	p := newPcapBuilder(t)
	p.handshake(client, server)
	line := strings.Repeat("200 a listing line that looks like a reply\r\n", 20)
	for i := 0; i < 100; i++ { // 88 KB, more than maxUndecided
		p.segment(server, client, "A", line, -1)
	}
	p.segment(server, client, "FA", "", -1)
	if _, err := Read(&p.buf, ""); !errors.Is(err, ErrNoSessions) {
		t.Errorf("error %v, want ErrNoSessions", err)
	}
}

// TestCaptureDataAfterAuthTLS checks the data connections a capture shows
// while the control connection is encrypted: one that starts with a TLS
// handshake is encrypted too, one that does not (curl --ftp-ssl-control,
// PROT C) is clear text, and its bytes are kept for the preview.
func TestCaptureDataAfterAuthTLS(t *testing.T) {
	tests := []struct {
		file      string
		protected bool
		preview   string
	}{
		{"real/vsftpd-tls.pcapng", true, ""},
		{"real/vsftpd-tls-protc.pcap", false, "blob.bin"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rec, err := OpenFile("testdata/"+tt.file, "")
			if err != nil {
				t.Fatal(err)
			}
			var data *protocol.DataInfo
			for _, ev := range rec.Sessions[0].Events {
				if ev.Kind == protocol.EventData && ev.Data != nil {
					data = ev.Data
				}
			}
			if data == nil {
				t.Fatal("no data connection")
			}
			if data.Protected != tt.protected || !strings.Contains(string(data.Preview), tt.preview) || tt.protected && len(data.Preview) > 0 {
				t.Errorf("Protected %v, preview %q; want %v and a preview holding %q", data.Protected, data.Preview, tt.protected, tt.preview)
			}
		})
	}
}

// TestCaptureResetAfterFIN checks that a reset from a side that had
// already closed (FIN), as vsftpd answers a TLS close_notify that comes
// after its FIN, ends the session in order, not as a lost connection;
// a reset without a FIN first stays an error.
func TestCaptureResetAfterFIN(t *testing.T) {
	for _, finFirst := range []bool{true, false} {
		const client, server = "192.0.2.10:40000", "198.51.100.5:21"
		p := newPcapBuilder(t)
		p.handshake(client, server)
		p.segment(server, client, "A", "220 ready\r\n", -1)
		p.segment(client, server, "A", "QUIT\r\n", -1)
		p.segment(server, client, "A", "221 bye\r\n", -1)
		if finFirst {
			p.segment(server, client, "FA", "", -1)
		}
		p.segment(server, client, "R", "", -1)
		rec, err := Read(&p.buf, "")
		if err != nil {
			t.Fatal(err)
		}
		events := rec.Sessions[0].Events
		last := events[len(events)-1]
		if last.Kind != protocol.EventClose || (last.Err == nil) != finFirst {
			t.Errorf("FIN first %v: the session ends with %s %q (error %v)", finFirst, last.Kind, last.Line, last.Err)
		}
	}
}
