package tui

// pageSize is how many items a page of a pages holds.
const pageSize = 4096

// pages is an append-only list stored in fixed-size pages. Appending never
// copies what is already stored, so a transcript of millions of lines
// grows without the pauses a plain slice has when it outgrows its array
// (hundreds of milliseconds at a million events), and a snapshot is as
// cheap as copying the page list.
type pages[T any] struct {
	list [][]T
	n    int
}

// Append adds v at the end.
func (p *pages[T]) Append(v T) {
	if p.n%pageSize == 0 {
		p.list = append(p.list, make([]T, 0, pageSize))
	}
	last := len(p.list) - 1
	p.list[last] = append(p.list[last], v)
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
	for _, page := range p.list {
		for _, v := range page {
			if !yield(v) {
				return
			}
		}
	}
}
