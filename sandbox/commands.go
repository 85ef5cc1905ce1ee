package sandbox

import (
	"fmt"
	"slices"
	"strings"

	ftpserver "goftp.io/server/v2"
)

// commands returns goftp.io/server's commands, with the sandbox's own in
// place of the ones it runs itself. The default map is shared by every
// server, so it is copied.
func (s *Server) commands() map[string]ftpserver.Command {
	cmds := map[string]ftpserver.Command{}
	for name, cmd := range ftpserver.DefaultCommands() {
		cmds[name] = cmd
	}
	// goftp's LPRT and the security commands it stubs out are replaced by
	// what vsftpd does: LPRT is unknown, ADAT and the rest not offered.
	for _, name := range []string{"LPRT", "ADAT", "CCC", "CONF", "ENC", "MIC"} {
		delete(cmds, name)
	}
	cmds["ABOR"] = commandAbor{}
	cmds["STAT"] = commandStat{cmds["STAT"]}
	cmds["PASV"] = passiveCommand{srv: s}
	cmds["EPSV"] = passiveCommand{srv: s, extended: true}
	cmds["PORT"] = activeCommand{srv: s}
	cmds["EPRT"] = activeCommand{srv: s, extended: true}
	for _, verb := range []string{"LIST", "NLST", "MLSD"} {
		cmds[verb] = listCommand{srv: s, verb: verb}
	}
	cmds["RETR"] = retrCommand{srv: s}
	cmds["STOR"] = storCommand{srv: s}
	cmds["APPE"] = storCommand{srv: s, append: true}
	cmds["REST"] = restCommand{srv: s}
	cmds["AUTH"] = authCommand{srv: s}
	cmds["PBSZ"] = pbszCommand{srv: s}
	cmds["PROT"] = protCommand{srv: s}
	cmds["FEAT"] = featCommand{srv: s}
	cmds["USER"] = userCommand{srv: s, Command: cmds["USER"]}
	cmds["PASS"] = passCommand{srv: s, Command: cmds["PASS"]}
	cmds["RNFR"] = rnfrCommand{srv: s, Command: cmds["RNFR"]}
	cmds["RNTO"] = rntoCommand{srv: s, Command: cmds["RNTO"]}
	strictFileCommands(cmds)
	for _, verb := range []string{"REIN", "ACCT", "SMNT"} {
		cmds[verb] = notImplemented{verb: verb}
	}
	// A client interrupting a transfer sends Telnet IP and Synch before
	// ABOR (RFC 959 §4.1.3). goftp.io/server does not speak Telnet, so it
	// reads the bytes left in the stream (IAC IP, then the Data Mark) as
	// part of the verb; this is the verb it then looks up.
	cmds[strings.ToUpper("\xff\xf4\xf2ABOR")] = commandAbor{}
	// HELP last, so that it lists every command above.
	cmds["HELP"] = newCommandHelp(cmds)
	for name, cmd := range cmds {
		cmds[name] = paramCheck{cmd}
	}
	s.wrapTroubleFaults(cmds)
	return cmds
}

// control returns the sandbox's side of a session's control connection,
// which goftp reads through: the address goftp's session reports is the
// controlConn's own (sessionAddr).
func (s *Server) control(sess *ftpserver.Session) *controlConn {
	return sess.RemoteAddr().(sessionAddr).c
}

// commandHelp answers HELP, which goftp.io/server does not know, with the
// commands the sandbox understands, in one line: RFC 959 lets 214 carry
// the help text in one line or many.
type commandHelp struct{ names string }

func newCommandHelp(cmds map[string]ftpserver.Command) commandHelp {
	var names []string
	for name, cmd := range cmds {
		if _, stub := cmd.(notImplemented); stub {
			continue // answered 502, so not understood
		}
		if name == strings.TrimFunc(name, func(r rune) bool { return r < 'A' || r > 'Z' }) {
			names = append(names, name)
		}
	}
	names = append(names, "HELP")
	slices.Sort(names)
	return commandHelp{names: strings.Join(slices.Compact(names), " ")}
}

func (commandHelp) IsExtend() bool     { return false }
func (commandHelp) RequireParam() bool { return false }
func (commandHelp) RequireAuth() bool  { return false }
func (c commandHelp) Execute(sess *ftpserver.Session, _ string) {
	sess.WriteMessage(214, "The sandbox understands: "+c.names+".")
}

// commandStat answers STAT without an argument itself: goftp.io/server's
// status reply ends its lines with LF alone and names no host. With an
// argument (the status of a path) goftp answers.
type commandStat struct{ ftpserver.Command }

func (c commandStat) Execute(sess *ftpserver.Session, param string) {
	if strings.TrimSpace(param) != "" {
		c.Command.Execute(sess, param)
		return
	}
	user := "not logged in"
	if sess.IsLogin() {
		user = "logged in as " + sess.LoginUser()
	}
	sess.WriteMessage(211, fmt.Sprintf("ftpscope sandbox, connected from %s, %s; stream mode, file structure.", sess.RemoteAddr(), user))
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
