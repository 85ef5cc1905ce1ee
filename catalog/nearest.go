package catalog

import (
	"sort"
	"strings"
)

// Nearest returns up to n candidates closest to word, by edit distance
// ignoring case, closest first; ties keep the candidates' order. It powers
// the "did you mean" suggestions for mistyped commands.
func Nearest(word string, candidates []string, n int) []string {
	word = strings.ToUpper(word)
	sorted := append([]string(nil), candidates...)
	dist := make(map[string]int, len(sorted))
	for _, c := range sorted {
		dist[c] = editDistance(word, strings.ToUpper(c))
	}
	sort.SliceStable(sorted, func(i, j int) bool { return dist[sorted[i]] < dist[sorted[j]] })
	return sorted[:min(n, len(sorted))]
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
