package tui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
)

// startModel runs the real model against a real sandbox server.
func startModel(t *testing.T) *teatest.TestModel {
	t.Helper()
	srv, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	m := New(Options{
		Catalog: testCatalog,
		Connect: func() *protocol.Session { return protocol.Dial(protocol.Config{Addr: srv.Addr}) },
		Target:  srv.Addr,
	})
	return teatest.NewTestModel(t, m, teatest.WithInitialTermSize(140, 40))
}

// waitForText waits until the program has drawn text.
func waitForText(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte(text))
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

func typeLine(tm *teatest.TestModel, line string) {
	tm.Type(line)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
}

func TestTeaUserDemoIsExplained(t *testing.T) {
	tm := startModel(t)
	waitForText(t, tm, "Service ready")
	typeLine(tm, "USER demo")
	waitForText(t, tm, "need password")
	typeLine(tm, "PASS demo")
	waitForText(t, tm, "User logged in")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	got := screen(final)
	for _, want := range []string{"> USER demo", "< 331", "> PASS ****", "< 230", "230 User logged in"} {
		if !strings.Contains(got, want) {
			t.Errorf("screen lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "PASS demo") {
		t.Errorf("the password is on screen:\n%s", got)
	}
}

func TestTeaRefusesLineBreaks(t *testing.T) {
	tm := startModel(t)
	waitForText(t, tm, "Service ready")
	// A paste with a line break arrives as one message; the input folds it,
	// and the protocol layer refuses CR/LF on its own regardless.
	tm.Send(tea.PasteMsg{Content: "NOOP\r\nDELE README.txt"})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	typeLine(tm, ":frobnicate")
	waitForText(t, tm, "Unknown local command")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	got := screen(final)
	if strings.Contains(got, "> DELE") {
		t.Errorf("a pasted line break produced a second command:\n%s", got)
	}
	if !strings.Contains(got, "Did you mean") {
		t.Errorf("no suggestion for an unknown local command:\n%s", got)
	}
}
