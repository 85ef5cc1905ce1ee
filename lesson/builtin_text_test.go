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

// TestDirectoryStepsSayFolder: a step that sends a folder's command (CWD,
// MKD, RMD) does not call its target a file, which is what the reply's
// name says and what a learner would then look for ("A file that does
// not exist: CWD nowhere.").
func TestDirectoryStepsSayFolder(t *testing.T) {
	lessons, err := Builtin(sandboxFaults())
	if err != nil {
		t.Fatal(err)
	}
	folderVerbs := map[string]bool{"CWD": true, "XCWD": true, "MKD": true, "XMKD": true, "RMD": true, "XRMD": true, "CDUP": true}
	for _, l := range lessons {
		for i, s := range l.Steps {
			verb, _, _ := strings.Cut(s.Try, " ")
			if folderVerbs[strings.ToUpper(verb)] && strings.Contains(strings.ToLower(s.Say), "a file") {
				t.Errorf("%s step %d (%s) calls a folder a file: %q", l.Name, i+1, s.Try, s.Say)
			}
		}
	}
}
