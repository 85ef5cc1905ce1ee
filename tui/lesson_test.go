package tui

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/lesson"
	"github.com/ftpscope/ftpscope/protocol"
)

// testLesson is a short lesson for the pane's tests, in the format of the
// built-in ones.
const testLesson = `name: test-login
title: Logging in
about: A lesson about logging in to the sandbox in two commands.
steps:
  - say: The server greeted you with 220. Tell it who you are with USER; the sandbox has an account called demo.
    try: USER demo
    expect: {reply: 331, to: USER}
    done: 331 is a 3xx reply, accepted so far; the server now waits for the password.
  - say: First see what a refusal looks like, send PASS with a wrong password, such as PASS letmein.
    try: PASS letmein
    expect: {reply: 530, to: PASS}
    wrong:
      - reply: 230
        say: That was the right password, so you are logged in already. Send USER demo again, then a wrong password.
  - say: Now log in for real with USER demo and PASS demo.
    try: PASS demo
    expect: {logged-in: true}
remember:
  "331": User name accepted; send PASS.
`

// faultSwitch records the faults a lesson switches.
type faultSwitch struct{ calls []string }

func (f *faultSwitch) set(name string, on bool) error {
	f.calls = append(f.calls, map[bool]string{true: "+", false: "-"}[on]+name)
	return nil
}

// newLessonModel returns a model of the given size playing lesson src.
func newLessonModel(t *testing.T, src string, width, height int, faults *faultSwitch) (Model, *lesson.Player) {
	t.Helper()
	l, err := lesson.Parse("test.yaml", []byte(src), []string{"abort-transfer", "disk-full"})
	if err != nil {
		t.Fatal(err)
	}
	player := lesson.NewPlayer(l, testCatalog)
	opts := &LessonOptions{Player: player, Number: 1}
	if faults != nil {
		opts.SetFault = faults.set
	}
	finished := 0
	opts.Finished = func(int) error { finished++; return nil }
	m := New(Options{
		Catalog: testCatalog,
		Target:  protocol.Target{Host: "127.0.0.1", Port: 2121},
		Intro:   []string{"sandbox FTP server on 127.0.0.1:2121"},
		Now:     func() time.Time { return time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC) },
		Lesson:  opts,
	})
	next, _ := m.Update(tea.WindowSizeMsg{Width: width, Height: height})
	return next.(Model), player
}

// wrongTurnSession is the lesson's first step done, then the right
// password where the step asks for a wrong one.
func wrongTurnSession() []protocol.Event {
	return []protocol.Event{
		reply(protocol.GreetingVerb, 0, "220 ftpscope sandbox ready."),
		sent("USER demo"), reply("USER demo", time.Millisecond, "331 User name ok, password required"),
		sent("PASS ****"), reply("PASS ****", time.Millisecond, "230 Password ok, continue"),
	}
}

func TestLessonPaneGolden(t *testing.T) {
	for _, size := range []struct{ w, h int }{{160, 45}, {80, 24}} {
		name := "lesson-wrong-turn-" + map[int]string{160: "160x45", 80: "80x24"}[size.w]
		t.Run(name, func(t *testing.T) {
			m, _ := newLessonModel(t, testLesson, size.w, size.h, nil)
			m = apply(m, wrongTurnSession()...)
			got := screen(m)
			checkScreenSize(t, got, size.w, size.h)
			golden(t, name, got)
		})
	}
	t.Run("lesson-finished-160x45", func(t *testing.T) {
		m, player := newLessonModel(t, testLesson, 160, 45, nil)
		m = apply(m, wrongTurnSession()...)
		m = apply(m, sent("USER demo"), reply("USER demo", time.Millisecond, "331 User name ok, password required"),
			sent("PASS ****"), reply("PASS ****", time.Millisecond, "530 Incorrect password, not logged in"),
			sent("PASS ****"), reply("PASS ****", time.Millisecond, "230 Password ok, continue"))
		if !player.Finished() {
			t.Fatalf("the lesson is not finished; the player says %+v", player.Feedback())
		}
		got := screen(m)
		checkScreenSize(t, got, 160, 45)
		golden(t, "lesson-finished-160x45", got)
	})
}

// enterLine types a line into the model and presses enter.
func enterLine(m Model, line string) Model {
	for _, r := range line {
		next, _ := m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		m = next.(Model)
	}
	next, _ := m.Update(keyPress("enter"))
	return next.(Model)
}

func TestLessonCommands(t *testing.T) {
	m, player := newLessonModel(t, testLesson, 120, 40, nil)
	m = enterLine(m, ":hint")
	if f := player.Feedback(); f.Kind != lesson.FeedbackHint || f.Headline != "hint: type USER demo" {
		t.Errorf(":hint: feedback %+v", f)
	}
	if !strings.Contains(screen(m), "hint: type USER demo") {
		t.Errorf(":hint is not on the screen:\n%s", screen(m))
	}
	m = enterLine(m, ":back")
	if !strings.Contains(screen(m), "this is the first step") {
		t.Errorf(":back on the first step says nothing:\n%s", screen(m))
	}
	m = enterLine(m, ":skip")
	if player.Index() != 1 || !strings.Contains(screen(m), "step 2 of 3") {
		t.Errorf(":skip: at step %d, screen:\n%s", player.Index()+1, screen(m))
	}
	m = enterLine(m, ":back")
	if player.Index() != 0 || !strings.Contains(screen(m), "step 1 of 3") {
		t.Errorf(":back: at step %d", player.Index()+1)
	}
	// The usual keys keep working: help opens and closes.
	// Help scrolls: read its first page and the next.
	next, _ := m.Update(keyPress("f1"))
	s := screen(next.(Model))
	next, _ = next.Update(keyPress("pgdown"))
	if s += screen(next.(Model)); !strings.Contains(s, ":hint") || !strings.Contains(s, ":skip") {
		t.Errorf("help does not list the lesson's commands:\n%s", s)
	}
}

func TestLessonCommandsOutsideALesson(t *testing.T) {
	m := enterLine(newTestModel(120, 30), ":hint")
	if !strings.Contains(screen(m), "no lesson is running") {
		t.Errorf(":hint outside a lesson:\n%s", screen(m))
	}
	next, _ := m.Update(keyPress("f1"))
	if strings.Contains(screen(next.(Model)), ":skip") {
		t.Error("help lists :skip outside a lesson")
	}
}

const faultLesson = `name: faults
title: Faults
steps:
  - say: Announce a data connection.
    try: PASV
    expect: {data-announced: true}
  - say: Download.
    try: RETR pub/random-1MiB.bin
    fault: abort-transfer
    expect: {reply: 426}
  - say: Upload.
    try: STOR x < y
    fault: disk-full
    expect: {reply: 452}
`

func TestLessonSwitchesFaultsPerStep(t *testing.T) {
	faults := &faultSwitch{}
	m, _ := newLessonModel(t, faultLesson, 120, 40, faults)
	m = apply(m, sent("PASV"), reply("PASV", time.Millisecond, "227 Entering Passive Mode (127,0,0,1,195,80)"))
	m = apply(m, sent("RETR pub/random-1MiB.bin"), reply("RETR pub/random-1MiB.bin", time.Millisecond, "426 Failure writing network stream."))
	m = enterLine(m, ":back")
	m = enterLine(m, ":skip")
	_ = enterLine(m, ":skip")
	if got, want := strings.Join(faults.calls, " "), "+abort-transfer -abort-transfer +disk-full -disk-full +abort-transfer -abort-transfer +disk-full -disk-full"; got != want {
		t.Errorf("fault switches:\n got %s\nwant %s", got, want)
	}
}

// TestLessonKeepsTheUsualKeys checks that the transcript, the side panel
// and their keys work as usual during a lesson.
func TestLessonKeepsTheUsualKeys(t *testing.T) {
	m, _ := newLessonModel(t, testLesson, 80, 24, nil)
	m = apply(m, wrongTurnSession()...)
	next, _ := m.Update(keyPress("f4"))
	s := screen(next.(Model))
	if !strings.Contains(s, "230 User logged in") || !strings.Contains(s, "After PASS") || !strings.Contains(s, "lesson 1 · Logging in") {
		t.Errorf("f4 does not show the explanation under the lesson:\n%s", s)
	}
	// Under the lesson's feedback the panel is short: it scrolls.
	next, _ = next.(Model).Update(keyPress("shift+down"))
	if s := screen(next.(Model)); !strings.Contains(s, "What changed") {
		t.Errorf("shift+↓ does not scroll the explanation under the lesson:\n%s", s)
	}
	next, _ = next.(Model).Update(keyPress("ctrl+p"))
	if s := screen(next.(Model)); !strings.Contains(s, "331 User name okay") {
		t.Errorf("ctrl+p does not select the earlier reply:\n%s", s)
	}
}

// TestLessonRecordedOutsideUpdate checks that a finished lesson is
// recorded once, by a command (a file is written), and that a failed
// record is said.
func TestLessonRecordedOutsideUpdate(t *testing.T) {
	for _, fail := range []bool{false, true} {
		m, _ := newLessonModel(t, testLesson, 120, 40, nil)
		var calls []int
		m.lesson.opts.Finished = func(skipped int) error {
			calls = append(calls, skipped)
			if fail {
				return errors.New("lesson progress: save /x/lessons.json: read-only file system")
			}
			return nil
		}
		var cmd tea.Cmd
		for i := 0; i < 3; i++ {
			for _, r := range ":skip" {
				next, _ := m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
				m = next.(Model)
			}
			next, c := m.Update(keyPress("enter"))
			m, cmd = next.(Model), c
		}
		if len(calls) != 0 {
			t.Fatal("the lesson was recorded inside Update")
		}
		if cmd == nil {
			t.Fatal("finishing the lesson returned no command to record it")
		}
		next, _ := m.Update(cmd())
		m = next.(Model)
		if len(calls) != 1 || calls[0] != 3 {
			t.Errorf("Finished calls = %v, want one with 3 steps skipped", calls)
		}
		if got := strings.Contains(screen(m), "read-only file system; the"); got != fail {
			t.Errorf("failed record shown = %v, want %v:\n%s", got, fail, screen(m))
		}
	}
}
