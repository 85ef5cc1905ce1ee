package protocol

// The local file of a download (RETR name > file). A new download goes to
// a temporary file that replaces the file only when the server confirms
// the transfer, so a refused or broken RETR never destroys what was
// there. A resumed download (REST n first) writes in place after the
// first n bytes, which is the point of resuming. Like curl and lftp,
// ftpscope leaves writing a download to disk to the kernel: the rename
// does not wait for it (atomicfile.Options.NoSync).

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/ftpscope/ftpscope/internal/atomicfile"
)

// saveTarget is where a download is written.
type saveTarget struct {
	path    string
	restart int64
	existed bool
	written int64 // bytes written to the file, after any conversion

	pending *atomicfile.File // a new download
	inPlace *os.File         // a resumed download, or a device
	device  bool             // inPlace is a device or a pipe, not a file
}

// checkRestartFile refuses a resumed download whose local file is shorter
// than the REST offset: the saved file would have a gap. It runs before
// RETR is sent.
func checkRestartFile(path string, restart int64) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("REST %d resumes from byte %d, but %s does not exist, so the saved file would start with a gap; send REST 0 to download it whole", restart, restart, path)
	case err != nil:
		return fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))
	case fi.IsDir():
		return fmt.Errorf("%s is a folder: give a file name after >", path)
	case fi.Size() < restart:
		return fmt.Errorf("REST %d resumes from byte %d, but %s has only %d bytes, so the saved file would have a gap; send REST %d to resume where it ends", restart, restart, path, fi.Size(), fi.Size())
	}
	return nil
}

// openSaveTarget opens the local file of a download: a replacement for a
// new download; the file itself, written from restart on, for a resumed
// one; and the file itself for a device or a pipe (RETR big > /dev/null),
// which must not be replaced by a regular file.
func openSaveTarget(path string, restart int64) (*saveTarget, error) {
	d := &saveTarget{path: path, restart: restart}
	fi, err := os.Stat(path)
	d.existed = err == nil
	if d.existed && !fi.Mode().IsRegular() && !fi.IsDir() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return nil, fmt.Errorf("save to %s: %w", path, unwrapPathError(err))
		}
		d.inPlace, d.device = f, true
		return d, nil
	}
	if restart == 0 {
		f, err := atomicfile.Create(path, atomicfile.Options{NoSync: true})
		if err != nil {
			return nil, fmt.Errorf("save to %s: %w", path, err)
		}
		d.pending = f
		return d, nil
	}
	if err := checkRestartFile(path, restart); err != nil {
		return nil, err
	}
	// Nothing is cut yet: if the server refuses, the file stays whole.
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return nil, fmt.Errorf("save to %s: %w", path, unwrapPathError(err))
	}
	if _, err := f.Seek(restart, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("save to %s: %w", path, err)
	}
	d.inPlace = f
	return d, nil
}

// Write writes downloaded bytes to the file.
func (d *saveTarget) Write(p []byte) (int, error) {
	var n int
	var err error
	if d.pending != nil {
		n, err = d.pending.Write(p)
	} else {
		n, err = atomicfile.BoundedWriter{W: d.inPlace}.Write(p)
	}
	d.written += int64(n)
	return n, err
}

// direct returns the file for writing to by other means than Write (a
// splice from the data connection), with what Write buffered flushed to
// it first. The caller reports what it wrote with wrote.
func (d *saveTarget) direct() (*os.File, error) {
	if d.pending != nil {
		return d.pending.Direct()
	}
	return d.inPlace, nil
}

// wrote counts n bytes written to the file through direct.
func (d *saveTarget) wrote(n int64) { d.written += n }

// finish keeps or discards the download and says what happened. why is ""
// for a complete download, else why it is incomplete. A new download that
// failed is kept only when no file was there before and some bytes came,
// so it can be resumed; otherwise the old file stays as it was.
func (d *saveTarget) finish(why string) (line string, saved bool, err error) {
	size := d.restart + d.written
	if d.device {
		if err := d.inPlace.Close(); err != nil {
			return "", false, fmt.Errorf("save %s: %w", d.path, unwrapPathError(err))
		}
		if why == "" {
			return fmt.Sprintf("wrote %s to %s", formatBytes(d.written), d.path), true, nil
		}
		return fmt.Sprintf("wrote %s to %s, incomplete (%s)", formatBytes(d.written), d.path, why), true, nil
	}
	if d.inPlace != nil {
		// Cut what lay beyond the new end, once something new is there:
		// a resumed file is as long as what the server sent.
		var err error
		if why == "" || d.written > 0 {
			err = d.inPlace.Truncate(size)
		}
		if cerr := d.inPlace.Close(); err == nil {
			err = cerr
		}
		switch {
		case err != nil:
			return "", false, fmt.Errorf("save %s: %w", d.path, unwrapPathError(err))
		case why == "":
			return fmt.Sprintf("saved to %s: resumed at byte %d, now %d bytes", d.path, d.restart, size), true, nil
		case d.written == 0:
			return fmt.Sprintf("%s was left as it was (%s)", d.path, why), false, nil
		}
		return fmt.Sprintf("%s holds the first %d bytes, incomplete (%s); send REST %d, then RETR again, to resume", d.path, size, why, size), true, nil
	}
	if why == "" || (!d.existed && d.written > 0) {
		if err := d.pending.Commit(); err != nil {
			return "", false, fmt.Errorf("save to %s: %w", d.path, err)
		}
		if why == "" {
			return fmt.Sprintf("saved %s to %s", formatBytes(size), d.path), true, nil
		}
		return fmt.Sprintf("kept the %s received in %s, incomplete (%s); send REST %d, then RETR again, to resume", formatBytes(size), d.path, why, size), true, nil
	}
	d.pending.Discard()
	if d.existed {
		return fmt.Sprintf("%s was left as it was (%s)", d.path, why), false, nil
	}
	return fmt.Sprintf("nothing was saved to %s (%s)", d.path, why), false, nil
}

// reportSaved waits for the final reply to a download saved to a file,
// then keeps or discards the file and reports it with a DataSaved event.
// dest is nil when the data connection or the file never opened.
func (s *Session) reportSaved(t *transfer, dest *saveTarget, closed DataInfo) {
	if t.savePath == "" || t.direction != "download" {
		return
	}
	code := t.waitFinal(s.ctx)
	why := ""
	switch {
	case closed.Err != nil:
		why = closed.Err.Error()
	case code == 0:
		why = "the server sent no final reply to " + t.verb
	case code/100 != 2:
		why = fmt.Sprintf("%s was answered %d", t.verb, code)
	}
	info := closed
	info.Phase, info.Preview, info.Saved = DataSaved, nil, false
	var line string
	if dest == nil {
		line = fmt.Sprintf("nothing was saved to %s (%s)", t.savePath, why)
		if why == "" {
			line = fmt.Sprintf("nothing was saved to %s", t.savePath)
		}
	} else {
		var err error
		line, info.Saved, err = dest.finish(why)
		if err != nil {
			info.Err, line = err, err.Error()
		}
	}
	if why != "" && info.Err == nil {
		info.Err = errors.New(why)
	}
	s.order.data(Event{Kind: EventData, Seq: t.seq, Line: line, Data: &info})
}
