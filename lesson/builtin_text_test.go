package lesson

import (
	"strings"
	"testing"
)

// TestUploadStepsNameTheLocalFile: a step whose command sends a local
// file (STOR name < file) tells the learner where that file is, since the
// practice folder is made at run time and typed by nobody from memory.
func TestUploadStepsNameTheLocalFile(t *testing.T) {
	lessons, err := Builtin(sandboxFaults())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lessons {
		for i, s := range l.Steps {
			_, local, ok := strings.Cut(s.Try, "<")
			if !ok {
				continue
			}
			if local = strings.TrimSpace(local); !strings.Contains(s.Say, local) {
				t.Errorf("%s step %d (%s): the text does not name the local file %s: %q", l.Name, i+1, s.Try, local, s.Say)
			}
		}
	}
}
