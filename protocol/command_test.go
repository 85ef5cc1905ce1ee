package protocol

import (
	"errors"
	"strings"
	"testing"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		line, verb, arg, masked string
		err                     error
	}{
		{line: "user demo", verb: "USER", arg: "demo", masked: "USER demo"},
		{line: "  PASS s3cret  ", verb: "PASS", arg: "s3cret  ", masked: "PASS ****"},
		// What follows the verb's one separator is sent as typed: RFC 959
		// allows names that end in spaces, and a tab or a run of spaces
		// inside a name is part of it.
		{line: "CWD name ", verb: "CWD", arg: "name ", masked: "CWD name "},
		{line: "  RETR a  b\t ", verb: "RETR", arg: "a  b\t ", masked: "RETR a  b\t "},
		{line: "CWD  lead", verb: "CWD", arg: " lead", masked: "CWD  lead"},
		{line: "NOOP  ", verb: "NOOP", masked: "NOOP"},
		{line: "pass a much longer password", verb: "PASS", arg: "a much longer password", masked: "PASS ****"},
		{line: "PASS", verb: "PASS", masked: "PASS"},
		{line: "PASS\u00a0hunter2", verb: "PASS", arg: "hunter2", masked: "PASS ****"},
		{line: "pass\thunter2", verb: "PASS", arg: "hunter2", masked: "PASS ****"},
		{line: "acct billing-42", verb: "ACCT", arg: "billing-42", masked: "ACCT ****"},
		{line: "CWD My Documents", verb: "CWD", arg: "My Documents", masked: "CWD My Documents"},
		{line: "NOOP\r\nDELE x", err: ErrLineBreak},
		{line: "USER a\nPASS b", err: ErrLineBreak},
		{line: "RETR a\x00b", err: ErrNUL},
		{line: "   ", err: ErrEmptyCommand},
	}
	for _, tt := range tests {
		cmd, err := ParseCommand(tt.line)
		if !errors.Is(err, tt.err) {
			t.Errorf("ParseCommand(%q) error = %v, want %v", tt.line, err, tt.err)
			continue
		}
		if err != nil {
			continue
		}
		if cmd.Verb != tt.verb || cmd.Arg != tt.arg || cmd.Masked() != tt.masked {
			t.Errorf("ParseCommand(%q) = %q %q masked %q; want %q %q masked %q", tt.line, cmd.Verb, cmd.Arg, cmd.Masked(), tt.verb, tt.arg, tt.masked)
		}
	}
}

// TestTrailingSpacesAreShown checks that trailing white space, kept and
// sent, is visible: drawn as ␠ in the transcript's line, and said in a
// warning (which never reveals a password's).
func TestTrailingSpacesAreShown(t *testing.T) {
	tests := []struct {
		line, shown, wire, warning string
	}{
		{"RETR notes.txt ", "RETR notes.txt␠", "RETR notes.txt \r\n", "the argument of RETR ends with a space, sent as part of it"},
		{"CWD dir  ", "CWD dir␠␠", "CWD dir  \r\n", "the argument of CWD ends with 2 white-space characters"},
		{"STOR a\t", "STOR a\t", "STOR a\t\r\n", "the argument of STOR ends with white space"},
		{"PASS secret ", "PASS ****", "PASS secret \r\n", "the password ends with white space, sent as part of it"},
		{"CWD dir", "CWD dir", "CWD dir\r\n", ""},
	}
	for _, tt := range tests {
		cmd, err := ParseCommand(tt.line)
		if err != nil {
			t.Fatalf("ParseCommand(%q): %v", tt.line, err)
		}
		if got := cmd.Shown(); got != tt.shown {
			t.Errorf("%q: Shown() = %q, want %q", tt.line, got, tt.shown)
		}
		if got := string(cmd.Wire()); got != tt.wire {
			t.Errorf("%q: Wire() = %q, want %q", tt.line, got, tt.wire)
		}
		got := cmd.TrailingSpaceWarning()
		if tt.warning == "" && got != "" || !strings.HasPrefix(got, tt.warning) {
			t.Errorf("%q: warning %q, want it to start with %q", tt.line, got, tt.warning)
		}
		if strings.Contains(got, "secret") {
			t.Errorf("%q: the warning reveals the password: %q", tt.line, got)
		}
	}
}

func TestWireDoublesIAC(t *testing.T) {
	cmd, err := ParseCommand("RETR a\xffb")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(cmd.Wire()), "RETR a\xff\xffb\r\n"; got != want {
		t.Errorf("Wire() = %q, want %q", got, want)
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"220 plain", "220 plain"},
		{"café.txt", "café.txt"},
		{"\x1b[2J\x1b]0;pwned\x07", `\x1b[2J\x1b]0;pwned\x07`},
		{"tab\there", `tab\there`},
		{"bad \xff\xfe utf8", `bad \xff\xfe utf8`},
		{"c1 \u009b31m", `c1 \u009b31m`},
		{"bidi \u202egnp.exe", `bidi \u202egnp.exe`},
		{"del\x7f", `del\x7f`},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsText(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"a listing\r\n", true},
		{"café", true},
		{"caf\xc3", true}, // a character cut by the end of the preview
		{"caf\xc3 more", false},
		{"\xff\xfe", false},
		{"nul\x00", false},
		{"", true},
	}
	for _, tt := range tests {
		if got := IsText([]byte(tt.in)); got != tt.want {
			t.Errorf("IsText(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseLine(t *testing.T) {
	tests := []struct {
		typed           string
		arg, save, from string
		errPart         string // "" when the line is valid
	}{
		{typed: "RETR notes.txt > /tmp/notes.txt", arg: "notes.txt", save: "/tmp/notes.txt"},
		{typed: "LIST > listing.txt", save: "listing.txt"},
		{typed: "STOR notes.txt < ./notes.txt", arg: "notes.txt", from: "./notes.txt"},
		{typed: "STOU < ./notes.txt", from: "./notes.txt"},
		{typed: "SITE EXEC a > b", arg: "EXEC a > b"},
		{typed: "RETR a file > b", arg: "a file", save: "b"},
		{typed: "STOR < ./up.txt", errPart: "needs the name to give the file on the server"},
		{typed: "APPE  < ./up.txt", errPart: "needs the name"},
		{typed: "STOR notes.txt", errPart: "needs a local file to send"},
		{typed: "RETR x >", errPart: "name a local file"},
		{typed: "RETR x < y", errPart: "RETR downloads"},
		{typed: "STOR x > y", errPart: "STOR uploads"},
	}
	for _, tt := range tests {
		l, err := ParseLine(tt.typed)
		if tt.errPart != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errPart) {
				t.Errorf("ParseLine(%q) error = %v, want one containing %q", tt.typed, err, tt.errPart)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseLine(%q): %v", tt.typed, err)
			continue
		}
		if l.Command.Arg != tt.arg || l.SaveTo != tt.save || l.UploadFrom != tt.from {
			t.Errorf("ParseLine(%q) = arg %q, save %q, from %q; want %q, %q, %q", tt.typed, l.Command.Arg, l.SaveTo, l.UploadFrom, tt.arg, tt.save, tt.from)
		}
	}
}

func TestMaskedWireHidesThePassword(t *testing.T) {
	cmd, _ := ParseCommand("PASS s3cr\xffet")
	if got := string(cmd.MaskedWire()); got != "PASS ****\r\n" {
		t.Errorf("MaskedWire = %q, want %q", got, "PASS ****\r\n")
	}
	cmd, _ = ParseCommand("CWD caf\xff")
	if got := string(cmd.MaskedWire()); got != "CWD caf\xff\xff\r\n" {
		t.Errorf("MaskedWire = %q, want the 0xFF doubled", got)
	}
}

// TestMaskLine checks that a PASS or ACCT line is masked however it is
// written, even when ParseCommand refuses it, and that other lines are
// left as they are.
func TestMaskLine(t *testing.T) {
	tests := []struct{ line, want string }{
		{"PASS demo", "PASS ****"},
		{"pass demo", "pass ****"},
		{"  PASS demo", "PASS ****"},
		{"PASS demo\rAUTH TLS", "PASS ****"},
		{"PASS demo\x00x", "PASS ****"},
		{"PASS\x00demo", "PASS ****"},
		{"PASS\tdemo", "PASS ****"},
		{"ACCT secret", "ACCT ****"},
		{"PASS", "PASS"},
		{"PASS   ", "PASS   "},
		{"PASSWORD x", "PASSWORD x"},
		{"USER demo", "USER demo"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := MaskLine(tt.line); got != tt.want {
			t.Errorf("MaskLine(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}
