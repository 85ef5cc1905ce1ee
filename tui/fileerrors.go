package tui

import (
	"errors"
	"io/fs"
	"path/filepath"
)

// fileProblem says in plain words why a file could not be written at
// path: the folder is missing or may not be written to; any other error
// keeps its own words. :save and :log word their failures with it, as a
// transfer's "> file" already does, rather than with Go's "open …:" text.
func fileProblem(path string, err error) string {
	dir := filepath.Dir(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "the folder " + dir + " does not exist"
	case errors.Is(err, fs.ErrPermission):
		return "you may not write to " + path + " (permission denied)"
	}
	return err.Error()
}

// fileError is a file error worded by fileProblem; it still wraps the
// error underneath, for errors.Is.
type fileError struct {
	text string
	err  error
}

func (e *fileError) Error() string { return e.text }
func (e *fileError) Unwrap() error { return e.err }
