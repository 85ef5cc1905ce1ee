//go:build !linux

package protocol

import "net"

// sendUrgent reports false: urgent data is sent on Linux only, and ABOR is
// then sent without the Telnet Synch.
func sendUrgent(net.Conn, []byte) bool { return false }
