package sandbox

import (
	"fmt"
	"testing"
)

// FuzzActiveAddress feeds PORT and EPRT arguments, which come from any
// client, to their parsers: they never panic, and what they accept is a
// real address and port that formats back to an argument they accept the
// same way.
func FuzzActiveAddress(f *testing.F) {
	for _, seed := range []string{"127,0,0,1,4,1", " 127,0,0,1,255,255", "1,2,3", "|1|127.0.0.1|1025|", "|2|::1|21|", "!1!127.0.0.1!80!", "||||", "|1|::1|21|", "127,0,0,1,0,0"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		if ip, port, ok := parsePORT(arg); ok {
			if port < 1 || port > 65535 || ip.To4() == nil {
				t.Fatalf("parsePORT(%q) = %v, %d", arg, ip, port)
			}
			v4 := ip.To4()
			back := fmt.Sprintf("%d,%d,%d,%d,%d,%d", v4[0], v4[1], v4[2], v4[3], port>>8, port&0xff)
			if ip2, port2, ok2 := parsePORT(back); !ok2 || !ip2.Equal(ip) || port2 != port {
				t.Fatalf("parsePORT(%q) = %v, %d, but %q gives %v, %d, %v", arg, ip, port, back, ip2, port2, ok2)
			}
		}
		if ip, port, ok := parseEPRT(arg); ok {
			if port < 1 || port > 65535 || ip == nil {
				t.Fatalf("parseEPRT(%q) = %v, %d", arg, ip, port)
			}
			proto := 2
			if ip.To4() != nil {
				proto = 1
			}
			back := fmt.Sprintf("|%d|%s|%d|", proto, ip, port)
			if ip2, port2, ok2 := parseEPRT(back); !ok2 || !ip2.Equal(ip) || port2 != port {
				t.Fatalf("parseEPRT(%q) = %v, %d, but %q gives %v, %d, %v", arg, ip, port, back, ip2, port2, ok2)
			}
		}
	})
}
