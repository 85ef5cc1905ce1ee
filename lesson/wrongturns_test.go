package lesson

import (
	"strings"
	"testing"
)

// Wrong turns of the built-in lessons, played against a real sandbox.

// TestRenameLessonRefusals plays the wrong turns the sandbox now refuses
// as real servers do: making the practice folder twice, and removing it
// while a file is still in it.
func TestRenameLessonRefusals(t *testing.T) {
	lessons, err := Builtin(sandboxFaults())
	if err != nil {
		t.Fatal(err)
	}
	var rename *Lesson
	for _, l := range lessons {
		if l.Name == "rename" {
			rename = l
		}
	}
	c := newClassroom(t, rename)
	c.do("MKD practice")
	if got := c.do("MKD practice"); got != "550" {
		t.Fatalf("MKD of an existing folder answered %s, want 550", got)
	}
	// The second MKD is seen at step 2, which waits for RNFR: go back.
	c.player.Back()
	c.do("MKD practice")
	f := c.player.Feedback()
	if c.player.Index() != 0 || f.Kind != FeedbackWrongTurn || !strings.Contains(feedbackText(f), "There is a folder called practice already") {
		t.Errorf("MKD practice again at step 1: step %d, %s", c.player.Index()+1, feedbackText(f))
	}
	c.do("RMD practice")
	c.do("MKD practice")
	c.do("RNFR README.txt")
	c.do("RNTO practice/README.txt")
	for c.player.Index() < len(rename.Steps)-1 {
		c.player.Skip()
	}
	if got := c.do("RMD practice"); got != "550" {
		t.Fatalf("RMD of a folder with a file answered %s, want 550", got)
	}
	if f := c.player.Feedback(); f.Kind != FeedbackWrongTurn || !strings.Contains(feedbackText(f), "The folder is not empty") {
		t.Errorf("RMD of a non-empty folder: %s", feedbackText(f))
	}
	c.do("DELE practice/README.txt")
	c.do("RMD practice")
	if !c.player.Finished() {
		t.Errorf("the lesson should end once the folder is removed: %s", feedbackText(c.player.Feedback()))
	}
}

// TestTransferLessonMissingFile: SIZE of a file that is not there gets
// 550 from the sandbox, as from real servers, and the step says where
// the file is instead of a "try again later" 450.
func TestTransferLessonMissingFile(t *testing.T) {
	lessons, err := Builtin(sandboxFaults())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lessons {
		if l.Name != "transfer" {
			continue
		}
		c := newClassroom(t, l)
		c.do("TYPE I")
		if got := c.do("SIZE hello.txt"); got != "550" {
			t.Fatalf("SIZE of a missing file answered %s, want 550", got)
		}
		if f := c.player.Feedback(); f.Kind != FeedbackWrongTurn || !strings.Contains(feedbackText(f), "in the folder pub") {
			t.Errorf("SIZE hello.txt: %s", feedbackText(f))
		}
		c.do("CWD pub")
		c.do("SIZE hello.txt")
		if c.player.Index() != 2 {
			t.Errorf("SIZE with a relative path after CWD pub should pass the step: at step %d, %s", c.player.Index()+1, feedbackText(c.player.Feedback()))
		}
	}
}

// TestTLSLessonLoginTooEarly: USER before AUTH TLS is a wrong turn that
// says what travelled in clear text, not a neutral "noted".
func TestTLSLessonLoginTooEarly(t *testing.T) {
	lessons, err := Builtin(sandboxFaults())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lessons {
		if l.Name != "tls" {
			continue
		}
		c := newClassroom(t, l)
		c.do("USER demo")
		if f := c.player.Feedback(); f.Kind != FeedbackWrongTurn || !strings.Contains(feedbackText(f), "clear text") {
			t.Errorf("USER before AUTH TLS: %s", feedbackText(f))
		}
		c.do("AUTH TLS")
		if c.player.Index() != 1 {
			t.Errorf("AUTH TLS after USER should still pass the step: at step %d, %s", c.player.Index()+1, feedbackText(c.player.Feedback()))
		}
	}
}
