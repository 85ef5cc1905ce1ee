package tui

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileErrorsInPlainWords checks :log and :save into a folder that
// does not exist: one sentence naming the folder, not Go's "open …: no
// such file or directory" or atomicfile's "create a temporary file in …".
func TestFileErrorsInPlainWords(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")
	_, err := OpenLog(filepath.Join(dir, "session.log"))
	if want := "cannot log to " + filepath.Join(dir, "session.log") + ": the folder " + dir + " does not exist"; err == nil || err.Error() != want {
		t.Errorf(":log error %v, want %q", err, want)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf(":log error %v does not wrap fs.ErrNotExist", err)
	}

	m := newTestModel(120, 30)
	m = runLocalLine(t, m, ":save "+filepath.Join(dir, "x.txt"))
	line := lastLine(m)
	if !strings.Contains(line, "the folder "+dir+" does not exist; nothing was written") || strings.Contains(line, "temporary") {
		t.Errorf(":save said %q, want the missing folder named", line)
	}
}
