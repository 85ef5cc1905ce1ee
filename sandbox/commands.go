package sandbox

import (
	"strings"

	ftpserver "goftp.io/server/v2"
)

// commands returns goftp.io/server's commands plus the ones the sandbox
// adds. The default map is shared by every server, so it is copied. hellos
// is the server's record of TLS handshakes, nil when it offers no TLS.
func commands(hellos *helloLog) map[string]ftpserver.Command {
	cmds := map[string]ftpserver.Command{}
	for name, cmd := range ftpserver.DefaultCommands() {
		cmds[name] = cmd
	}
	cmds["ABOR"] = commandAbor{}
	wrapDataCommands(cmds, hellos)
	// A client interrupting a transfer sends Telnet IP and Synch before
	// ABOR (RFC 959 §4.1.3). goftp.io/server does not speak Telnet, so it
	// reads the bytes left in the stream (IAC IP, then the Data Mark) as
	// part of the verb; this is the verb it then looks up.
	cmds[strings.ToUpper("\xff\xf4\xf2ABOR")] = commandAbor{}
	return cmds
}

// commandAbor answers ABOR. goftp.io/server runs one command at a time,
// so by the time it reads an ABOR no transfer is running: it answers 225,
// as vsftpd does when there is nothing to abort.
type commandAbor struct{}

func (commandAbor) IsExtend() bool     { return false }
func (commandAbor) RequireParam() bool { return false }
func (commandAbor) RequireAuth() bool  { return true }
func (commandAbor) Execute(sess *ftpserver.Session, _ string) {
	sess.WriteMessage(225, "No transfer to abort.")
}
