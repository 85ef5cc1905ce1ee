package protocol

import "unsafe"

// Reading a reply line by line and keeping each line as a string and a
// byte slice would cost three allocations a line, and more for the slices
// holding them. A ReplyReader instead appends each line's raw bytes and
// its text to buffers it reuses from reply to reply, and builds the Reply
// when it ends: the bytes of every line (raw and text together) in one
// piece of memory, the Reply with room for its lines in another. The
// common reply, one well-formed line, skips the buffers: it is built
// straight from the line read (oneLineReply), its text a string over its
// raw bytes. One-line replies and short lines' bytes are carved from
// batches (replySlab), so the common reply costs no allocation of its own;
// net/textproto's ReadResponse makes two (BenchmarkReadReply,
// BenchmarkTextprotoReadResponse).

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

// oneLine is a one-line reply with its one line and raw slice, the three
// allocated together.
type oneLine struct {
	reply Reply
	lines [1]string
	raw   [1][]byte
}

// replySlab hands out one-line replies and the bytes of their lines from
// batches, so that reading the common reply, one short line, costs no
// allocation of its own: one allocation serves many replies, and another
// the bytes of many. Batches start at one reply and the bytes of one
// line, and double up to a few kilobytes: a reader that reads one reply
// (as a test or a tool may) takes no more than it needs, and a session's
// reader soon reads dozens of replies per allocation. A batch is freed
// when none of the replies carved from it is referred to any more.
type replySlab struct {
	// replies are the unused replies of the current batch, zeroed, and
	// lastReplies the size of that batch.
	replies     []oneLine
	lastReplies int
	// room is the unused room of the current batch of bytes, and
	// lastBytes the size of that batch.
	room      []byte
	lastBytes int
}

const (
	// slabReplies is the most one-line replies a batch holds (120 bytes
	// each on 64-bit platforms: a batch fills a 4 KiB size class).
	slabReplies = 34
	// slabBytes is the largest batch of bytes, and slabBytes/8 the
	// longest line whose bytes come from one: a longer line gets an
	// allocation of its own, so that a batch is never mostly waste.
	slabBytes = 4096
)

// oneLine returns a new one-line reply with its line and raw slices, each
// of length and capacity one.
func (s *replySlab) oneLine() (r *Reply, lines []string, raw [][]byte) {
	if len(s.replies) == 0 {
		s.lastReplies = min(slabReplies, max(1, 2*s.lastReplies))
		s.replies = make([]oneLine, s.lastReplies)
	}
	one := &s.replies[0]
	s.replies = s.replies[1:]
	return &one.reply, one.lines[:], one.raw[:]
}

// bytes returns an empty slice with room for n bytes, which the caller
// fills and keeps.
func (s *replySlab) bytes(n int) []byte {
	if n > slabBytes/8 {
		return make([]byte, 0, n)
	}
	if len(s.room) < n {
		s.lastBytes = min(slabBytes, max(n, 2*s.lastBytes))
		s.room = make([]byte, s.lastBytes)
	}
	b := s.room[:0:n]
	s.room = s.room[n:]
	return b
}

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
func (s *replySlab) oneLineReply(code int, line []byte) *Reply {
	r, lines, raw := s.oneLine()
	buf := append(s.bytes(len(line)), line...)
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
func (a *replyAcc) reply(slab *replySlab) *Reply {
	size := 0
	for _, s := range a.kept {
		size += s.rawLen() + s.textLen()
	}
	var r *Reply
	var lines []string
	var raw [][]byte
	if len(a.kept) == 1 {
		r, lines, raw = slab.oneLine()
	} else {
		many := &manyLines{lines: make([]string, len(a.kept)), raw: make([][]byte, len(a.kept))}
		r, lines, raw = &many.reply, many.lines, many.raw
	}
	r.Code, r.Problems = a.head.Code, a.head.Problems
	buf := slab.bytes(size)
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
