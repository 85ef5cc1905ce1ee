package atomicfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback asks the kernel to start writing the file's bytes from
// off to off+n to disk now, without waiting: a large download then
// reaches the disk while it is still arriving, and the sync in Commit has
// little left to wait for. A failure only loses that head start.
func startWriteback(f *os.File, off, n int64) {
	_ = unix.SyncFileRange(int(f.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE)
}
