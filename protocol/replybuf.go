package protocol

import "unsafe"

// Reading a reply line by line and keeping each line as a string and a
// byte slice would cost three allocations a line, and more for the slices
// holding them. A ReplyReader instead appends each line's raw bytes and
// its text to buffers it reuses from reply to reply, and builds the Reply
// when it ends: one allocation for the bytes of every line (raw and text
// together), one for the Reply with room for its lines, whatever the
// number of lines. A short one-line reply, the common case, costs one
// allocation, which holds its bytes too; net/textproto's ReadResponse
// makes two (BenchmarkReadReply, BenchmarkTextprotoReadResponse).

// lineSpan locates a line in the accumulator: its raw bytes and its text.
type lineSpan struct {
	raw0, raw1, text0, text1 int
}

func (s lineSpan) rawLen() int  { return s.raw1 - s.raw0 }
func (s lineSpan) textLen() int { return s.text1 - s.text0 }

// replyAcc accumulates the reply being read.
type replyAcc struct {
	// head holds the reply's code and problems as they are found (the
	// only fields reply copies from it).
	head    Reply
	raw     []byte
	textBuf []byte
	// kept lists the lines kept, in order.
	kept []lineSpan
}

// reset starts a new reply, reusing the buffers.
func (a *replyAcc) reset() {
	a.head = Reply{}
	a.raw, a.textBuf, a.kept = a.raw[:0], a.textBuf[:0], a.kept[:0]
}

// text returns a line's text, valid until the next line is read.
func (a *replyAcc) text(s lineSpan) []byte { return a.textBuf[s.text0:s.text1] }

// lines returns the number of lines kept.
func (a *replyAcc) lines() int { return len(a.kept) }

// keep keeps a line.
func (a *replyAcc) keep(s lineSpan) { a.kept = append(a.kept, s) }

// replaceLast keeps a line in the last kept one's place.
func (a *replyAcc) replaceLast(s lineSpan) { a.kept[len(a.kept)-1] = s }

// drop forgets a line not kept, which is the last one read, so that a long
// reply's dropped lines take no room.
func (a *replyAcc) drop(s lineSpan) {
	a.raw, a.textBuf = a.raw[:s.raw0], a.textBuf[:s.text0]
}

// oneLine is a one-line reply and its line, allocated together, with
// room for the line's bytes (raw and text) when they are short, as most
// replies' are: then reading the reply costs one allocation.
type oneLine struct {
	reply Reply
	lines [1]string
	raw   [1][]byte
	bytes [oneLineBytes]byte
}

// oneLineBytes is the room for a short line's raw bytes and text in a
// oneLine: a "200 NOOP ok" or a 227 with its address fits twice over.
const oneLineBytes = 128

// manyLines is a reply with room for its lines, allocated together.
type manyLines struct {
	reply Reply
	lines []string
	raw   [][]byte
}

// reply builds the reply read. Its lines' texts are strings over the one
// allocation that also holds the raw bytes; nothing else refers to that
// part of it, so the strings never change (the raw slices are capped at
// their own bytes, so even an append to one cannot reach a text).
func (a *replyAcc) reply() *Reply {
	size := 0
	for _, s := range a.kept {
		size += s.rawLen() + s.textLen()
	}
	var buf []byte
	var r *Reply
	var lines []string
	var raw [][]byte
	if len(a.kept) == 1 {
		one := new(oneLine)
		r, lines, raw = &one.reply, one.lines[:], one.raw[:]
		r.Code, r.Problems = a.head.Code, a.head.Problems
		if size <= oneLineBytes {
			buf = one.bytes[:0]
		}
	} else {
		many := &manyLines{lines: make([]string, len(a.kept)), raw: make([][]byte, len(a.kept))}
		r, lines, raw = &many.reply, many.lines, many.raw
		r.Code, r.Problems = a.head.Code, a.head.Problems
	}
	if buf == nil {
		buf = make([]byte, 0, size)
	}
	for i, s := range a.kept {
		start := len(buf)
		buf = append(buf, a.raw[s.raw0:s.raw1]...)
		raw[i] = buf[start:len(buf):len(buf)]
		start = len(buf)
		buf = append(buf, a.textBuf[s.text0:s.text1]...)
		if n := len(buf) - start; n > 0 {
			lines[i] = unsafe.String(&buf[start], n)
		}
	}
	r.Lines, r.Raw = lines, raw
	return r
}
