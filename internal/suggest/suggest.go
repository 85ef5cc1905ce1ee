// Package suggest words what ftpscope says when a name it was given is not
// one it knows (a fault of the sandbox, a lesson, a local command, a
// recording format): that there is none of that name, the known name it
// most likely meant when one is close enough to be a slip of the
// keyboard, and where the names are listed. Every such mistake is
// answered with the same sentence, in one place.
package suggest

import (
	"fmt"
	"sort"
	"strings"
)

// Unknown says in one sentence that there is no kind named name, offers
// the names of candidates close to it (Close), and ends with list: the
// names themselves, or how to list them. name is quoted with Go's
// escapes, so that a typed control character cannot reach the terminal.
//
//	there is no fault named "natt" (did you mean nat?); :fault alone lists them
func Unknown(kind, name string, candidates []string, list string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "there is no %s named %q", kind, name)
	if close := Close(name, candidates); len(close) > 0 {
		fmt.Fprintf(&b, " (did you mean %s?)", strings.Join(close, " or "))
	}
	if list != "" {
		b.WriteString("; " + list)
	}
	return b.String()
}

// Close returns the candidates close enough to word to be what was meant,
// at most two, closest first: those at the smallest edit distance
// (Distance) when it is at most a third of word's length (1 for a short
// word), else the one candidate that begins with word, when word has
// three characters or more and only one does. Far names are no help, so
// an unrelated word gets none.
func Close(word string, candidates []string) []string {
	limit := max(1, len(word)/3)
	best, bestDist := []string(nil), limit+1
	for _, c := range candidates {
		switch d := Distance(word, c); {
		case d < bestDist:
			best, bestDist = []string{c}, d
		case d == bestDist && len(best) < 2:
			best = append(best, c)
		}
	}
	if len(best) > 0 || len(word) < 3 {
		return best
	}
	var prefixed []string
	for _, c := range candidates {
		if len(c) > len(word) && strings.EqualFold(c[:len(word)], word) {
			prefixed = append(prefixed, c)
		}
	}
	if len(prefixed) == 1 {
		return prefixed
	}
	return nil
}

// Nearest returns up to n candidates closest to word by Distance, closest
// first, however far; ties keep the candidates' order.
func Nearest(word string, candidates []string, n int) []string {
	sorted := append([]string(nil), candidates...)
	dist := make(map[string]int, len(sorted))
	for _, c := range sorted {
		dist[c] = Distance(word, c)
	}
	sort.SliceStable(sorted, func(i, j int) bool { return dist[sorted[i]] < dist[sorted[j]] })
	return sorted[:min(n, len(sorted))]
}

// Distance is the edit distance between a and b, ignoring case, in
// bytes: the insertions, deletions, substitutions and swaps of two
// neighbours (the commonest slip, "hlep" for "help") that turn one into
// the other (the optimal string alignment distance).
func Distance(a, b string) int {
	a, b = strings.ToLower(a), strings.ToLower(b)
	// rows[i%3] is row i of the table; three rows, for the swap.
	var rows [3][]int
	for i := range rows {
		rows[i] = make([]int, len(b)+1)
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur, prev, prev2 := rows[i%3], rows[(i-1)%3], rows[(i+1)%3]
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
	}
	return rows[len(a)%3][len(b)]
}
