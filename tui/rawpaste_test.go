package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestPasteRecorder feeds the recorder terminal input in chunks of every
// size, so the paste markers are split at every possible place.
func TestPasteRecorder(t *testing.T) {
	input := "typed" + pasteStart + "MKD upload/\x1b[31mred\a" + pasteEnd + "\x1b[A" +
		pasteStart + "NOOP\rPWD" + pasteEnd + "more"
	for size := 1; size <= len(input); size++ {
		r := NewPasteRecorder()
		for i := 0; i < len(input); i += size {
			r.Observe([]byte(input[i:min(i+size, len(input))]))
		}
		for _, want := range []string{"MKD upload/\x1b[31mred\a", "NOOP\rPWD"} {
			if got, ok := r.Claim(); !ok || got != want {
				t.Fatalf("chunks of %d: Claim() = %q, %v; want %q", size, got, ok, want)
			}
		}
		if got, ok := r.Claim(); ok {
			t.Fatalf("chunks of %d: a third paste %q", size, got)
		}
	}
}

// TestPasteRecorderBounds checks that a paste too long to record is
// claimed as not recorded (so the next paste still gets its own bytes),
// and that a nil recorder records nothing.
func TestPasteRecorderBounds(t *testing.T) {
	r := NewPasteRecorder()
	r.Observe([]byte(pasteStart + strings.Repeat("x", maxRawPaste+10) + pasteEnd))
	r.Observe([]byte(pasteStart + "NOOP" + pasteEnd))
	if _, ok := r.Claim(); ok {
		t.Error("a paste longer than the bound was recorded")
	}
	if got, ok := r.Claim(); !ok || got != "NOOP" {
		t.Errorf("the paste after it: %q, %v", got, ok)
	}
	var none *PasteRecorder
	if _, ok := none.Claim(); ok {
		t.Error("a nil recorder claimed a paste")
	}
}

// TestPastedEscapesTheDecoderDropped checks the paste: Bubble Tea
// delivers `MKD upload/red\a` (the colour sequence dropped), and the
// recorded bytes let ftpscope name \x1b[31m too.
func TestPastedEscapesTheDecoderDropped(t *testing.T) {
	m := newTestModel(120, 30)
	m.opts.Pastes = NewPasteRecorder()
	m.opts.Pastes.Observe([]byte(pasteStart + "MKD upload/\x1b[31mred\a" + pasteEnd))
	next, _ := m.Update(tea.PasteMsg{Content: "MKD upload/red\a"})
	m = next.(Model)
	if got := m.input.Value(); got != "MKD upload/red" {
		t.Errorf("input %q, want %q", got, "MKD upload/red")
	}
	if got := lastLine(m); !strings.Contains(got, `now removed: \x1b[31m, \x07`) {
		t.Errorf("last line %q does not name both removed sequences", got)
	}

	// A recording that does not match the paste is not used.
	m = newTestModel(120, 30)
	m.opts.Pastes = NewPasteRecorder()
	m.opts.Pastes.Observe([]byte(pasteStart + "something else" + pasteEnd))
	next, _ = m.Update(tea.PasteMsg{Content: "NOOP"})
	m = next.(Model)
	if got := m.input.Value(); got != "NOOP" {
		t.Errorf("input %q, want the decoded paste NOOP", got)
	}
}
