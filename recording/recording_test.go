package recording

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/export"
	"github.com/ftpscope/ftpscope/protocol"
)

// TestDetect checks that a few lines of each format are told apart, and
// that --format wins over what the content looks like.
func TestDetect(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"curl -v", "*   Trying 192.0.2.1:21...\n< 220 ready\n> USER a\n< 331 more\n", "curl-v"},
		{"curl --trace-ascii", "== Info: Connected\n<= Recv header, 11 bytes (0xb)\n0000: 220 ready\n=> Send header, 8 bytes (0x8)\n0000: USER a\n", "curl-trace"},
		{"curl --trace-ascii --trace-time", "10:00:00.123456 == Info: Connected\n10:00:00.123457 <= Recv header, 11 bytes (0xb)\n10:00:00.123458 0000: 220 ready\n", "curl-trace"},
		{"lftp -d", "---- Connecting to h (192.0.2.1) port 21\n<--- 220 ready\n---> USER a\n", "lftp"},
		{"FileZilla window", "Status:\tConnecting to 192.0.2.1:21...\nResponse:\t220 ready\nCommand:\tUSER a\n", "filezilla"},
		{"FileZilla file", "2026-01-01 10:00:00 1 1 Status: Connecting to 192.0.2.1:21...\n2026-01-01 10:00:00 1 1 Response: 220 ready\n", "filezilla"},
		{"vsftpd", "Sun Dec  6 20:46:09 2026 [pid 1] CONNECT: Client \"192.0.2.9\"\nSun Dec  6 20:46:09 2026 [pid 1] FTP response: Client \"192.0.2.9\", \"220 x\"\n", "vsftpd"},
		{"ProFTPD", "2026-12-06 21:05:53,636 25104 192.0.2.9 \"FEAT\" 211 \"End\"\n2026-12-06 21:05:53,637 25104 192.0.2.9 \"USER a\" 331 \"more\"\n", "proftpd"},
		{"Pure-FTPd", "Dec  6 21:07:31 vm pure-ftpd: (?@192.0.2.9) [INFO] New connection from 192.0.2.9\nDec  6 21:07:31 vm pure-ftpd: (?@192.0.2.9) [DEBUG] 220 hi\n", "pure-ftpd"},
		{"JSON Lines", `{"kind":"connect","time":"2026-01-01T00:00:00Z","line":"x"}` + "\n", "json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := choose([]byte(tt.text), "")
			if err != nil {
				t.Fatalf("choose: %v", err)
			}
			if f.Name != tt.want {
				t.Errorf("detected %q, want %q", f.Name, tt.want)
			}
		})
	}
}

// TestUnknownFormat checks the one-sentence error for a file in no known
// format: the formats tried, and the closest when there is one.
func TestUnknownFormat(t *testing.T) {
	tests := []struct {
		name, text, closest string
	}{
		{"prose", "Dear support,\nmy upload does not work.\nThanks\n", ""},
		{"mostly prose, one vsftpd line", strings.Repeat("some other log line\n", 30) +
			"Sun Dec  6 20:46:09 2026 [pid 1] CONNECT: Client \"192.0.2.9\"\n", "vsftpd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.text), "")
			var unknown *UnknownFormatError
			if !errors.As(err, &unknown) {
				t.Fatalf("error %v, want an UnknownFormatError", err)
			}
			if unknown.Closest != tt.closest {
				t.Errorf("closest %q, want %q", unknown.Closest, tt.closest)
			}
			for _, name := range FormatNames() {
				if !strings.Contains(err.Error(), name) {
					t.Errorf("the error does not name %s: %v", name, err)
				}
			}
			if strings.Count(err.Error(), ". ") > 0 {
				t.Errorf("not one sentence: %v", err)
			}
		})
	}
	if _, err := Read(strings.NewReader("x"), "wireshark"); !errors.As(err, new(*BadFormatError)) {
		t.Errorf("--format wireshark: %v, want a BadFormatError", err)
	}
	if _, err := Read(strings.NewReader("Status:\tConnecting to 192.0.2.1:21...\n"), "vsftpd"); !errors.Is(err, ErrNoSessions) {
		t.Errorf("a FileZilla log read as vsftpd: %v, want ErrNoSessions", err)
	}
}

// TestTruncatedCapture cuts a capture in the middle of a packet: what was
// read is shown, and the last event says where reading stopped.
func TestTruncatedCapture(t *testing.T) {
	data, err := os.ReadFile("testdata/real/sandbox-plain.pcap")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := Read(bytes.NewReader(data[:len(data)*2/3+7]), "")
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	var stop *StopError
	if !errors.As(rec.Stopped, &stop) || stop.Packet == 0 {
		t.Fatalf("Stopped = %v, want a StopError naming a packet", rec.Stopped)
	}
	last := rec.Sessions[len(rec.Sessions)-1].Events
	if ev := last[len(last)-1]; ev.Kind != protocol.EventWarning || !strings.Contains(ev.Line, "reading stopped here") {
		t.Errorf("last event %v %q, want the warning that reading stopped", ev.Kind, ev.Line)
	}
	if sends(rec.Sessions[0]) == 0 {
		t.Error("nothing read before the cut")
	}
}

// TestGarbledText puts binary bytes in the middle of a curl log.
func TestGarbledText(t *testing.T) {
	data, err := os.ReadFile("testdata/real/curl-v.log")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	garbled := strings.Join(lines[:8], "") + "\x00\x00\x17binary\n" + strings.Join(lines[8:], "")
	rec, err := Read(strings.NewReader(garbled), "")
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	var stop *StopError
	if !errors.As(rec.Stopped, &stop) || stop.Line != 9 {
		t.Fatalf("Stopped = %v, want a StopError at line 9", rec.Stopped)
	}
	if n := sends(rec.Sessions[0]); n != 3 {
		t.Errorf("%d commands read before the garbage, want 3", n)
	}
}

// TestJSONRoundTrip writes a session whose replies are not UTF-8 and end
// in a bare LF as JSON Lines, reads it back, and gets the same bytes.
func TestJSONRoundTrip(t *testing.T) {
	raw := [][]byte{[]byte("220-caf\xe9 \xff\xff\r\n"), []byte("220 ok\n")}
	events := []protocol.Event{
		{Kind: protocol.EventConnect, Line: "connected to 192.0.2.1:21"},
		{Kind: protocol.EventReply, Reply: &protocol.Reply{Code: 220, Lines: []string{"220-caf\xe9 \xff", "220 ok"}, Raw: raw}, Command: "(connection)", Verb: "(connection)"},
		{Kind: protocol.EventSend, Line: "PASS ****", Seq: 1, Raw: []byte("PASS ****\r\n")},
		{Kind: protocol.EventSend, Line: "CWD \xe9t\xe9", Seq: 2, Raw: []byte("CWD \xe9t\xe9\r\n")},
		{Kind: protocol.EventData, Seq: 3, Line: "data connection closed: 14 bytes",
			Data: &protocol.DataInfo{Phase: protocol.DataClosed, Verb: "LIST", Direction: "download", Bytes: 14, Preview: []byte("caf\xe9.txt\r\nb\r\n")}},
	}
	var buf bytes.Buffer
	w := export.NewJSON(&buf, nil)
	for _, ev := range events {
		w.Event(ev)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rec, err := Read(&buf, "")
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	var reply *protocol.Reply
	var sent []string
	var listing []byte
	for _, ev := range rec.Sessions[0].Events {
		switch ev.Kind {
		case protocol.EventData:
			listing = ev.Data.Preview
		case protocol.EventReply:
			reply = ev.Reply
		case protocol.EventSend:
			sent = append(sent, string(ev.Raw))
		}
	}
	if reply == nil || len(reply.Raw) != 2 || !bytes.Equal(reply.Raw[0], raw[0]) || !bytes.Equal(reply.Raw[1], raw[1]) {
		t.Fatalf("reply read back %+v, want the raw bytes %q", reply, raw)
	}
	if reply.Lines[0] != "220-caf\xe9 \xff\xff" {
		t.Errorf("line %q, want the bytes without their ending", reply.Lines[0])
	}
	if want := "caf\xe9.txt\r\nb\r\n"; string(listing) != want {
		t.Errorf("listing read back %q, want the bytes %q (escaped lines cannot be reversed)", listing, want)
	}
	if want := []string{"PASS ****\r\n", "CWD \xe9t\xe9\r\n"}; strings.Join(sent, "|") != strings.Join(want, "|") {
		t.Errorf("sent %q, want %q", sent, want)
	}
	// Written again, the transcript has one clear-text warning, not the
	// one read back plus the one every format adds.
	if out := convert(t, rec, "txt"); strings.Count(out, export.ClearTextWarning) != 1 {
		t.Errorf("%d clear-text warnings, want 1:\n%s", strings.Count(out, export.ClearTextWarning), out)
	}
}

// TestPasswordsMasked checks that a password in a log is masked where it
// is sent and where a reply repeats it.
func TestPasswordsMasked(t *testing.T) {
	log := "---- Connecting to h (192.0.2.1) port 21\n<--- 220 ready\n---> USER ann\n<--- 331 more\n---> PASS s3cret-pw\n<--- 530 Login as ann with s3cret-pw failed\n"
	rec, err := Read(strings.NewReader(log), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{"txt", "md", "jsonl"} {
		if out := convert(t, rec, ext); strings.Contains(out, "s3cret") || !strings.Contains(out, "****") {
			t.Errorf("%s output shows the password or no mask:\n%s", ext, out)
		}
	}
}

// TestStandardInput reads a recording from a pipe, which cannot seek:
// detection's look at the head stays buffered for the parser.
func TestStandardInput(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "real", "vsftpd-plain-any.pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		_, _ = w.Write(data)
		w.Close()
	}()
	rec, err := Read(r, "")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Format != "pcapng" || len(rec.Sessions) != 1 || sends(rec.Sessions[0]) < 5 {
		t.Errorf("read %s with %d sessions, want pcapng with one session", rec.Format, len(rec.Sessions))
	}
}

// sends counts the commands of a session.
func sends(s Session) int {
	n := 0
	for _, ev := range s.Events {
		if ev.Kind == protocol.EventSend {
			n++
		}
	}
	return n
}
