package lesson

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/ftpscope/ftpscope/protocol"
)

// Bounds on a lesson file. A lesson is a few kilobytes of shallow YAML;
// the bounds keep a malformed or hostile file from holding the parser,
// whose time grows with the square of the nesting, for long.
const (
	maxFileSize = 64 << 10
	maxLineSize = 2000
	maxNesting  = 16
)

// missingFileError is a lesson file that is not there, said in one
// sentence; errors.Is(err, fs.ErrNotExist) still holds.
type missingFileError struct {
	path string
	err  error
}

func (e missingFileError) Error() string {
	return "read lesson file: there is no file " + e.path
}
func (e missingFileError) Unwrap() error { return e.err }

// ReadFile reads and parses a teacher's lesson file. faults are the
// sandbox's fault names, which a step's fault field must be one of.
func ReadFile(path string, faults []string) (*Lesson, error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, missingFileError{path: path, err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("read lesson file: %w", err)
	}
	if info.IsDir() {
		return nil, fmt.Errorf("read lesson file: %s is a folder, not a lesson file", path)
	}
	if info.Size() > maxFileSize {
		return nil, fmt.Errorf("read lesson file: %s is %d bytes; a lesson file is at most %d", path, info.Size(), maxFileSize)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read lesson file: %w", err)
	}
	return Parse(path, data, faults)
}

// Parse reads a lesson from data, the contents of file (named in error
// messages). A malformed lesson returns Errors, every problem with its
// line, column and field, in the order of the file.
func Parse(file string, data []byte, faults []string) (*Lesson, error) {
	d := &decoder{file: file, faults: faults}
	if e := checkShape(data); e != nil {
		e.File = file
		d.errs = append(d.errs, e)
		return nil, d.errs
	}
	// Duplicate keys are reported by the decoder, with the field's path.
	f, err := parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		d.syntax(err)
		return nil, d.errs
	}
	var body ast.Node
	for i, doc := range f.Docs {
		switch {
		case doc.Body == nil:
		case body == nil:
			body = doc.Body
		case i > 0:
			d.fail(doc.Body, "", "a lesson file holds one lesson; remove the second document (after ---)")
		}
	}
	if body == nil {
		d.errs = append(d.errs, &Error{File: file, Line: 1, Column: 1, Problem: "the file is empty: a lesson needs at least name, title and steps"})
		return nil, d.errs
	}
	l := d.lesson(body)
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	l.File = file
	return l, nil
}

// checkShape refuses, before parsing, a file too large, a line too long,
// or brackets and list markers nested deeper than a lesson ever needs.
func checkShape(data []byte) *Error {
	if len(data) > maxFileSize {
		return &Error{Line: 1, Column: 1, Problem: fmt.Sprintf("the file is %d bytes; a lesson file is at most %d", len(data), maxFileSize)}
	}
	depth := 0
	for i, line := range strings.Split(string(data), "\n") {
		if len(line) > maxLineSize {
			return &Error{Line: i + 1, Column: maxLineSize + 1, Problem: fmt.Sprintf("the line is %d bytes long; break it (a > or | block keeps a paragraph together), at most %d a line", len(line), maxLineSize)}
		}
		markers := 0
		rest := strings.TrimLeft(line, " ")
		for strings.HasPrefix(rest, "- ") || rest == "-" {
			markers++
			rest = strings.TrimLeft(strings.TrimPrefix(rest, "-"), " ")
		}
		// A bracket opens a flow collection only where a value starts
		// (after a colon, a dash, a comma or another bracket), never in
		// prose or in quotes.
		prev, quote := byte(' '), byte(0)
		for j := 0; j < len(line); j++ {
			c := line[j]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
				continue
			case c == '"' || c == '\'':
				quote = c
			case c == '#' && prev == ' ':
				j = len(line) // a comment
				continue
			case (c == '[' || c == '{') && strings.IndexByte(":-,[{ ", prev) >= 0 && (prev != ' ' || j == 0 || strings.IndexByte(":-,[{", lastNonSpace(line[:j])) >= 0):
				depth++
			case (c == ']' || c == '}') && depth > 0:
				depth--
			}
			if c != ' ' {
				prev = c
			} else {
				prev = ' '
			}
			if depth > maxNesting || markers > maxNesting {
				return &Error{Line: i + 1, Column: j + 1, Problem: fmt.Sprintf("lists and sets of fields are nested more than %d deep; a lesson needs 4", maxNesting)}
			}
		}
	}
	return nil
}

// lastNonSpace returns the last byte of s that is not a space, or ':'
// for a line of spaces only (a value may start there).
func lastNonSpace(s string) byte {
	s = strings.TrimRight(s, " ")
	if s == "" {
		return ':'
	}
	return s[len(s)-1]
}

// Error is one problem in a lesson file: where it is, which field, and
// what is wrong in a sentence that says what to write instead.
type Error struct {
	File         string
	Line, Column int
	// Field is the field's path, such as steps[2].expect.reply; empty for
	// a problem of the file as a whole (YAML syntax).
	Field   string
	Problem string
}

func (e *Error) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Problem)
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s", e.File, e.Line, e.Column, e.Field, e.Problem)
}

// Errors is every problem found in one lesson file, in file order.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// decoder walks a lesson file's syntax tree, collecting every problem
// with its position instead of stopping at the first.
type decoder struct {
	file   string
	faults []string
	errs   Errors
}

// syntax records a YAML syntax error at the position the parser gives.
func (d *decoder) syntax(err error) {
	e := &Error{File: d.file, Line: 1, Column: 1, Problem: "not valid YAML: " + err.Error()}
	var ye yaml.Error
	if errors.As(err, &ye) {
		e.Problem = "not valid YAML: " + ye.GetMessage()
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			e.Line, e.Column = tk.Position.Line, tk.Position.Column
		}
	}
	d.errs = append(d.errs, e)
}

// fail records a problem with the field at node.
func (d *decoder) fail(node ast.Node, field, format string, args ...any) {
	line, col := position(node)
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Column: col, Field: field, Problem: fmt.Sprintf(format, args...)})
}

// position is where a node starts: for a set of fields, its first key
// (the parser's token for a mapping is its first colon).
func position(node ast.Node) (line, col int) {
	switch n := unwrap(node).(type) {
	case nil:
		return 1, 1
	case *ast.MappingNode:
		if len(n.Values) > 0 && !n.IsFlowStyle {
			return position(n.Values[0].Key)
		}
	case *ast.MappingValueNode:
		return position(n.Key)
	}
	if tk := node.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line, tk.Position.Column
	}
	return 1, 1
}

// field is one key and value of a mapping.
type field struct {
	key   string
	keyAt ast.Node
	value ast.Node
}

// mapping returns the fields of a mapping node, reporting keys that are
// not in known, duplicates, and a node that is not a mapping. what names
// the thing for messages ("a step").
func (d *decoder) mapping(node ast.Node, path, what string, known []string) (map[string]field, bool) {
	node = unwrap(node)
	m, ok := node.(*ast.MappingNode)
	if !ok {
		if mv, single := node.(*ast.MappingValueNode); single {
			m = &ast.MappingNode{BaseNode: mv.BaseNode, Values: []*ast.MappingValueNode{mv}}
		} else {
			d.fail(node, path, "%s is a set of fields (%s), not %s", what, strings.Join(known, ", "), describe(node))
			return nil, false
		}
	}
	fields := map[string]field{}
	for _, mv := range m.Values {
		key := strings.TrimSpace(mv.Key.String())
		at := join(path, key)
		switch {
		case !slices.Contains(known, key):
			d.fail(mv.Key, at, "unknown field %q; %s has the fields %s", key, what, strings.Join(known, ", "))
		case fields[key].value != nil:
			d.fail(mv.Key, at, "%s is given twice; keep one", key)
		default:
			fields[key] = field{key: key, keyAt: mv.Key, value: mv.Value}
		}
	}
	return fields, true
}

// unwrap returns the value under anchors and tags.
func unwrap(node ast.Node) ast.Node {
	for {
		switch n := node.(type) {
		case *ast.AnchorNode:
			node = n.Value
		case *ast.TagNode:
			node = n.Value
		default:
			return node
		}
	}
}

// describe names a node's kind for messages.
func describe(node ast.Node) string {
	switch unwrap(node).(type) {
	case nil, *ast.NullNode:
		return "empty"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a set of fields"
	case *ast.SequenceNode:
		return "a list"
	case *ast.AliasNode:
		return "an alias (*name), which lesson files do not use"
	default:
		return fmt.Sprintf("%q", node.String())
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// text returns a field's text: a string, a block (| or >), or a plain
// scalar such as a number, which is taken as written.
func (d *decoder) text(f field, path string) (string, bool) {
	switch n := unwrap(f.value).(type) {
	case *ast.StringNode:
		return d.placeholders(f, path, strings.TrimSpace(n.Value))
	case *ast.LiteralNode:
		return d.placeholders(f, path, strings.TrimSpace(n.Value.Value))
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return strings.TrimSpace(n.String()), true
	case nil, *ast.NullNode:
		d.fail(f.keyAt, path, "%s is empty; write its text after the colon", f.key)
	default:
		d.fail(f.value, path, "%s must be text, not %s", f.key, describe(f.value))
	}
	return "", false
}

// placeholders checks the {name} placeholders of a text: {files} is the
// only one.
func (d *decoder) placeholders(f field, path, s string) (string, bool) {
	// The text reaches the terminal: a control character or an escape
	// sequence in it would act on the screen.
	for _, line := range strings.Split(s, "\n") {
		if esc := protocol.Escape(line); esc != line {
			d.fail(f.value, path, "the text holds a character that is not printable (%s); remove it", firstEscape(esc))
			return s, false
		}
	}
	for _, p := range placeholderPattern.FindAllString(s, -1) {
		if p != FilesVar {
			d.fail(f.value, path, "%s is not a placeholder ftpscope fills in; the one there is, %s, the folder of practice files", p, FilesVar)
			return s, false
		}
	}
	return s, true
}

// firstEscape returns the first escape sequence Escape wrote, such as
// \x1b.
func firstEscape(esc string) string {
	i := strings.IndexByte(esc, '\\')
	if i < 0 {
		return esc
	}
	end := min(i+4, len(esc))
	if strings.HasPrefix(esc[i:], `\u`) {
		end = min(i+6, len(esc))
	}
	return esc[i:end]
}

// required reports a missing field at the mapping that lacks it.
func (d *decoder) required(fields map[string]field, at ast.Node, path, key, why string) (field, bool) {
	f, ok := fields[key]
	if !ok {
		d.fail(at, join(path, key), "missing: %s", why)
	}
	return f, ok
}

// boolean reads a true or false field.
func (d *decoder) boolean(f field, path string) *bool {
	if b, ok := unwrap(f.value).(*ast.BoolNode); ok {
		v := b.Value
		return &v
	}
	d.fail(f.value, path, "%s must be true or false, not %s", f.key, describe(f.value))
	return nil
}

// list returns a field's items: the values of a list, or the one value of
// a scalar (reply: 230 is reply: [230]).
func list(node ast.Node) []ast.Node {
	if s, ok := unwrap(node).(*ast.SequenceNode); ok {
		return s.Values
	}
	return []ast.Node{node}
}

var codePattern = regexp.MustCompile(`^[1-6][0-9x][0-9x]$`)

// codes reads a reply code, a pattern such as 2xx, or a list of them.
func (d *decoder) codes(f field, path string) []Code {
	var out []Code
	for i, item := range list(f.value) {
		at := path
		if _, isList := unwrap(f.value).(*ast.SequenceNode); isList {
			at = fmt.Sprintf("%s[%d]", path, i)
		}
		s := ""
		switch n := unwrap(item).(type) {
		case *ast.IntegerNode:
			s = n.String()
		case *ast.StringNode:
			s = strings.ToLower(strings.TrimSpace(n.Value))
		}
		if !codePattern.MatchString(s) {
			d.fail(item, at, "%s is not a reply code: write three digits, the first from 1 to 6, such as 230, or a family such as 2xx", describe(item))
			continue
		}
		out = append(out, Code(s))
	}
	return out
}

var verbPattern = regexp.MustCompile(`^[A-Za-z]{3,4}$`)

// verbs reads a command name or a list of them, in upper case.
func (d *decoder) verbs(f field, path string) []string {
	var out []string
	for i, item := range list(f.value) {
		at := path
		if _, isList := unwrap(f.value).(*ast.SequenceNode); isList {
			at = fmt.Sprintf("%s[%d]", path, i)
		}
		s, ok := unwrap(item).(*ast.StringNode)
		if !ok || !verbPattern.MatchString(s.Value) {
			d.fail(item, at, "%s is not an FTP command name: write three or four letters, such as LIST", describe(item))
			continue
		}
		out = append(out, strings.ToUpper(s.Value))
	}
	return out
}
