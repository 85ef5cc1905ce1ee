package protocol

import (
	"strings"
	"testing"
)

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in         string
		addr, user string
		pass       string
		errPart    string
	}{
		{in: "ftp.example.org", addr: "ftp.example.org:21"},
		{in: "ftp.example.org:21", addr: "ftp.example.org:21"},
		{in: "127.0.0.1:2121", addr: "127.0.0.1:2121"},
		{in: "ftp://demo:demo@127.0.0.1:2121/", addr: "127.0.0.1:2121", user: "demo", pass: "demo"},
		{in: "ftp://anonymous@localhost", addr: "localhost:21", user: "anonymous"},
		{in: "ftp://[::1]:2121", addr: "[::1]:2121"},
		{in: "[::1]:2121", addr: "[::1]:2121"},
		{in: "::1", addr: "[::1]:21"},
		{in: "[::1]", addr: "[::1]:21"},
		{in: "ftp://us%40er:p%3Ass@h", addr: "h:21", user: "us@er", pass: "p:ss"},
		{in: "ftps://127.0.0.1", addr: "127.0.0.1:990"},
		{in: "", errPart: "no server given"},
		{in: "http://example.org", errPart: "unsupported scheme"},
		{in: "ftp://host:99999", errPart: "1 to 65535"},
		{in: "ftp://host:abc", errPart: "not a valid FTP URL"},
		{in: "ftp:///path", errPart: "names no host"},
		{in: "ftp://a%0d%0aDELE%20x@host", errPart: "line break"},
		// A second colon is not part of a host name: say so before any
		// lookup of "127.0.0.1:22100".
		{in: "127.0.0.1:22100:5", errPart: `"127.0.0.1:22100:5" is not a valid address: write host:port, or [ipv6]:port for an IPv6 address`},
		{in: "ftp://127.0.0.1:22100:5", errPart: "write ftp://host:port, or ftp://[ipv6]:port"},
		{in: "ftp://::1", errPart: "ftp://[ipv6]:port"},
		// ftpscope connects to a server, not to a folder or a file.
		{in: "ftp://127.0.0.1:2121/some/path", errPart: "connects to the server only: leave /some/path out and type CWD /some/path after logging in"},
		{in: "127.0.0.1:2121/pub", errPart: "type CWD /pub after logging in"},
		{in: "ftp://127.0.0.1:2121/?x=1", errPart: "connects to the server only"},
		{in: "ftp://127.0.0.1:2121?", errPart: "connects to the server only"},
		{in: "ftp://127.0.0.1:2121#frag", errPart: "connects to the server only"},
	}
	for _, tt := range tests {
		got, err := ParseTarget(tt.in)
		if tt.errPart != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errPart) {
				t.Errorf("ParseTarget(%q) error = %v, want one containing %q", tt.in, err, tt.errPart)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseTarget(%q): %v", tt.in, err)
			continue
		}
		if got.Addr() != tt.addr || got.User != tt.user || got.Password != tt.pass {
			t.Errorf("ParseTarget(%q) = %s user %q pass %q; want %s %q %q", tt.in, got.Addr(), got.User, got.Password, tt.addr, tt.user, tt.pass)
		}
		if tt.pass != "" && strings.Contains(got.String(), ":"+tt.pass+"@") {
			t.Errorf("String() %q shows the password", got.String())
		}
	}
}

// TestParseTargetErrorsHideThePassword feeds ParseTarget URLs that carry
// a password and are wrong in every way it reports, and checks that no
// error shows the password (or a piece of it), and that each shows ****
// where the password was.
func TestParseTargetErrorsHideThePassword(t *testing.T) {
	const secret = "s3cr3t"
	tests := []struct {
		in      string
		shows   string // the URL as the error must quote it
		errPart string
	}{
		{"ftp://bob:s3cr3t@[::1", `"ftp://bob:****@[::1"`, "missing ']'"},
		{"ftp://bob:s3cr3t@127.0.0.1:abc", `"ftp://bob:****@127.0.0.1:abc"`, "not a valid FTP URL"},
		{"ftp://bob:s3cr3t@", `"ftp://bob:****@"`, "names no host"},
		{"ftp://bob:s3cr3t%ZZ@127.0.0.1", `"ftp://bob:****@127.0.0.1"`, "escape the password's special characters"},
		{"ftp://bob%ZZ:s3cr3t@127.0.0.1", `"ftp://bob%ZZ:****@127.0.0.1"`, `invalid URL escape "%ZZ"`},
		{"ftp://bob:s3cr3t@127.0.0.1:22100:5", `"ftp://bob:****@127.0.0.1:22100:5"`, "not a valid address"},
		{"bob:s3cr3t@127.0.0.1:22100:5", `"bob:****@127.0.0.1:22100:5"`, "write host:port"},
		{"ftp://bob:s3cr3t@127.0.0.1/pub", `"ftp://bob:****@127.0.0.1/pub"`, "CWD /pub"},
		{"ftp://bob:s3cr3t@127.0.0.1?x", `"ftp://bob:****@127.0.0.1?x"`, "connects to the server only"},
		// A password with an unescaped '@' or '/': the user information
		// ends at the last '@'.
		{"ftp://bob:s3@cr3t@127.0.0.1:abc", `"ftp://bob:****@127.0.0.1:abc"`, "not a valid FTP URL"},
		{"ftp://bob:s3/cr3t@127.0.0.1", `"ftp://bob:****@127.0.0.1"`, "escape the password's special characters"},
		{"ftp://bob:s3cr3t@@", `"ftp://bob:****@"`, "names no host"},
	}
	for _, tt := range tests {
		_, err := ParseTarget(tt.in)
		if err == nil {
			t.Errorf("ParseTarget(%q) succeeded, want an error containing %q", tt.in, tt.errPart)
			continue
		}
		msg := err.Error()
		for _, piece := range []string{secret, "s3", "cr3t"} {
			if strings.Contains(msg, piece) {
				t.Errorf("ParseTarget(%q) error shows the password (%q): %s", tt.in, piece, msg)
			}
		}
		if !strings.Contains(msg, tt.shows) || !strings.Contains(msg, tt.errPart) {
			t.Errorf("ParseTarget(%q) error = %s\nwant one quoting %s and containing %q", tt.in, msg, tt.shows, tt.errPart)
		}
	}
}

func TestMaskPassword(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ftp://bob:pw@host", "ftp://bob:****@host"},
		{"ftp://bob:p@w@host:21", "ftp://bob:****@host:21"},
		{"ftp://bob:@host", "ftp://bob:****@host"},
		{"bob:pw@host", "bob:****@host"},
		{"ftp://bob@host", "ftp://bob@host"},
		{"ftp://host:21", "ftp://host:21"},
		{"127.0.0.1:21", "127.0.0.1:21"},
		{"ftp://[::1]:21", "ftp://[::1]:21"},
	}
	for _, tt := range tests {
		if got := MaskPassword(tt.in); got != tt.want {
			t.Errorf("MaskPassword(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
