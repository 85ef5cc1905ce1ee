package sandbox

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSampleTreeAndCleanup(t *testing.T) {
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"README.txt", "café.txt", "pub/hello.txt", BigFileName} {
		if _, err := os.Stat(filepath.Join(s.Root, filepath.FromSlash(name))); err != nil {
			t.Errorf("sample file %s: %v", name, err)
		}
	}
	big, err := os.ReadFile(filepath.Join(s.Root, filepath.FromSlash(BigFileName)))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := io.ReadAll(io.LimitReader(BigFileReader(), BigFileSize))
	if string(big) != string(want) {
		t.Error("the big file does not match BigFileReader")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Root); !os.IsNotExist(err) {
		t.Errorf("the sample tree %s survived Close: %v", s.Root, err)
	}
}

// TestAccounts logs in over a raw connection, to check the server apart
// from ftpscope's own protocol package.
func TestAccounts(t *testing.T) {
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tests := []struct {
		user, pass string
		code       string
	}{
		{DemoUser, DemoPassword, "230"},
		{DemoUser, "wrong", "530"},
		{AnonymousUser, "me@example.org", "230"},
	}
	for _, tt := range tests {
		conn, err := net.DialTimeout("tcp", s.Addr, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		r := bufio.NewReader(conn)
		readCode := func() string {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			return line[:3]
		}
		readCode() // greeting
		fmt.Fprintf(conn, "USER %s\r\n", tt.user)
		readCode()
		fmt.Fprintf(conn, "PASS %s\r\n", tt.pass)
		if got := readCode(); got != tt.code {
			t.Errorf("%s/%s: PASS answered %s, want %s", tt.user, tt.pass, got, tt.code)
		}
		if tt.user == AnonymousUser {
			fmt.Fprintf(conn, "MKD newdir\r\n")
			if got := readCode(); !strings.HasPrefix(got, "5") {
				t.Errorf("anonymous MKD answered %s, want a 5xx refusal", got)
			}
		}
		conn.Close()
	}
}
