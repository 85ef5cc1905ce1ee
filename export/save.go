package export

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/protocol"
)

// SaveFile writes events to path in the format its extension names (see
// Format), atomically: the transcript goes to a temporary file in the same
// folder, which is synced to disk and then renamed over path. On error the
// temporary file is removed and path is left as it was. It returns the
// format used, also with an error.
//
// A new file gets the permissions a newly created file gets (0666 less the
// umask); a file that is replaced keeps its permissions. A symbolic link
// at path is replaced by the file, not followed.
func SaveFile(path string, events iter.Seq[protocol.Event], cat *catalog.Catalog) (format string, err error) {
	format = Format(path)
	err = writeAtomic(path, func(w io.Writer) error {
		tw, err := NewWriter(format, w, cat)
		if err != nil {
			return err
		}
		for ev := range events {
			tw.Event(ev)
		}
		return tw.Close()
	})
	if err != nil {
		return format, fmt.Errorf("save the transcript to %s: %w", path, err)
	}
	return format, nil
}

// writeAtomic replaces path with what write writes, or leaves path as it
// was and no temporary file behind when anything fails.
func writeAtomic(path string, write func(w io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if base == "" {
		return errors.New("the path names a folder, not a file")
	}
	keepMode := fs.FileMode(0)
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return errors.New("it is a folder: give a file name")
		}
		keepMode = fi.Mode().Perm()
	}
	f, err := createTemp(dir, base)
	if err != nil {
		return fmt.Errorf("create a temporary file in %s: %w", dir, pathErr(err))
	}
	defer func() {
		if err != nil {
			_ = f.Close() // may already be closed; the error is not news
			_ = os.Remove(f.Name())
		}
	}()
	if keepMode != 0 {
		if err := f.Chmod(keepMode); err != nil {
			return fmt.Errorf("keep the permissions of %s: %w", base, pathErr(err))
		}
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write the transcript: %w", pathErr(err))
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync the transcript to disk: %w", pathErr(err))
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close the temporary file: %w", pathErr(err))
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("replace %s: %w", base, pathErr(err))
	}
	// Make the rename itself durable. Not every system can sync a folder,
	// and the file is already saved, so a failure here is not reported.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// createTemp creates a new hidden file in dir, named after base, with the
// permissions of a newly created file (0666 less the umask), which
// os.CreateTemp would restrict to 0600.
func createTemp(dir, base string) (*os.File, error) {
	if len(base) > 200 {
		base = base[:200] // keep the name under the usual 255-byte limit
	}
	for range 100 {
		name := filepath.Join(dir, "."+base+"."+strconv.FormatUint(rand.Uint64(), 36)+".tmp")
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue // a name 64 random bits long is taken: try another
		}
		return f, err
	}
	return nil, errors.New("every temporary name tried was taken")
}

// pathErr drops the path from an *fs.PathError, which the caller's
// message names in its own words, keeping the cause.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
