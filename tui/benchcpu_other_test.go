//go:build !linux

package tui

import "time"

// threadCPU cannot tell a thread's CPU time outside Linux.
func threadCPU() time.Duration { return 0 }
