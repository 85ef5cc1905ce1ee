package sandbox

import (
	"slices"
	"strings"

	ftpserver "goftp.io/server/v2"
)

// The sandbox adds to goftp.io/server's commands the replies a real server
// gives to a command out of order or malformed, with vsftpd's wording:
// 501 for a missing argument, 502 for a command it does not implement,
// 503 for PASS before USER and RNTO before RNFR; and, under the
// require-tls fault, vsftpd's refusal to log in in clear.

// paramCheck answers 501 for a command that needs an argument and got
// none. goftp answers 553 there, a code for file names.
type paramCheck struct{ ftpserver.Command }

func (c paramCheck) RequireParam() bool { return false }

func (c paramCheck) Execute(sess *ftpserver.Session, param string) {
	if c.Command.RequireParam() && strings.TrimSpace(param) == "" {
		sess.WriteMessage(501, "Syntax error in parameters or arguments.")
		return
	}
	c.Command.Execute(sess, param)
}

// notImplemented answers a command of RFC 959 that the sandbox does not
// implement, as vsftpd does REIN, ACCT and SMNT.
type notImplemented struct{ verb string }

func (notImplemented) IsExtend() bool     { return false }
func (notImplemented) RequireParam() bool { return false }
func (notImplemented) RequireAuth() bool  { return false }

func (c notImplemented) Execute(sess *ftpserver.Session, _ string) {
	sess.WriteMessage(502, c.verb+" not implemented.")
}

// userCommand wraps goftp's USER to note that a PASS may follow and to
// apply require-tls.
type userCommand struct {
	ftpserver.Command
	srv *Server
}

func (c userCommand) Execute(sess *ftpserver.Session, param string) {
	ctl := c.srv.control(sess)
	if c.srv.faults.has(FaultRequireTLS) && c.srv.offersTLS() && ctl.tlsState() == nil {
		// vsftpd with force_local_logins_ssl and force_anon_logins_ssl
		// answers and ends the session.
		text := "Non-anonymous sessions must use encryption."
		if isAnonymousName(param) {
			text = "Anonymous sessions must use encryption."
		}
		sess.WriteMessage(530, text)
		ctl.Close()
		return
	}
	ctl.userGiven = true
	c.Command.Execute(sess, param)
}

// passCommand answers PASS without a USER before it with 503.
type passCommand struct {
	ftpserver.Command
	srv *Server
}

func (c passCommand) Execute(sess *ftpserver.Session, param string) {
	ctl := c.srv.control(sess)
	if !ctl.userGiven {
		if sess.IsLogin() {
			sess.WriteMessage(230, "Already logged in.")
			return
		}
		sess.WriteMessage(503, "Login with USER first.")
		return
	}
	ctl.userGiven = false
	c.Command.Execute(sess, param)
}

// rnfrCommand wraps goftp's RNFR to note that an RNTO may follow.
type rnfrCommand struct {
	ftpserver.Command
	srv *Server
}

func (c rnfrCommand) Execute(sess *ftpserver.Session, param string) {
	ctl := c.srv.control(sess)
	c.Command.Execute(sess, param)
	ctl.renaming = ctl.lastCode == 350
}

// rntoCommand answers RNTO without an RNFR before it with 503.
type rntoCommand struct {
	ftpserver.Command
	srv *Server
}

func (c rntoCommand) Execute(sess *ftpserver.Session, param string) {
	ctl := c.srv.control(sess)
	if !ctl.renaming {
		sess.WriteMessage(503, "RNFR required first.")
		return
	}
	ctl.renaming = false
	c.Command.Execute(sess, param)
}

// featCommand answers FEAT with the extensions the sandbox implements,
// one a line, sorted, and AUTH TLS, PBSZ and PROT when it offers TLS.
type featCommand struct{ srv *Server }

func (featCommand) IsExtend() bool     { return false }
func (featCommand) RequireParam() bool { return false }
func (featCommand) RequireAuth() bool  { return false }

func (c featCommand) Execute(sess *ftpserver.Session, _ string) {
	feats := []string{"EPRT", "EPSV", "MDTM", "MLST type*;size*;modify*;", "REST STREAM", "SIZE", "UTF8"}
	if c.srv.offersTLS() {
		feats = append(feats, "AUTH TLS", "PBSZ", "PROT")
	}
	slices.Sort(feats)
	var b strings.Builder
	b.WriteString("211-Features:\r\n")
	for _, f := range feats {
		b.WriteString(" " + f + "\r\n")
	}
	b.WriteString("211 End\r\n")
	c.srv.control(sess).writeRaw(b.String())
}
