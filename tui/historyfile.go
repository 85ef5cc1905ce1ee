package tui

// The history file: where it lives, how it is read back (bounded, and
// cleaned of any password line), and how it is saved (atomically, in the
// background, never an older snapshot over a newer one).

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/internal/atomicfile"
)

// historySaver serializes writes of one history file. It is shared by
// pointer so that commands from SaveCmd, running in their own goroutines,
// agree on it.
type historySaver struct {
	mu      sync.Mutex
	written uint64
}

// DefaultHistoryPath returns where ftpscope keeps its history, following
// the XDG base directory specification: $XDG_STATE_HOME/ftpscope/history,
// or ~/.local/state/ftpscope/history when XDG_STATE_HOME is unset, empty
// or not an absolute path (the specification says to ignore relative
// paths).
func DefaultHistoryPath() (string, error) {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("history: no state directory: %w", err)
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "ftpscope", "history"), nil
}

// LoadHistory reads the history saved at path. A missing file gives an
// empty history and no error; a path of "" gives an empty in-memory
// history. At most the last 1 MiB of the file is read, and lines that
// could not have been stored (too long, PASS or ACCT, control characters)
// are skipped. When the file holds a PASS or ACCT line, written by an
// older version or by hand, the file is rewritten at once without it; an
// error from that rewrite is returned.
func LoadHistory(path string) (*History, error) {
	h := NewHistory(path)
	if path == "" {
		return h, nil
	}
	data, err := readHistoryFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return h, nil
	}
	if err != nil {
		return nil, err
	}
	secrets := false
	for line := range strings.SplitSeq(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if isSecretLine(line) {
			secrets = true
			continue
		}
		if l, ok := storableLine(line); ok && (len(h.entries) == 0 || h.entries[len(h.entries)-1] != l) {
			h.entries = append(h.entries, l)
		}
	}
	h.trim()
	if secrets {
		if err := writeHistoryFile(path, h.entries); err != nil {
			return nil, fmt.Errorf("history: removing a password line from %s: %w", path, err)
		}
	}
	return h, nil
}

// readHistoryFile reads the newest historyMaxFileBytes of the file at path,
// starting at a line boundary.
func readHistoryFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("history: %s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Read one byte before the window, so that a window starting exactly
	// at a line start is recognized as such.
	skipFirst := false
	if off := info.Size() - historyMaxFileBytes - 1; off > 0 {
		if _, err := f.Seek(off, io.SeekStart); err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		skipFirst = true
	}
	data, err := io.ReadAll(io.LimitReader(f, historyMaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	if skipFirst {
		// Drop the partial line the window starts in.
		_, rest, found := strings.Cut(string(data), "\n")
		if !found {
			return nil, nil
		}
		data = []byte(rest)
	}
	return data, nil
}

// HistorySavedMsg reports the end of a save started by SaveCmd.
type HistorySavedMsg struct {
	// Err is the error from writing the file, nil on success.
	Err error
}

// Save writes the history to its file, unless it is kept in memory only
// or nothing changed since the last save. The file is replaced atomically:
// the entries are written to a temporary file in the same directory, which
// is then renamed over it. The directory is created with mode 0700 if
// missing; the file has mode 0600.
func (h *History) Save() error {
	if cmd := h.save(); cmd != nil {
		return cmd()
	}
	return nil
}

// SaveCmd returns a command that saves the history as Save does and
// reports with HistorySavedMsg, or nil when there is nothing to save. The
// entries are copied when SaveCmd is called, so the command may run while
// the history changes; a save of older entries never replaces a newer one.
func (h *History) SaveCmd() tea.Cmd {
	save := h.save()
	if save == nil {
		return nil
	}
	return func() tea.Msg { return HistorySavedMsg{Err: save()} }
}

// save snapshots the entries and returns the function that writes them, or
// nil when there is nothing to write.
func (h *History) save() func() error {
	if h.path == "" || h.saver == nil {
		return nil
	}
	if h.trim() {
		h.gen++
	}
	path, gen, lines, saver := h.path, h.gen, slices.Clone(h.entries), h.saver
	saver.mu.Lock()
	done := saver.written >= gen
	saver.mu.Unlock()
	if done {
		return nil
	}
	return func() error {
		saver.mu.Lock()
		defer saver.mu.Unlock()
		if saver.written >= gen {
			return nil // a newer snapshot is already on disk
		}
		if err := writeHistoryFile(path, lines); err != nil {
			return fmt.Errorf("history: save to %s: %w", path, err)
		}
		saver.written = gen
		return nil
	}
}

// writeHistoryFile replaces the file at path with lines, one per line,
// atomically, with mode 0600 in a folder created with mode 0700: the
// history may hold host names and paths that are nobody else's business.
func writeHistoryFile(path string, lines []string) error {
	return atomicfile.Write(path, atomicfile.Options{Perm: 0o600, DirPerm: 0o700}, func(w io.Writer) error {
		for _, l := range lines {
			if _, err := io.WriteString(w, l+"\n"); err != nil {
				return err
			}
		}
		return nil
	})
}
