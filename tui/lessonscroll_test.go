package tui

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ftpscope/ftpscope/lesson"
	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
)

// longFeedbackFile is a lesson with a wrong turn whose explanation is
// longer than a lesson's pane can show at 80×24: the pane must let every
// line of it be read, not cut it after a few. The binary's test in
// cmd/ftpscope plays the same file.
const longFeedbackFile = "testdata/long-feedback.yaml"

// longFeedbackLesson is the text of longFeedbackFile.
func longFeedbackLesson(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(longFeedbackFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// feedbackRows returns the pane's feedback as the rows it wraps it to,
// without styles or trailing spaces.
func feedbackRows(m Model) []string {
	var rows []string
	for _, r := range m.lesson.feedback() {
		rows = append(rows, strings.TrimRight(ansi.Strip(r), " "))
	}
	return rows
}

// readWholeFeedback reads the pane as a learner does: the screen, then
// ctrl+↓ until the pane says nothing more is below. It returns the rows
// seen and the screens.
func readWholeFeedback(t *testing.T, m Model, width, height int) (seen map[string]bool, screens []string) {
	t.Helper()
	seen = map[string]bool{}
	for range 10 {
		s := screen(m)
		checkScreenSize(t, s, width, height)
		screens = append(screens, s)
		for _, row := range strings.Split(s, "\n") {
			seen[strings.TrimRight(row, " ")] = true
		}
		if !strings.Contains(s, "more line") {
			return seen, screens
		}
		next, _ := m.Update(keyPress("ctrl+down"))
		m = next.(Model)
	}
	t.Fatalf("ctrl+↓ never reached the end of the feedback:\n%s", strings.Join(screens, "\n\n"))
	return nil, nil
}

// checkWholeFeedback checks that every row of the pane's feedback was
// seen, and that the step stayed in view on every screen.
func checkWholeFeedback(t *testing.T, m Model, seen map[string]bool, screens []string) {
	t.Helper()
	rows := feedbackRows(m)
	if len(rows) < 5 {
		t.Fatalf("the feedback has %d rows; the test wants a long one:\n%s", len(rows), strings.Join(rows, "\n"))
	}
	for _, row := range rows {
		if !seen[row] {
			t.Errorf("feedback row never shown: %q\nscreens:\n%s", row, strings.Join(screens, "\n\n"))
		}
	}
	for _, s := range screens {
		if !strings.Contains(s, "▸ Tell the server who you are") {
			t.Errorf("the step is out of view:\n%s", s)
		}
	}
}

// TestLessonFeedbackReadableOnSmallScreens checks that a long wrong-turn
// explanation can be read whole at 80×24 and 80×20: the pane grows for
// it, and what still does not fit scrolls with ctrl+↓, a last row saying
// how much is left.
func TestLessonFeedbackReadableOnSmallScreens(t *testing.T) {
	wrong := []protocol.Event{
		reply(protocol.GreetingVerb, 0, "220 ftpscope sandbox ready."),
		sent("LIST"), reply("LIST", time.Millisecond, "530 Please login with USER and PASS."),
	}
	for _, size := range []struct{ w, h int }{{80, 24}, {80, 20}} {
		m, player := newLessonModel(t, longFeedbackLesson(t), size.w, size.h, nil)
		m = apply(m, wrong...)
		if f := player.Feedback(); f.Kind != lesson.FeedbackWrongTurn {
			t.Fatalf("%dx%d: feedback %+v, want a wrong turn", size.w, size.h, f)
		}
		seen, screens := readWholeFeedback(t, m, size.w, size.h)
		checkWholeFeedback(t, m, seen, screens)
		if len(screens) < 2 || !strings.Contains(screens[0], "more lines · ctrl+↓ reads on") {
			t.Errorf("%dx%d: the first screen does not say that more follows, and how to read it:\n%s", size.w, size.h, screens[0])
		}
		if !strings.Contains(screens[len(screens)-1], "above · ctrl+↑ goes back") {
			t.Errorf("%dx%d: the last screen does not say how to go back:\n%s", size.w, size.h, screens[len(screens)-1])
		}
		if !strings.Contains(screens[0], "< 530 Please login") {
			t.Errorf("%dx%d: the reply is not in the transcript's view:\n%s", size.w, size.h, screens[0])
		}
	}
}

// TestLessonFeedbackGolden pins the pane at 80×24 with feedback too long
// for it: the start with its marker, then the end after ctrl+↓.
func TestLessonFeedbackGolden(t *testing.T) {
	m, _ := newLessonModel(t, longFeedbackLesson(t), 80, 24, nil)
	m = apply(m, reply(protocol.GreetingVerb, 0, "220 ftpscope sandbox ready."),
		sent("LIST"), reply("LIST", time.Millisecond, "530 Please login with USER and PASS."))
	golden(t, "lesson-long-feedback-80x24", screen(m))
	next, _ := m.Update(keyPress("ctrl+down"))
	golden(t, "lesson-long-feedback-80x24-read-on", screen(next.(Model)))
}

// TestLessonScrollKeysInHelp checks that the keys that scroll a lesson's
// pane are declared in help during a lesson, and only then.
func TestLessonScrollKeysInHelp(t *testing.T) {
	m, _ := newLessonModel(t, testLesson, 120, 40, nil)
	next, _ := m.Update(keyPress("f1"))
	if s := screen(next.(Model)); !strings.Contains(s, "ctrl+↓") || !strings.Contains(s, "ctrl+↑") {
		t.Errorf("help during a lesson does not list ctrl+↑ and ctrl+↓:\n%s", s)
	}
	next, _ = newTestModel(120, 40).Update(keyPress("f1"))
	if s := screen(next.(Model)); strings.Contains(s, "ctrl+↓") {
		t.Errorf("help outside a lesson lists ctrl+↓:\n%s", s)
	}
}

// TestTeaLessonFeedbackAt80x24 plays a lesson in the real model against
// the real sandbox at 80×24: a command before logging in gets a long
// wrong-turn explanation, and every row of it can be read, the pane
// scrolled with ctrl+↓ as a learner scrolls it.
func TestTeaLessonFeedbackAt80x24(t *testing.T) {
	_, target := startSandbox(t, sandbox.Options{})
	l, err := lesson.Parse("long.yaml", []byte(longFeedbackLesson(t)), nil)
	if err != nil {
		t.Fatal(err)
	}
	player := lesson.NewPlayer(l, testCatalog)
	m := New(Options{
		Catalog: testCatalog,
		Connect: dialWith(protocol.Config{}),
		Target:  target,
		Lesson:  &LessonOptions{Player: player, Number: 1},
	})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitForText(t, tm, "sandbox ready")
	typeLine(tm, "LIST")
	waitForText(t, tm, "in answer to LIST")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if f := player.Feedback(); f.Kind != lesson.FeedbackWrongTurn {
		t.Fatalf("feedback %+v, want a wrong turn", f)
	}
	seen, screens := readWholeFeedback(t, final, 80, 24)
	checkWholeFeedback(t, final, seen, screens)
}
