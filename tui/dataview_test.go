package tui

import (
	"fmt"
	"strings"
	"testing"
)

// longListing is a LIST of n files named entry-001.txt and on.
func longListing(n int) []byte {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "-rw-r--r-- 1 ftp ftp %4d Nov 30 03:25 entry-%03d.txt\r\n", i, i)
	}
	return []byte(b.String())
}

// TestF2ShowsTheData checks f2 after a transfer on a narrow screen, where
// the transfer opens the data without showing the panel (f2 used to put
// it away unseen and show the explanation instead), and on a wide screen
// whose panel f9 hid.
func TestF2ShowsTheData(t *testing.T) {
	for _, tt := range []struct {
		name  string
		width int
		keys  []string
	}{
		{"narrow", 80, nil},
		{"wide, panel hidden", 160, []string{"f9"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := apply(newTestModel(tt.width, 24), append(loginSession(), transferEvents("LIST", longListing(200))...)...)
			m = pressKeys(m, tt.keys...)
			if strings.Contains(screen(m), "Data of LIST") {
				t.Fatalf("the data is on screen before f2:\n%s", screen(m))
			}
			m = pressKeys(m, "f2")
			if !strings.Contains(screen(m), "Data of LIST") {
				t.Fatalf("f2 did not show the data:\n%s", screen(m))
			}
			m = pressKeys(m, "f2")
			if strings.Contains(screen(m), "Data of LIST") {
				t.Fatalf("f2 again did not put the data away:\n%s", screen(m))
			}
		})
	}
}
