package sandbox

import (
	"bufio"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"
)

// talk sends lines on a fresh control connection, one at a time, and
// returns the server's answer to each, and "closed" once the server has
// closed the connection (after a 421, it waits for that).
func talk(t *testing.T, srv *Server, lines ...string) []string {
	t.Helper()
	conn, err := net.DialTimeout("tcp", srv.Addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	var got []string
	read := func() bool {
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		line, err := r.ReadString('\n')
		if err != nil {
			// A server that closed its end answers a command written
			// after the close with a reset, which can reach the reader
			// before the end of the stream: both say it closed.
			if err != io.EOF && !errors.Is(err, syscall.ECONNRESET) {
				got = append(got, "error: "+err.Error())
			} else {
				got = append(got, "closed")
			}
			return false
		}
		got = append(got, strings.TrimRight(line, "\r\n"))
		return true
	}
	read() // greeting
	for _, l := range lines {
		if _, err := conn.Write([]byte(l + "\r\n")); err != nil {
			got = append(got, "write: "+err.Error())
			return got
		}
		if !read() {
			return got
		}
	}
	if strings.HasPrefix(got[len(got)-1], "421 ") {
		read() // a 421 announces the end of the connection: see it come
	}
	return got
}

func TestTroubleFaults(t *testing.T) {
	srv := startServer(t, Options{})
	if err := srv.SetFault(FaultFileBusy, true); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(talk(t, srv, "USER demo", "PASS demo", "SIZE pub/hello.txt", "PWD"), "\n")
	want := "220 ftpscope sandbox ready. Log in as demo/demo or anonymous.\n331 User name ok, password required\n230 Password ok, continue\n450 pub/hello.txt: Resource temporarily unavailable\n257 \"/\" is the current directory"
	if got != want {
		t.Errorf("file-busy:\n got %q\nwant %q", got, want)
	}
	srv.SetFault(FaultFileBusy, false)
	if err := srv.SetFault(FaultIdleTimeout, true); err != nil {
		t.Fatal(err)
	}
	got = strings.Join(talk(t, srv, "NOOP"), "\n")
	if want := "220 ftpscope sandbox ready. Log in as demo/demo or anonymous.\n421 Timeout.\nclosed"; got != want {
		t.Errorf("idle-timeout:\n got %q\nwant %q", got, want)
	}
}
