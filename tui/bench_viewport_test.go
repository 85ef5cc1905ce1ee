package tui

// The anchor of the frame benchmarks: what a Bubble Tea developer writes
// first for a transcript beside an explanation. A Bubbles viewport holds
// the whole transcript (each line styled once, when it arrives); when a
// line arrives, the content is set again and the view goes to the bottom;
// each frame joins the viewport with the side panel, bordered by Lip
// Gloss, and the input, hint and status lines under them. ftpscope's own
// frame (BenchmarkFollow) is compared with this one at 100 lines, in the
// same run (x-viewport).

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// viewportScreen is the anchor's model.
type viewportScreen struct {
	vp     viewport.Model
	lines  []string
	base   int // lines of the transcript it started with
	panel  []string
	style  lipgloss.Style
	width  int
	height int
	below  []string // input, hint and status lines
	// arriving is the line that arrives before each frame.
	arriving string
}

// newViewportScreen fills a viewport with bm's transcript, drawn line by
// line by the transcript's own styles, and takes the side panel's text.
func newViewportScreen(bm *benchModel) *viewportScreen {
	t := bm.m.transcript
	s := &viewportScreen{
		style:  bm.m.styles.PanelBorder,
		width:  bm.m.panel.width,
		height: t.height,
		below:  []string{bm.m.renderInput(), bm.m.renderHint(), bm.m.renderStatus()},
	}
	for i := range t.Len() {
		s.lines = append(s.lines, t.render(t.line(i), -1, false)...)
	}
	s.base = len(s.lines)
	s.arriving = bm.m.styles.Sent.Render("> ") + "NOOP"
	ev, index, ok := t.Reply()
	bm.m.panel.View(ev, index, ok)
	s.panel = bm.m.panel.cache
	s.vp = viewport.New(viewport.WithWidth(t.width), viewport.WithHeight(t.height))
	s.vp.SoftWrap = true
	return s
}

// arrive adds a line, as a viewport program does on each new event.
func (s *viewportScreen) arrive(l string) {
	s.lines = append(s.lines[:s.base], l)
	s.vp.SetContent(strings.Join(s.lines, "\n"))
	s.vp.GotoBottom()
}

// view draws the screen.
func (s *viewportScreen) view() string {
	panel := s.style.Width(s.width).Height(s.height).Render(strings.Join(s.panel, "\n"))
	body := lipgloss.JoinHorizontal(lipgloss.Top, s.vp.View(), panel)
	return lipgloss.JoinVertical(lipgloss.Left, append([]string{body}, s.below...)...)
}

// frame is one operation of the anchor: a line arrives, then the screen
// is drawn.
func (s *viewportScreen) frame() string {
	s.arrive(s.arriving)
	return s.view()
}

// benchViewport runs the anchor's frames.
func benchViewport(b *testing.B, bm *benchModel) {
	s := newViewportScreen(bm)
	b.ResetTimer()
	for b.Loop() {
		frameSink = s.frame()
	}
}

// BenchmarkViewport is the anchor at 100 and 10,000 lines (at 1,000,000 a
// frame takes seconds).
func BenchmarkViewport(b *testing.B) {
	for _, n := range benchSizes[:2] {
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			bm := modelWithLines(b, n)
			b.ReportAllocs()
			benchViewport(b, bm)
		})
	}
}

var (
	viewportOnce sync.Once
	viewportNs   float64
)

// reportViewportRatio reports the benchmark's time per operation as a
// fraction of the anchor's frame at 100 lines (x-viewport), measuring the
// anchor once per run: its mean over a quarter of a second of frames
// (testing.Benchmark cannot run inside a benchmark).
func reportViewportRatio(b *testing.B) {
	b.Helper()
	elapsed, n := b.Elapsed(), b.N
	viewportOnce.Do(func() {
		s := newViewportScreen(modelWithLines(b, 100))
		for range 10 {
			frameSink = s.frame() // warm up
		}
		frames, start := 0, time.Now()
		for frames < 20 || time.Since(start) < 250*time.Millisecond {
			frameSink = s.frame()
			frames++
		}
		viewportNs = float64(time.Since(start).Nanoseconds()) / float64(frames)
	})
	if viewportNs > 0 && n > 0 {
		b.ReportMetric(float64(elapsed.Nanoseconds())/float64(n)/viewportNs, "x-viewport")
	}
}

// typing is what BenchmarkKeystroke types: a command, then backspaces over
// it, so that the input line stays short however long the run.
var typing = func() []tea.KeyPressMsg {
	var keys []tea.KeyPressMsg
	word := "RETR file.txt"
	for _, r := range word {
		keys = append(keys, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	for range word {
		keys = append(keys, tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	return keys
}()

// BenchmarkKeystroke is one key typed in the input line: Update, and the
// View Bubble Tea draws after it.
func BenchmarkKeystroke(b *testing.B) {
	runSizes(b, func(b *testing.B, bm *benchModel) {
		i := 0
		for b.Loop() {
			bm.update(typing[i%len(typing)])
			frameSink = bm.m.View().Content
			i++
		}
		reportViewportRatio(b)
	})
}
