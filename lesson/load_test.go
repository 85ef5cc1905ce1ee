package lesson

import (
	"errors"
	"strings"
	"testing"
)

// testFaults stands for the sandbox's fault names in the parser's tests.
var testFaults = []string{"abort-transfer", "disk-full", "file-busy", "idle-timeout", "quota-exceeded"}

func TestParseMalformedFiles(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"empty file", "", "my.yaml:1:1: the file is empty: a lesson needs at least name, title and steps"},
		{"not YAML", "name: [unclosed\n", "my.yaml:1:7: not valid YAML: sequence end token ']' not found"},
		{"a list, not a lesson", "- say: hi\n", `my.yaml:1:1: a lesson is a set of fields (name, title, about, login, steps, remember), not a list`},
		{"missing title and steps", "name: x\n", "my.yaml:1:1: title: missing: the lesson's title, such as Logging in\nmy.yaml:1:1: steps: missing: a list of steps, each with say, try and expect"},
		{"unknown top field", "name: x\ntitle: T\ntitel: T\nsteps:\n  - say: s\n    try: NOOP\n    expect: {reply: 200}\n",
			`my.yaml:3:1: titel: unknown field "titel"; a lesson has the fields name, title, about, login, steps, remember`},
		{"bad name", "name: My Lesson\ntitle: T\nsteps:\n  - say: s\n    try: NOOP\n    expect: {reply: 200}\n",
			`my.yaml:1:7: name: "My Lesson" is not a lesson name: use lower-case letters, digits and hyphens, such as passive-mode`},
		{"steps not a list", "name: x\ntitle: T\nsteps: USER demo\n", `my.yaml:3:8: steps: steps must be a list of steps (each starting with - say:), not "USER demo"`},
		{"empty steps", "name: x\ntitle: T\nsteps: []\n", "my.yaml:3:8: steps: the list is empty; a lesson needs at least one step"},
		{"step without expect", "name: x\ntitle: T\nsteps:\n  - say: hello\n    try: NOOP\n",
			"my.yaml:4:5: steps[1].expect: missing: the outcome that completes the step, such as reply: 230 or logged-in: true"},
		{"bad reply code", "name: x\ntitle: T\nsteps:\n  - say: s\n    try: NOOP\n    expect:\n      reply: 99\n",
			`my.yaml:7:14: steps[1].expect.reply: "99" is not a reply code: write three digits, the first from 1 to 6, such as 230, or a family such as 2xx`},
		{"an escape sequence in a text", "name: x\ntitle: \"T\\e[2J\"\nsteps:\n  - say: s\n    try: NOOP\n    expect: {reply: 200}\n",
			`my.yaml:2:8: title: the text holds a character that is not printable (\x1b); remove it`},
		{"a preliminary reply", "name: x\ntitle: T\nsteps:\n  - say: s\n    try: LIST\n    expect:\n      reply: 150\n",
			"my.yaml:7:14: steps[1].expect.reply: 150 is a preliminary reply: a step is checked on the final one, such as the 226 after a 150"},
		{"bad code in a list", "name: x\ntitle: T\nsteps:\n  - say: s\n    try: PASV\n    expect:\n      reply: [227, abc]\n",
			`my.yaml:7:20: steps[1].expect.reply[1]: "abc" is not a reply code: write three digits, the first from 1 to 6, such as 230, or a family such as 2xx`},
		{"unknown expect field", "name: x\ntitle: T\nsteps:\n  - say: s\n    try: NOOP\n    expect:\n      code: 200\n",
			`my.yaml:7:7: steps[1].expect.code: unknown field "code"; expect has the fields reply, to, logged-in, user, tls, protection, type, directory, data-announced`},
		{"boolean as text", "name: x\ntitle: T\nsteps:\n  - say: s\n    try: PASS demo\n    expect:\n      logged-in: yes please\n",
			`my.yaml:7:18: steps[1].expect.logged-in: logged-in must be true or false, not "yes please"`},
		{"relative directory", "name: x\ntitle: T\nsteps:\n  - say: s\n    try: CWD pub\n    expect:\n      directory: pub\n",
			`my.yaml:7:18: steps[1].expect.directory: "pub" is not an absolute path: write it from the root, such as /pub`},
		{"bad protection", "name: x\ntitle: T\nsteps:\n  - say: s\n    try: PROT P\n    expect:\n      protection: S\n",
			`my.yaml:7:19: steps[1].expect.protection: protection must be C or P, not "S"`},
		{"unknown fault", "name: x\ntitle: T\nsteps:\n  - say: s\n    try: NOOP\n    fault: fire\n    expect: {reply: 421}\n",
			`my.yaml:6:12: steps[1].fault: there is no fault named "fire"; the faults are abort-transfer, disk-full, file-busy, idle-timeout, quota-exceeded`},
		{"misspelt fault", "name: x\ntitle: T\nsteps:\n  - say: s\n    try: NOOP\n    fault: disk-ful\n    expect: {reply: 421}\n",
			`my.yaml:6:12: steps[1].fault: there is no fault named "disk-ful" (did you mean disk-full?); the faults are abort-transfer, disk-full, file-busy, idle-timeout, quota-exceeded`},
		{"unknown account", "name: x\ntitle: T\nlogin: root\nsteps:\n  - say: s\n    try: NOOP\n    expect: {reply: 200}\n",
			`my.yaml:3:8: login: the sandbox has the accounts demo and anonymous, not "root"`},
		{"duplicate field", "name: x\ntitle: T\nsteps:\n  - say: s\n    say: t\n    try: NOOP\n    expect: {reply: 200}\n",
			"my.yaml:5:5: steps[1].say: say is given twice; keep one"},
		{"empty say", "name: x\ntitle: T\nsteps:\n  - say:\n    try: NOOP\n    expect: {reply: 200}\n",
			"my.yaml:4:5: steps[1].say: say is empty; write its text after the colon"},
		{"wrong turn without say", "name: x\ntitle: T\nsteps:\n  - say: s\n    try: NOOP\n    expect: {reply: 200}\n    wrong:\n      - reply: 530\n",
			"my.yaml:8:9: steps[1].wrong[1].say: missing: what went wrong and how to get back on track"},
		{"remember key not a code", "name: x\ntitle: T\nsteps:\n  - say: s\n    try: NOOP\n    expect: {reply: 200}\nremember:\n  okay: fine\n",
			`my.yaml:8:3: remember.okay: "okay" is not a reply code: the keys of remember are codes such as 230`},
		{"nested too deep", "name: x\ntitle: T\nsteps: " + strings.Repeat("[", 17) + "\n",
			"my.yaml:3:24: lists and sets of fields are nested more than 16 deep; a lesson needs 4"},
		{"a line too long", "name: x\ntitle: " + strings.Repeat("t", 2000) + "\n",
			"my.yaml:2:2001: the line is 2007 bytes long; break it (a > or | block keeps a paragraph together), at most 2000 a line"},
		{"a file too large", strings.Repeat("# a comment line\n", 4000),
			"my.yaml:1:1: the file is 68000 bytes; a lesson file is at most 65536"},
		{"two errors in file order", "name: x\ntitle: T\nsteps:\n  - say: s\n    try: NOOP\n    expect: {reply: 9}\n  - try: NOOP\n    expect: {type: Z}\n",
			"my.yaml:6:21: steps[1].expect.reply: \"9\" is not a reply code: write three digits, the first from 1 to 6, such as 230, or a family such as 2xx\n" +
				"my.yaml:7:5: steps[2].say: missing: what to try and why, in a few sentences\n" +
				`my.yaml:8:20: steps[2].expect.type: type must be A or I, not "Z"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Parse("my.yaml", []byte(tt.yaml), testFaults)
			if err == nil {
				t.Fatalf("Parse accepted the file and returned %+v; want the error\n%s", l, tt.want)
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Parse returned %T (%v), want lesson.Errors", err, err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestParseFullLesson(t *testing.T) {
	src := `name: passive
title: Passive mode
about: A lesson.
login: demo
steps:
  - say: Ask for a data connection.
    try: PASV
    expect:
      reply: [227, 229]
      data-announced: true
    done: Announced.
    wrong:
      - reply: 5xx
        say: Try EPSV.
  - say: List.
    try: list
    fault: abort-transfer
    expect:
      reply: 426
      to: [list, NLST]
      protection: p
      directory: /pub/
remember:
  "227": Six numbers.
`
	l, err := Parse("passive.yaml", []byte(src), testFaults)
	if err != nil {
		t.Fatal(err)
	}
	if l.Name != "passive" || l.Title != "Passive mode" || l.Login != "demo" || len(l.Steps) != 2 || l.File != "passive.yaml" {
		t.Fatalf("lesson = %+v", l)
	}
	s := l.Steps[1]
	if s.Fault != "abort-transfer" || s.Line != 15 || strings.Join(s.Expect.To, ",") != "LIST,NLST" || s.Expect.Protection != "P" || s.Expect.Directory != "/pub" {
		t.Errorf("step 2 = %+v", s)
	}
	if w := l.Steps[0].Wrong; len(w) != 1 || w[0].Reply != "5xx" || w[0].Say != "Try EPSV." {
		t.Errorf("wrong turns = %+v", w)
	}
	if l.Remember["227"] != "Six numbers." {
		t.Errorf("remember = %v", l.Remember)
	}
}

func TestBuiltinLessonsParse(t *testing.T) {
	lessons, err := Builtin(testFaults)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range lessons {
		names = append(names, l.Name)
	}
	if got, want := strings.Join(names, " "), "login where listing transfer rename tls errors 202-331"; got != want {
		t.Errorf("built-in lessons = %s, want %s", got, want)
	}
}

// FuzzParse feeds arbitrary files to the parser: it never panics, and a
// file it refuses gets Errors, each with a position from line 1.
func FuzzParse(f *testing.F) {
	f.Add([]byte("name: x\ntitle: T\nsteps:\n  - say: s\n    try: NOOP\n    expect: {reply: 200}\n"))
	f.Add([]byte("name: [unclosed\n"))
	f.Add([]byte("- a\n- b\n"))
	f.Add([]byte("steps: &a\n  - *a\n"))
	f.Add([]byte("remember: {230: x, 230: y}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Parse("fuzz.yaml", data, testFaults)
		if err == nil {
			if l == nil || len(l.Steps) == 0 || l.Name == "" || l.Title == "" {
				t.Fatalf("accepted an incomplete lesson: %+v", l)
			}
			return
		}
		var errs Errors
		if !errors.As(err, &errs) || len(errs) == 0 {
			t.Fatalf("error %T %v, want lesson.Errors", err, err)
		}
		for _, e := range errs {
			if e.Line < 1 || e.Column < 1 || e.Problem == "" {
				t.Fatalf("error without a position or a problem: %+v", e)
			}
		}
	})
}
