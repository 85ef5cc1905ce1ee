package sandbox

import (
	"reflect"
	"strings"
	"unsafe"

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
//     without PROT P, and never protects an active one. The sandbox keeps
//     passive data connections in clear until PROT P (and again after
//     PROT C), as RFC 4217 asks, and answers 521 when a transfer would use
//     a data connection whose protection does not match the PROT level.
//
// The state lives in the session's Data map, goftp's place for data shared
// between commands, which goes away with the session.
const (
	keyPrepared = "ftpscope.sandbox.prepared" // *preparedData
	keyPrivate  = "ftpscope.sandbox.protP"    // bool: PROT P is in force
)

// preparedData is the data connection that PASV, EPSV, PORT, EPRT or LPRT
// prepared and that no transfer has used yet.
type preparedData struct {
	sock      ftpserver.DataSocket // as goftp's Session.DataConn returned it
	active    bool                 // made by PORT, EPRT or LPRT
	protected bool                 // TLS runs on it
}

// sessionTLSField is goftp's unexported Session.tls, which records that the
// control connection is protected and which goftp's passive sockets read to
// decide whether to protect the data connection. It is the only switch goftp
// offers; TestGoftpSessionTLSField fails if a new goftp version drops it,
// and without it the sandbox leaves PASV, EPSV and PROT to goftp.
var sessionTLSField, sessionTLSFieldOK = func() (reflect.StructField, bool) {
	f, ok := reflect.TypeFor[ftpserver.Session]().FieldByName("tls")
	return f, ok && f.Type.Kind() == reflect.Bool
}()

// sessionTLS points at goftp's Session.tls. Only the session's goroutine,
// which runs its commands, reads or writes it.
func sessionTLS(sess *ftpserver.Session) *bool {
	return (*bool)(unsafe.Add(unsafe.Pointer(sess), sessionTLSField.Offset))
}

// private reports whether data connections are to be protected: the control
// connection is, and PROT P is in force.
func private(sess *ftpserver.Session) bool {
	p, _ := sess.Data[keyPrivate].(bool)
	return p && *sessionTLS(sess)
}

// wrapDataCommands replaces goftp's data commands in cmds with the
// sandbox's wrappers.
func wrapDataCommands(cmds map[string]ftpserver.Command) {
	if !sessionTLSFieldOK {
		return
	}
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
	cmds["PROT"] = commandProt{cmds["PROT"]}
}

// prepareCommand wraps PASV, EPSV, PORT, EPRT and LPRT to note the data
// connection they prepare, and makes passive ones in clear unless PROT P is
// in force.
type prepareCommand struct {
	ftpserver.Command
	passive bool
}

func (c prepareCommand) Execute(sess *ftpserver.Session, param string) {
	before := sess.DataConn()
	protected := false
	if c.passive {
		protected = private(sess)
		if tls := sessionTLS(sess); *tls && !protected {
			// goftp's passive socket reads the flag once, when it listens.
			*tls = false
			defer func() { *tls = true }()
		}
	}
	c.Command.Execute(sess, param)
	after := sess.DataConn()
	// goftp answered 425 or 5xx when it made no new socket, or, for a
	// passive one, when its listener failed before it had a port.
	if after == nil || after == before || (c.passive && after.Port() == 0) {
		return
	}
	sess.Data[keyPrepared] = &preparedData{sock: after, active: !c.passive, protected: protected}
}

// transferCommand wraps LIST, NLST, MLSD, RETR, STOR and APPE: it answers
// 425 when no data connection is prepared, 521 when the prepared one is not
// protected as the PROT level asks, and otherwise runs goftp's command and
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
	if want := private(sess); p.protected != want {
		forget(sess, p)
		switch {
		case p.active:
			sess.WriteMessage(521, "This server cannot protect active data connections (PORT, EPRT): use PASV or EPSV with PROT P.")
		case want:
			sess.WriteMessage(521, "This data connection was prepared before PROT P, so it is not protected: send PASV or EPSV again.")
		default:
			sess.WriteMessage(521, "This data connection was prepared under PROT P, so it is protected: send PASV or EPSV again, or PROT P.")
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
// changes nothing. The sandbox sets the level that the next PASV or EPSV
// uses: C (clear) or P (private).
type commandProt struct{ ftpserver.Command }

func (c commandProt) Execute(sess *ftpserver.Session, param string) {
	if !*sessionTLS(sess) {
		c.Command.Execute(sess, param) // 550: there is no security exchange
		return
	}
	switch strings.ToUpper(strings.TrimSpace(param)) {
	case "C":
		sess.Data[keyPrivate] = false
		sess.WriteMessage(200, "Protection level set to C: data connections go in clear.")
	case "P":
		sess.Data[keyPrivate] = true
		sess.WriteMessage(200, "Protection level set to P: data connections are protected with TLS.")
	case "S", "E":
		sess.WriteMessage(536, "Only protection levels C and P are supported.")
	default:
		sess.WriteMessage(504, "Unknown protection level; use C or P.")
	}
}
