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
	// NoReplace makes Create and Commit refuse to replace a file that
	// exists: the error wraps fs.ErrExist. Commit links the new file into
	// place instead of renaming it, so a file created meanwhile by someone
	// else is not replaced either.
	NoReplace bool
	// NoSync renames the file into place without waiting for it to reach
	// the disk, as curl and lftp leave a download to the kernel: readers
	// still see the old content or the new, never a part, but a crash of
	// the machine soon after may leave the new file empty. Downloads use
	// it: they can be fetched again, and waiting for the disk would make
	// a fast transfer as slow as the disk. What ftpscope alone holds
	// (transcripts, history, progress) is synced.
	NoSync bool
}

// Write replaces path with what write writes. The content goes to a
// temporary file in the same folder, which is synced to disk and renamed
// over path. When anything fails, path is left as it was and no temporary
// file stays behind. A symbolic link at path is replaced, not followed.
//
// Errors name the step that failed and keep the cause, so errors.Is works
// with fs.ErrNotExist and fs.ErrPermission; they do not repeat the path,
// which the caller names in its own words.
func Write(path string, opts Options, write func(w io.Writer) error) error {
	f, err := Create(path, opts)
	if err != nil {
		return err
	}
	defer f.Discard()
	if err := write(f); err != nil {
		return err
	}
	return f.Commit()
}

// File is a replacement for a file, written to a temporary file until
// Commit renames it over the original. Use it when whether to keep the
// new content is known only after writing it, as for a download that may
// fail; otherwise Write is simpler. A File is not safe for concurrent use.
type File struct {
	f    *os.File
	out  BoundedWriter // f, in writes of at most WriteSize
	bw   *bufio.Writer // out, for small writes
	path string
	dir  string
	base string
	done bool
	// noReplace links the file into place, failing when path exists.
	noReplace bool
	// noSync skips the syncs to disk (Options.NoSync).
	noSync bool
	// written counts the bytes written, and synced those whose writing
	// to disk was started early (see startWriteback).
	written, synced int64
}

// WriteSize is the most bytes a File hands the kernel in one write. Linux
// gives a buffered write a page-cache folio as large as the write allows
// (up to the alignment of its offset), and on the VM of
// docs/PERFORMANCE.md ("Sixth round") filling folios of 64 KiB and more
// was at times three to five times slower than filling smaller ones: in
// the same minutes, dd wrote 1 GiB in 0.81–1.60 s with 64 KiB writes and
// 0.30–0.32 s with 48 KiB ones. 48 KiB is three TLS records, so a
// protected download writes whole records.
const WriteSize = 48 << 10

// BoundedWriter writes to W in calls of at most WriteSize bytes.
type BoundedWriter struct{ W io.Writer }

// Write writes all of p, WriteSize bytes at a time, and stops at the
// first error, or at a short write (io.ErrShortWrite), as io.Copy does.
func (b BoundedWriter) Write(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		chunk := p[n : n+min(len(p)-n, WriteSize)]
		k, err := b.W.Write(chunk)
		n += k
		if err == nil && k < len(chunk) {
			err = io.ErrShortWrite
		}
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// writebackEvery is how many bytes a File lets pile up in the page cache
// before it asks the kernel to start writing them out.
const writebackEvery = 32 << 20

// Create starts a replacement for path: a temporary file in the same
// folder, with the mode Options asks for. Nothing at path changes until
// Commit. Call Discard when giving up; it is harmless after Commit.
func Create(path string, opts Options) (_ *File, err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if base == "" {
		return nil, errors.New("the path names a folder, not a file")
	}
	if opts.DirPerm != 0 {
		if err := os.MkdirAll(dir, opts.DirPerm); err != nil {
			return nil, fmt.Errorf("create the folder %s: %w", dir, pathErr(err))
		}
	}
	mode := opts.Perm
	if opts.NoReplace {
		if fi, err := os.Lstat(path); err == nil && !fi.IsDir() {
			return nil, fmt.Errorf("%s exists: %w", base, fs.ErrExist)
		}
	}
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return nil, errors.New("it is a folder; give a file name")
		}
		if mode == 0 {
			mode = fi.Mode().Perm()
		}
	}
	f, err := createTemp(dir, base, opts.Perm)
	if err != nil {
		return nil, fmt.Errorf("create a temporary file in %s: %w", dir, pathErr(err))
	}
	if mode != 0 {
		// Also when mode is opts.Perm: the umask may have taken bits away.
		if err := f.Chmod(mode); err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
			return nil, fmt.Errorf("set the permissions of %s: %w", base, pathErr(err))
		}
	}
	out := BoundedWriter{f}
	return &File{f: f, out: out, bw: bufio.NewWriterSize(out, WriteSize), path: path, dir: dir, base: base, noReplace: opts.NoReplace, noSync: opts.NoSync}, nil
}

// Write writes to the temporary file.
func (p *File) Write(b []byte) (int, error) {
	if p.done {
		return 0, errors.New("write after Commit or Discard")
	}
	var n int
	var err error
	if p.bw.Buffered() == 0 && len(b) >= p.bw.Size() {
		// As large as the buffer: straight to the file. bufio would copy
		// a write of exactly its size into the buffer first.
		n, err = p.out.Write(b)
	} else {
		n, err = p.bw.Write(b)
	}
	p.written += int64(n)
	if !p.noSync && p.written-p.synced >= writebackEvery {
		startWriteback(p.f, p.synced, p.written-p.synced)
		p.synced = p.written
	}
	return n, err
}

// Direct flushes what Write has buffered and returns the temporary file,
// for a caller that writes to it by other means, such as splice(2) from
// a socket. Those writes must go at the file's offset, as write(2) and
// splice(2) without an offset do, so that Write can carry on after them.
// They do not count towards the early writeback of Write; Commit's sync
// (unless Options.NoSync) still covers them.
func (p *File) Direct() (*os.File, error) {
	if p.done {
		return nil, errors.New("write after Commit or Discard")
	}
	if err := p.bw.Flush(); err != nil {
		return nil, fmt.Errorf("write %s: %w", p.base, pathErr(err))
	}
	return p.f, nil
}

// Commit makes the written content the file at path: it flushes and syncs
// the temporary file (unless Options.NoSync) and renames it over path. On
// error the temporary file is removed and path is left as it was.
func (p *File) Commit() (err error) {
	if p.done {
		return errors.New("commit after Commit or Discard")
	}
	defer func() {
		if err != nil {
			p.Discard()
		}
	}()
	if err := p.bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", p.base, pathErr(err))
	}
	if !p.noSync {
		if err := p.f.Sync(); err != nil {
			return fmt.Errorf("sync %s to disk: %w", p.base, pathErr(err))
		}
	}
	if err := p.f.Close(); err != nil {
		return fmt.Errorf("close the temporary file: %w", pathErr(err))
	}
	if p.noReplace {
		// A hard link fails when path exists, where a rename would
		// replace it; the temporary name is then removed.
		if err := os.Link(p.f.Name(), p.path); err != nil {
			return fmt.Errorf("create %s: %w", p.base, pathErr(err))
		}
		_ = os.Remove(p.f.Name())
	} else if err := os.Rename(p.f.Name(), p.path); err != nil {
		return fmt.Errorf("replace %s: %w", p.base, pathErr(err))
	}
	p.done = true
	if p.noSync {
		return nil
	}
	// Make the rename itself durable. Not every system can sync a folder,
	// and the file is already saved, so a failure here is not reported.
	if d, err := os.Open(p.dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// Discard removes the temporary file and leaves path as it was. It does
// nothing after Commit or a previous Discard.
func (p *File) Discard() {
	if p.done {
		return
	}
	p.done = true
	_ = p.f.Close() // may already be closed; the error is not news
	_ = os.Remove(p.f.Name())
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
