package lesson

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/diagnose"
)

// Player follows a learner through a lesson: it holds the current step,
// checks the outcome of each reply against it, and says what happened.
// It never punishes: a wrong turn is explained and the step stays.
type Player struct {
	lesson  *Lesson
	catalog *catalog.Catalog
	current int
	// skipped marks the steps left with :skip.
	skipped []bool
	// done marks the steps passed at least once: :back then :skip does
	// not undo them.
	done []bool
	// met lists the reply codes seen during the lesson, first seen first.
	met []string
	// feedback is what the player said last.
	feedback Feedback
	// last is the newest final reply checked, for Settle.
	last *Outcome
	// diagnosis draws findings from the session's events, for Watch.
	diagnosis *diagnose.Engine
	// loggingIn is set while ftpscope logs in for a lesson with Login:
	// those replies are met but not checked.
	loggingIn bool
}

// FeedbackKind says what kind of thing the player said.
type FeedbackKind int

// The kinds of feedback.
const (
	// FeedbackNone: nothing yet; the step speaks for itself.
	FeedbackNone FeedbackKind = iota
	// FeedbackPassed: the previous step is done, and why it worked.
	FeedbackPassed
	// FeedbackNotYet: a reply that went well but is not what the step
	// waits for (a TYPE before a listing): noted, nothing lost.
	FeedbackNotYet
	// FeedbackWrongTurn: a reply that is not what the step waits for, and
	// how to get back on track.
	FeedbackWrongTurn
	// FeedbackHint: the command to try, asked for with :hint.
	FeedbackHint
	// FeedbackMoved: :skip or :back moved to another step.
	FeedbackMoved
)

// Feedback is what the player says about the last thing that happened:
// a headline and paragraphs of explanation.
type Feedback struct {
	Kind     FeedbackKind
	Headline string
	Text     []string
}

// NewPlayer starts a lesson at its first step. cat explains the replies.
func NewPlayer(l *Lesson, cat *catalog.Catalog) *Player {
	return &Player{lesson: l, catalog: cat, skipped: make([]bool, len(l.Steps)), done: make([]bool, len(l.Steps)), loggingIn: l.Login != "", diagnosis: diagnose.New()}
}

// Lesson returns the lesson being played.
func (p *Player) Lesson() *Lesson { return p.lesson }

// Index returns the current step's index from 0; it equals the number of
// steps once the lesson is finished.
func (p *Player) Index() int { return p.current }

// Step returns the current step; ok is false once the lesson is finished.
func (p *Player) Step() (Step, bool) {
	if p.Finished() {
		return Step{}, false
	}
	return p.lesson.Steps[p.current], true
}

// Finished reports whether every step is behind the learner.
func (p *Player) Finished() bool { return p.current >= len(p.lesson.Steps) }

// Skipped returns how many steps were left with :skip.
func (p *Player) Skipped() int {
	n := 0
	for _, s := range p.skipped {
		if s {
			n++
		}
	}
	return n
}

// Feedback returns what the player said last.
func (p *Player) Feedback() Feedback { return p.feedback }

// Fault returns the sandbox fault the current step needs on, or "".
func (p *Player) Fault() string {
	if s, ok := p.Step(); ok {
		return s.Fault
	}
	return ""
}

// Observe takes one reply and reports whether the lesson's pane changed.
// Every reply counts as a code met; only final replies are checked.
func (p *Player) Observe(o Outcome) bool {
	code := strconv.Itoa(o.Code)
	if !slices.Contains(p.met, code) {
		p.met = append(p.met, code)
	}
	if !o.Final() || p.Finished() {
		return false
	}
	if p.loggingIn && o.Verb != "PASS" && o.Verb != "USER" && o.Verb != "" {
		p.loggingIn = false // the learner went ahead
	}
	if p.loggingIn {
		// ftpscope's own login for the lesson: the greeting, USER, then
		// PASS, whose final reply ends it, whatever it is.
		p.loggingIn = o.Verb != "PASS"
		return false
	}
	p.last = nil // a reply completes one step at most
	step := p.lesson.Steps[p.current]
	if ok, _ := step.Expect.Check(o); ok {
		p.feedback = p.passed(step, o)
		p.skipped[p.current], p.done[p.current] = false, true
		p.current++
		return true
	}
	if o.Command == "" {
		return false // a greeting is not a turn the learner took
	}
	p.last = &o
	p.feedback = p.notPassed(step, o)
	return true
}

// Settle re-checks the current step against the newest reply with the
// session's state as it is now, for a change that comes after its reply:
// AUTH TLS's 234 arrives before the handshake that turns TLS on. It
// reports whether the step is now passed; a step still not passed says
// nothing more than the reply already made it say.
func (p *Player) Settle(f Facts) bool {
	if p.last == nil || p.Finished() {
		return false
	}
	o := *p.last
	announced := o.Facts.DataAnnounced // a fact of the reply itself
	o.Facts, o.Facts.DataAnnounced = f, announced
	step := p.lesson.Steps[p.current]
	if ok, _ := step.Expect.Check(o); !ok {
		return false
	}
	p.last = nil
	p.feedback = p.passed(step, o)
	p.skipped[p.current], p.done[p.current] = false, true
	p.current++
	return true
}

// passed explains a step just completed.
func (p *Player) passed(step Step, o Outcome) Feedback {
	e := p.catalog.Explain(strconv.Itoa(o.Code), o.Verb)
	f := Feedback{Kind: FeedbackPassed, Headline: fmt.Sprintf("✓ %d %s", o.Code, e.Reply.Name)}
	if step.Done != "" {
		f.Text = append(f.Text, step.Done)
	} else {
		f.Text = append(f.Text, firstSentence(e.Reply.Meaning))
	}
	return f
}

// notPassed explains a reply that does not complete the step: a wrong
// turn when it failed or the step names it, otherwise a note that it is
// not what the step waits for yet.
func (p *Player) notPassed(step Step, o Outcome) Feedback {
	e := p.catalog.Explain(strconv.Itoa(o.Code), o.Verb)
	f := Feedback{Kind: FeedbackNotYet, Headline: fmt.Sprintf("· %d %s, in answer to %s", o.Code, e.Reply.Name, o.Command)}
	turn := slices.IndexFunc(step.Wrong, func(w WrongTurn) bool { return w.Reply.Matches(o.Code) })
	if turn < 0 && o.Code < 400 {
		_, unmet := step.Expect.Check(o)
		f.Text = append(f.Text, fmt.Sprintf("Noted: %s. This step still waits for %s.", lowerFirst(strings.TrimSuffix(firstSentence(e.Reply.Meaning), ".")), strings.Join(unmet, ", ")))
		return f
	}
	f.Kind = FeedbackWrongTurn
	f.Headline = "↺" + f.Headline[len("·"):] // a turn to come back from, not a failure
	// Most useful first, as a short pane shows the start: what to do,
	// how to get back on track, what ftpscope noticed, then what the
	// code means (which the side panel shows in full).
	typed, suggested := firstWord(o.Command), firstWord(step.Try)
	// A verb the server did not recognise, and that is not FTP's at all
	// (a real FTP command this server lacks keeps the general words).
	_, isFTP := p.catalog.Command(typed)
	unknown := turn < 0 && (o.Code == 500 || o.Code == 502) && typed != suggested && !isFTP
	switch {
	case turn >= 0:
		f.Text = append(f.Text, step.Wrong[turn].Say)
	case unknown:
		f.Text = append(f.Text, unknownVerb(typed, suggested))
	case o.Code == 530 && !o.Facts.LoggedIn && !slices.Contains([]string{"USER", "PASS", "ACCT"}, o.Verb):
		// The catalogue's advice for 530 is about a refused password.
		f.Text = append(f.Text, "Nothing is logged in yet, and the server answers most commands with 530 until you are: log in with USER demo then PASS demo (the sandbox's account), then send the command again.")
	case e.Advice != "":
		f.Text = append(f.Text, e.Advice)
	default:
		f.Text = append(f.Text, firstSentence(e.Reply.Action))
	}
	back := "Nothing is lost: this step still waits for " + step.Expect.Describe() + "; :hint shows a command that gets there."
	if !unknown && typed != "" && suggested != "" && typed != suggested && !slices.Contains(step.Expect.To, typed) {
		back = fmt.Sprintf("Nothing is lost: you sent %s, and this step suggests %s; it still waits for %s.", typed, suggested, step.Expect.Describe())
	}
	f.Text = append(f.Text, back)
	f.Text = append(f.Text, o.Findings...)
	f.Text = append(f.Text, firstSentence(e.Reply.Meaning))
	return f
}

// Hint shows the current step's suggested command.
func (p *Player) Hint() {
	step, ok := p.Step()
	if !ok {
		p.feedback = Feedback{Kind: FeedbackHint, Headline: "the lesson is finished", Text: []string{"Nothing left to try: :save keeps your session, and ftpscope learn lists the other lessons."}}
		return
	}
	p.feedback = Feedback{Kind: FeedbackHint, Headline: "hint: type " + step.Try, Text: []string{"This step waits for " + step.Expect.Describe() + "; other commands that get there pass too."}}
}

// Skip moves to the next step, leaving the current one undone unless it
// was done before (come back to with :back). It reports
// whether there was a step to skip.
func (p *Player) Skip() bool {
	if p.Finished() {
		return false
	}
	if p.done[p.current] {
		// A step done before, come back to with :back: moving on keeps it
		// done.
		p.current++
		p.last = nil
		p.feedback = Feedback{Kind: FeedbackMoved, Headline: fmt.Sprintf("on to step %d", p.current+1), Text: []string{fmt.Sprintf("Step %d stays done: you did it before.", p.current)}}
		return true
	}
	p.skipped[p.current] = true
	p.current++
	p.last = nil
	p.feedback = Feedback{Kind: FeedbackMoved, Headline: fmt.Sprintf("skipped step %d", p.current), Text: []string{":back returns to it."}}
	return true
}

// Back returns to the previous step. It reports whether there was one.
func (p *Player) Back() bool {
	if p.current == 0 {
		return false
	}
	p.current--
	p.last = nil
	p.feedback = Feedback{Kind: FeedbackMoved, Headline: fmt.Sprintf("back to step %d", p.current+1), Text: []string{"Do it again: the step checks the next reply."}}
	return true
}

// CodeNote is one line of a lesson's summary: a code met and one thing to
// remember about it.
type CodeNote struct {
	Code     string
	Name     string
	Remember string
}

// Summary lists the codes met during the lesson, in numeric order, each
// with the lesson's sentence to remember, or the catalogue's meaning.
func (p *Player) Summary() []CodeNote {
	codes := slices.Clone(p.met)
	slices.Sort(codes)
	notes := make([]CodeNote, 0, len(codes))
	for _, code := range codes {
		e := p.catalog.Explain(code, "")
		note := CodeNote{Code: code, Name: e.Reply.Name, Remember: p.lesson.Remember[code]}
		if note.Remember == "" {
			note.Remember = firstSentence(e.Reply.Meaning)
		}
		notes = append(notes, note)
	}
	return notes
}

// firstSentence returns the text up to its first full stop followed by a
// space, with the text's line breaks folded.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

func lowerFirst(s string) string {
	if len(s) > 1 && s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z') {
		return strings.ToLower(s[:1]) + s[1:]
	}
	return s
}

// firstWord returns a command line's verb in upper case.
func firstWord(line string) string {
	if f := strings.Fields(line); len(f) > 0 {
		return strings.ToUpper(f[0])
	}
	return ""
}
