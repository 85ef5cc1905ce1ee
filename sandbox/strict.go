package sandbox

import (
	"errors"
	"os"
	"strings"

	ftpserver "goftp.io/server/v2"
)

// goftp.io/server answers a few file commands more loosely than real
// servers do, which a lesson then explains wrongly: MKD of a folder that
// exists answers 257 as if it had made it (and its 257 names no folder), RMD removes a folder with
// files in it, and SIZE of a missing file answers 450 (try again later)
// instead of 550. These wrappers answer as vsftpd does, with its words
// (vsftpd 3.0.3, postlogin.c).

// strictFileCommands replaces MKD, RMD and SIZE in cmds with the strict
// versions below.
func strictFileCommands(cmds map[string]ftpserver.Command) {
	cmds["MKD"] = mkdCommand{cmds["MKD"]}
	cmds["XMKD"] = mkdCommand{cmds["XMKD"]}
	cmds["RMD"] = rmdCommand{cmds["RMD"]}
	cmds["XRMD"] = rmdCommand{cmds["XRMD"]}
	cmds["SIZE"] = sizeCommand{cmds["SIZE"]}
}

// stat looks a path of the session up in the sandbox's file system.
func stat(sess *ftpserver.Session, verb, param string) (os.FileInfo, error) {
	ctx := &ftpserver.Context{Sess: sess, Cmd: verb, Param: param, Data: map[string]any{}}
	return sess.Server().Driver.Stat(ctx, sess.BuildPath(param))
}

// mkdCommand refuses to make a folder that is already there, and names
// the folder it made in its 257, as RFC 959 asks.
type mkdCommand struct{ ftpserver.Command }

func (c mkdCommand) Execute(sess *ftpserver.Session, param string) {
	if _, err := stat(sess, "MKD", param); err == nil {
		sess.WriteMessage(550, "Create directory operation failed.")
		return
	}
	p := sess.BuildPath(param)
	ctx := &ftpserver.Context{Sess: sess, Cmd: "MKD", Param: param, Data: map[string]any{}}
	if err := sess.Server().Driver.MakeDir(ctx, p); err != nil {
		sess.WriteMessage(550, "Create directory operation failed.")
		return
	}
	// RFC 959 §7: the new directory's path in quotes, a quote in it
	// doubled.
	sess.WriteMessage(257, `"`+strings.ReplaceAll(p, `"`, `""`)+`" created`)
}

// rmdCommand refuses to remove a folder that is not empty, or a file.
type rmdCommand struct{ ftpserver.Command }

// errNotEmpty stops the listing of a folder at its first entry.
var errNotEmpty = errors.New("not empty")

func (c rmdCommand) Execute(sess *ftpserver.Session, param string) {
	info, err := stat(sess, "RMD", param)
	if err == nil && info.IsDir() {
		ctx := &ftpserver.Context{Sess: sess, Cmd: "RMD", Param: param, Data: map[string]any{}}
		err = sess.Server().Driver.ListDir(ctx, sess.BuildPath(param), func(os.FileInfo) error { return errNotEmpty })
		if errors.Is(err, errNotEmpty) {
			sess.WriteMessage(550, "Remove directory operation failed.")
			return
		}
	}
	if err == nil && !info.IsDir() {
		sess.WriteMessage(550, "Remove directory operation failed.")
		return
	}
	c.Command.Execute(sess, param)
}

// sizeCommand answers SIZE of a missing file or a folder with 550.
type sizeCommand struct{ ftpserver.Command }

func (c sizeCommand) Execute(sess *ftpserver.Session, param string) {
	if info, err := stat(sess, "SIZE", param); err != nil || info.IsDir() {
		sess.WriteMessage(550, "Could not get file size.")
		return
	}
	c.Command.Execute(sess, param)
}
