package badserver

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRefusedPortRefuses checks a connection to RefusedPort is refused.
func TestRefusedPortRefuses(t *testing.T) {
	_, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", RefusedPort(t)))
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("dial: %v, want connection refused", err)
	}
}

// TestDroppingPortHangs checks a connection to DroppingPort neither
// completes nor is refused: the dial runs out of time.
func TestDroppingPortHangs(t *testing.T) {
	conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", DroppingPort(t)), 300*time.Millisecond)
	if err == nil {
		conn.Close()
		t.Fatal("the connection completed")
	}
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatalf("dial: %v, want a timeout", err)
		}
	}
}

// TestServeAnswersLikeAServer checks the well-behaved loop, a passive
// listing included, with a raw client.
func TestServeAnswersLikeAServer(t *testing.T) {
	srv := Start(t, func(c *Conn) { Greet(c); Serve(c, nil) })
	conn, err := net.Dial("tcp", srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	read := func() string { l, _ := r.ReadString('\n'); return strings.TrimRight(l, "\r\n") }
	if g := read(); !strings.HasPrefix(g, "220 ") {
		t.Fatalf("greeting %q", g)
	}
	fmt.Fprintf(conn, "EPSV\r\n")
	var port int
	if _, err := fmt.Sscanf(read(), "229 Entering Extended Passive Mode (|||%d|)", &port); err != nil {
		t.Fatal(err)
	}
	data, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "LIST\r\n")
	if l := read(); !strings.HasPrefix(l, "150 ") {
		t.Fatalf("LIST: %q", l)
	}
	buf := make([]byte, 4096)
	n, _ := data.Read(buf)
	if string(buf[:n]) != Listing {
		t.Errorf("listing %q, want %q", buf[:n], Listing)
	}
	if l := read(); !strings.HasPrefix(l, "226 ") {
		t.Fatalf("after LIST: %q", l)
	}
	fmt.Fprintf(conn, "QUIT\r\n")
	if l := read(); !strings.HasPrefix(l, "221 ") {
		t.Fatalf("QUIT: %q", l)
	}
}
