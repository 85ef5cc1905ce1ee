package export

import (
	"fmt"
	"strings"
	"testing"
)

func TestSlug(t *testing.T) {
	tests := []struct{ title, want string }{
		{"The server's greeting", "the-servers-greeting"},
		{"1. `USER demo`", "1-user-demo"},
		{"2. `PASS ****`", "2-pass-"},
		{"8. `CWD \\x1b[2J`", "8-cwd-x1b2j"},
		{"3. `RETR café.txt`", "3-retr-cafétxt"},
		{"A \\*starred\\* \\_word\\_", "a-starred-_word_"},
	}
	for _, tt := range tests {
		if got := slug(tt.title); got != tt.want {
			t.Errorf("slug(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}

// TestContentsStayShort checks that a long session's contents list the
// first sections and count the rest, that every link points at a heading
// of the handout, and that repeated headings get numbered anchors.
func TestContentsStayShort(t *testing.T) {
	c := &clock{}
	steps := []any{connect(c), reply(c, 0, "(connection)", "220 ready")}
	for i := 1; i <= 40; i++ {
		steps = append(steps, sent(c, i, "NOOP"), reply(c, i, "NOOP", "200 ok"))
	}
	out := render(t, NewMarkdown, steps)
	if !strings.Contains(out, fmt.Sprintf("- … and %d more sections below", 2+40-contentsLimit)) {
		t.Errorf("the contents do not count the sections left out:\n%s", out[:min(len(out), 3000)])
	}
	contents, _, _ := strings.Cut(out[strings.Index(out, "## Contents"):], "\n## ")
	anchors := map[string]bool{}
	seen := map[string]int{}
	for _, line := range strings.Split(out, "\n") {
		if title, ok := strings.CutPrefix(strings.TrimLeft(line, "#"), " "); ok && strings.HasPrefix(line, "#") {
			s := slug(title)
			if n := seen[s]; n > 0 {
				anchors[fmt.Sprintf("%s-%d", s, n)] = true
			} else {
				anchors[s] = true
			}
			seen[s]++
		}
	}
	links := 0
	for _, line := range strings.Split(contents, "\n") {
		_, link, ok := strings.Cut(line, "](#")
		if !ok {
			continue
		}
		links++
		if link = strings.TrimSuffix(link, ")"); !anchors[link] {
			t.Errorf("the contents link to #%s, which no heading has", link)
		}
	}
	if links != contentsLimit {
		t.Errorf("the contents hold %d links, want %d", links, contentsLimit)
	}
}
