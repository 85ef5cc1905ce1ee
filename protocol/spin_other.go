//go:build !linux

package protocol

import "net"

// spinningReads returns conn: reads spin on Linux only (spin.go).
func spinningReads(conn net.Conn) net.Conn { return conn }
