package protocol

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Passive is a data-connection address decoded from a reply to PASV
// (227), LPSV (228) or EPSV (229).
type Passive struct {
	// IP is the address the server announced; nil for 229, which carries
	// only a port (the address is the control connection's).
	IP net.IP
	// Port is the announced port.
	Port int
	// Working shows how the address was decoded, for a learner, such as
	// "127.0.0.1, port 195×256+80 = 50000".
	Working string
}

// ParsePASV decodes a 227 reply's text. RFC 959 writes the address as
// (h1,h2,h3,h4,p1,p2); RFC 1123 §4.1.2.6 warns that the parentheses may be
// missing, so this scans for the first run of six comma-separated numbers.
func ParsePASV(text string) (Passive, error) {
	var bad error // the first six numbers found with one out of range
	start := strings.IndexAny(text, "0123456789")
	for start >= 0 && start < len(text) {
		end := start
		for end < len(text) && (text[end] >= '0' && text[end] <= '9' || text[end] == ',' || text[end] == ' ') {
			end++
		}
		fields := strings.Split(strings.ReplaceAll(text[start:end], " ", ""), ",")
		if len(fields) >= 6 {
			var n [6]int
			ok := true
			for i := 0; i < 6; i++ {
				v, err := strconv.Atoi(fields[i])
				if err != nil || v < 0 || v > 255 {
					if bad == nil && fields[i] != "" {
						bad = fmt.Errorf("the 227 reply's address %s has %s, which is not a number from 0 to 255", strings.Join(fields[:6], ","), fields[i])
					}
					ok = false
					break
				}
				n[i] = v
			}
			if ok {
				ip := net.IPv4(byte(n[0]), byte(n[1]), byte(n[2]), byte(n[3]))
				port := n[4]*256 + n[5]
				return Passive{IP: ip, Port: port, Working: fmt.Sprintf("%s, port %d×256+%d = %d", ip, n[4], n[5], port)}, nil
			}
		}
		next := strings.IndexAny(text[end:], "0123456789")
		if next < 0 {
			break
		}
		start = end + next
	}
	if bad != nil {
		return Passive{}, bad
	}
	return Passive{}, errors.New("no address of the form h1,h2,h3,h4,p1,p2 in the 227 reply")
}

// ParseEPSV decodes a 229 reply's text, (<d><d><d><port><d>) in RFC 2428
// §3, where <d> is a delimiter character, usually '|'.
func ParseEPSV(text string) (Passive, error) {
	open := strings.IndexByte(text, '(')
	closing := strings.LastIndexByte(text, ')')
	if open < 0 || closing < open+5 {
		return Passive{}, errors.New("no (|||port|) in the 229 reply")
	}
	inner := text[open+1 : closing]
	d := inner[0]
	parts := strings.Split(inner, string(d))
	if len(parts) != 5 || parts[1] != "" || parts[2] != "" || parts[4] != "" {
		return Passive{}, fmt.Errorf("the 229 reply's %q is not of the form (|||port|)", inner)
	}
	port, err := strconv.Atoi(parts[3])
	if err != nil || port < 1 || port > 65535 {
		return Passive{}, fmt.Errorf("the 229 reply's port %q is not a number from 1 to 65535", parts[3])
	}
	return Passive{Port: port, Working: fmt.Sprintf("port %d; EPSV gives only a port, and the address is the control connection's", port)}, nil
}

// ParseLPSV decodes a 228 reply's text (RFC 1639): af,hal,h1…,pal,p1,p2
// where af is 4 (IPv4, hal 4) or 6 (IPv6, hal 16).
func ParseLPSV(text string) (Passive, error) {
	open := strings.IndexByte(text, '(')
	closing := strings.LastIndexByte(text, ')')
	if open < 0 || closing < open {
		return Passive{}, errors.New("no (af,hal,h1,…,pal,p1,p2) in the 228 reply")
	}
	var n []int
	for _, f := range strings.Split(text[open+1:closing], ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v < 0 || v > 255 {
			return Passive{}, fmt.Errorf("the 228 reply holds %q, not a number from 0 to 255", f)
		}
		n = append(n, v)
	}
	if len(n) < 2 {
		return Passive{}, errors.New("the 228 reply is too short")
	}
	af, hal := n[0], n[1]
	if (af != 4 || hal != 4) && (af != 6 || hal != 16) || len(n) != 2+hal+1+2 || n[2+hal] != 2 {
		return Passive{}, fmt.Errorf("the 228 reply has address family %d with %d address bytes; ftpscope reads 4/4 and 6/16 with a 2-byte port", af, hal)
	}
	ip := make(net.IP, hal)
	for i := 0; i < hal; i++ {
		ip[i] = byte(n[2+i])
	}
	p1, p2 := n[3+hal], n[4+hal]
	port := p1*256 + p2
	return Passive{IP: ip, Port: port, Working: fmt.Sprintf("%s, port %d×256+%d = %d", ip, p1, p2, port)}, nil
}

// FormatPORT writes an IPv4 address and port as PORT's argument,
// h1,h2,h3,h4,p1,p2 (RFC 959 §4.1.2).
func FormatPORT(addr *net.TCPAddr) (string, error) {
	ip4 := addr.IP.To4()
	if ip4 == nil {
		return "", errors.New("PORT carries only IPv4 addresses; on an IPv6 connection use EPRT")
	}
	return fmt.Sprintf("%d,%d,%d,%d,%d,%d", ip4[0], ip4[1], ip4[2], ip4[3], addr.Port/256, addr.Port%256), nil
}

// FormatEPRT writes an address and port as EPRT's argument, |1|ip|port|
// for IPv4 or |2|ip|port| for IPv6 (RFC 2428 §2).
func FormatEPRT(addr *net.TCPAddr) string {
	family := 2
	if addr.IP.To4() != nil {
		family = 1
	}
	return fmt.Sprintf("|%d|%s|%d|", family, addr.IP, addr.Port)
}

// ParsePORT reads PORT's argument h1,h2,h3,h4,p1,p2.
func ParsePORT(arg string) (*net.TCPAddr, error) {
	p, err := ParsePASV(arg)
	if err != nil {
		return nil, fmt.Errorf("PORT takes h1,h2,h3,h4,p1,p2 (port = p1×256+p2), not %q", arg)
	}
	return &net.TCPAddr{IP: p.IP, Port: p.Port}, nil
}

// ParseEPRT reads EPRT's argument <d><af><d><address><d><port><d>.
func ParseEPRT(arg string) (*net.TCPAddr, error) {
	bad := fmt.Errorf("EPRT takes |1|ipv4|port| or |2|ipv6|port|, not %q", arg)
	if len(arg) < 7 {
		return nil, bad
	}
	parts := strings.Split(arg, arg[:1])
	if len(parts) != 5 || parts[0] != "" || parts[4] != "" {
		return nil, bad
	}
	ip := net.ParseIP(parts[2])
	port, err := strconv.Atoi(parts[3])
	if ip == nil || err != nil || port < 1 || port > 65535 {
		return nil, bad
	}
	if (parts[1] == "1") != (ip.To4() != nil) || parts[1] != "1" && parts[1] != "2" {
		return nil, fmt.Errorf("EPRT's address family %q does not match the address %s (1 is IPv4, 2 is IPv6)", parts[1], ip)
	}
	return &net.TCPAddr{IP: ip, Port: port}, nil
}
