package sandbox

import (
	"strings"

	ftpserver "goftp.io/server/v2"
)

// Two faults make a server in trouble answer commands that would
// otherwise work, so that a lesson on errors can provoke the replies for
// real: file-busy answers commands on files with 450 (the file is locked
// for now, so the same command may work later), and idle-timeout answers
// the next command with 421 and closes the connection, as vsftpd does
// once idle_session_timeout has passed.

// fileVerbs are the commands that file-busy refuses.
var fileVerbs = map[string]bool{"RETR": true, "STOR": true, "APPE": true, "DELE": true, "RNFR": true, "SIZE": true, "MDTM": true}

// wrapTroubleFaults makes every command of cmds answer as the file-busy
// and idle-timeout faults say when they are on.
func (s *Server) wrapTroubleFaults(cmds map[string]ftpserver.Command) {
	for name, cmd := range cmds {
		cmds[name] = troubleCommand{Command: cmd, srv: s, verb: name}
	}
}

// troubleCommand is a command answered by a server in trouble when one of
// the trouble faults is on, and normally otherwise.
type troubleCommand struct {
	ftpserver.Command
	srv  *Server
	verb string
}

func (c troubleCommand) Execute(sess *ftpserver.Session, param string) {
	switch {
	case c.srv.faults.has(FaultIdleTimeout):
		sess.WriteMessage(421, "Timeout.")
		c.srv.control(sess).Close()
	case c.srv.faults.has(FaultFileBusy) && fileVerbs[c.verb]:
		sess.WriteMessage(450, strings.TrimSpace(param)+": Resource temporarily unavailable")
	default:
		c.Command.Execute(sess, param)
	}
}
