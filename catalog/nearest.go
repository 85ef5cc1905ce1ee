package catalog

import "github.com/ftpscope/ftpscope/internal/suggest"

// Nearest returns up to n candidates closest to word, by edit distance
// ignoring case, closest first; ties keep the candidates' order. It powers
// the "did you mean" suggestions for mistyped commands.
func Nearest(word string, candidates []string, n int) []string {
	return suggest.Nearest(word, candidates, n)
}
