package tui

// pageSize is how many items a page of a pages holds.
const pageSize = 4096

// pages is an append-only list stored in fixed-size pages. Appending never
// copies what is already stored, so a transcript of millions of lines
// grows without the pauses a plain slice has when it outgrows its array
// (hundreds of milliseconds at a million events), and a snapshot is as
// cheap as copying the page list.
//
// Each page is allocated at its full size and items are written by index,
// so the length is n alone: a copy of a pages value (a snapshot, or a
// saved state put back) sees exactly its n items, whatever was appended
// to the original since.
type pages[T any] struct {
	list [][]T
	n    int
}

// Append adds v at the end.
func (p *pages[T]) Append(v T) {
	page, slot := p.n/pageSize, p.n%pageSize
	if page == len(p.list) {
		p.list = append(p.list, make([]T, pageSize))
	}
	p.list[page][slot] = v
	p.n++
}

// Len returns the number of items.
func (p *pages[T]) Len() int { return p.n }

// At returns item i, 0 ≤ i < Len.
func (p *pages[T]) At(i int) T { return p.list[i/pageSize][i%pageSize] }

// Ptr returns a pointer to item i, for updating it in place.
func (p *pages[T]) Ptr(i int) *T { return &p.list[i/pageSize][i%pageSize] }

// Snapshot returns the items stored so far, unaffected by later appends:
// they only ever write past the snapshot's end.
func (p *pages[T]) Snapshot() pages[T] {
	list := make([][]T, len(p.list))
	copy(list, p.list)
	return pages[T]{list: list, n: p.n}
}

// All yields every item in order, for range-over-func.
func (p pages[T]) All(yield func(T) bool) {
	for i := 0; i < p.n; i++ {
		if !yield(p.At(i)) {
			return
		}
	}
}
