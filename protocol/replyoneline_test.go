package protocol

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestOneLineReplies checks one-line replies of every size the reader
// allocates differently (each room size, and past the largest), and at
// the edges of its bounds: each keeps its text, its raw bytes with CRLF,
// and notes nothing, or is read the long way with the same result.
func TestOneLineReplies(t *testing.T) {
	line := func(n int) string { return "200 " + strings.Repeat("x", n-4) }
	tests := []struct {
		name    string
		text    string
		maxRead int64
		bound   bool
	}{
		{name: "code alone", text: "200"},
		{name: "code and space", text: "200 "},
		{name: "fits the smallest room", text: line(22)},
		{name: "just past the smallest room", text: line(23)},
		{name: "fits the second room", text: line(38)},
		{name: "fits the third room", text: line(70)},
		{name: "fits the largest room", text: line(134)},
		{name: "past the largest room", text: line(135)},
		{name: "a long line", text: line(4000)},
		{name: "exactly the longest line kept", text: line(MaxLineLength - 2)},
		{name: "exactly the read bound", text: line(30), maxRead: 32},
		{name: "one byte past the read bound", text: line(30), maxRead: 31, bound: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input := tt.text + "\r\n"
			rr := NewReplyReader(strings.NewReader(input + "221 Bye\r\n"))
			rr.MaxRead = tt.maxRead
			r, err := rr.ReadReply()
			var bound *BoundError
			if tt.bound {
				if !errors.As(err, &bound) {
					t.Fatalf("error = %v, want a *BoundError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Code != 200 || len(r.Lines) != 1 || r.Lines[0] != tt.text || len(r.Problems) != 0 {
				t.Fatalf("got code %d, %d lines, problems %q; want 200 and the line, no problems", r.Code, len(r.Lines), r.Problems)
			}
			if len(r.Raw) != 1 || string(r.Raw[0]) != input || cap(r.Raw[0]) != len(r.Raw[0]) {
				t.Fatalf("raw %q (cap %d), want %q capped at its length", r.Raw, cap(r.Raw[0]), input)
			}
			if rr.Read() != int64(len(input)) {
				t.Errorf("Read() = %d, want %d", rr.Read(), len(input))
			}
			// The reply owns its bytes: reading on, which reuses the
			// reader's buffer, leaves it as it was.
			next, err := rr.ReadReply()
			if err != nil || next.Code != 221 {
				t.Fatalf("next reply %v, %v; want 221", next, err)
			}
			if r.Lines[0] != tt.text || !bytes.Equal(r.Raw[0], []byte(input)) {
				t.Errorf("the first reply changed after the next was read: %q", r.Raw[0])
			}
		})
	}
}

// TestOneLineReplyMaskingLeavesTheOriginal checks that masking a password
// the server repeated in a one-line reply (whose text shares its raw
// bytes) replaces the lines in a copy and leaves the reply read intact.
func TestOneLineReplyMaskingLeavesTheOriginal(t *testing.T) {
	const input = "230 Welcome alice, your password s3cret is fine\r\n"
	r, err := NewReplyReader(strings.NewReader(input)).ReadReply()
	if err != nil {
		t.Fatal(err)
	}
	shown := (&Session{secrets: []string{"s3cret"}}).masked(r)
	if strings.Contains(shown.Lines[0], "s3cret") || bytes.Contains(shown.Raw[0], []byte("s3cret")) {
		t.Fatalf("masked reply still holds the secret: %q %q", shown.Lines[0], shown.Raw[0])
	}
	if r.Lines[0] != strings.TrimSuffix(input, "\r\n") || string(r.Raw[0]) != input {
		t.Errorf("the reply read changed: %q %q", r.Lines[0], r.Raw[0])
	}
}
