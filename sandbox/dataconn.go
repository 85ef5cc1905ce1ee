package sandbox

import (
	"crypto/tls"
	"strings"
	"sync"

	ftpserver "goftp.io/server/v2"
)

// goftp.io/server leaves two things to the sandbox, which it fixes here by
// wrapping goftp's own commands:
//
//   - A transfer command sent with no data connection prepared is answered
//     150 and 226 as if data had gone somewhere. The sandbox answers 425, as
//     vsftpd does, and counts a prepared connection as used up by the
//     transfer that used it (goftp forgets it after LIST, NLST, MLSD and
//     RETR, but not after STOR or APPE).
//   - After AUTH TLS, goftp protects every passive data connection, with or
//     without PROT P, and never protects an active one; its PROT accepts
//     only P and changes nothing. The sandbox follows vsftpd's default
//     (force_local_data_ssl): once the control connection is protected, a
//     transfer is refused with 522 until PROT P is in force (and again
//     after PROT C), so that no client believes its data goes in clear
//     when goftp protects it. Under PROT P, passive transfers run over TLS
//     and active ones (PORT, EPRT, LPRT) are refused with 521. Without
//     AUTH TLS, data goes in clear.
//
// The sandbox keeps its own record of the control connection's protection,
// set by its AUTH wrapper, and of the PROT level, in the session's Data map,
// goftp's place for data shared between commands, which goes away with the
// session. goftp has no REIN, which would otherwise have to clear them, and
// its CCC always refuses.
const (
	keyPrepared  = "ftpscope.sandbox.prepared"  // *preparedData
	keyProtected = "ftpscope.sandbox.protected" // bool: the control connection is protected
	keyPrivate   = "ftpscope.sandbox.protP"     // bool: PROT P is in force
)

// preparedData is the data connection that PASV, EPSV, PORT, EPRT or LPRT
// prepared and that no transfer has used yet.
type preparedData struct {
	sock      ftpserver.DataSocket // as goftp's Session.DataConn returned it
	active    bool                 // made by PORT, EPRT or LPRT
	protected bool                 // goftp runs TLS on it
}

// controlProtected reports whether the session's control connection is
// protected, as the sandbox's AUTH wrapper recorded it.
func controlProtected(sess *ftpserver.Session) bool {
	p, _ := sess.Data[keyProtected].(bool)
	return p
}

// protP reports whether PROT P is in force.
func protP(sess *ftpserver.Session) bool {
	p, _ := sess.Data[keyPrivate].(bool)
	return p && controlProtected(sess)
}

// wrapDataCommands replaces goftp's AUTH, PROT and data commands in cmds
// with the sandbox's wrappers. hellos is the server's record of TLS
// handshakes, nil when it offers no TLS.
func wrapDataCommands(cmds map[string]ftpserver.Command, hellos *helloLog) {
	for _, name := range []string{"PASV", "EPSV"} {
		cmds[name] = prepareCommand{Command: cmds[name], passive: true}
	}
	for _, name := range []string{"PORT", "EPRT", "LPRT"} {
		cmds[name] = prepareCommand{Command: cmds[name]}
	}
	for _, name := range []string{"LIST", "NLST", "MLSD", "RETR"} {
		cmds[name] = transferCommand{Command: cmds[name]}
	}
	for _, name := range []string{"STOR", "APPE"} {
		cmds[name] = transferCommand{Command: cmds[name], keepsSocket: true}
	}
	cmds["AUTH"] = commandAuth{Command: cmds["AUTH"], hellos: hellos}
	cmds["PROT"] = commandProt{cmds["PROT"]}
}

// helloLog notes the control connections on which a TLS handshake began
// while the sandbox's AUTH wrapper waits for goftp's AUTH, so that the
// wrapper learns whether goftp went on in TLS (its Session records that in
// an unexported field only).
type helloLog struct {
	mu sync.Mutex
	// began maps the remote address of each control connection in AUTH TLS
	// to whether the server has read the client's hello on it.
	began map[string]bool
}

func newHelloLog() *helloLog {
	return &helloLog{began: map[string]bool{}}
}

// config returns base with a hook that notes the hellos read on the
// connections that the log watches. The server uses it for data
// connections too, whose addresses the log does not watch.
func (h *helloLog) config(base *tls.Config) *tls.Config {
	c := base.Clone()
	c.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		addr := hello.Conn.RemoteAddr().String()
		h.mu.Lock()
		if _, ok := h.began[addr]; ok {
			h.began[addr] = true
		}
		h.mu.Unlock()
		return nil, nil // base as it is
	}
	return c
}

// watch starts watching the connection from addr.
func (h *helloLog) watch(addr string) {
	h.mu.Lock()
	h.began[addr] = false
	h.mu.Unlock()
}

// done stops watching the connection from addr and reports whether a
// hello was read on it.
func (h *helloLog) done(addr string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	began := h.began[addr]
	delete(h.began, addr)
	return began
}

// commandAuth wraps goftp's AUTH to record that the control connection is
// protected. goftp answers AUTH TLS with 234 when the server has a TLS
// configuration, then runs the handshake before it reads another command,
// and goes on in TLS if the handshake succeeded; otherwise it answers 550
// and nothing changes. The wrapper counts the connection as protected once
// the server has read the client's hello. A client that does not start a
// handshake (a person typing at a bare connection) stays in clear, as in
// goftp; one whose handshake fails after its hello, say because it rejects
// the certificate, has nothing left to speak on the connection.
type commandAuth struct {
	ftpserver.Command
	hellos *helloLog
}

func (c commandAuth) Execute(sess *ftpserver.Session, param string) {
	if c.hellos == nil {
		c.Command.Execute(sess, param)
		return
	}
	addr := sess.RemoteAddr().String()
	c.hellos.watch(addr)
	c.Command.Execute(sess, param)
	if c.hellos.done(addr) {
		sess.Data[keyProtected] = true
	}
}

// prepareCommand wraps PASV, EPSV, PORT, EPRT and LPRT to note the data
// connection they prepare.
type prepareCommand struct {
	ftpserver.Command
	passive bool
}

func (c prepareCommand) Execute(sess *ftpserver.Session, param string) {
	before := sess.DataConn()
	c.Command.Execute(sess, param)
	after := sess.DataConn()
	// goftp answered 425 or 5xx when it made no new socket, or, for a
	// passive one, when its listener failed before it had a port.
	if after == nil || after == before || (c.passive && after.Port() == 0) {
		return
	}
	// goftp protects a passive connection when the control connection is
	// protected, whatever the PROT level.
	protected := c.passive && controlProtected(sess)
	sess.Data[keyPrepared] = &preparedData{sock: after, active: !c.passive, protected: protected}
}

// transferCommand wraps LIST, NLST, MLSD, RETR, STOR and APPE: it answers
// 425 when no data connection is prepared, 522 when the control connection
// is protected but PROT P is not in force, 521 when the prepared connection
// is not protected under PROT P, and otherwise runs goftp's command and
// counts the connection as used.
type transferCommand struct {
	ftpserver.Command
	// keepsSocket is set for the commands after which goftp neither closes
	// nor forgets the data connection.
	keepsSocket bool
}

func (c transferCommand) Execute(sess *ftpserver.Session, param string) {
	p, _ := sess.Data[keyPrepared].(*preparedData)
	if p == nil || p.sock != sess.DataConn() {
		delete(sess.Data, keyPrepared)
		sess.WriteMessage(425, "No data connection prepared: send PASV or EPSV (or PORT or EPRT) first.")
		return
	}
	if controlProtected(sess) && !protP(sess) {
		forget(sess, p)
		sess.WriteMessage(522, "This server sends data only over protected connections after AUTH TLS: send PBSZ 0, then PROT P, then PASV or EPSV again.")
		return
	}
	if want := protP(sess); p.protected != want {
		forget(sess, p)
		if p.active {
			sess.WriteMessage(521, "This server cannot protect active data connections (PORT, EPRT): use PASV or EPSV with PROT P.")
		} else {
			sess.WriteMessage(521, "This data connection was prepared before AUTH TLS, so it is not protected: send PASV or EPSV again.")
		}
		return
	}
	c.Command.Execute(sess, param)
	switch {
	case sess.DataConn() != p.sock:
		// goftp closed and forgot it.
		delete(sess.Data, keyPrepared)
	case c.keepsSocket:
		// goftp answered 150 before it read, so the connection is used
		// even when the upload failed.
		forget(sess, p)
	}
	// Otherwise goftp refused before answering 150 (no such file or
	// folder), and the connection stays prepared, as in vsftpd.
}

// forget closes a prepared data connection and drops it. goftp's Close of a
// passive socket waits until the client connects or the listener's minute
// is up, so it runs apart from the session.
func forget(sess *ftpserver.Session, p *preparedData) {
	delete(sess.Data, keyPrepared)
	go p.sock.Close()
}

// commandProt answers PROT, which goftp accepts only as P and which then
// changes nothing. The sandbox records the level, C (clear) or P
// (private), which decides whether transfers may run.
type commandProt struct{ ftpserver.Command }

func (c commandProt) Execute(sess *ftpserver.Session, param string) {
	if !controlProtected(sess) {
		c.Command.Execute(sess, param) // 550: there is no security exchange
		return
	}
	switch strings.ToUpper(strings.TrimSpace(param)) {
	case "C":
		sess.Data[keyPrivate] = false
		sess.WriteMessage(200, "Protection level set to C; this server then refuses transfers (522) until PROT P.")
	case "P":
		sess.Data[keyPrivate] = true
		sess.WriteMessage(200, "Protection level set to P: passive data connections are protected with TLS.")
	case "S", "E":
		sess.WriteMessage(536, "Only protection levels C and P are supported.")
	default:
		sess.WriteMessage(504, "Unknown protection level; use C or P.")
	}
}
