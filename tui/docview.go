package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/ftpscope/ftpscope/catalog"
)

// RenderDoc draws a catalogue document as lines no wider than width. The
// side panel, `ftpscope explain` and `ftpscope compare` all use it; with
// PlainStyles it writes text without escape sequences, for pipes.
func RenderDoc(doc catalog.Doc, width int, s Styles) []string {
	width = max(width, 20)
	var out []string
	wrap := func(text string, w int) []string {
		return strings.Split(wrapWords(text, w), "\n")
	}
	for i, b := range doc {
		switch b.Kind {
		case catalog.BlockTitle:
			if i > 0 {
				out = append(out, "") // the next of several entries
			}
			title := s.PanelTitle.Render(b.Text)
			if b.Code != "" {
				title = s.codeStyleFor(b.Code).Render(b.Code) + " " + title
			}
			out = append(out, wrapStyled(title, width)...)
		case catalog.BlockSubtitle:
			for _, l := range wrap(b.Text, width) {
				out = append(out, s.Dim.Render(l))
			}
		case catalog.BlockHeading:
			if i > 0 {
				out = append(out, "")
			}
			out = append(out, s.PanelHeading.Render(cut(b.Text, width)))
		case catalog.BlockText:
			if i > 0 && (doc[i-1].Kind == catalog.BlockTitle || doc[i-1].Kind == catalog.BlockSubtitle) {
				out = append(out, "")
			}
			out = append(out, wrap(b.Text, width)...)
		case catalog.BlockNote:
			out = append(out, "")
			for _, l := range wrap(b.Text, width) {
				out = append(out, s.PanelNote.Render(l))
			}
		case catalog.BlockItem:
			for j, l := range wrap(b.Text, width-2) {
				if j == 0 {
					out = append(out, "• "+l)
				} else {
					out = append(out, "  "+l)
				}
			}
		case catalog.BlockColumns:
			out = append(out, columnsBlock(b, width, s)...)
		}
	}
	return out
}

// columnsBlock draws two paragraphs side by side, or stacked with their
// codes as labels when the width is too small for two columns.
func columnsBlock(b catalog.Block, width int, s Styles) []string {
	if b.Header {
		left := s.codeStyleFor(b.LeftCode).Render(b.LeftCode) + " " + s.PanelTitle.Render(b.Left)
		right := s.codeStyleFor(b.RightCode).Render(b.RightCode) + " " + s.PanelTitle.Render(b.Right)
		if width < 60 {
			return append(wrapStyled(left, width), wrapStyled(right, width)...)
		}
		return columns(width, s, left, right)
	}
	if width < 60 {
		var out []string
		for _, side := range []struct{ code, text string }{{b.LeftCode, b.Left}, {b.RightCode, b.Right}} {
			label := s.codeStyleFor(side.code).Render(side.code) + " "
			for j, l := range strings.Split(wrapWords(side.text, width-4), "\n") {
				if j == 0 {
					out = append(out, label+l)
				} else {
					out = append(out, "    "+l)
				}
			}
		}
		return out
	}
	return columns(width, s, b.Left, b.Right)
}

// columns lays out left and right in two columns separated by a rule.
func columns(width int, s Styles, left, right string) []string {
	col := (width - 3) / 2
	l := strings.Split(wrapWords(left, col), "\n")
	r := strings.Split(wrapWords(right, col), "\n")
	var out []string
	for i := 0; i < max(len(l), len(r)); i++ {
		var a, b string
		if i < len(l) {
			a = l[i]
		}
		if i < len(r) {
			b = r[i]
		}
		pad := col - ansi.StringWidth(a)
		out = append(out, a+strings.Repeat(" ", max(pad, 0))+s.Dim.Render(" │ ")+b)
	}
	return out
}

// wrapStyled wraps a line that already carries styles.
func wrapStyled(text string, width int) []string {
	return strings.Split(wrapANSI(text, width), "\n")
}
