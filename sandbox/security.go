package sandbox

import (
	"strings"
	"time"

	ftpserver "goftp.io/server/v2"
)

// The sandbox runs explicit FTPS (RFC 4217) itself, on its controlConn,
// with vsftpd's replies: AUTH TLS upgrades the control connection, PBSZ 0
// and PROT P then protect the data connections. goftp.io/server is never
// given a TLS configuration.

// handshakeLimit bounds the TLS handshake that follows 234.
const handshakeLimit = 10 * time.Second

// authCommand answers AUTH.
type authCommand struct{ srv *Server }

func (authCommand) IsExtend() bool     { return false }
func (authCommand) RequireParam() bool { return true }
func (authCommand) RequireAuth() bool  { return false }

func (cmd authCommand) Execute(sess *ftpserver.Session, param string) {
	c := cmd.srv.control(sess)
	if !cmd.srv.offersTLS() {
		// vsftpd without ssl_enable does not know AUTH: before login it
		// answers any unknown command so, after login 500.
		if sess.IsLogin() {
			sess.WriteMessage(500, "Unknown command.")
		} else {
			sess.WriteMessage(530, "Please login with USER and PASS.")
		}
		return
	}
	switch strings.ToUpper(strings.TrimSpace(param)) {
	case "TLS", "TLS-C", "SSL":
	default:
		sess.WriteMessage(504, "Unknown AUTH type.")
		return
	}
	if c.tlsState() != nil {
		sess.WriteMessage(534, "Already using TLS.")
		return
	}
	sess.WriteMessage(234, "Proceed with negotiation.")
	if err := c.upgrade(cmd.srv.tlsConfig, handshakeLimit); err != nil {
		// A client that rejected the certificate, or never began a
		// handshake, has nothing left to say on this connection.
		c.Close()
	}
}

// offersTLS reports whether AUTH TLS is offered now.
func (s *Server) offersTLS() bool {
	return s.tlsConfig != nil && !s.faults.has(FaultNoAuthTLS)
}

// pbszCommand answers PBSZ, which must come after AUTH TLS.
type pbszCommand struct{ srv *Server }

func (pbszCommand) IsExtend() bool     { return false }
func (pbszCommand) RequireParam() bool { return true }
func (pbszCommand) RequireAuth() bool  { return false }

func (cmd pbszCommand) Execute(sess *ftpserver.Session, param string) {
	if !cmd.srv.offersTLS() {
		unknownCommand(sess)
		return
	}
	if cmd.srv.control(sess).tlsState() == nil {
		sess.WriteMessage(503, "PBSZ needs a secure connection.")
		return
	}
	sess.WriteMessage(200, "PBSZ set to 0.")
}

// protCommand answers PROT: C (clear) or P (private), which decides
// whether transfers may run after AUTH TLS.
type protCommand struct{ srv *Server }

func (protCommand) IsExtend() bool     { return false }
func (protCommand) RequireParam() bool { return true }
func (protCommand) RequireAuth() bool  { return false }

func (cmd protCommand) Execute(sess *ftpserver.Session, param string) {
	if !cmd.srv.offersTLS() {
		unknownCommand(sess)
		return
	}
	c := cmd.srv.control(sess)
	if c.tlsState() == nil {
		sess.WriteMessage(503, "PROT needs a secure connection.")
		return
	}
	switch strings.ToUpper(strings.TrimSpace(param)) {
	case "C":
		c.protP = false
		sess.WriteMessage(200, "PROT now Clear.")
	case "P":
		c.protP = true
		sess.WriteMessage(200, "PROT now Private.")
	case "S", "E":
		sess.WriteMessage(536, "PROT not supported.")
	default:
		sess.WriteMessage(504, "PROT not recognized.")
	}
}

// unknownCommand answers a command the sandbox does not know, as vsftpd
// does: before login it asks for one.
func unknownCommand(sess *ftpserver.Session) {
	if sess.IsLogin() {
		sess.WriteMessage(500, "Unknown command.")
		return
	}
	sess.WriteMessage(530, "Please login with USER and PASS.")
}
