package tui

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
)

// TestPanelBorderAsLipGloss checks that the side panel's row-by-row border
// draws exactly what Lip Gloss draws for the whole block.
func TestPanelBorderAsLipGloss(t *testing.T) {
	body := []string{
		"short",
		"",
		DefaultStyles().PanelHeading.Render("Heading"),
		strings.Repeat("a long line that has to wrap ", 4),
		"tab\there",
		"café 日本語",
	}
	for _, styles := range []Styles{DefaultStyles(), PlainStyles()} {
		for _, width := range []int{20, 41, 64} {
			p := NewSidePanel(styles, testCatalog, DefaultKeyMap().PanelDown)
			p.SetSize(width, len(body))
			want := styles.PanelBorder.Width(width).Render(strings.Join(body, "\n"))
			rows, w, even := p.border(body)
			if got := strings.Join(rows, "\n"); got != want {
				t.Errorf("width %d:\ngot  %q\nwant %q", width, got, want)
			}
			if ww, we := blockWidthOf(strings.Split(want, "\n")); w != ww || even != we {
				t.Errorf("width %d: border says %d cells wide (even %v), Lip Gloss's rows are %d (even %v)", width, w, even, ww, we)
			}
		}
	}
}

// TestFrameJoinsAsLipGloss checks that the frame assembled from rows is
// the frame Lip Gloss's joins give, on a wide screen with a long session.
func TestFrameJoinsAsLipGloss(t *testing.T) {
	for _, width := range []int{100, 160} {
		m := newTestModel(width, 30)
		for _, ev := range benchEvents(200, 0) {
			m.applyEvent(ev)
		}
		m.input.SetValue("RETR café.txt")
		rows, bodyWidth, ok := m.renderBody()
		if !ok {
			t.Fatalf("width %d: the frame was not assembled from rows", width)
		}
		got := stack(rows, bodyWidth, m.renderInput(), m.renderHint(), m.renderStatus())
		body := lipgloss.JoinHorizontal(lipgloss.Top, m.transcript.View(), m.sideView())
		want := lipgloss.JoinVertical(lipgloss.Left, body, m.renderInput(), m.renderHint(), m.renderStatus())
		if got != want {
			t.Errorf("width %d: frames differ:\ngot\n%s\nwant\n%s", width, got, want)
		}
	}
}
