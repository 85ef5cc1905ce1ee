//go:build !linux

package atomicfile

import "os"

// startWriteback does nothing where the kernel offers no way to start
// writing a range early; Commit's sync writes everything.
func startWriteback(*os.File, int64, int64) {}
