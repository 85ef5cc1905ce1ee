package protocol

// Active mode (PORT and EPRT, RFC 959 §4.1.2 and RFC 2428 §2): ftpscope
// listens, tells the server where, and accepts the server's data
// connection. Run against the sandbox and vsftpd, over IPv4 and IPv6, in
// clear text and under PROT P.

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// runActiveScenarios runs the active-mode scenarios against srv, and the
// IPv6 ones against ipv6 when given.
func runActiveScenarios(t *testing.T, srv testServer, ipv6 *testServer) {
	t.Run("PORT LIST", func(t *testing.T) {
		c := conversation(t, srv, Config{})
		login(t, c, srv)
		x := expect(t, c, "PORT", 200)
		sent := sentLine(x)
		if !regexp.MustCompile(`^PORT 127,0,0,1,\d+,\d+$`).MatchString(sent) {
			t.Errorf("PORT was sent as %q, want ftpscope's own address filled in", sent)
		}
		addr, err := ParsePORT(strings.TrimPrefix(sent, "PORT "))
		if err != nil {
			t.Fatal(err)
		}
		if note := sendNoteOf(x); !strings.Contains(note, addr.String()) || !strings.Contains(note, fmt.Sprintf("%d×256+%d", addr.Port/256, addr.Port%256)) {
			t.Errorf("PORT's note %q does not explain the address %s", note, addr)
		}
		x = expect(t, c, "LIST", 2)
		checkActiveOrder(t, x)
		if x.Data == nil || x.Data.Err != nil || x.Data.Local != addr.String() || !strings.Contains(string(x.Data.Preview), srv.listed) {
			t.Fatalf("LIST over PORT: data %+v, want the listing accepted on %s", x.Data, addr)
		}
	})
	t.Run("EPRT RETR and STOR over IPv4", func(t *testing.T) {
		c := conversation(t, srv, Config{})
		login(t, c, srv)
		expect(t, c, "TYPE I", 200)
		x := expect(t, c, "EPRT", 200)
		if !strings.HasPrefix(sentLine(x), "EPRT |1|127.0.0.1|") {
			t.Errorf("EPRT was sent as %q", sentLine(x))
		}
		local := filepath.Join(t.TempDir(), "big.bin")
		x = expect(t, c, "RETR "+srv.bigFile+" > "+local, 2)
		checkActiveOrder(t, x)
		checkFile(t, local, srv.bigContent)
		upload := filepath.Join(t.TempDir(), "up.txt")
		if err := os.WriteFile(upload, []byte("sent over an active data connection\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		expect(t, c, "EPRT", 200)
		x = expect(t, c, "STOR active-upload.txt < "+upload, 2)
		if x.Data == nil || x.Data.Err != nil || x.Data.Bytes == 0 {
			t.Fatalf("STOR over EPRT: data %+v", x.Data)
		}
		expect(t, c, "DELE active-upload.txt", 250)
	})
	t.Run("PORT with an address of ftpscope's choosing", func(t *testing.T) {
		c := conversation(t, srv, Config{})
		login(t, c, srv)
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close() // free again for ftpscope to listen on
		arg, _ := FormatPORT(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port})
		x := expect(t, c, "PORT "+arg, 200)
		if sentLine(x) != "PORT "+arg {
			t.Errorf("sent %q, want the address as typed, %q", sentLine(x), "PORT "+arg)
		}
		x = expect(t, c, "NLST", 2)
		if x.Data == nil || x.Data.Local != fmt.Sprintf("127.0.0.1:%d", port) {
			t.Fatalf("NLST over the typed PORT: data %+v, want it accepted on port %d", x.Data, port)
		}
	})
	if ipv6 == nil {
		return
	}
	t.Run("EPRT RETR over IPv6", func(t *testing.T) {
		c := conversation(t, *ipv6, Config{})
		login(t, c, *ipv6)
		expect(t, c, "TYPE I", 200)
		x := expect(t, c, "EPRT", 200)
		addr, err := ParseEPRT(strings.TrimPrefix(sentLine(x), "EPRT "))
		if err != nil || !addr.IP.Equal(net.IPv6loopback) {
			t.Fatalf("EPRT was sent as %q (%v), want ::1", sentLine(x), err)
		}
		local := filepath.Join(t.TempDir(), "big.bin")
		x = expect(t, c, "RETR "+ipv6.bigFile+" > "+local, 2)
		if x.Data == nil || !strings.HasPrefix(x.Data.Remote, "[::1]:") {
			t.Fatalf("RETR over EPRT on IPv6: data %+v", x.Data)
		}
		checkFile(t, local, ipv6.bigContent)
	})
	t.Run("PORT on IPv6 is refused before sending", func(t *testing.T) {
		c := conversation(t, *ipv6, Config{})
		login(t, c, *ipv6)
		_, err := c.Do(t.Context(), "PORT")
		if err == nil || !strings.Contains(err.Error(), "use EPRT") {
			t.Fatalf("PORT on an IPv6 connection: %v, want a refusal that points at EPRT", err)
		}
		expect(t, c, "NOOP", 200)
	})
}

// sendNoteOf returns the note of an exchange's send event.
func sendNoteOf(x *Exchange) string {
	for _, ev := range x.Events {
		if ev.Kind == EventSend {
			return ev.Note
		}
	}
	return ""
}

// runProtectedActive checks an active transfer under PROT P: the server's
// data connection is accepted, and ftpscope runs the TLS client side on
// it, resuming the control connection's session.
func runProtectedActive(t *testing.T, srv testServer) {
	for _, verb := range []string{"PORT", "EPRT"} {
		t.Run(verb+" under PROT P", func(t *testing.T) {
			c := conversation(t, srv, Config{})
			expect(t, c, "AUTH TLS", 234)
			login(t, c, srv)
			expect(t, c, "PBSZ 0", 200)
			expect(t, c, "PROT P", 200)
			expect(t, c, verb, 200)
			x := expect(t, c, "LIST", 2)
			if x.Data == nil || x.Data.Err != nil || !x.Data.Protected || !strings.Contains(string(x.Data.Preview), srv.listed) {
				t.Fatalf("LIST over %s under PROT P: data %+v", verb, x.Data)
			}
			var handshake bool
			for _, ev := range x.Events {
				handshake = handshake || ev.Kind == EventTLS && ev.TLS != nil && ev.TLS.Data
			}
			if !handshake {
				t.Error("no TLS handshake was reported on the data connection")
			}
		})
	}
}
