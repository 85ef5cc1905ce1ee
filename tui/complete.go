package tui

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ftpscope/ftpscope/protocol"
)

// completion is the state of tab completion: the candidates for the word
// being completed, and which one the next tab shows.
type completion struct {
	// base is the input before the word being completed.
	base string
	// items are the candidates, best first; marked ones were announced by
	// the server in FEAT.
	items  []string
	marked map[string]bool
	next   int
}

// pathVerbs take a remote path, which completes from the last listing.
var pathVerbs = map[string]bool{
	"CWD": true, "XCWD": true, "RETR": true, "DELE": true, "RMD": true, "XRMD": true, "MKD": true, "XMKD": true,
	"SIZE": true, "MDTM": true, "RNFR": true, "RNTO": true, "LIST": true, "NLST": true, "MLSD": true, "MLST": true,
	"STOR": true, "APPE": true, "STAT": true, "SMNT": true,
}

// candidates returns the completions of the word at the end of value:
// local commands after ':', command names first (the server's FEAT
// extensions ranked first and marked), remote names from the last
// listing after a command that takes a path, local files after " < " or
// " > ".
func (m *Model) candidates(value string) completion {
	if strings.HasPrefix(value, ":") && !strings.Contains(value, " ") {
		return prefixed("", value, m.localNames(), nil, false)
	}
	if c, ok := m.faultCompletion(value); ok {
		return c
	}
	if word, ok := strings.CutPrefix(value, ":pasv-address "); ok {
		return prefixed(":pasv-address ", word, []string{pasvServer, pasvPeer}, nil, true)
	}
	verb, arg, hasArg := strings.Cut(value, " ")
	if !hasArg {
		names := append([]string(nil), m.opts.Catalog.Commands()...)
		for f := range m.state.features {
			if !slices.Contains(names, f) {
				names = append(names, f)
			}
		}
		slices.Sort(names)
		// Announced extensions first, then the rest, each alphabetically.
		slices.SortStableFunc(names, func(a, b string) int {
			fa, fb := m.state.features[a], m.state.features[b]
			switch {
			case fa && !fb:
				return -1
			case fb && !fa:
				return 1
			}
			return 0
		})
		return prefixed("", strings.ToUpper(verb), names, m.state.features, false)
	}
	if c, ok := localCompletion(value); ok {
		return c
	}
	if !pathVerbs[strings.ToUpper(verb)] {
		return completion{}
	}
	// Complete the last word of the argument, keeping what precedes it.
	cut := strings.LastIndex(arg, " ") + 1
	return prefixed(verb+" "+arg[:cut], arg[cut:], namesFor(strings.ToUpper(verb), m.state.names), nil, true)
}

// localCompletion completes a local file's name after " < " or " > "
// (STOR name < file, RETR name > file) from this computer's files, so
// that a long path such as a lesson's practice file need not be typed
// whole. Folders end in "/", so that the path may go on. ok is false when
// the word is not a local file's.
func localCompletion(value string) (completion, bool) {
	i := max(strings.LastIndex(value, " < "), strings.LastIndex(value, " > "))
	if i < 0 {
		return completion{}, false
	}
	base, word := value[:i+3], value[i+3:]
	if strings.Contains(word, " ") {
		return completion{}, false
	}
	dir, prefix := filepath.Split(word)
	entries, err := os.ReadDir(cmp.Or(dir, "."))
	if err != nil {
		return completion{base: base}, true // nothing to offer: "no completion"
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") && !strings.HasPrefix(prefix, ".") {
			continue // hidden, as a shell leaves them out
		}
		if e.IsDir() {
			name += "/"
		}
		names = append(names, dir+name)
	}
	return prefixed(base, word, names, nil, true), true
}

// dirVerbs take a directory: after them, only names known to be
// directories complete, when the listing told directories apart.
var dirVerbs = map[string]bool{
	"CWD": true, "XCWD": true, "RMD": true, "XRMD": true, "LIST": true, "NLST": true, "MLSD": true, "SMNT": true,
}

// namesFor orders the names of the last listing for a command's argument:
// directories alone after a command that takes one (if the listing marked
// any), and otherwise files first, then directories, which may start a
// longer path.
func namesFor(verb string, names []string) []string {
	var files, dirs []string
	for _, n := range names {
		if strings.HasSuffix(n, "/") {
			dirs = append(dirs, n)
		} else {
			files = append(files, n)
		}
	}
	if dirVerbs[verb] && len(dirs) > 0 {
		return dirs
	}
	return append(files, dirs...)
}

// prefixed keeps the candidates that start with word: exactly for remote
// names (servers are usually case-sensitive), ignoring case for commands.
// Names with spaces are left out, since a space ends the word completed.
func prefixed(base, word string, all []string, marked map[string]bool, exact bool) completion {
	c := completion{base: base, marked: marked}
	for _, s := range all {
		match := strings.HasPrefix(s, word)
		if !exact {
			match = strings.HasPrefix(strings.ToUpper(s), strings.ToUpper(word))
		}
		if match && !strings.Contains(s, " ") {
			c.items = append(c.items, s)
		}
	}
	return c
}

// commonPrefix returns the longest prefix shared by every item.
func commonPrefix(items []string) string {
	if len(items) == 0 {
		return ""
	}
	p := items[0]
	for _, s := range items[1:] {
		for !strings.HasPrefix(s, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}

// complete handles a tab: the first press completes as far as every
// candidate agrees and lists them; further presses, with no other key in
// between, cycle through them.
func (m *Model) complete() {
	if c := m.completing; c != nil && len(c.items) > 1 {
		m.setInput(c.base + c.items[c.next])
		c.next = (c.next + 1) % len(c.items)
		return
	}
	value := m.input.Value()
	c := m.candidates(value)
	switch len(c.items) {
	case 0:
		m.completing = nil
		m.hint = "no completion"
	case 1:
		m.completing = nil
		switch {
		case strings.HasSuffix(c.items[0], "/"):
			m.setInput(c.base + c.items[0]) // a directory: the path may go on
		case c.base != "" && !strings.HasPrefix(c.base, ":"):
			// A name after an FTP verb: a space after it would be sent
			// as part of the name (ParseCommand keeps trailing spaces).
			m.setInput(c.base + c.items[0])
		default:
			m.setInput(c.base + c.items[0] + " ")
		}
	default:
		m.completing = &c
		if prefix := commonPrefix(c.items); len(c.base+prefix) > len(value) {
			m.setInput(c.base + prefix)
		} else {
			m.setInput(c.base + c.items[0])
			c.next = 1
		}
	}
}

// completionHint lists the candidates of a completion in progress, with
// the server's announced extensions marked.
func (m *Model) completionHint() string {
	c := m.completing
	if c == nil {
		return ""
	}
	parts := make([]string, 0, len(c.items))
	for _, s := range c.items {
		s = protocol.Escape(s) // FEAT features come from the server
		if c.marked[s] {
			s += "*"
		}
		parts = append(parts, s)
	}
	hint := strings.Join(parts, " ")
	if len(c.marked) > 0 {
		hint += "   (* announced in FEAT)"
	}
	return hint
}

// setInput replaces the input line and puts the cursor at its end.
func (m *Model) setInput(s string) {
	m.input.SetValue(s)
	m.input.CursorEnd()
}
