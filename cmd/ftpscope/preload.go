package main

import (
	"fmt"
	"strconv"
)

// preloadLimit bounds FTPSCOPE_DEBUG_PRELOAD.
const preloadLimit = 10_000_000

// preloadLines returns the lines FTPSCOPE_DEBUG_PRELOAD=N asks for: N
// numbered lines put in the transcript before the session starts, to try
// the screen with a long session by hand (docs/PERFORMANCE.md: typing
// with 1,000,000 lines). A value that is not a number from 1 to
// preloadLimit adds nothing.
func preloadLines(value string) []string {
	n, err := strconv.Atoi(value)
	if err != nil || n < 1 || n > preloadLimit {
		return nil
	}
	lines := make([]string, n)
	for i := range lines {
		lines[i] = fmt.Sprintf("preloaded line %d of %d (FTPSCOPE_DEBUG_PRELOAD): a long session, to try the screen with", i+1, n)
	}
	return lines
}
