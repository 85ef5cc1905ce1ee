package sandbox

import (
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseListen(t *testing.T) {
	for _, tc := range []struct {
		spec, host string
		port       int
		err        string
	}{
		{"127.0.0.1:2121", "127.0.0.1", 2121, ""},
		{":0", "127.0.0.1", 0, ""},
		{"127.0.0.2", "127.0.0.2", DefaultServePort, ""},
		{"[::1]:21", "::1", 21, ""},
		{"::1", "::1", DefaultServePort, ""},
		{"localhost:2121", "localhost", 2121, ""},
		{"example.org:21", "", 0, `"example.org" is not an IP address`},
		{"127.0.0.1:x", "", 0, "the port must be a number from 0 to 65535"},
		{"127.0.0.1:65536", "", 0, "the port must be a number from 0 to 65535"},
	} {
		host, port, err := ParseListen(tc.spec)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ParseListen(%q) = %v, want an error saying %q", tc.spec, err, tc.err)
		case tc.err == "" && (err != nil || host != tc.host || port != tc.port):
			t.Errorf("ParseListen(%q) = %q, %d, %v; want %q, %d", tc.spec, host, port, err, tc.host, tc.port)
		}
	}
}

func TestParseUser(t *testing.T) {
	if name, pw, err := ParseUser("alice:se:cret"); err != nil || name != "alice" || pw != "se:cret" {
		t.Errorf("ParseUser(alice:se:cret) = %q, %q, %v", name, pw, err)
	}
	for _, spec := range []string{"alice", "alice:", ":pw", "anonymous:x", "FTP:x", "al ice:x"} {
		_, _, err := ParseUser(spec)
		if err == nil {
			t.Errorf("ParseUser(%q) accepted it", spec)
			continue
		}
		if pw, _ := strings.CutPrefix(spec, "anonymous:"); pw == "x" && strings.Contains(err.Error(), ":x") {
			t.Errorf("ParseUser(%q): %v shows the password", spec, err)
		}
	}
}

// TestServeOptions checks what serve's flags set: a folder served as it
// is and left in place, the accounts given instead of demo, and anonymous
// refused.
func TestServeOptions(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "notes.txt"), []byte("course notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Start(Options{Root: root, Users: map[string]string{"alice": "wonder"}, NoAnonymous: true})
	if err != nil {
		t.Fatal(err)
	}
	c := dialRaw(t, s)
	c.expect("USER demo", 331)
	c.expect("PASS demo", 530)
	c.expect("USER anonymous", 331)
	c.expect("PASS guest@", 530)
	c.expect("USER alice", 331)
	c.expect("PASS wonder", 230)
	if got := c.readRetr("notes.txt"); got != "course notes\n" {
		t.Errorf("RETR notes.txt = %q", got)
	}
	var texts []string
	for _, l := range s.Summary(Options{Users: map[string]string{"alice": "wonder"}, NoAnonymous: true}, "") {
		texts = append(texts, l.Text)
	}
	summary := strings.Join(texts, "\n")
	for _, want := range []string{"serving " + root, "log in as: alice (password as given)", "TLS: not offered"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	if strings.Contains(summary, "wonder") || strings.Contains(summary, "anonymous") {
		t.Errorf("summary shows the password or anonymous:\n%s", summary)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "notes.txt")); err != nil {
		t.Errorf("Close removed the served folder: %v", err)
	}
	if _, err := Start(Options{Root: filepath.Join(root, "notes.txt")}); err == nil {
		t.Error("Start served a file as a folder")
	}
}

// readRetr downloads name over a passive connection.
func (c *rawClient) readRetr(name string) string {
	c.t.Helper()
	data := c.pasv()
	c.expect("RETR "+name, 150)
	got := c.readData(data, false)
	c.reply(226)
	return got
}

// TestControl types lines at serve's terminal: each bad one is answered
// with what was wrong and what to type, an unknown fault name with the
// closest one when one is close.
func TestControl(t *testing.T) {
	s := startServer(t, Options{})
	tests := []struct {
		line      string
		wantLines []string
		wantErr   string // in the error; "" for none
		unknown   bool   // the error is an *UnknownFaultError
	}{
		{line: "fault slow on"},
		{line: "faults", wantLines: []string{"faults on: slow", "off: " + strings.Join(offExcept("slow"), ", ")}},
		{line: "fault slow", wantLines: []string{"fault slow is on; type fault slow off to switch it off"}},
		{line: "fault nat", wantLines: []string{"fault nat is off; type fault nat on to switch it on"}},
		{line: "fault nope on", wantErr: `there is no fault named "nope"; the faults are no-pasv, nat,`, unknown: true},
		{line: "fault natt on", wantErr: `there is no fault named "natt" (did you mean nat?); the faults are`, unknown: true},
		{line: "fault natt", wantErr: `there is no fault named "natt" (did you mean nat?)`, unknown: true},
		{line: "fault slow maybe", wantErr: `"maybe" is neither on nor off; type fault slow on or fault slow off`},
		{line: "fault slow on now", wantErr: ServeHelp},
		{line: "hello", wantErr: ServeHelp},
		{line: ""},
	}
	for _, tt := range tests {
		lines, err := s.Control(tt.line)
		var unknown *UnknownFaultError
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%q: %v", tt.line, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%q: error %v, want one with %q", tt.line, err, tt.wantErr)
		case errors.As(err, &unknown) != tt.unknown:
			t.Errorf("%q: error %v is an *UnknownFaultError: %t, want %t", tt.line, err, !tt.unknown, tt.unknown)
		case !slices.Equal(lines, tt.wantLines):
			t.Errorf("%q: lines %q, want %q", tt.line, lines, tt.wantLines)
		}
	}
}

// offExcept lists the faults but those named, in order.
func offExcept(on ...string) []string {
	var names []string
	for _, f := range FaultNames() {
		if !slices.Contains(on, f.Name) {
			names = append(names, f.Name)
		}
	}
	return names
}

func TestLogEntryFormat(t *testing.T) {
	at := time.Date(2026, 12, 6, 9, 5, 7, 0, time.UTC)
	for _, tc := range []struct {
		e    LogEntry
		want string
	}{
		{LogEntry{Time: at, Conn: 3, Kind: LogCommand, Text: "USER demo"}, "09:05:07 #3  > USER demo"},
		{LogEntry{Time: at, Conn: 3, Kind: LogReply, Text: "220 hi\x1b[2J"}, `09:05:07 #3  < 220 hi\x1b[2J`},
		{LogEntry{Time: at, Conn: 12, Kind: LogConnect, Remote: "127.0.0.1:5000", Text: "connected to 127.0.0.1:2121"}, "09:05:07 #12 · 127.0.0.1:5000 connected to 127.0.0.1:2121"},
		{LogEntry{Time: at, Conn: 4, Kind: LogRefused, Remote: "127.0.0.1:5001", Text: "421 Too many."}, "09:05:07 #4  ✗ 127.0.0.1:5001 refused: 421 Too many."},
		{LogEntry{Time: at, Kind: LogFault, Text: "fault nat on"}, "09:05:07     · fault nat on"},
		{LogEntry{Time: at, Conn: 1, Kind: LogCommand, Text: "CWD caf\xe9\\"}, `09:05:07 #1  > CWD caf\xe9\\`},
	} {
		if got := tc.e.Format(); got != tc.want {
			t.Errorf("Format() = %q, want %q", got, tc.want)
		}
	}
}

// TestCertificateNamesListenAddress checks that the certificate names the
// address the sandbox listens on, so that clients connecting there can
// verify it.
func TestCertificateNamesListenAddress(t *testing.T) {
	s := startServer(t, Options{Host: "127.0.0.2", TLS: true})
	cert, err := x509.ParseCertificate(s.Cert.TLS.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"127.0.0.2", "127.0.0.1", "localhost"} {
		if _, err := cert.Verify(x509.VerifyOptions{DNSName: name, Roots: s.Cert.Pool()}); err != nil {
			t.Errorf("the certificate does not verify for %s: %v", name, err)
		}
	}
}
