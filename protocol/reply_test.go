package protocol

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

func TestReadReply(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		code     int
		lines    []string
		problems int
		err      error
	}{
		{name: "single line", input: "220 Service ready.\r\n", code: 220, lines: []string{"220 Service ready."}},
		{name: "code alone", input: "200\r\n", code: 200, lines: []string{"200"}},
		{name: "multi-line", input: "211-Features:\r\n EPSV\r\n UTF8\r\n211 End\r\n", code: 211,
			lines: []string{"211-Features:", " EPSV", " UTF8", "211 End"}},
		{name: "continuation lines that begin with digits", input: "123-First line\r\n234 A line beginning with numbers\r\n123-still going\r\n456\r\n123 The last line\r\n",
			code: 123, lines: []string{"123-First line", "234 A line beginning with numbers", "123-still going", "456", "123 The last line"}},
		{name: "mismatched terminator is a continuation line", input: "211-Start\r\n212 Not the end\r\n211 End\r\n", code: 211,
			lines: []string{"211-Start", "212 Not the end", "211 End"}},
		{name: "mismatched terminator then EOF", input: "211-Start\r\n212 Not the end\r\n", code: 211,
			lines: []string{"211-Start", "212 Not the end"}, problems: 1, err: ErrUnexpectedEOF},
		{name: "doubled 0xFF is one byte", input: "257 \"/caf\xff\xff\" created\r\n", code: 257,
			lines: []string{"257 \"/caf\xff\" created"}},
		{name: "missing CRLF at EOF", input: "221 Goodbye", code: 221, lines: []string{"221 Goodbye"}, problems: 1},
		{name: "bare LF line endings", input: "211-Extensions supported:\n UTF8\n\r\n211 End\r\n", code: 211,
			lines: []string{"211-Extensions supported:", " UTF8", "", "211 End"}, problems: 1},
		{name: "malformed first line", input: "hello there\r\n", code: 0, lines: []string{"hello there"}, problems: 1},
		{name: "code out of range", input: "999 nope\r\n", code: 0, lines: []string{"999 nope"}, problems: 1},
		{name: "four digits is not a code", input: "2200 x\r\n", code: 0, lines: []string{"2200 x"}, problems: 1},
		{name: "empty stream", input: "", err: io.EOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rr := NewReplyReader(strings.NewReader(tt.input))
			r, err := rr.ReadReply()
			if !errors.Is(err, tt.err) {
				t.Fatalf("error = %v, want %v", err, tt.err)
			}
			if tt.lines == nil {
				if r != nil {
					t.Fatalf("got reply %+v, want none", r)
				}
				return
			}
			if r.Code != tt.code {
				t.Errorf("code = %d, want %d", r.Code, tt.code)
			}
			if !slices.Equal(r.Lines, tt.lines) {
				t.Errorf("lines = %q\nwant    %q", r.Lines, tt.lines)
			}
			if len(r.Problems) != tt.problems {
				t.Errorf("problems = %q, want %d of them", r.Problems, tt.problems)
			}
		})
	}
}

func TestReadReplySequence(t *testing.T) {
	rr := NewReplyReader(strings.NewReader("150 Opening\r\n226 Done\r\n"))
	for _, want := range []int{150, 226} {
		r, err := rr.ReadReply()
		if err != nil || r.Code != want {
			t.Fatalf("got %v, %v; want code %d", r, err, want)
		}
	}
	if _, err := rr.ReadReply(); !errors.Is(err, io.EOF) {
		t.Fatalf("after the last reply: %v, want io.EOF", err)
	}
}

func TestReadReplyBoundsLineLength(t *testing.T) {
	long := "500 " + strings.Repeat("x", 3*MaxLineLength) + "\r\n200 next\r\n"
	rr := NewReplyReader(strings.NewReader(long))
	r, err := rr.ReadReply()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Lines[0]) != MaxLineLength {
		t.Errorf("kept %d bytes of the long line, want %d", len(r.Lines[0]), MaxLineLength)
	}
	if len(r.Problems) != 1 || !strings.Contains(r.Problems[0], "cut short") {
		t.Errorf("problems = %q, want a truncation note", r.Problems)
	}
	if r, err := rr.ReadReply(); err != nil || r.Code != 200 {
		t.Errorf("the reply after the long line: %v, %v; want 200", r, err)
	}
}

func TestReadReplyBoundsLineCount(t *testing.T) {
	var b strings.Builder
	b.WriteString("211-start\r\n")
	for i := 0; i < MaxReplyLines*2; i++ {
		b.WriteString(" line\r\n")
	}
	b.WriteString("211 End\r\n")
	r, err := NewReplyReader(strings.NewReader(b.String())).ReadReply()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Lines) != MaxReplyLines {
		t.Errorf("kept %d lines, want %d", len(r.Lines), MaxReplyLines)
	}
	if last := r.Lines[len(r.Lines)-1]; last != "211 End" {
		t.Errorf("last kept line = %q, want the terminator", last)
	}
	if len(r.Problems) != 1 || !strings.Contains(r.Problems[0], "dropped") {
		t.Errorf("problems = %q, want a note on dropped lines", r.Problems)
	}
}

// TestReadReplyThatNeverEnds checks that a multi-line reply cut off by the
// end of the stream, after more lines than a reply keeps, says both.
func TestReadReplyThatNeverEnds(t *testing.T) {
	var b strings.Builder
	b.WriteString("220-welcome\r\n")
	for i := 0; i < MaxReplyLines+10; i++ {
		b.WriteString(" more\r\n")
	}
	r, err := NewReplyReader(strings.NewReader(b.String())).ReadReply()
	if !errors.Is(err, ErrUnexpectedEOF) {
		t.Fatalf("error = %v, want ErrUnexpectedEOF", err)
	}
	joined := strings.Join(r.Problems, "; ")
	if !strings.Contains(joined, "11 lines dropped") || !strings.Contains(joined, "never ended") {
		t.Errorf("problems = %q, want notes on the dropped lines and the missing end", r.Problems)
	}
}

func TestReadReplyBoundsReplySize(t *testing.T) {
	var b strings.Builder
	b.WriteString("211-start\r\n")
	long := strings.Repeat("y", 8000)
	for i := 0; i < 300; i++ {
		b.WriteString(" " + long + "\r\n")
	}
	b.WriteString("211 End\r\n")
	r, err := NewReplyReader(strings.NewReader(b.String())).ReadReply()
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, l := range r.Lines {
		total += len(l)
	}
	if total > MaxReplyBytes+MaxLineLength {
		t.Errorf("kept %d bytes, more than the budget of %d", total, MaxReplyBytes)
	}
	if last := r.Lines[len(r.Lines)-1]; last != "211 End" || len(r.Problems) != 1 {
		t.Errorf("last line %q, problems %q; want the terminator kept and one note", last[:min(len(last), 20)], r.Problems)
	}
}

// TestReplyKeepsRawBytes checks that Raw holds each line exactly as it
// came: the ending as sent, trailing spaces, bytes that are not UTF-8, and
// a doubled 0xFF still doubled, while Lines holds the text to interpret.
func TestReplyKeepsRawBytes(t *testing.T) {
	tests := []struct {
		name  string
		input string
		lines []string
		raw   []string
	}{
		{name: "CRLF", input: "220 ready\r\n", lines: []string{"220 ready"}, raw: []string{"220 ready\r\n"}},
		{name: "bare LF and trailing spaces", input: "211-a  \n211 b \r\n",
			lines: []string{"211-a  ", "211 b "}, raw: []string{"211-a  \n", "211 b \r\n"}},
		{name: "not UTF-8", input: "550 caf\xe9.txt\r\n", lines: []string{"550 caf\xe9.txt"}, raw: []string{"550 caf\xe9.txt\r\n"}},
		{name: "doubled IAC", input: "257 \"\xff\xff\"\r\n", lines: []string{"257 \"\xff\""}, raw: []string{"257 \"\xff\xff\"\r\n"}},
		{name: "no ending at EOF", input: "221 bye", lines: []string{"221 bye"}, raw: []string{"221 bye"}},
		{name: "CR alone inside a line", input: "200 a\rb\r\n", lines: []string{"200 a\rb"}, raw: []string{"200 a\rb\r\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReplyReader(strings.NewReader(tt.input)).ReadReply()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(r.Lines, tt.lines) {
				t.Errorf("lines = %q, want %q", r.Lines, tt.lines)
			}
			var raw []string
			for _, b := range r.Raw {
				raw = append(raw, string(b))
			}
			if !slices.Equal(raw, tt.raw) {
				t.Errorf("raw = %q, want %q", raw, tt.raw)
			}
		})
	}
}

// TestReplyRawOfALongLineIsCapped checks that Raw keeps a giant line only
// up to the line cap, like Lines.
func TestReplyRawOfALongLineIsCapped(t *testing.T) {
	long := "500 " + strings.Repeat("x", 3*MaxLineLength) + "\r\n"
	r, err := NewReplyReader(strings.NewReader(long)).ReadReply()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Raw) != 1 || len(r.Raw[0]) != MaxLineLength {
		t.Errorf("raw holds %d lines, the first of %d bytes; want one of %d", len(r.Raw), len(r.Raw[0]), MaxLineLength)
	}
}
