package sandbox

import (
	"bytes"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"

	ftpserver "goftp.io/server/v2"
)

// The transfer commands (LIST, NLST, MLSD, RETR, STOR, APPE) run on the
// sandbox's own data connections (dataconn.go). Their checks come before
// the data connection is used, as in vsftpd: a refused command leaves the
// prepared connection for the next one. Replies use vsftpd's wording, and
// the upload faults ProFTPD's (452) and Pure-FTPd's (552).

// silentLimit bounds how long the silent-transfer fault keeps a data
// connection open with nothing on it.
const silentLimit = 10 * time.Minute

// listCommand answers LIST, NLST and MLSD.
type listCommand struct {
	srv  *Server
	verb string
}

func (listCommand) IsExtend() bool     { return false }
func (listCommand) RequireParam() bool { return false }
func (listCommand) RequireAuth() bool  { return true }

func (cmd listCommand) Execute(sess *ftpserver.Session, param string) {
	arg := param
	if cmd.verb != "MLSD" {
		arg = listParam(param)
	}
	p := sess.BuildPath(arg)
	files, err := listFiles(sess, cmd.verb, param, p)
	if err != nil {
		// vsftpd answers a listing of a missing folder with an empty one;
		// RFC 3659 wants 550 for MLSD, and goftp gave 550 for all three.
		sess.WriteMessage(550, "Failed to open directory.")
		return
	}
	var data []byte
	switch cmd.verb {
	case "NLST":
		data = formatNames(files)
	case "MLSD":
		data = formatMLSD(files)
	default:
		data = formatLong(files, time.Now())
	}
	t := cmd.srv.startTransfer(sess, "Here comes the directory listing.")
	if t == nil {
		return
	}
	defer cmd.srv.control(sess).finish()
	cmd.srv.sendData(sess, t, bytes.NewReader(data), int64(len(data)), "Directory send OK.")
}

// retrCommand answers RETR.
type retrCommand struct{ srv *Server }

func (retrCommand) IsExtend() bool     { return false }
func (retrCommand) RequireParam() bool { return true }
func (retrCommand) RequireAuth() bool  { return true }

func (cmd retrCommand) Execute(sess *ftpserver.Session, param string) {
	c := cmd.srv.control(sess)
	offset := c.restAt
	c.restAt = 0
	p := sess.BuildPath(param)
	ctx := &ftpserver.Context{Sess: sess, Cmd: "RETR", Param: param, Data: map[string]any{}}
	if info, err := sess.Server().Driver.Stat(ctx, p); err != nil || info.IsDir() {
		sess.WriteMessage(550, "Failed to open file.")
		return
	}
	size, r, err := sess.Server().Driver.GetFile(ctx, p, offset)
	if err != nil {
		sess.WriteMessage(550, "Failed to open file.")
		return
	}
	defer r.Close()
	size = max(size, 0) // REST past the end: nothing to send
	t := cmd.srv.startTransfer(sess, fmt.Sprintf("Opening BINARY mode data connection for %s (%d bytes).", param, size))
	if t == nil {
		return
	}
	defer c.finish()
	cmd.srv.sendData(sess, t, r, size, "Transfer complete.")
}

// sendData sends size bytes from r on t and answers, unless a fault
// interferes.
func (s *Server) sendData(sess *ftpserver.Session, t *dataTransfer, r io.Reader, size int64, done string) {
	switch {
	case s.faults.has(FaultAbortTransfer):
		// Half the data, then a reset, as when the network or the server
		// fails in the middle: the client gets less than it was told.
		io.CopyN(t, r, size/2)
		t.reset()
		sess.WriteMessage(426, "Failure writing network stream.")
		return
	case s.faults.has(FaultSilentTransfer):
		s.waitForClient(t)
		sess.WriteMessage(426, "Failure writing network stream.")
		return
	}
	if _, err := io.Copy(t, r); err != nil {
		t.Close()
		sess.WriteMessage(426, "Failure writing network stream.")
		return
	}
	if err := t.Close(); err != nil {
		sess.WriteMessage(426, "Failure writing network stream.")
		return
	}
	sess.WriteMessage(226, done)
}

// waitForClient keeps the data connection open with nothing sent until
// the client closes it (or silentLimit passes), reading and dropping
// whatever the client sends.
func (s *Server) waitForClient(t *dataTransfer) {
	t.tcp.SetReadDeadline(time.Now().Add(silentLimit))
	io.Copy(io.Discard, t)
	t.Close()
}

// storCommand answers STOR and APPE.
type storCommand struct {
	srv    *Server
	append bool
}

func (storCommand) IsExtend() bool     { return false }
func (storCommand) RequireParam() bool { return true }
func (storCommand) RequireAuth() bool  { return true }

func (cmd storCommand) Execute(sess *ftpserver.Session, param string) {
	c := cmd.srv.control(sess)
	offset := c.restAt
	c.restAt = 0
	verb := "STOR"
	if cmd.append {
		verb = "APPE"
	}
	ctx := &ftpserver.Context{Sess: sess, Cmd: verb, Param: param, Data: map[string]any{}}
	if anonymous(ctx) {
		sess.WriteMessage(550, "Permission denied.")
		return
	}
	p := sess.BuildPath(param)
	drv := sess.Server().Driver
	if dir, err := drv.Stat(ctx, path.Dir(p)); err != nil || !dir.IsDir() {
		sess.WriteMessage(553, "Could not create file.")
		return
	}
	info, err := drv.Stat(ctx, p)
	if err == nil && info.IsDir() {
		sess.WriteMessage(553, "Could not create file.")
		return
	}
	switch {
	case cmd.append && err == nil:
		offset = info.Size()
	case offset == 0:
		offset = -1 // a new file, or the old one replaced
	}
	t := cmd.srv.startTransfer(sess, "Ok to send data.")
	if t == nil {
		return
	}
	defer c.finish()
	switch {
	case cmd.srv.faults.has(FaultDiskFull):
		cmd.srv.refuseUpload(t)
		sess.WriteMessage(452, "Transfer aborted. No space left on device")
		return
	case cmd.srv.faults.has(FaultQuotaExceeded):
		cmd.srv.refuseUpload(t)
		sess.WriteMessage(552, fmt.Sprintf("Quota exceeded: [%s] won't be saved", path.Base(p)))
		return
	case cmd.srv.faults.has(FaultAbortTransfer):
		io.CopyN(io.Discard, t, 1)
		t.reset()
		sess.WriteMessage(426, "Failure reading network stream.")
		return
	case cmd.srv.faults.has(FaultSilentTransfer):
		cmd.srv.waitForClient(t)
		sess.WriteMessage(426, "Failure reading network stream.")
		return
	}
	_, err = drv.PutFile(ctx, p, t, offset)
	t.Close()
	if err != nil {
		sess.WriteMessage(451, "Failure writing to local file.")
		return
	}
	sess.WriteMessage(226, "Transfer complete.")
}

// refuseUpload reads the first of an upload's data, as a server does
// before its write fails, and closes the data connection; nothing is kept.
func (s *Server) refuseUpload(t *dataTransfer) {
	t.tcp.SetReadDeadline(time.Now().Add(s.dataLimit))
	io.CopyN(io.Discard, t, 32<<10)
	t.Close()
}

// restCommand answers REST: the offset of the next RETR or STOR.
type restCommand struct{ srv *Server }

func (restCommand) IsExtend() bool     { return false }
func (restCommand) RequireParam() bool { return true }
func (restCommand) RequireAuth() bool  { return true }

func (cmd restCommand) Execute(sess *ftpserver.Session, param string) {
	n, err := strconv.ParseInt(strings.TrimSpace(param), 10, 64)
	if err != nil || n < 0 {
		// ProFTPD's reply; vsftpd reads a bad number as 0.
		sess.WriteMessage(501, "REST requires a value greater than or equal to 0")
		return
	}
	cmd.srv.control(sess).restAt = n
	sess.WriteMessage(350, fmt.Sprintf("Restart position accepted (%d).", n))
}
