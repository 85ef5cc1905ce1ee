package sandbox

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"strings"
	"time"

	ftpserver "goftp.io/server/v2"
)

// The sandbox sends listings itself, since it owns the data connections.
// The formats are goftp.io/server's, so that listings look as they always
// have: LIST in the form of `ls -l`, NLST one name a line, MLSD with the
// Type, Modify and Size facts of RFC 3659.

// listEntry is one file of a listing with the mode and owner that goftp's
// Perm gives it.
type listEntry struct {
	os.FileInfo
	mode         os.FileMode
	owner, group string
}

// listFiles returns the entries of the folder p, or p itself when it is a
// file.
func listFiles(sess *ftpserver.Session, verb, param, p string) ([]listEntry, error) {
	srv := sess.Server()
	ctx := &ftpserver.Context{Sess: sess, Cmd: verb, Param: param, Data: map[string]any{}}
	info, err := srv.Driver.Stat(ctx, p)
	if err != nil {
		return nil, err
	}
	entry := func(f os.FileInfo, full string) (listEntry, error) {
		mode, err := srv.Perm.GetMode(full)
		if err != nil {
			return listEntry{}, err
		}
		if f.IsDir() {
			mode |= os.ModeDir
		}
		owner, err := srv.Perm.GetOwner(full)
		if err != nil {
			return listEntry{}, err
		}
		group, err := srv.Perm.GetGroup(full)
		if err != nil {
			return listEntry{}, err
		}
		return listEntry{FileInfo: f, mode: mode, owner: owner, group: group}, nil
	}
	if !info.IsDir() {
		e, err := entry(info, p)
		if err != nil {
			return nil, err
		}
		return []listEntry{e}, nil
	}
	var files []listEntry
	err = srv.Driver.ListDir(ctx, p, func(f os.FileInfo) error {
		e, err := entry(f, path.Join(p, f.Name()))
		if err == nil {
			files = append(files, e)
		}
		return err
	})
	return files, err
}

// formatLong formats a LIST reply's data, in the form of `ls -l`.
func formatLong(files []listEntry, now time.Time) []byte {
	var buf bytes.Buffer
	for _, f := range files {
		when := f.ModTime().Format(" Jan _2 15:04 ")
		if f.ModTime().Before(now.AddDate(-1, 0, 0)) {
			when = f.ModTime().Format(" Jan _2  2006 ")
		}
		fmt.Fprintf(&buf, "%s 1 %s %s %12d%s%s\r\n", f.mode, f.owner, f.group, f.Size(), when, f.Name())
	}
	return buf.Bytes()
}

// formatNames formats an NLST reply's data: the names alone.
func formatNames(files []listEntry) []byte {
	var buf bytes.Buffer
	for _, f := range files {
		buf.WriteString(f.Name() + "\r\n")
	}
	return buf.Bytes()
}

// formatMLSD formats an MLSD reply's data.
func formatMLSD(files []listEntry) []byte {
	var buf bytes.Buffer
	for _, f := range files {
		kind := "file"
		if f.IsDir() {
			kind = "dir"
		}
		fmt.Fprintf(&buf, "Type=%s;Modify=%s;Size=%d; %s\r\n", kind, f.ModTime().UTC().Format("20060102150405"), f.Size(), f.Name())
	}
	return buf.Bytes()
}

// listParam returns the path of a LIST or NLST argument, without the
// options (such as -a or -la) that many clients send.
func listParam(param string) string {
	fields := strings.Fields(param)
	for len(fields) > 0 && strings.HasPrefix(fields[0], "-") {
		param = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(param), fields[0]))
		fields = fields[1:]
	}
	return param
}
