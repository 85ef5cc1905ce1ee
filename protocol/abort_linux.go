package protocol

import (
	"net"
	"syscall"
)

// sendUrgent sends b as TCP urgent data (MSG_OOB), which is how the Telnet
// Synch reaches a server that is busy with a transfer (RFC 959 §4.1.3,
// RFC 854). It reports false when the connection cannot send urgent data,
// such as a TLS connection.
func sendUrgent(conn net.Conn, b []byte) bool {
	tcp, ok := conn.(*net.TCPConn)
	if !ok {
		return false
	}
	raw, err := tcp.SyscallConn()
	if err != nil {
		return false
	}
	var sendErr error
	if err := raw.Write(func(fd uintptr) bool {
		sendErr = syscall.Sendto(int(fd), b, syscall.MSG_OOB, nil)
		return sendErr != syscall.EAGAIN
	}); err != nil {
		return false
	}
	return sendErr == nil
}
