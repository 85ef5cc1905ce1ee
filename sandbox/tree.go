package sandbox

import (
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	ftpserver "goftp.io/server/v2"
)

// SampleFiles lists the sample tree, path (slash-separated) to content. The
// 1 MiB binary file is generated separately by writeSampleTree.
var sampleFiles = map[string]string{
	"README.txt": "Welcome to the ftpscope sandbox.\r\n\r\n" +
		"Try: PWD, CWD pub, PASV then LIST, TYPE I, PASV then RETR pub/hello.txt.\r\n" +
		"Log in as demo/demo to upload (STOR), rename (RNFR/RNTO) and delete (DELE).\r\n" +
		"Anonymous users may only read.\r\n",
	"café.txt":            "A file whose name is not ASCII. Send OPTS UTF8 ON if your listing shows it garbled.\n",
	"pub/hello.txt":       "Hello over a data connection!\n",
	"pub/lines-crlf.txt":  "line one\r\nline two\r\nline three\r\n",
	"pub/notes/rfc.txt":   "RFC 959 defines FTP. RFC 2228 and RFC 4217 add security; RFC 2428 adds IPv6 (EPSV, EPRT); RFC 3659 adds MLSD, SIZE and MDTM.\n",
	"upload/.placeholder": "",
}

// BigFileName is the path of the 1 MiB binary sample file.
const BigFileName = "pub/random-1MiB.bin"

// BigFileSize is the size of BigFileName in bytes.
const BigFileSize = 1 << 20

// writeSampleTree fills root with the sample files. The binary file's bytes
// come from a fixed seed, so every sandbox serves the same content.
func writeSampleTree(root string) error {
	for name, content := range sampleFiles {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			return err
		}
	}
	f, err := os.Create(filepath.Join(root, filepath.FromSlash(BigFileName)))
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.CopyN(f, BigFileReader(), BigFileSize); err != nil {
		return err
	}
	return f.Close()
}

// BigFileReader returns an endless stream whose first BigFileSize bytes are
// the content of BigFileName, so tests can check a download byte for byte.
func BigFileReader() io.Reader {
	return &seededReader{rng: rand.NewChaCha8([32]byte{'f', 't', 'p', 's', 'c', 'o', 'p', 'e'})}
}

type seededReader struct{ rng *rand.ChaCha8 }

func (r *seededReader) Read(p []byte) (int, error) { return r.rng.Read(p) }

// accounts accepts the configured users with their passwords and, when
// anonymous is set, anonymous (or ftp) with any password.
type accounts struct {
	users     map[string]string
	anonymous bool
}

func (a accounts) CheckPasswd(_ *ftpserver.Context, user, pass string) (bool, error) {
	if isAnonymousName(user) {
		return a.anonymous, nil
	}
	want, ok := a.users[user]
	return ok && pass == want, nil
}

// isAnonymousName reports whether user names the anonymous account.
func isAnonymousName(user string) bool {
	return strings.EqualFold(user, AnonymousUser) || strings.EqualFold(user, "ftp")
}

// errReadOnly is what an anonymous user gets for any change to the tree.
var errReadOnly = errors.New("anonymous users may only read; log in as demo to change files")

// readOnlyForAnonymous wraps a driver and refuses every change made by an
// anonymous user, as public FTP servers do.
type readOnlyForAnonymous struct{ ftpserver.Driver }

func anonymous(ctx *ftpserver.Context) bool {
	if ctx == nil || ctx.Sess == nil {
		return true
	}
	return isAnonymousName(ctx.Sess.LoginUser())
}

func (d readOnlyForAnonymous) DeleteDir(ctx *ftpserver.Context, path string) error {
	if anonymous(ctx) {
		return errReadOnly
	}
	return d.Driver.DeleteDir(ctx, path)
}

func (d readOnlyForAnonymous) DeleteFile(ctx *ftpserver.Context, path string) error {
	if anonymous(ctx) {
		return errReadOnly
	}
	return d.Driver.DeleteFile(ctx, path)
}

func (d readOnlyForAnonymous) Rename(ctx *ftpserver.Context, from, to string) error {
	if anonymous(ctx) {
		return errReadOnly
	}
	return d.Driver.Rename(ctx, from, to)
}

func (d readOnlyForAnonymous) MakeDir(ctx *ftpserver.Context, path string) error {
	if anonymous(ctx) {
		return errReadOnly
	}
	return d.Driver.MakeDir(ctx, path)
}

func (d readOnlyForAnonymous) PutFile(ctx *ftpserver.Context, path string, data io.Reader, offset int64) (int64, error) {
	if anonymous(ctx) {
		return 0, errReadOnly
	}
	return d.Driver.PutFile(ctx, path, data, offset)
}
