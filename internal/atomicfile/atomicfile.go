// Package atomicfile replaces files whole: a reader, or the file system
// after a crash, sees the old content or the new, never a part. ftpscope
// saves transcripts and its history this way.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// Options says how Write creates the file and its folder.
type Options struct {
	// Perm, when nonzero, is the file's mode, new or replaced. When zero,
	// a replaced file keeps its mode and a new one gets 0666 less the
	// umask.
	Perm fs.FileMode
	// DirPerm, when nonzero, creates the folder and its parents with this
	// mode when they are missing. When zero, a missing folder is an error.
	DirPerm fs.FileMode
}

// Write replaces path with what write writes. The content goes to a
// temporary file in the same folder, which is synced to disk and renamed
// over path. When anything fails, path is left as it was and no temporary
// file stays behind. A symbolic link at path is replaced, not followed.
//
// Errors name the step that failed and keep the cause, so errors.Is works
// with fs.ErrNotExist and fs.ErrPermission; they do not repeat the path,
// which the caller names in its own words.
func Write(path string, opts Options, write func(w io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if base == "" {
		return errors.New("the path names a folder, not a file")
	}
	if opts.DirPerm != 0 {
		if err := os.MkdirAll(dir, opts.DirPerm); err != nil {
			return fmt.Errorf("create the folder %s: %w", dir, pathErr(err))
		}
	}
	mode := opts.Perm
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return errors.New("it is a folder: give a file name")
		}
		if mode == 0 {
			mode = fi.Mode().Perm()
		}
	}
	f, err := createTemp(dir, base, opts.Perm)
	if err != nil {
		return fmt.Errorf("create a temporary file in %s: %w", dir, pathErr(err))
	}
	defer func() {
		if err != nil {
			_ = f.Close() // may already be closed; the error is not news
			_ = os.Remove(f.Name())
		}
	}()
	if mode != 0 {
		// Also when mode is opts.Perm: the umask may have taken bits away.
		if err := f.Chmod(mode); err != nil {
			return fmt.Errorf("set the permissions of %s: %w", base, pathErr(err))
		}
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", base, pathErr(err))
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s to disk: %w", base, pathErr(err))
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

// createTemp creates a new hidden file in dir, named after base, with mode
// perm, or 0666 (less the umask) when perm is zero; os.CreateTemp would
// always use 0600.
func createTemp(dir, base string, perm fs.FileMode) (*os.File, error) {
	if perm == 0 {
		perm = 0o666
	}
	if len(base) > 200 {
		base = base[:200] // keep the name under the usual 255-byte limit
	}
	for range 100 {
		name := filepath.Join(dir, "."+base+"."+strconv.FormatUint(rand.Uint64(), 36)+".tmp")
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue // a name 64 random bits long is taken: try another
		}
		return f, err
	}
	return nil, errors.New("every temporary name tried was taken")
}

// pathErr drops the path from an *fs.PathError or *os.LinkError, which
// the caller's message names in its own words, keeping the cause.
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
