package lesson

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/ftpscope/ftpscope/internal/suggest"
)

// builtinFiles are the lessons that ship with ftpscope, one YAML file
// each, numbered in the order they are meant to be taken.
//
//go:embed lessons/*.yaml
var builtinFiles embed.FS

// Builtin returns the built-in lessons, in order. faults are the sandbox's
// fault names, which steps may switch on. A built-in lesson that does not
// parse is a bug in ftpscope, reported as an error naming the file.
func Builtin(faults []string) ([]*Lesson, error) {
	entries, err := fs.ReadDir(builtinFiles, "lessons")
	if err != nil {
		return nil, fmt.Errorf("built-in lessons: %w", err)
	}
	var lessons []*Lesson
	for _, e := range entries {
		data, err := builtinFiles.ReadFile(path.Join("lessons", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("built-in lessons: %w", err)
		}
		l, err := Parse(path.Join("lesson/lessons", e.Name()), data, faults)
		if err != nil {
			return nil, fmt.Errorf("built-in lesson %s: %w", e.Name(), err)
		}
		lessons = append(lessons, l)
	}
	return lessons, nil
}

// Find returns the lesson called name, or numbered name (from 1), among
// lessons. When there is none, the error names the lessons there are.
func Find(lessons []*Lesson, name string) (*Lesson, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	for i, l := range lessons {
		if l.Name == name || fmt.Sprint(i+1) == name {
			return l, nil
		}
	}
	names := make([]string, len(lessons))
	for i, l := range lessons {
		names[i] = l.Name
	}
	return nil, &UnknownError{Name: name, Known: slices.Clone(names)}
}

// UnknownError is the error of Find for a name no lesson has.
type UnknownError struct {
	Name  string
	Known []string
}

// Error says that there is no such lesson, suggests the closest name if
// one is close, and lists them.
func (e *UnknownError) Error() string {
	return suggest.Unknown("lesson", e.Name, e.Known, fmt.Sprintf("ftpscope learn lists them (%s), or give a number from 1 to %d", strings.Join(e.Known, ", "), len(e.Known)))
}
