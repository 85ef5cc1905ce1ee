package tui

import (
	"path/filepath"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// fitPath shortens a file's path to at most room cells for a one-row
// message, so that the sentence around it stays whole: the folders in
// the middle give way to "…" first ("/tmp/class/…/handout.md"), then
// the start of the file's name ("…handout.md"). A path that fits is
// returned as it is.
func fitPath(path string, room int) string {
	if ansi.StringWidth(path) <= room {
		return path
	}
	dir, file := filepath.Split(path)
	const gap = "…" + string(filepath.Separator)
	if ansi.StringWidth(gap+file) <= room {
		// As much of the start as fits, ending at a folder's end.
		head := ansi.Truncate(dir, room-ansi.StringWidth(gap+file), "")
		if i := strings.LastIndexByte(head, filepath.Separator); i >= 0 {
			head = head[:i+1]
		} else {
			head = ""
		}
		return head + gap + file
	}
	if room < 1 {
		return ""
	}
	// The end of the name, which says what the file is.
	r := []rune(file)
	for len(r) > 0 && ansi.StringWidth("…"+string(r)) > room {
		r = r[1:]
	}
	return "…" + string(r)
}
