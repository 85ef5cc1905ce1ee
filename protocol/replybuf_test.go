package protocol

import (
	"fmt"
	"strings"
	"testing"
)

// TestRepliesKeptFromOneReader reads many replies of every length from one
// reader, keeps them all, and checks each afterwards: replies and their
// bytes are carved from shared batches, and no reply read later may write
// over the text or the raw bytes of one read before.
func TestRepliesKeptFromOneReader(t *testing.T) {
	var wire strings.Builder
	var want []string
	for i := range 300 {
		line := fmt.Sprintf("200 %s", strings.Repeat(string(rune('a'+i%26)), i%700))
		if i%7 == 0 {
			line = fmt.Sprintf("211-%d\r\n x\r\n211 End", i) // a multi-line reply now and then
		}
		wire.WriteString(line + "\r\n")
		want = append(want, line)
	}
	rr := NewReplyReader(strings.NewReader(wire.String()))
	var got []*Reply
	for range want {
		r, err := rr.ReadReply()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	for i, r := range got {
		text := strings.Join(r.Lines, "\r\n")
		var raw strings.Builder
		for _, b := range r.Raw {
			raw.Write(b)
		}
		if text != want[i] || raw.String() != want[i]+"\r\n" {
			t.Fatalf("reply %d after reading them all: lines %q, raw %q; want %q", i, text, raw.String(), want[i])
		}
	}
}
