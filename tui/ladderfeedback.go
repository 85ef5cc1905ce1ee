package tui

// On a narrow screen the ladder diagram takes the transcript's place, and
// it draws commands, replies and narration but not ftpscope's own lines.
// Without help, a local command typed there (":save handout.md", a
// mistyped ":sav", a refused "!fault") would answer where nobody can see
// it; its answer goes to the hint row under the input as well.

// showFeedbackOverLadder puts the newest of ftpscope's own lines added to
// the transcript since line from in the hint row, when the ladder hides
// the transcript.
func (m *Model) showFeedbackOverLadder(from int) {
	if !m.showLadder || m.wide {
		return
	}
	for i := m.transcript.Len() - 1; i >= from; i-- {
		l := m.transcript.lines.At(i)
		switch l.kind {
		case lineError:
			m.hint = "✗ " + string(m.transcript.lineText(l))
			return
		case lineInfo, lineWarning:
			m.hint = string(m.transcript.lineText(l))
			return
		}
	}
}
