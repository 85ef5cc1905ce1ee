package protocol

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/internal/vsftpdtest"
)

// TestVsftpdRefusedTransferKeepsTLSSession: under PROT P, a transfer that
// vsftpd refuses (RETR of a missing file) leaves a data connection whose
// TLS handshake the server never answers. Cutting it short must not lose
// the control connection's TLS session: with vsftpd's default
// require_ssl_reuse=YES the next transfer would get "522 SSL connection
// failed: session reuse required" and the session would end.
func TestVsftpdRefusedTransferKeepsTLSSession(t *testing.T) {
	for _, tt := range []struct {
		name   string
		tlsv13 bool
	}{{"TLS 1.2", false}, {"TLS 1.3", true}} {
		t.Run(tt.name, func(t *testing.T) {
			srv := vsftpdServer(t, vsftpdtest.Options{TLS: true, TLSv13: tt.tlsv13})
			c := conversation(t, srv, Config{})
			expect(t, c, "AUTH TLS", 234)
			login(t, c, srv)
			expect(t, c, "PBSZ 0", 200)
			expect(t, c, "PROT P", 200)
			expect(t, c, "EPSV", 229)
			x := expect(t, c, "RETR no-such-file.txt", 550)
			if x.Data == nil || x.Data.Err != nil {
				t.Errorf("the refused RETR's data connection = %+v, want unused, not failed", x.Data)
			}
			for range 2 {
				expect(t, c, "EPSV", 229)
				if x := expect(t, c, "LIST", 226); x.Data == nil || !strings.Contains(string(x.Data.Preview), srv.listed) {
					t.Fatalf("LIST after a refused RETR: %+v", x.Data)
				}
			}
		})
	}
}

// TestVsftpdRefusedUploadSendsNothing: vsftpd refuses STOR into a folder
// the user may not write with 553 and never reads the passive data
// connection, which the kernel has accepted all the same. ftpscope waits
// for the 1xx before it sends the file, so the data connection is
// reported unused, not "2 bytes sent", in clear and under PROT P (where
// the TLS handshake vsftpd never answers is no failure either).
func TestVsftpdRefusedUploadSendsNothing(t *testing.T) {
	srv := vsftpdServer(t, vsftpdtest.Options{TLS: true, TLSv13: true})
	readOnly := filepath.Join(srv.root, "ro")
	if err := os.Mkdir(readOnly, 0o755); err != nil { // owned by root: the test user may not write
		t.Fatal(err)
	}
	local := filepath.Join(t.TempDir(), "up.txt")
	if err := os.WriteFile(local, []byte("upload\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		prot []string
	}{
		{"clear", nil},
		{"PROT P", []string{"PBSZ 0", "PROT P"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := conversation(t, srv, Config{})
			expect(t, c, "AUTH TLS", 234)
			login(t, c, srv)
			for _, cmd := range tt.prot {
				expect(t, c, cmd, 200)
			}
			expect(t, c, "EPSV", 229)
			x := expect(t, c, "STOR ro/up.txt < "+local, 553)
			if x.Data == nil || x.Data.Bytes != 0 || x.Data.Err != nil {
				t.Fatalf("the refused upload's data connection = %+v, want unused", x.Data)
			}
			for _, ev := range x.Events {
				if ev.Kind == EventData && ev.Data != nil && ev.Data.Phase == DataClosed && ev.Line != "data connection closed unused: the server answered 553" {
					t.Errorf("the data connection's end reads %q", ev.Line)
				}
			}
			// The next upload, where the user may write, still works.
			expect(t, c, "EPSV", 229)
			x = expect(t, c, "STOR up.txt < "+local, 226)
			if x.Data == nil || x.Data.Bytes != int64(len("upload\n")) {
				t.Fatalf("the upload's data = %+v", x.Data)
			}
			if got, err := os.ReadFile(filepath.Join(srv.root, "up.txt")); err != nil || !strings.HasPrefix(string(got), "upload") {
				t.Errorf("uploaded file: %q, %v", got, err)
			}
		})
	}
}

// TestVsftpdRefusedActiveTransfer: in active mode vsftpd never connects
// for a RETR of a missing file or a STOR it refuses; that data connection
// is unused, as in passive mode, not a connection that "failed" because
// the server "did not connect".
func TestVsftpdRefusedActiveTransfer(t *testing.T) {
	srv := vsftpdServer(t, vsftpdtest.Options{})
	readOnly := filepath.Join(srv.root, "ro")
	if err := os.Mkdir(readOnly, 0o755); err != nil {
		t.Fatal(err)
	}
	local := filepath.Join(t.TempDir(), "up.txt")
	if err := os.WriteFile(local, []byte("upload\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := conversation(t, srv, Config{})
	login(t, c, srv)
	for _, tt := range []struct {
		mode, line string
		code       int
	}{
		{"PORT", "RETR no-such-file.txt", 550},
		{"EPRT", "STOR ro/up.txt < " + local, 553},
	} {
		expect(t, c, tt.mode, 200)
		x := expect(t, c, tt.line, tt.code)
		want := fmt.Sprintf("data connection closed unused: the server answered %d", tt.code)
		if x.Data == nil || x.Data.Err != nil || x.Data.Bytes != 0 {
			t.Errorf("%s after %s: data %+v, want unused", tt.line, tt.mode, x.Data)
		}
		for _, ev := range x.Events {
			if ev.Kind == EventData && ev.Data != nil && ev.Data.Phase == DataClosed && ev.Line != want {
				t.Errorf("%s after %s: the data connection's end reads %q, want %q", tt.line, tt.mode, ev.Line, want)
			}
		}
	}
}
