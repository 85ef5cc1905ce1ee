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
		{in: "127.0.0.1:2121", addr: "127.0.0.1:2121"},
		{in: "ftp://demo:demo@127.0.0.1:2121/", addr: "127.0.0.1:2121", user: "demo", pass: "demo"},
		{in: "ftp://anonymous@localhost", addr: "localhost:21", user: "anonymous"},
		{in: "ftp://[::1]:2121", addr: "[::1]:2121"},
		{in: "::1", addr: "[::1]:21"},
		{in: "ftp://us%40er:p%3Ass@h", addr: "h:21", user: "us@er", pass: "p:ss"},
		{in: "ftps://127.0.0.1", addr: "127.0.0.1:990"},
		{in: "", errPart: "no server given"},
		{in: "http://example.org", errPart: "unsupported scheme"},
		{in: "ftp://host:99999", errPart: "1 to 65535"},
		{in: "ftp://host:abc", errPart: "not a valid FTP URL"},
		{in: "ftp:///path", errPart: "names no host"},
		{in: "ftp://a%0d%0aDELE%20x@host", errPart: "line break"},
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
