package tui

// arenaChunk is the size of an arena's chunks: large enough that a
// million lines take a few hundred allocations, small enough that the
// space left at the end of a chunk is a rounding error.
const arenaChunk = 64 << 10

// An offset in a chunk fits in 16 bits (lineRec keeps it so): this fails
// to compile if arenaChunk outgrows that.
var _ [1<<16 - arenaChunk]struct{}

// arenaRef locates bytes stored in an arena: the chunk in the high 32
// bits, the offset in it in the low 32.
type arenaRef uint64

// arena is append-only byte storage in fixed chunks. It holds text without
// a Go string (16 bytes and an allocation) per item, and growing it never
// copies what is stored: a new chunk is added instead. Bytes once written
// are never changed, so readers of a snapshot (see Snapshot) may run on
// another goroutine while appends go on.
type arena struct {
	chunks [][]byte
	// used is how much of the last chunk is written.
	used int
}

// Add stores b and returns where it is. Items are never split across
// chunks; an item larger than a chunk gets a chunk of its own.
func (a *arena) Add(b []byte) arenaRef {
	if len(a.chunks) == 0 || a.used+len(b) > len(a.chunks[len(a.chunks)-1]) {
		a.chunks = append(a.chunks, make([]byte, max(arenaChunk, len(b))))
		a.used = 0
	}
	last := len(a.chunks) - 1
	copy(a.chunks[last][a.used:], b)
	ref := arenaRef(uint64(last)<<32 | uint64(a.used))
	a.used += len(b)
	return ref
}

// AddString stores s and returns where it is.
func (a *arena) AddString(s string) arenaRef {
	if len(a.chunks) == 0 || a.used+len(s) > len(a.chunks[len(a.chunks)-1]) {
		a.chunks = append(a.chunks, make([]byte, max(arenaChunk, len(s))))
		a.used = 0
	}
	last := len(a.chunks) - 1
	copy(a.chunks[last][a.used:], s)
	ref := arenaRef(uint64(last)<<32 | uint64(a.used))
	a.used += len(s)
	return ref
}

// From returns the stored bytes from ref to the end of its chunk; the
// caller knows the length of what it stored there. The bytes must not be
// changed.
func (a *arena) From(ref arenaRef) []byte {
	return a.chunks[ref>>32][uint32(ref):]
}

// Bytes returns the n bytes stored at ref. They must not be changed.
func (a *arena) Bytes(ref arenaRef, n int) []byte {
	return a.From(ref)[:n:n]
}

// Snapshot returns a copy that sees what is stored now; later appends
// never change it (they write past its end or into new chunks).
func (a *arena) Snapshot() arena {
	return arena{chunks: append([][]byte(nil), a.chunks...), used: a.used}
}
