//go:build unix

package atomicfile

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// TestModes checks the file's mode for each combination of Options and
// an existing file, with the umask set to 022.
func TestModes(t *testing.T) {
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
	tests := []struct {
		name     string
		existing fs.FileMode // 0: no file before
		opts     Options
		want     fs.FileMode
	}{
		{"new file, default mode", 0, Options{}, 0o644},
		{"replaced file keeps its mode", 0o640, Options{}, 0o640},
		{"Perm on a new file", 0, Options{Perm: 0o600}, 0o600},
		{"Perm wins over the old mode", 0o644, Options{Perm: 0o600}, 0o600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "f")
			if tt.existing != 0 {
				if err := os.WriteFile(path, []byte("old"), tt.existing); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, tt.existing); err != nil {
					t.Fatal(err)
				}
			}
			if err := Write(path, tt.opts, writeString("new")); err != nil {
				t.Fatalf("Write: %v", err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != tt.want {
				t.Errorf("mode %v, want %v", got, tt.want)
			}
			if got, _ := os.ReadFile(path); string(got) != "new" {
				t.Errorf("content %q, want %q", got, "new")
			}
		})
	}
}

// TestDirPerm checks that DirPerm creates missing folders and that
// without it a missing folder is a not-exist error.
func TestDirPerm(t *testing.T) {
	root := t.TempDir()
	path := filepath.Join(root, "a", "b", "f")
	if err := Write(path, Options{}, writeString("x")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Write without DirPerm into a missing folder: %v, want a not-exist error", err)
	}
	if err := Write(path, Options{DirPerm: 0o700}, writeString("x")); err != nil {
		t.Fatalf("Write with DirPerm: %v", err)
	}
	fi, err := os.Stat(filepath.Join(root, "a", "b"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v, want 0700", fi.Mode().Perm())
	}
}

// TestSymlinkIsReplaced checks that a symbolic link at path is replaced by
// the file and its target is left alone.
func TestSymlinkIsReplaced(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, []byte("target"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "link")
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, Options{}, writeString("new")); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if got, _ := os.ReadFile(target); string(got) != "target" {
		t.Errorf("the link's target changed to %q", got)
	}
	if fi, err := os.Lstat(path); err != nil || fi.Mode()&fs.ModeSymlink != 0 {
		t.Errorf("path is still a link (%v)", err)
	}
}

// TestFileCommitAndDiscard checks that a File changes nothing at path
// until Commit, and that Discard leaves the old file and no temporary one.
func TestFileCommitAndDiscard(t *testing.T) {
	for _, tt := range []struct {
		commit bool
		opts   Options
	}{
		{true, Options{}},
		{false, Options{}},
		{true, Options{NoSync: true}},
		{false, Options{NoSync: true}},
	} {
		commit := tt.commit
		dir := t.TempDir()
		path := filepath.Join(dir, "f")
		if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := Create(path, tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte("new")); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(path); string(got) != "old" {
			t.Fatalf("before Commit the file holds %q, want the old content", got)
		}
		want := "old"
		if commit {
			want = "new"
			if err := f.Commit(); err != nil {
				t.Fatalf("Commit: %v", err)
			}
		}
		f.Discard() // harmless after Commit
		if got, _ := os.ReadFile(path); string(got) != want {
			t.Errorf("commit=%v %+v: the file holds %q, want %q", commit, tt.opts, got, want)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("commit=%v %+v: the folder holds %d entries, want the file alone", commit, tt.opts, len(entries))
		}
	}
}

// TestNoReplace checks that NoReplace refuses an existing file, at
// Create and at Commit (a file that appeared meanwhile), and keeps it.
func TestNoReplace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	if err := Write(path, Options{NoReplace: true}, writeString("new")); err != nil {
		t.Fatalf("a new file: %v", err)
	}
	if err := Write(path, Options{NoReplace: true}, writeString("again")); !errors.Is(err, fs.ErrExist) {
		t.Errorf("an existing file: %v, want fs.ErrExist", err)
	}
	raced := filepath.Join(dir, "g")
	f, err := Create(raced, Options{NoReplace: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(raced, []byte("theirs"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(f, "ours")
	if err := f.Commit(); !errors.Is(err, fs.ErrExist) {
		t.Errorf("a file created before Commit: %v, want fs.ErrExist", err)
	}
	for p, want := range map[string]string{path: "new", raced: "theirs"} {
		if got, _ := os.ReadFile(p); string(got) != want {
			t.Errorf("%s holds %q, want %q", filepath.Base(p), got, want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("the folder holds %d entries, want 2 (no temporary file left)", len(entries))
	}
}

// TestDirectWritesInOrder: what Write buffered reaches the file before
// what is written through Direct, and Write carries on after it.
func TestDirectWritesInOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	p, err := Create(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Write([]byte("one,")); err != nil {
		t.Fatal(err)
	}
	f, err := p.Direct()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("two,")); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Write([]byte("three")); err != nil {
		t.Fatal(err)
	}
	if err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "one,two,three" {
		t.Errorf("the file holds %q, want %q", got, "one,two,three")
	}
	if _, err := p.Direct(); err == nil {
		t.Error("Direct after Commit gave the file, want an error")
	}
}

// TestLargeWritesSkipTheBuffer: a write as large as the buffer reaches the
// file at once, instead of being copied into the buffer first (which
// bufio does for a write of exactly its size); a small one waits.
func TestLargeWritesSkipTheBuffer(t *testing.T) {
	p, err := Create(filepath.Join(t.TempDir(), "f"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Discard()
	size := func() int64 {
		fi, err := p.f.Stat()
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	if _, err := p.Write(make([]byte, p.bw.Size())); err != nil {
		t.Fatal(err)
	}
	if got := size(); got != int64(p.bw.Size()) {
		t.Errorf("after a write of %d bytes the file holds %d, want all of them", p.bw.Size(), got)
	}
	if _, err := p.Write([]byte("small")); err != nil {
		t.Fatal(err)
	}
	if got := size(); got != int64(p.bw.Size()) {
		t.Errorf("a small write reached the file at once (%d bytes), want it buffered", got)
	}
}

// callRecorder records the size of every Write. The one numbered failAt
// (from 1) takes half of what it is given, and fails, or with short set
// returns no error, as a broken writer might.
type callRecorder struct {
	sizes  []int
	total  []byte
	failAt int
	short  bool
}

func (r *callRecorder) Write(p []byte) (int, error) {
	r.sizes = append(r.sizes, len(p))
	if len(r.sizes) == r.failAt {
		r.total = append(r.total, p[:len(p)/2]...)
		if r.short {
			return len(p) / 2, nil
		}
		return len(p) / 2, errors.New("disk full")
	}
	r.total = append(r.total, p...)
	return len(p), nil
}

// TestBoundedWriter: every byte arrives, in order, in calls of at most
// WriteSize; an error stops the writing and counts what was taken.
func TestBoundedWriter(t *testing.T) {
	tests := []struct {
		name      string
		size      int
		failAt    int
		short     bool
		wantCalls []int
		wantN     int
	}{
		{name: "empty", size: 0, wantCalls: nil, wantN: 0},
		{name: "small", size: 100, wantCalls: []int{100}, wantN: 100},
		{name: "exactly one", size: WriteSize, wantCalls: []int{WriteSize}, wantN: WriteSize},
		{name: "one byte over", size: WriteSize + 1, wantCalls: []int{WriteSize, 1}, wantN: WriteSize + 1},
		{name: "a read of 1 MiB", size: 1 << 20, wantCalls: append(slices.Repeat([]int{WriteSize}, 21), 1<<20-21*WriteSize), wantN: 1 << 20},
		{name: "fails in the second call", size: 3 * WriteSize, failAt: 2, wantCalls: []int{WriteSize, WriteSize}, wantN: WriteSize + WriteSize/2},
		{name: "a short write without an error", size: 3 * WriteSize, failAt: 2, short: true, wantCalls: []int{WriteSize, WriteSize}, wantN: WriteSize + WriteSize/2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := make([]byte, tt.size)
			for i := range data {
				data[i] = byte(i * 7)
			}
			r := &callRecorder{failAt: tt.failAt, short: tt.short}
			n, err := BoundedWriter{r}.Write(data)
			if (err != nil) != (tt.failAt != 0) {
				t.Fatalf("error %v, want one only when a call fails or falls short", err)
			}
			if tt.short && !errors.Is(err, io.ErrShortWrite) {
				t.Errorf("error %v, want io.ErrShortWrite", err)
			}
			if n != tt.wantN {
				t.Errorf("wrote %d bytes, want %d", n, tt.wantN)
			}
			if !slices.Equal(r.sizes, tt.wantCalls) {
				t.Errorf("calls of %v bytes, want %v", r.sizes, tt.wantCalls)
			}
			if !bytes.Equal(r.total, data[:n]) {
				t.Errorf("the bytes arrived changed or out of order")
			}
		})
	}
}
