package recording

import (
	"net"
	"os"
	"syscall"

	"github.com/ftpscope/ftpscope/protocol"
)

// A recording can show that a data connection never opened: a capture's
// SYN answered by a reset, a client's "connect to ... failed" note. Such
// a failure is reported as a live session reports it, an EventError
// carrying a *protocol.DataError, so that the findings name its cause
// (a refused passive port, a wrong passive address) exactly as they do
// live.

// dataDialFailed is the error of a data connection to addr that was
// refused (refused) or never answered.
func dataDialFailed(verb, addr string, refused bool) error {
	cause := error(os.NewSyscallError("connect", syscall.ECONNREFUSED))
	if !refused {
		cause = os.ErrDeadlineExceeded // no answer: the SYN was dropped
	}
	return &protocol.DataError{Verb: verb, Op: protocol.DataDial, Addr: addr,
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: cause}}
}
