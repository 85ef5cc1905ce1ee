package tui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ftpscope/ftpscope/protocol"
)

// cleanPasted removes from a pasted line what a command cannot carry and
// the input line cannot hold: terminal escape sequences (the colours of
// text copied from a terminal) and control characters; a tab becomes a
// space. removed lists what changed, escaped, so the transcript can say
// so: nothing pasted is altered silently.
func cleanPasted(line string) (clean string, removed []string) {
	var b strings.Builder
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRuneInString(line[i:])
		switch {
		case r == '\x1b':
			n := escapeLen(line[i:])
			removed = append(removed, protocol.Escape(line[i:i+n]))
			i += n
			continue
		case r == '\t':
			b.WriteByte(' ')
			removed = append(removed, `\t (now a space)`)
		case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
			removed = append(removed, protocol.Escape(string(r)))
		case r == utf8.RuneError && size == 1:
			removed = append(removed, protocol.Escape(line[i:i+1]))
		default:
			b.WriteString(line[i : i+size])
		}
		i += size
	}
	return b.String(), removed
}

// escapeLen is the length of the escape sequence at the start of s: a
// CSI sequence (ESC [ … final byte), an OSC, DCS, SOS, PM or APC string
// (ESC ] … ended by BEL or ESC \), or ESC and one character.
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[':
		for i := 2; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
			if s[i] < 0x20 || s[i] > 0x7e {
				return i // broken off: keep what follows
			}
		}
		return len(s)
	case ']', 'P', 'X', '^', '_':
		for i := 2; i < len(s); i++ {
			switch {
			case s[i] == '\a':
				return i + 1
			case s[i] == '\x1b' && i+1 < len(s) && s[i+1] == '\\':
				return i + 2
			}
		}
		return len(s)
	}
	_, size := utf8.DecodeRuneInString(s[1:])
	return 1 + size
}

// removedNote says what cleanPasted removed from a pasted line; where
// names the line, such as "the pasted line" or "pasted line 2".
func removedNote(where string, removed []string) string {
	const most = 6
	shown := removed
	if len(shown) > most {
		shown = append(shown[:most:most], fmt.Sprintf("%d more", len(removed)-most))
	}
	return fmt.Sprintf("%s held what a command cannot carry, now removed: %s (terminal colours and control characters)", where, strings.Join(shown, ", "))
}
