package lesson

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// FilesVar is the placeholder a lesson's text uses for the folder of
// practice files ftpscope makes for the lesson (see WritePracticeFiles),
// such as STOR notes.txt < {files}/upload-me.txt.
const FilesVar = "{files}"

// placeholderPattern finds placeholders in a lesson's text.
var placeholderPattern = regexp.MustCompile(`\{[a-z]+\}`)

// practiceFiles are the files a lesson may upload, by name.
var practiceFiles = map[string]string{
	"upload-me.txt": "A practice file from ftpscope learn.\nUpload it with STOR name < this file; it is deleted when ftpscope exits.\n",
}

// WritePracticeFiles writes the practice files into dir.
func WritePracticeFiles(dir string) error {
	for name, content := range practiceFiles {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			return fmt.Errorf("practice files: %w", err)
		}
	}
	return nil
}

// Expand returns a copy of l with the placeholders in its texts replaced:
// {files} by filesDir, the folder of practice files.
func Expand(l *Lesson, filesDir string) *Lesson {
	r := strings.NewReplacer(FilesVar, filesDir)
	out := *l
	out.Steps = make([]Step, len(l.Steps))
	for i, s := range l.Steps {
		s.Say, s.Try, s.Done = r.Replace(s.Say), r.Replace(s.Try), r.Replace(s.Done)
		s.Wrong = append([]WrongTurn(nil), s.Wrong...)
		for j := range s.Wrong {
			s.Wrong[j].Say = r.Replace(s.Wrong[j].Say)
		}
		out.Steps[i] = s
	}
	return &out
}

// UsesFiles reports whether a step of the lesson names the practice
// files folder.
func (l *Lesson) UsesFiles() bool {
	for _, s := range l.Steps {
		if strings.Contains(s.Say+s.Try+s.Done, FilesVar) {
			return true
		}
	}
	return false
}
