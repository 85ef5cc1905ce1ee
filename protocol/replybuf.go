package protocol

import "unsafe"

// Reading a reply line by line and keeping each line as a string and a
// byte slice would cost three allocations a line, and more for the slices
// holding them. A ReplyReader instead appends each line's raw bytes and
// its text to buffers it reuses from reply to reply, and builds the Reply
// when it ends: one allocation for the bytes of every line (raw and text
// together), one for the Reply with room for its lines, whatever the
// number of lines. The common reply, one well-formed line, skips the
// buffers: it is built straight from the line read (oneLineReply), in one
// allocation holding the Reply, its slices and its bytes, sized to the
// allocator's nearest size class (144 bytes for "200 NOOP ok."), its text
// a string over its raw bytes. net/textproto's ReadResponse makes two
// allocations (BenchmarkReadReply, BenchmarkTextprotoReadResponse).

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
// room B (a byte array) for the line's bytes, raw and text: reading a
// short one-line reply, the common case, then costs one allocation. The
// room comes in a few sizes, so that the object fills a size class of Go's
// allocator with little to spare: a "200 NOOP ok." fits a 160-byte object
// where one size for all would take 256, and allocating and collecting
// cost by the byte.
type oneLine[B any] struct {
	reply Reply
	lines [1]string
	raw   [1][]byte
	bytes B
}

// newOneLine allocates a one-line reply with room B, and returns the room
// as an empty byte slice with its capacity.
func newOneLine[B any]() (r *Reply, lines []string, raw [][]byte, room []byte) {
	one := new(oneLine[B])
	room = unsafe.Slice((*byte)(unsafe.Pointer(&one.bytes)), unsafe.Sizeof(one.bytes))
	return &one.reply, one.lines[:], one.raw[:], room[:0]
}

// allocOneLine allocates a one-line reply with room for size bytes when
// that is short (nil room otherwise). The sizes make oneLine 144, 160,
// 192 and 256 bytes on 64-bit platforms (the 120 bytes of the reply and
// its slices, plus the room), each a size class of the allocator.
func allocOneLine(size int) (r *Reply, lines []string, raw [][]byte, room []byte) {
	switch {
	case size <= 24:
		return newOneLine[[24]byte]()
	case size <= 40:
		return newOneLine[[40]byte]()
	case size <= 72:
		return newOneLine[[72]byte]()
	case size <= oneLineBytes:
		return newOneLine[[oneLineBytes]byte]()
	}
	r, lines, raw, _ = newOneLine[struct{}]()
	return r, lines, raw, nil
}

// oneLineBytes is the most room for a short line's raw bytes and text in
// a oneLine: a 227 with its address fits twice over.
const oneLineBytes = 136

// manyLines is a reply with room for its lines, allocated together.
type manyLines struct {
	reply Reply
	lines []string
	raw   [][]byte
}

// oneLineReply builds a well-formed one-line reply straight from line, its
// raw bytes as read (CRLF included, no 0xFF byte, so its text is line
// without the CRLF), without the accumulator: the common reply in one
// allocation and one copy of its bytes. Its text is a string over the
// same bytes as Raw[0], less the CRLF: Raw's bytes are never written
// (Reply.Raw says so; masking a password replaces the slice), so the
// string never changes.
func oneLineReply(code int, line []byte) *Reply {
	r, lines, raw, buf := allocOneLine(len(line))
	if buf == nil {
		buf = make([]byte, 0, len(line))
	}
	buf = append(buf, line...)
	raw[0] = buf[:len(line):len(line)]
	if n := len(line) - 2; n > 0 {
		lines[0] = unsafe.String(&buf[0], n)
	}
	r.Code, r.Lines, r.Raw = code, lines, raw
	return r
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
		r, lines, raw, buf = allocOneLine(size)
		r.Code, r.Problems = a.head.Code, a.head.Problems
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
