package tui

import (
	"os"
	"sync"
)

// Bubble Tea's input decoder drops the escape sequences inside a
// bracketed paste (the colours of text copied from a terminal) without a
// trace: `MKD upload/ESC[31mred` arrives as `MKD upload/red`. A
// PasteRecorder reads the terminal's bytes on their way in and keeps
// each paste as it was sent, so that ftpscope can say what was removed.

// Bracketed paste markers (xterm): the terminal sends the pasted text
// between them.
const (
	pasteStart = "\x1b[200~"
	pasteEnd   = "\x1b[201~"
)

// Bounds: a paste longer than maxRawPaste is not recorded (the decoded
// paste is used alone), and at most maxRawPastes wait to be claimed.
const (
	maxRawPaste  = 1 << 20
	maxRawPastes = 8
)

// PasteRecorder keeps the raw bytes of the pastes read through its Input.
// It is safe for concurrent use: Bubble Tea reads input in a goroutine of
// its own, and the model claims pastes in Update.
type PasteRecorder struct {
	mu      sync.Mutex
	done    []rawPaste // finished pastes, oldest first
	in      bool       // inside a paste
	matched int        // bytes of the marker looked for matched so far
	cur     []byte     // the paste being read, marker bytes included
	tooLong bool       // the paste being read passed maxRawPaste
}

// NewPasteRecorder returns a recorder with nothing recorded.
func NewPasteRecorder() *PasteRecorder { return &PasteRecorder{} }

// Input wraps the terminal's input file: Bubble Tea reads it (and sets
// raw mode on its descriptor) as it would the file itself.
func (r *PasteRecorder) Input(f *os.File) *RecordingInput {
	return &RecordingInput{File: f, rec: r}
}

// RecordingInput is a terminal input file whose reads a PasteRecorder
// watches.
type RecordingInput struct {
	*os.File
	rec *PasteRecorder
}

// Read reads from the file and records what it read.
func (in *RecordingInput) Read(p []byte) (int, error) {
	n, err := in.File.Read(p)
	if n > 0 {
		in.rec.Observe(p[:n])
	}
	return n, err
}

// Observe follows bytes read from the terminal; reads may split a
// marker anywhere.
func (r *PasteRecorder) Observe(b []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range b {
		marker := pasteStart
		if r.in {
			marker = pasteEnd
			if len(r.cur) < maxRawPaste {
				r.cur = append(r.cur, c)
			} else {
				r.tooLong = true
			}
		}
		switch {
		case c == marker[r.matched]:
			r.matched++
		case c == marker[0]:
			r.matched = 1
		default:
			r.matched = 0
		}
		if r.matched < len(marker) {
			continue
		}
		r.matched = 0
		if !r.in {
			r.in, r.cur, r.tooLong = true, r.cur[:0], false
			continue
		}
		r.in = false
		if len(r.done) == maxRawPastes {
			r.done = r.done[1:]
		}
		p := rawPaste{whole: !r.tooLong}
		if p.whole {
			p.raw = string(r.cur[:len(r.cur)-len(pasteEnd)])
		}
		r.done = append(r.done, p)
	}
}

// Claim returns the oldest recorded paste not claimed yet; ok is false
// when there is none (a paste too long to record, or a recorder that is
// nil because input does not come from a terminal).
func (r *PasteRecorder) Claim() (raw string, ok bool) {
	if r == nil {
		return "", false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.done) == 0 {
		return "", false
	}
	p := r.done[0]
	r.done = r.done[1:]
	return p.raw, p.whole
}

// rawPaste is one recorded paste; whole is false when it was too long to
// record.
type rawPaste struct {
	raw   string
	whole bool
}
