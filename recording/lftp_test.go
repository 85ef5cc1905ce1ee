package recording

import (
	"strings"
	"testing"
)

// TestLftpNotes checks that lftp -d's notes that matter to a diagnosis
// become events: its correction of a 227's address, and its warning
// about an untrusted certificate.
func TestLftpNotes(t *testing.T) {
	tests := []struct {
		file string
		want []string // event lines, in order
	}{
		{"real/lftp-d-fixpasv.log", []string{
			"lftp did not use the address in the 227 reply",
			"LIST sub",
		}},
		{"real/lftp-d-tls.log", []string{
			"AUTH TLS",
			"lftp: Certificate verification: The certificate is NOT trusted",
			"LIST",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rec, err := OpenFile("testdata/"+tt.file, "lftp")
			if err != nil {
				t.Fatal(err)
			}
			next := 0
			for _, ev := range rec.Sessions[0].Events {
				if next < len(tt.want) && strings.HasPrefix(ev.Line, tt.want[next]) {
					next++
				}
			}
			if next < len(tt.want) {
				t.Errorf("no event %q (in this order) in %s", tt.want[next], tt.file)
			}
		})
	}
}
