package lesson

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/ftpscope/ftpscope/internal/suggest"
)

// The fields of each part of a lesson file, in the order docs/LESSONS.md
// describes them.
var (
	lessonFields = []string{"name", "title", "about", "login", "steps", "remember"}
	stepFields   = []string{"say", "try", "expect", "done", "fault", "wrong"}
	expectFields = []string{"reply", "to", "logged-in", "user", "tls", "protection", "type", "directory", "data-announced"}
	wrongFields  = []string{"reply", "say"}
)

// accounts are the sandbox accounts a lesson may log in as.
var accounts = [2]string{"demo", "anonymous"}

var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// lesson decodes the file's top-level mapping.
func (d *decoder) lesson(node ast.Node) *Lesson {
	fields, ok := d.mapping(node, "", "a lesson", lessonFields)
	if !ok {
		return nil
	}
	l := &Lesson{}
	if f, ok := d.required(fields, node, "", "name", "the name that starts the lesson (ftpscope learn NAME), such as my-lesson"); ok {
		if s, ok := d.text(f, "name"); ok {
			if !namePattern.MatchString(s) {
				d.fail(f.value, "name", "%q is not a lesson name: use lower-case letters, digits and hyphens, such as passive-mode", s)
			}
			l.Name = s
		}
	}
	if f, ok := d.required(fields, node, "", "title", "the lesson's title, such as Logging in"); ok {
		l.Title, _ = d.text(f, "title")
	}
	if f, ok := fields["about"]; ok {
		l.About, _ = d.text(f, "about")
	}
	if f, ok := fields["login"]; ok {
		if s, ok := d.text(f, "login"); ok {
			if s != accounts[0] && s != accounts[1] {
				d.fail(f.value, "login", "the sandbox has the accounts %s and %s, not %q", accounts[0], accounts[1], s)
			}
			l.Login = s
		}
	}
	if f, ok := d.required(fields, node, "", "steps", "a list of steps, each with say, try and expect"); ok {
		seq, isList := unwrap(f.value).(*ast.SequenceNode)
		switch {
		case !isList:
			d.fail(f.value, "steps", "steps must be a list of steps (each starting with - say:), not %s", describe(f.value))
		case len(seq.Values) == 0:
			d.fail(f.value, "steps", "the list is empty; a lesson needs at least one step")
		default:
			for i, s := range seq.Values {
				if step, ok := d.step(s, fmt.Sprintf("steps[%d]", i+1)); ok {
					l.Steps = append(l.Steps, step)
				}
			}
		}
	}
	if f, ok := fields["remember"]; ok {
		l.Remember = d.remember(f)
	}
	return l
}

// step decodes one step; path numbers steps from 1, as a teacher counts.
func (d *decoder) step(node ast.Node, at string) (Step, bool) {
	fields, ok := d.mapping(node, at, "a step", stepFields)
	if !ok {
		return Step{}, false
	}
	s := Step{Line: lineOf(node)}
	if f, ok := d.required(fields, node, at, "say", "what to try and why, in a few sentences"); ok {
		s.Say, _ = d.text(f, join(at, "say"))
	}
	if f, ok := d.required(fields, node, at, "try", "the command to suggest, shown by :hint, such as USER demo"); ok {
		s.Try, _ = d.text(f, join(at, "try"))
		if strings.ContainsAny(s.Try, "\r\n") {
			d.fail(f.value, join(at, "try"), "try is one command on one line")
		}
	}
	if f, ok := d.required(fields, node, at, "expect", "the outcome that completes the step, such as reply: 230 or logged-in: true"); ok {
		s.Expect = d.expect(f.value, join(at, "expect"))
	}
	if f, ok := fields["done"]; ok {
		s.Done, _ = d.text(f, join(at, "done"))
	}
	if f, ok := fields["fault"]; ok {
		if name, ok := d.text(f, join(at, "fault")); ok {
			if !slices.Contains(d.faults, name) {
				d.fail(f.value, join(at, "fault"), "%s", suggest.Unknown("fault", name, d.faults, "the faults are "+strings.Join(d.faults, ", ")))
			}
			s.Fault = name
		}
	}
	if f, ok := fields["wrong"]; ok {
		for i, w := range list(f.value) {
			if turn, ok := d.wrong(w, fmt.Sprintf("%s.wrong[%d]", at, i+1)); ok {
				s.Wrong = append(s.Wrong, turn)
			}
		}
	}
	return s, true
}

// expect decodes a step's expected outcome.
func (d *decoder) expect(node ast.Node, at string) Expect {
	problems := len(d.errs)
	fields, ok := d.mapping(node, at, "expect", expectFields)
	if !ok {
		return Expect{}
	}
	var e Expect
	if len(fields) == 0 && len(d.errs) == problems {
		d.fail(node, at, "expect names no outcome; give at least one of %s", strings.Join(expectFields, ", "))
	}
	for _, key := range expectFields {
		f, ok := fields[key]
		if !ok {
			continue
		}
		p := join(at, key)
		switch key {
		case "reply":
			e.Reply = d.codes(f, p)
			for _, c := range e.Reply {
				if c[0] == '1' {
					d.fail(f.value, p, "%s is a preliminary reply: a step is checked on the final one, such as the 226 after a 150", c)
				}
			}
		case "to":
			e.To = d.verbs(f, p)
		case "logged-in":
			e.LoggedIn = d.boolean(f, p)
		case "tls":
			e.TLS = d.boolean(f, p)
		case "data-announced":
			e.DataAnnounced = d.boolean(f, p)
		case "user":
			e.User, _ = d.text(f, p)
		case "protection":
			e.Protection = d.oneOf(f, p, "C", "P")
		case "type":
			e.Type = d.oneOf(f, p, "A", "I")
		case "directory":
			if s, ok := d.text(f, p); ok {
				if !strings.HasPrefix(s, "/") {
					d.fail(f.value, p, "%q is not an absolute path: write it from the root, such as /pub", s)
				}
				e.Directory = path.Clean(s)
			}
		}
	}
	return e
}

// oneOf reads a one-letter setting, such as a protection level.
func (d *decoder) oneOf(f field, at string, allowed ...string) string {
	s, ok := d.text(f, at)
	if !ok {
		return ""
	}
	if up := strings.ToUpper(s); slices.Contains(allowed, up) {
		return up
	}
	d.fail(f.value, at, "%s must be %s, not %q", f.key, strings.Join(allowed, " or "), s)
	return ""
}

// wrong decodes one expected wrong turn.
func (d *decoder) wrong(node ast.Node, at string) (WrongTurn, bool) {
	fields, ok := d.mapping(node, at, "a wrong turn", wrongFields)
	if !ok {
		return WrongTurn{}, false
	}
	var w WrongTurn
	r, okReply := d.required(fields, node, at, "reply", "the reply code this wrong turn gets, such as 530")
	s, okSay := d.required(fields, node, at, "say", "what went wrong and how to get back on track")
	if !okReply || !okSay {
		return w, false
	}
	if _, isList := unwrap(r.value).(*ast.SequenceNode); isList {
		d.fail(r.value, join(at, "reply"), "a wrong turn explains one code or family, such as 530 or 5xx; give one wrong turn per code")
		return w, false
	}
	codes := d.codes(r, join(at, "reply"))
	text, ok := d.text(s, join(at, "say"))
	if len(codes) != 1 || !ok {
		return w, false
	}
	return WrongTurn{Reply: codes[0], Say: text}, true
}

// remember decodes the codes-to-remember mapping.
func (d *decoder) remember(f field) map[string]string {
	fields, ok := d.rememberFields(f.value)
	if !ok {
		return nil
	}
	out := map[string]string{}
	for _, rf := range fields {
		at := "remember." + rf.key
		if !codePattern.MatchString(rf.key) || !Code(rf.key).Exact() {
			d.fail(rf.keyAt, at, "%q is not a reply code: the keys of remember are codes such as 230", rf.key)
			continue
		}
		if text, ok := d.text(rf, at); ok {
			out[rf.key] = text
		}
	}
	return out
}

// rememberFields lists remember's keys in file order; any code is a key.
func (d *decoder) rememberFields(node ast.Node) ([]field, bool) {
	node = unwrap(node)
	var values []*ast.MappingValueNode
	switch n := node.(type) {
	case *ast.MappingNode:
		values = n.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{n}
	default:
		d.fail(node, "remember", "remember maps reply codes to one sentence each (230: ...), not %s", describe(node))
		return nil, false
	}
	var fields []field
	seen := map[string]bool{}
	for _, mv := range values {
		key := strings.Trim(strings.TrimSpace(mv.Key.String()), `"'`)
		if seen[key] {
			d.fail(mv.Key, "remember."+key, "%s is given twice; keep one", key)
			continue
		}
		seen[key] = true
		fields = append(fields, field{key: key, keyAt: mv.Key, value: mv.Value})
	}
	return fields, true
}

// lineOf is a node's line, 0 when unknown.
func lineOf(node ast.Node) int {
	line, _ := position(node)
	return line
}
