package lesson

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/ftpscope/ftpscope/internal/atomicfile"
)

// Progress records which lessons the learner has finished. It lives in
// one small JSON file under the XDG state directory, written atomically.
type Progress struct {
	path string
	// Finished maps a lesson's name to when it was last finished.
	Finished map[string]FinishRecord `json:"finished"`
}

// FinishRecord is one finished lesson.
type FinishRecord struct {
	At time.Time `json:"at"`
	// Skipped counts the steps left with :skip on that run.
	Skipped int `json:"skipped"`
}

// DefaultProgressPath is $XDG_STATE_HOME/ftpscope/lessons.json, or
// ~/.local/state/ftpscope/lessons.json when XDG_STATE_HOME is unset or
// not an absolute path (as the XDG specification asks).
func DefaultProgressPath() (string, error) {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("lesson progress: no state directory: %w", err)
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "ftpscope", "lessons.json"), nil
}

// maxProgressSize bounds the progress file: a few lines per lesson.
const maxProgressSize = 1 << 20

// LoadProgress reads the progress file at path; a missing file is no
// progress yet. A file that cannot be read or parsed is an error: the
// caller decides whether to go on without it.
func LoadProgress(path string) (*Progress, error) {
	p := &Progress{path: path, Finished: map[string]FinishRecord{}}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return p, fmt.Errorf("lesson progress: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxProgressSize+1))
	if err != nil {
		return p, fmt.Errorf("lesson progress: %w", err)
	}
	if len(data) > maxProgressSize {
		return p, fmt.Errorf("lesson progress: %s is larger than %d bytes; remove it to start afresh", path, maxProgressSize)
	}
	var stored Progress
	if err := json.Unmarshal(data, &stored); err != nil {
		return p, fmt.Errorf("lesson progress: %s is not a progress file (%v); remove it to start afresh", path, err)
	}
	for name, r := range stored.Finished {
		p.Finished[name] = r
	}
	return p, nil
}

// Done reports whether lesson name has been finished.
func (p *Progress) Done(name string) bool {
	_, ok := p.Finished[name]
	return ok
}

// Finish records lesson name as finished at t and saves the file.
func (p *Progress) Finish(name string, t time.Time, skipped int) error {
	p.Finished[name] = FinishRecord{At: t.UTC(), Skipped: skipped}
	if p.path == "" {
		return nil
	}
	err := atomicfile.Write(p.path, atomicfile.Options{Perm: 0o600, DirPerm: 0o700}, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(p)
	})
	if err != nil {
		return fmt.Errorf("lesson progress: save %s: %w", p.path, err)
	}
	return nil
}
