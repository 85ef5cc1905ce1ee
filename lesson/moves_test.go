package lesson

import (
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/catalog"
)

// TestBackThenSkipKeepsADoneStep: going back to a step already done and
// skipping it again does not count it as skipped in the summary.
func TestBackThenSkipKeepsADoneStep(t *testing.T) {
	l, err := Parse("t.yaml", []byte(`name: t
title: T
steps:
  - say: Who are you?
    try: USER demo
    expect: {reply: 331}
  - say: Password.
    try: PASS demo
    expect: {reply: 230}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPlayer(l, catalog.MustLoad())
	p.Observe(outcomeAfter(t, "USER demo|331 Password required."))
	p.Observe(outcomeAfter(t, "PASS demo|230 Logged in."))
	if !p.Finished() {
		t.Fatalf("the lesson should be finished: %s", feedbackText(p.Feedback()))
	}
	p.Back()
	p.Skip()
	if f := p.Feedback(); !p.Finished() || !strings.Contains(feedbackText(f), "stays done") {
		t.Errorf(":back then :skip on a done step: finished %v, %s", p.Finished(), feedbackText(f))
	}
	if n := p.Skipped(); n != 0 {
		t.Errorf("%d steps counted as skipped, want 0", n)
	}
	p.Back()
	p.Back()
	p.Skip()
	p.Skip()
	if n := p.Skipped(); n != 0 {
		t.Errorf("after going back over both and skipping, %d counted as skipped, want 0", n)
	}
}

// TestNotLoggedInWrongTurn: a teacher's lesson that does not log in, and a
// learner who starts with CWD, get "log in first", not the catalogue's
// advice about a refused password.
func TestNotLoggedInWrongTurn(t *testing.T) {
	l, err := Parse("t.yaml", []byte(`name: t
title: T
steps:
  - say: Go into pub.
    try: CWD pub
    expect: {directory: /pub}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPlayer(l, catalog.MustLoad())
	p.Observe(outcomeAfter(t, "CWD pub|530 Please login with USER and PASS."))
	text := feedbackText(p.Feedback())
	if !strings.Contains(text, "Nothing is logged in yet") || strings.Contains(text, "If it answered PASS") {
		t.Errorf("CWD before logging in: %s", text)
	}
	p.Observe(outcomeAfter(t, "USER demo|331 Password required.", "PASS nope|530 Login incorrect."))
	if text := feedbackText(p.Feedback()); strings.Contains(text, "Nothing is logged in yet") {
		t.Errorf("a refused password is not \"nothing logged in\": %s", text)
	}
}
