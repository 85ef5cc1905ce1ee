package protocol

import "errors"

// A bulkMover moves the bytes of a clear download past its preview
// without copying them through ftpscope's memory: splice(2) moves them
// from the socket into the local file, and a download that is not saved
// is counted and dropped inside the kernel (recv with MSG_TRUNC). Each
// byte is still counted, under the same read deadline as a read, so a
// stall, an abort and the end of the data read exactly as they do on
// the ordinary path. A TLS connection must decrypt in memory and TYPE A
// must convert line ends, so neither uses one; nor does a system other
// than Linux (newBulkMover returns nil there).
type bulkMover interface {
	// move moves the next bytes that have arrived, waiting for them
	// under the connection's read deadline: got bytes taken from the
	// connection, of which wrote reached the file (all of them unless
	// writeErr). At the end of the data it returns 0 and no error.
	// readErr is the connection's, writeErr the local file's.
	// errBulkUnsupported as readErr, with got 0, means the kernel refused
	// this way of moving: read the connection as usual from here on;
	// nothing was lost.
	move() (got, wrote int64, readErr, writeErr error)
	// close releases what the mover holds (a pipe); not the connection
	// or the file.
	close()
}

// errBulkUnsupported is the kernel refusing splice or MSG_TRUNC on this
// connection or file, such as a file system without splice support.
var errBulkUnsupported = errors.New("the kernel cannot move these bytes directly")
