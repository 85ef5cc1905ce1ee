//go:build !linux

package badserver

import "testing"

// DroppingPort needs Linux's accept queue behaviour (SYNs dropped once a
// listener's queue is full); elsewhere the test that asks for it skips.
func DroppingPort(tb testing.TB) int {
	tb.Helper()
	tb.Skip("badserver.DroppingPort needs Linux")
	return 0
}
