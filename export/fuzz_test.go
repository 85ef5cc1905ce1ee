package export

import (
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/protocol"
)

// FuzzListing checks the listing a transcript shows after LIST: every line
// is escaped (no terminal control), and the lines shown plus those left
// out are all the lines of the preview.
func FuzzListing(f *testing.F) {
	for _, seed := range []string{
		"-rw-r--r-- 1 ftp ftp 12 Jan 01 00:00 hello.txt\r\n",
		"a\r\nb\nc",
		"\x1b[2Jevil\r\n\u202ename\r\n",
		"caf\xe9.txt\r\n",
		"\r\n\r\n\r\n",
	} {
		f.Add(seed, 40)
	}
	f.Fuzz(func(t *testing.T, preview string, limit int) {
		if limit < 0 || limit > 1000 {
			return
		}
		info := &protocol.DataInfo{Phase: protocol.DataClosed, Verb: "LIST", Preview: []byte(preview)}
		lines, more := listingUpTo(info, limit)
		for _, l := range lines {
			for _, r := range l {
				if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 {
					t.Fatalf("line %q keeps the control %U", l, r)
				}
			}
		}
		if lines == nil {
			return
		}
		text := strings.TrimRight(strings.ReplaceAll(preview, "\r\n", "\n"), "\n")
		if total := len(strings.Split(text, "\n")); len(lines)+more != total || len(lines) > limit {
			t.Fatalf("%d lines shown and %d more, of %d, with a limit of %d", len(lines), more, total, limit)
		}
	})
}
