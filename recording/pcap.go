package recording

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Packet captures are read with gopacket's pure-Go readers (pcapgo), one
// packet at a time, so a capture of any size streams; the TCP streams are
// put together by gopacket's reassembly package. See capture.go.

func pcapFormat() Format {
	return Format{
		Name:        "pcap",
		Client:      "client",
		Description: "pcap packet capture (tcpdump -w, Wireshark)",
		detect: func(head []byte) int {
			if len(head) < 4 {
				return 0
			}
			switch binary.BigEndian.Uint32(head) {
			case 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1:
				return 100
			}
			return 0
		},
		parse: func(r io.Reader, c *collector) error {
			pr, err := pcapgo.NewReader(r)
			if err != nil {
				return &StopError{Reason: "the pcap file header cannot be read: " + err.Error()}
			}
			lt := pr.LinkType()
			return readCapture(c, func() ([]byte, gopacket.CaptureInfo, layers.LinkType, error) {
				data, ci, err := pr.ReadPacketData()
				return data, ci, lt, err
			})
		},
	}
}

func pcapngFormat() Format {
	return Format{
		Name:        "pcapng",
		Client:      "client",
		Description: "pcapng packet capture (tcpdump, dumpcap, Wireshark)",
		detect: func(head []byte) int {
			if len(head) >= 12 && bytes.Equal(head[:4], []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
				return 100
			}
			return 0
		},
		parse: func(r io.Reader, c *collector) error {
			nr, err := pcapgo.NewNgReader(r, pcapgo.DefaultNgReaderOptions)
			if err != nil {
				return &StopError{Reason: "the pcapng section header cannot be read: " + err.Error()}
			}
			return readCapture(c, func() ([]byte, gopacket.CaptureInfo, layers.LinkType, error) {
				data, ci, err := nr.ReadPacketData()
				if err != nil {
					return nil, ci, 0, err
				}
				lt := nr.LinkType()
				if iface, err := nr.Interface(ci.InterfaceIndex); err == nil {
					lt = iface.LinkType
				}
				return data, ci, lt, nil
			})
		},
	}
}

// readCapture reads every packet from next, gives each TCP segment to a
// capture, and turns the FTP control connections found into sessions.
func readCapture(c *collector, next func() ([]byte, gopacket.CaptureInfo, layers.LinkType, error)) error {
	tcp := newCapture()
	var stop error
	for n := 1; ; n++ {
		data, ci, lt, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			reason := "cannot be read: " + err.Error()
			if errors.Is(err, io.ErrUnexpectedEOF) {
				reason = "is cut short: the file ends in the middle of it"
			}
			stop = &StopError{Packet: n, Reason: reason}
			break
		}
		tcp.packet(n, data, ci, lt)
	}
	tcp.finish(c)
	return stop
}

// decodeTCP returns the IP flow and TCP segment of a packet, if it is one.
func decodeTCP(data []byte, lt layers.LinkType) (gopacket.Flow, *layers.TCP, bool) {
	p := gopacket.NewPacket(data, lt, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
	net := p.NetworkLayer()
	tl, ok := p.TransportLayer().(*layers.TCP)
	if net == nil || !ok {
		return gopacket.Flow{}, nil, false
	}
	return net.NetworkFlow(), tl, true
}

// endpoint formats an address and port as host:port.
func endpoint(ip gopacket.Endpoint, port gopacket.Endpoint) string {
	host := ip.String()
	if bytes.IndexByte([]byte(host), ':') >= 0 {
		return fmt.Sprintf("[%s]:%s", host, port)
	}
	return host + ":" + port.String()
}
