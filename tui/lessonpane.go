package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"github.com/ftpscope/ftpscope/lesson"
)

// LessonOptions starts the model with a lesson: a pane above the
// transcript says what to try, checks each reply against the current
// step and explains what happened.
type LessonOptions struct {
	// Player follows the learner through the lesson; required.
	Player *lesson.Player
	// Number is the lesson's place among the built-in ones (from 1), or 0
	// for a teacher's file.
	Number int
	// SetFault switches a sandbox fault on or off for the steps that ask
	// for one; nil when there is no sandbox to misbehave.
	SetFault func(name string, on bool) error
	// Finished is called once, when the last step is behind the learner,
	// to record the lesson as finished; a returned error is shown.
	Finished func(skipped int) error
}

// LessonPane shows the current step of a lesson, what the last reply
// meant for it, and, at the end, the codes met. It takes the lines its
// text needs, up to two thirds of the screen; what does not fit then
// scrolls, with a last line saying how much more there is and which key
// reads on, so that no feedback is cut out of reach.
type LessonPane struct {
	styles Styles
	// up and down are the keys that scroll the pane, named in its marker.
	up, down key.Binding
	opts     LessonOptions
	width    int
	// screenHeight is the height of the whole screen.
	screenHeight int
	// scroll is the first line shown of the part that scrolls, and
	// scrollMax the largest it can be; page is how far a key scrolls.
	scroll, scrollMax, page int
	// version counts what the pane showed (see Changed); drawn is the
	// last rendering, for drawnAs.
	version int
	drawn   []string
	drawnAs lessonFrame
	// fault is the sandbox fault switched on for the current step, "".
	fault string
	// recorded is set once the finished lesson was handed for recording,
	// and recordPending until the command that records it is returned.
	recorded, recordPending bool
}

// lessonFrame is what a rendering of the pane depends on besides the
// player: what it said (by version), the size and the scroll position.
type lessonFrame struct {
	version, width, screenHeight, scroll int
}

// NewLessonPane returns the pane of a lesson played by opts.Player; up
// and down are the keys that scroll it.
func NewLessonPane(styles Styles, up, down key.Binding, opts LessonOptions) *LessonPane {
	return &LessonPane{styles: styles, up: up, down: down, opts: opts, width: 80, screenHeight: 24}
}

// SetSize sets the pane's width and the height of the screen it takes
// lines from.
func (p *LessonPane) SetSize(width, screenHeight int) {
	p.width, p.screenHeight = max(width, 10), screenHeight
}

// Changed tells the pane that the player said something or moved: the
// new text is shown from its start.
func (p *LessonPane) Changed() {
	p.version++
	p.scroll = 0
}

// ScrollBy scrolls the part of the pane that does not fit by n lines
// (negative is back).
func (p *LessonPane) ScrollBy(n int) {
	p.scroll = min(max(p.scroll+n, 0), p.scrollMax)
}

// Page scrolls by what the pane shows, less a line kept for context:
// back when up is set.
func (p *LessonPane) Page(up bool) {
	if up {
		p.ScrollBy(-p.page)
		return
	}
	p.ScrollBy(p.page)
}

// maxHeight is the most lines the pane may take: two thirds of the
// screen, the rest left to the transcript, the input and the status line.
func (p *LessonPane) maxHeight() int {
	return max(p.screenHeight*2/3-1, 5)
}

// Height is the number of lines View draws.
func (p *LessonPane) Height() int { return len(p.lines()) }

// View draws the pane: a title line, the feedback, the step, and a rule
// that separates it from the transcript.
func (p *LessonPane) View() string {
	return strings.Join(p.lines(), "\n")
}

// lines renders the pane within maxHeight lines, or returns the last
// rendering when nothing it depends on changed.
func (p *LessonPane) lines() []string {
	frame := lessonFrame{version: p.version, width: p.width, screenHeight: p.screenHeight, scroll: p.scroll}
	if p.drawn != nil && frame == p.drawnAs {
		return p.drawn
	}
	player := p.opts.Player
	l := player.Lesson()
	w := p.width
	title := "lesson"
	if p.opts.Number > 0 {
		title = fmt.Sprintf("lesson %d", p.opts.Number)
	}
	title += " · " + l.Title
	keys := ":hint :skip :back"
	if player.Finished() {
		title += " · finished"
		keys = ":save keeps the session · ctrl+c quits"
	} else {
		title += fmt.Sprintf(" · step %d of %d", player.Index()+1, len(l.Steps))
	}
	header := p.styles.PanelTitle.Render(cut(title, w))
	if gap := w - lipgloss.Width(header) - lipgloss.Width(keys) - 2; gap > 0 {
		header += strings.Repeat(" ", gap+2) + p.styles.Dim.Render(keys)
	}
	rule := p.styles.Dim.Render(strings.Repeat("─", w))
	room := p.maxHeight() - 2 // the header and the rule

	feedback := p.feedback()
	var body []string
	step, ok := player.Step()
	if ok {
		body = p.wrapHanging("▸ ", step.Say, p.styles.PanelText)
		// The lesson's introduction comes before its first step, when
		// there is room for both.
		if about := p.wrap(l.About, p.styles.Dim); player.Index() == 0 && player.Feedback().Kind == lesson.FeedbackNone && l.About != "" && len(about)+len(body) <= room {
			body = append(about, body...)
		}
	} else {
		body = p.summary()
		if len(feedback) > 1 {
			feedback = feedback[:1] // the summary matters more than the last step's explanation
		}
	}
	p.scrollMax, p.page = 0, 0
	var shown []string
	switch {
	case len(feedback)+len(body) <= room:
		shown = append(feedback, body...)
	case ok && room-len(body) >= 2:
		// The step stays in view, and the feedback scrolls above it.
		shown = append(p.window(feedback, room-len(body)), body...)
	default:
		// A step (or summary) that alone nearly fills the pane scrolls
		// with the feedback.
		shown = p.window(append(feedback, body...), room)
	}
	out := append([]string{header}, shown...)
	p.drawn, p.drawnAs = append(out, rule), frame
	return p.drawn
}

// window shows height lines of text, the last of them saying what is
// hidden and which key scrolls to it; it sets how far the pane scrolls.
func (p *LessonPane) window(text []string, height int) []string {
	rows := max(height-1, 1)
	p.scrollMax, p.page = max(len(text)-rows, 0), max(rows-1, 1)
	top := min(p.scroll, p.scrollMax)
	out := append([]string(nil), text[top:top+rows]...)
	below := len(text) - top - rows
	return append(out, p.styles.Dim.Render(fitHint(p.width, scrollParts(top, below, p.down, p.up)...)))
}

// feedback renders what the player said last.
func (p *LessonPane) feedback() []string {
	f := p.opts.Player.Feedback()
	if f.Kind == lesson.FeedbackNone {
		return nil
	}
	style := map[lesson.FeedbackKind]lipgloss.Style{
		lesson.FeedbackPassed:    p.styles.Codes[2],
		lesson.FeedbackNotYet:    p.styles.Dim,
		lesson.FeedbackWrongTurn: p.styles.Warning,
		lesson.FeedbackHint:      p.styles.Sent,
		lesson.FeedbackMoved:     p.styles.Dim,
	}[f.Kind]
	lines := p.wrapHanging("", f.Headline, style)
	for _, t := range f.Text {
		lines = append(lines, p.wrapIndented(t)...)
	}
	return lines
}

// summary renders the end of the lesson: the codes met, one thing to
// remember about each.
func (p *LessonPane) summary() []string {
	player := p.opts.Player
	intro := fmt.Sprintf("Well done: you reached the end of %q.", player.Lesson().Title)
	if n := player.Skipped(); n > 0 {
		intro = fmt.Sprintf("You reached the end of %q, with %d of %d steps skipped; :back returns to them.", player.Lesson().Title, n, len(player.Lesson().Steps))
	}
	notes := player.Summary()
	if len(notes) > 0 {
		intro += " The codes you met, and one thing to remember about each:"
	}
	lines := p.wrap(intro, p.styles.PanelText)
	for _, n := range notes {
		code := p.styles.codeStyleFor(n.Code).Render(n.Code)
		for i, l := range strings.Split(wrapWords(n.Remember, max(p.width-6, 10)), "\n") {
			prefix := "      "
			if i == 0 {
				prefix = "  " + code + " "
			}
			lines = append(lines, prefix+l)
		}
	}
	return lines
}

// wrap word-wraps text to the pane's width in one style.
func (p *LessonPane) wrap(text string, style lipgloss.Style) []string {
	var out []string
	for _, l := range strings.Split(wrapWords(text, p.width), "\n") {
		out = append(out, style.Render(l))
	}
	return out
}

// wrapHanging wraps text after a prefix, the following lines indented
// under the text.
func (p *LessonPane) wrapHanging(prefix, text string, style lipgloss.Style) []string {
	indent := strings.Repeat(" ", max(lipgloss.Width(prefix), 2))
	var out []string
	for i, l := range strings.Split(wrapWords(text, max(p.width-len(indent), 10)), "\n") {
		if i == 0 {
			out = append(out, style.Render(prefix+l))
			continue
		}
		out = append(out, style.Render(indent+l))
	}
	return out
}

// wrapIndented wraps feedback text under its headline.
func (p *LessonPane) wrapIndented(text string) []string {
	var out []string
	for _, l := range strings.Split(wrapWords(text, max(p.width-2, 10)), "\n") {
		out = append(out, "  "+l)
	}
	return out
}
