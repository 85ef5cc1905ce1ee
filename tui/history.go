package tui

import (
	"slices"
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"

	"github.com/ftpscope/ftpscope/protocol"
)

// DefaultHistoryLimit is the number of entries a History keeps when its
// Limit is not set. Older entries are dropped first.
const DefaultHistoryLimit = 1000

// Bounds on what LoadHistory reads and what a History stores.
const (
	// historyMaxFileBytes is the most LoadHistory reads: the newest part
	// of a larger file.
	historyMaxFileBytes = 1 << 20
	// historyMaxLineBytes is the longest line stored or loaded.
	historyMaxLineBytes = 4096
)

// History is the list of lines the user entered on the input line, oldest
// first, with shell-like navigation (Prev, Next) and a reverse incremental
// search like bash's ctrl+r (SearchStart, SearchInput, SearchOlder,
// SearchEnd).
//
// A History never holds a password: a line whose verb is PASS or ACCT is
// never added, loaded or saved. Lines with CR, LF or NUL, empty lines and
// lines longer than 4096 bytes are not stored either, and a line equal to
// the newest entry is not stored twice.
//
// Every method is pure except LoadHistory, Save and the command returned
// by SaveCmd, which read and write the history file. Use a History from
// one goroutine (Bubble Tea's Update); SaveCmd copies what it writes, so
// its command may run in another.
type History struct {
	// Limit is the most entries kept; beyond it the oldest are dropped.
	// Zero or less means DefaultHistoryLimit.
	Limit int

	path    string
	entries []string

	// Navigation: pos indexes entries while navigating; draft is the line
	// being typed when navigation began.
	navigating bool
	pos        int
	draft      string

	// Search: match indexes the entry shown, or is -1; failed is set when
	// the query matches nothing (older), in which case the last match
	// stays shown, as in bash.
	searching bool
	query     string
	match     int
	failed    bool
	// seen holds the entries found for the current query, so that
	// SearchOlder never shows the same line twice.
	seen map[string]bool

	// gen counts changes to entries; saver records which change was last
	// written, so that a slow, older save never overwrites a newer one.
	gen   uint64
	saver *historySaver
}

// NewHistory returns an empty history saved to path. A path of "" keeps the
// history in memory only: Save does nothing.
func NewHistory(path string) *History {
	return &History{path: path, match: -1, saver: &historySaver{}}
}

// isSecretLine reports whether line may carry a password: whether,
// leading spaces, controls and invisible characters aside, it begins with
// PASS or ACCT in any case. That covers the verbs PASS and ACCT whatever
// follows them ("PASS\tx", "pass:x") and typos such as "PASSsecret"; no
// other FTP command begins with those letters.
func isSecretLine(line string) bool {
	line = strings.TrimLeftFunc(line, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
	})
	if len(line) < 4 {
		return false
	}
	verb := line[:4]
	return strings.EqualFold(verb, "PASS") || strings.EqualFold(verb, "ACCT")
}

// storableLine returns line as it is stored, without surrounding spaces and
// tabs (they are not sent either), and whether it may be stored at all.
func storableLine(line string) (string, bool) {
	line = strings.Trim(line, " \t")
	switch {
	case line == "",
		len(line) > historyMaxLineBytes,
		strings.ContainsAny(line, "\r\n\x00"),
		isSecretLine(line):
		return "", false
	}
	return line, true
}

// Path returns the file the history is saved to, "" when it is kept in
// memory only.
func (h *History) Path() string { return h.path }

// Len returns the number of entries.
func (h *History) Len() int { return len(h.entries) }

// Entries returns a copy of the entries, oldest first.
func (h *History) Entries() []string { return slices.Clone(h.entries) }

// limit returns the effective entry limit.
func (h *History) limit() int {
	if h.Limit <= 0 {
		return DefaultHistoryLimit
	}
	return h.Limit
}

// trim drops the oldest entries beyond the limit. It reports whether any
// were dropped.
func (h *History) trim() bool {
	n := len(h.entries) - h.limit()
	if n <= 0 {
		return false
	}
	h.entries = slices.Delete(h.entries, 0, n)
	return true
}

// Add records a line the user submitted, and ends any navigation or search.
// Surrounding spaces and tabs are removed. Lines that may not be stored
// (PASS, ACCT, CR, LF, NUL, empty, longer than 4096 bytes) and a repeat of
// the newest entry are ignored. Add reports whether the history changed.
func (h *History) Add(line string) bool {
	h.Reset()
	line, ok := storableLine(line)
	if !ok || len(h.entries) > 0 && h.entries[len(h.entries)-1] == line {
		return false
	}
	h.entries = append(h.entries, line)
	h.trim()
	h.gen++
	return true
}

// Prev returns the entry before the one shown, for the up key. The first
// Prev after a Reset remembers current, the line being typed, and returns
// the newest entry; Next past the newest entry gives current back. While
// navigating, current is ignored: edits to a recalled entry are not kept.
// ok is false when there is nothing older; leave the input as it is.
func (h *History) Prev(current string) (line string, ok bool) {
	if len(h.entries) == 0 {
		return "", false
	}
	if !h.navigating {
		h.navigating, h.draft, h.pos = true, current, len(h.entries)
	}
	if h.pos <= 0 {
		return "", false
	}
	h.pos--
	return h.entries[h.pos], true
}

// Next returns the entry after the one shown, for the down key, and past
// the newest entry the line that was being typed when Prev was first
// pressed, which ends the navigation. ok is false when not navigating;
// leave the input as it is.
func (h *History) Next() (line string, ok bool) {
	if !h.navigating {
		return "", false
	}
	if h.pos < len(h.entries)-1 {
		h.pos++
		return h.entries[h.pos], true
	}
	draft := h.draft
	h.navigating, h.draft = false, ""
	return draft, true
}

// Navigating reports whether Prev has moved into the history and Next has
// not yet come back to the line being typed.
func (h *History) Navigating() bool { return h.navigating }

// Reset ends navigation and search and forgets the remembered draft. Call
// it when a line is submitted (Add calls it) or the input is cleared.
func (h *History) Reset() {
	h.navigating, h.pos, h.draft = false, 0, ""
	h.SearchEnd()
}

// SearchStart begins a reverse incremental search, with an empty query.
// It ends any navigation. While searching, show SearchView in place of the
// input line and leave the input's value alone, so that cancelling
// (SearchEnd) restores it for free.
func (h *History) SearchStart() {
	h.navigating, h.pos, h.draft = false, 0, ""
	h.searching, h.query, h.match, h.failed, h.seen = true, "", -1, false, nil
}

// SearchInput sets the query, the whole text typed since SearchStart, and
// returns the newest entry containing it, ignoring case. When the query
// extends the previous one (a character typed), the search resumes from
// the entry shown, as in bash, so that ctrl+r then typing keeps going
// older. An empty query matches nothing. When nothing matches, ok is
// false, SearchFailed reports true and the previous match stays shown.
func (h *History) SearchInput(query string) (match string, ok bool) {
	if !h.searching {
		h.SearchStart()
	}
	from := len(h.entries) - 1
	if h.match >= 0 && h.query != "" && strings.HasPrefix(query, h.query) {
		from = h.match
	}
	h.query, h.seen = query, nil
	if query == "" {
		h.match, h.failed = -1, false
		return "", false
	}
	return h.searchFrom(from)
}

// SearchOlder returns the next older entry containing the query, for
// ctrl+r pressed again. Entries equal to one already found for this query
// are skipped, so each line is shown once. ok is
// false, and SearchFailed true, when there is none or the query is empty;
// the current match stays shown.
func (h *History) SearchOlder() (match string, ok bool) {
	if !h.searching || h.query == "" {
		return "", false
	}
	from := len(h.entries) - 1
	if h.match >= 0 {
		from = h.match - 1
	}
	return h.searchFrom(from)
}

// searchFrom looks for the query from entry from towards the oldest,
// skipping entries already found for it, and records the result.
func (h *History) searchFrom(from int) (string, bool) {
	q := strings.ToLower(h.query)
	for i := min(from, len(h.entries)-1); i >= 0; i-- {
		e := h.entries[i]
		if !h.seen[e] && strings.Contains(strings.ToLower(e), q) {
			if h.seen == nil {
				h.seen = map[string]bool{}
			}
			h.seen[e] = true
			h.match, h.failed = i, false
			return e, true
		}
	}
	h.failed = true
	return "", false
}

// SearchEnd ends the search. To accept the match, read SearchMatch first
// and put it in the input; to cancel, just call SearchEnd.
func (h *History) SearchEnd() {
	h.searching, h.query, h.match, h.failed, h.seen = false, "", -1, false, nil
}

// Searching reports whether a search is under way.
func (h *History) Searching() bool { return h.searching }

// SearchQuery returns the query typed so far.
func (h *History) SearchQuery() string { return h.query }

// SearchMatch returns the entry shown by the search: the last one found,
// even when the current query has since stopped matching (as bash accepts
// the line it shows). ok is false when nothing has been found.
func (h *History) SearchMatch() (match string, ok bool) {
	if !h.searching || h.match < 0 || h.match >= len(h.entries) {
		return "", false
	}
	return h.entries[h.match], true
}

// SearchFailed reports whether the last search step found nothing.
func (h *History) SearchFailed() bool { return h.searching && h.failed }

// SearchView renders the search line as bash does,
// "(reverse-i-search)'que': matched line", or
// "(failed reverse-i-search)'quex': matched line" when the query matches
// nothing, cut to width cells (no limit when width <= 0). Control
// characters in the query and the match are shown escaped. It is plain
// text; style it as you wish.
func (h *History) SearchView(width int) string {
	prefix := "(reverse-i-search)'"
	if h.SearchFailed() {
		prefix = "(failed reverse-i-search)'"
	}
	match, _ := h.SearchMatch()
	s := prefix + protocol.Escape(h.query) + "': " + protocol.Escape(match)
	if width > 0 {
		s = ansi.Truncate(s, width, "…")
	}
	return s
}
