package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/internal/tmuxtest"
)

// fixture is a recording of the recording package's testdata.
func fixture(name string) string {
	return filepath.Join("..", "..", "recording", "testdata", name)
}

// TestOpenConverts prints recordings as text, JSON and Markdown, with the
// findings, and lists and picks sessions.
func TestOpenConverts(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    []string
		notWant []string
	}{
		{"text of a NAT capture", []string{"open", "--text", fixture("real/vsftpd-nat.pcap")},
			[]string{"recording ", "read as pcap", "< 227 Entering Passive Mode (10,1,2,3,", "? warning: The server announced 10.1.2.3", "data connection closed: 67 bytes"},
			[]string{"fixture-pw"}},
		{"JSON of a curl log", []string{"open", "--json", fixture("real/curl-v-530.log")},
			[]string{`"kind":"reply"`, `"code":530`, `"raw":[`, `"kind":"finding"`},
			[]string{"PASS demo"}},
		{"Markdown of a FileZilla log", []string{"open", "--markdown", fixture("written/filezilla-window.log")},
			[]string{"# FTP session transcript", "`PASS ****`"},
			[]string{"********"}},
		{"list", []string{"open", "--list", fixture("real/vsftpd.log")},
			[]string{"1\t", "3\t", "last reply 530"}, nil},
		{"one session", []string{"open", "--text", "--session", "3", fixture("real/vsftpd.log")},
			[]string{"session 3 of 3", "530 Login incorrect."}, []string{"session 1 of 3"}},
		{"forced format", []string{"open", "--text", "--format", "lftp", fixture("real/lftp-d.log")},
			[]string{"read as lftp"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, code := runCLI(t, tt.args...)
			if code != 0 {
				t.Fatalf("exit status %d:\n%s", code, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("no %q in:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("%q in:\n%s", w, out)
				}
			}
		})
	}
}

// TestOpenErrors checks the one-sentence errors and exit statuses.
func TestOpenErrors(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.log")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	prose := filepath.Join(t.TempDir(), "mail.txt")
	if err := os.WriteFile(prose, []byte("Hello,\nthe upload fails since Monday.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown format", []string{"open", "--text", prose}, 1, "is in no format ftpscope reads (tried json, pcap, pcapng, curl-trace, curl-v, lftp, filezilla, vsftpd, proftpd, pure-ftpd)"},
		{"missing file", []string{"open", "--text", "/nonexistent/x.log"}, 1, "cannot open /nonexistent/x.log: no such file or directory"},
		{"bad --format", []string{"open", "--format", "wireshark", prose}, 2, `there is no format named "wireshark"; --format takes json, pcap`},
		{"misspelt --format", []string{"open", "--format", "lfpt", prose}, 2, `there is no format named "lfpt" (did you mean lftp?); --format takes json, pcap`},
		{"session out of range", []string{"open", "--text", "--session", "9", fixture("real/vsftpd.log")}, 2, "holds 3 sessions: --session takes 1 to 3"},
		{"session 0", []string{"open", "--text", "--session", "0", fixture("real/vsftpd.log")}, 2, "--session takes a session number from 1, not 0"},
		{"two outputs", []string{"open", "--text", "--json", prose}, 2, "give at most one of --text, --json, --markdown and --list"},
		{"no file", []string{"open"}, 2, "takes one recording file"},
		{"a folder", []string{"open", "--text", os.TempDir()}, 2, "it is a folder, not a file"},
		{"an empty file", []string{"open", "--text", empty}, 1, "the file is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, code := runCLI(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit status %d, want %d:\n%s", code, tt.code, out)
			}
			if !strings.Contains(out, tt.want) {
				t.Errorf("no %q in:\n%s", tt.want, out)
			}
		})
	}
}

// TestOpenCutCapture prints what a cut capture holds, says on standard
// error where reading stopped, and exits 0.
func TestOpenCutCapture(t *testing.T) {
	data, err := os.ReadFile(fixture("real/sandbox-plain.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.pcap")
	if err := os.WriteFile(cut, data[:len(data)/2+3], 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(buildBinary(t), "open", "--text", cut)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	if !strings.Contains(string(out), "reading stopped here: packet") || !strings.Contains(string(out), "> USER demo") {
		t.Errorf("the transcript does not show what was read and where it stopped:\n%s", out)
	}
	if !strings.Contains(stderr.String(), "reading stopped before the end of the file: packet") {
		t.Errorf("standard error: %q", stderr.String())
	}
}

// TestOpenStandardInput pipes a curl log into the real binary.
func TestOpenStandardInput(t *testing.T) {
	bin := buildBinary(t)
	log, err := os.Open(fixture("real/curl-v.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	cmd := exec.Command(bin, "open", "--text", "-")
	cmd.Stdin = log
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if !strings.Contains(string(out), "recording standard input, read as curl-v") || !strings.Contains(string(out), "> PASS ****") {
		t.Errorf("unexpected output:\n%s", out)
	}
}

// TestE2EOpenCapture opens a capture in the real binary in a real
// terminal, selects a reply, and reads its explanation.
func TestE2EOpenCapture(t *testing.T) {
	bin := buildBinary(t)
	term := tmuxtest.Start(t, 140, 40, []string{"TERM=xterm-256color"}, bin, "open", "--no-history", fixture("real/vsftpd-nat.pcap"))
	term.WaitFor("recording")
	screen := term.WaitFor("221 Goodbye.")
	for _, want := range []string{"vsftpd-nat.pcap (pcap)", "227 Entering Passive Mode (10,1,2,3,"} {
		if !strings.Contains(unwrap(screen), want) {
			t.Errorf("no %q on the screen:\n%s", want, screen)
		}
	}
	// The first ctrl+p selects the reply before the newest (226), the
	// next ones 150, 200, then the 227.
	term.Keys("C-p", "C-p", "C-p", "C-p")
	screen = term.WaitFor("Entering passive mode")
	// The panel names the finding: the address is not the server's.
	if !strings.Contains(unwrap(screen), "where you connected") {
		t.Errorf("the 227's explanation does not give the NAT finding:\n%s", screen)
	}
	term.Type("USER x")
	term.Keys("Enter")
	term.WaitFor("this is a recording: nothing is sent anywhere")
	term.Type(":quit")
	term.Keys("Enter")
}
