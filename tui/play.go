package tui

// Playing a prepared demonstration (ftpscope --play demo.ftp): each enter
// on an empty input line puts the script's next line in the input, so
// that the presenter can talk about it; a second enter sends it. Comment
// lines are shown as narration on the way, "!fault" lines switch the
// sandbox's faults, and the presenter may type commands of their own in
// between or step back. The format is described in docs/PLAY.md.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/export"
	"github.com/ftpscope/ftpscope/protocol"
)

// ScriptLineKind says what a line of a demonstration script is.
type ScriptLineKind uint8

// The kinds of script line.
const (
	// ScriptCommand is a line to send: an FTP command, or a local ':'
	// command such as :save handout.md.
	ScriptCommand ScriptLineKind = iota
	// ScriptNarration is a "#" comment, shown in the transcript.
	ScriptNarration
	// ScriptFault is "!fault NAME on|off": switch a sandbox fault.
	ScriptFault
)

// ScriptLine is one line of a script that does something.
type ScriptLine struct {
	// No is the line's number in the file, from 1, for messages.
	No   int
	Kind ScriptLineKind
	// Text is the line as the input line shows it (for a command or a
	// fault), or the narration without its "#".
	Text string
}

// Script is a demonstration to play.
type Script struct {
	// Name is the file's name, shown while playing.
	Name  string
	Lines []ScriptLine
}

// Limits of a script: a demonstration is read by people, and a file of
// megabytes is a mistake.
const (
	scriptMaxBytes = 1 << 20
	scriptMaxLine  = 4096
)

// ScriptError is a line of a script that cannot be played; the message
// names the file and line and says what would work.
type ScriptError struct {
	Name string
	No   int
	Msg  string
}

func (e *ScriptError) Error() string { return fmt.Sprintf("%s:%d: %s", e.Name, e.No, e.Msg) }

// LoadScript reads the script at path.
func LoadScript(path string) (*Script, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is in the message already
		}
		return nil, fmt.Errorf("cannot read the demonstration %s (%w): check the file name", path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("cannot read the demonstration %s: it is not a regular file; give a script file", path)
	}
	return ParseScript(path, f)
}

// ParseScript reads a script: one line per step; blank lines and "//"
// notes for the presenter are skipped, "#" lines are narration, "!fault NAME on|off" switches a fault, and
// every other line is sent as typed (an FTP command, or a ':' command).
func ParseScript(name string, r io.Reader) (*Script, error) {
	s := &Script{Name: filepath.Base(name)}
	sc := bufio.NewScanner(io.LimitReader(r, scriptMaxBytes+1))
	sc.Buffer(make([]byte, 0, 4096), scriptMaxLine+2)
	read, no := 0, 0
	for sc.Scan() {
		no++
		read += len(sc.Bytes()) + 1
		if read > scriptMaxBytes {
			return nil, &ScriptError{name, no, fmt.Sprintf("the script is longer than %d bytes; split it into several demonstrations", scriptMaxBytes)}
		}
		line := strings.TrimSpace(strings.TrimSuffix(sc.Text(), "\r"))
		switch {
		case line == "" || strings.HasPrefix(line, "//"):
			continue // a blank line, or a note for the presenter alone
		case strings.HasPrefix(line, "#"):
			if text := strings.TrimSpace(strings.TrimLeft(line, "#")); text != "" {
				s.Lines = append(s.Lines, ScriptLine{No: no, Kind: ScriptNarration, Text: text})
			}
		case strings.ContainsFunc(line, func(r rune) bool { return r < 0x20 || r == 0x7f }):
			// A command or a directive is typed as plain text; only
			// narration may hold anything (it is shown escaped).
			return nil, &ScriptError{name, no, "the line holds a control character; write commands as plain text"}
		case strings.HasPrefix(line, "!"):
			if _, _, err := parseFault(line); err != nil {
				return nil, &ScriptError{name, no, err.Error()}
			}
			s.Lines = append(s.Lines, ScriptLine{No: no, Kind: ScriptFault, Text: line})
		default:
			s.Lines = append(s.Lines, ScriptLine{No: no, Kind: ScriptCommand, Text: line})
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &ScriptError{name, no + 1, fmt.Sprintf("the line is longer than %d bytes", scriptMaxLine)}
		}
		return nil, fmt.Errorf("read the demonstration %s: %w", name, err)
	}
	if len(s.Lines) == 0 {
		return nil, &ScriptError{name, max(no, 1), "the script has nothing to play: write one command per line, # for narration"}
	}
	return s, nil
}

// parseFault reads "!fault NAME on|off".
func parseFault(line string) (name string, on bool, err error) {
	f := strings.Fields(line)
	if len(f) == 0 || f[0] != "!fault" {
		return "", false, fmt.Errorf("unknown directive %s: the only one is !fault NAME on|off", protocol.Escape(strings.Fields(line + " ")[0]))
	}
	if len(f) != 3 || (f[2] != "on" && f[2] != "off") {
		return "", false, errors.New("write !fault NAME on or !fault NAME off, such as !fault nat on")
	}
	return f[1], f[2] == "on", nil
}

// player is a script being played.
type player struct {
	script *Script
	// next is the index of the next line to show; loaded is the line
	// last put in the input, or -1.
	next, loaded int
}

// commands counts the lines that are put in the input, and returns the
// number of the one at index i among them, from 1.
func (p *player) position(i int) (n, total int) {
	for j, l := range p.script.Lines {
		if l.Kind == ScriptNarration {
			continue
		}
		total++
		if j <= i {
			n = total
		}
	}
	return n, total
}

// playNext shows the narration up to the script's next command and puts
// that command in the input line.
func (m *Model) playNext() {
	p := m.play
	for p.next < len(p.script.Lines) && p.script.Lines[p.next].Kind == ScriptNarration {
		m.narrate(p.script.Lines[p.next].Text)
		p.next++
	}
	if p.next >= len(p.script.Lines) {
		m.hint = fitHint(m.width-2, playOver(p.script)...)
		return
	}
	m.loadScriptLine(p.next)
}

// playBack puts the script's command before the last one loaded in the
// input line, so that the presenter can show it again.
func (m *Model) playBack() {
	p := m.play
	from := p.loaded
	if from < 0 {
		from = p.next
	}
	for i := from - 1; i >= 0; i-- {
		if p.script.Lines[i].Kind != ScriptNarration {
			m.loadScriptLine(i)
			return
		}
	}
	m.hint = "this is the first line of " + p.script.Name
}

// loadScriptLine puts line i of the script in the input line.
func (m *Model) loadScriptLine(i int) {
	p := m.play
	m.resetInput()
	m.input.SetValue(p.script.Lines[i].Text)
	m.input.CursorEnd()
	p.loaded, p.next = i, i+1
}

// playHint is the hint line while a script plays: where it stands, what
// enter does, the other keys and the syntax of the line loaded, ranked for
// fitHint so that an 80-column row says the most important whole (nil
// when the presenter is typing a line of their own).
func (m *Model) playHint() []hintPart {
	p := m.play
	name := protocol.Escape(p.script.Name)
	value := strings.TrimSpace(m.input.Value())
	if p.loaded >= 0 && value == p.script.Lines[p.loaded].Text {
		n, total := p.position(p.loaded)
		parts := []hintPart{
			part(0, fmt.Sprintf("▶ %d/%d", n, total)),
			part(1, "enter sends it"),
			part(4, "alt+p back"),
			part(5, "alt+n skips"),
		}
		// The syntax comes before the summary and after the keys when
		// all fit; the summary matters more than the keys the presenter
		// knows (f1 lists them).
		syntax := m.syntaxHint(2)
		for i := range syntax {
			if i > 0 {
				syntax[i].rank += 4 // the ways to save or send a file: last
			}
		}
		if len(syntax) > 1 {
			syntax[1].rank = 3
		}
		return append(parts, syntax...)
	}
	if value != "" {
		return nil
	}
	if p.next >= len(p.script.Lines) {
		return playOver(p.script)
	}
	n, total := p.position(p.next)
	if p.script.Lines[p.next].Kind == ScriptNarration {
		n, _ = p.position(p.next) // the narration leads to the next line
		n++
	}
	return []hintPart{
		part(0, fmt.Sprintf("▶ %s %d/%d", name, min(n, total), total), fmt.Sprintf("▶ %d/%d", min(n, total), total)),
		part(1, "enter shows the next line", "enter: next line"),
		part(2, "alt+p back"),
		part(3, "alt+n skips"),
	}
}

// playOver is the hint once the script has no line left.
func playOver(s *Script) []hintPart {
	return []hintPart{
		part(0, "▶ the end of "+protocol.Escape(s.Name), "▶ the end of the script"),
		part(1, "alt+p steps back", "alt+p back"),
		part(2, "type commands as usual"),
	}
}

// narrate shows a narration line and keeps it with the session's events,
// so the handout, the log and the diagram have it in its place.
func (m *Model) narrate(text string) {
	m.transcript.AddNarration(text)
	m.record(export.Narration(text, m.now()))
}

// runDirective runs a "!" line: !fault NAME on|off switches a fault of
// ftpscope's own sandbox as :fault does (Options.SetFault), narrating the
// switch, so the handout and the diagram show where it happened.
func (m Model) runDirective(line string) (tea.Model, tea.Cmd) {
	name, on, err := parseFault(line)
	if err != nil {
		m.transcript.AddError(err.Error())
		return m, nil
	}
	m.switchSandboxFault("!fault", name, on)
	return m, nil
}

// isDirective reports whether a typed line is a play directive.
func isDirective(line string) bool {
	return strings.HasPrefix(strings.TrimSpace(line), "!fault")
}

// playStart is the hint shown when a script is loaded.
func playStart(s *Script) string {
	return fmt.Sprintf("playing %s: enter shows its next line, enter again sends it; alt+p steps back, alt+n skips", s.Name)
}

// Fault returns the fault a ScriptFault line switches, and whether it
// turns it on; ok is false for any other line.
func (l ScriptLine) Fault() (name string, on bool, ok bool) {
	if l.Kind != ScriptFault {
		return "", false, false
	}
	name, on, err := parseFault(l.Text)
	return name, on, err == nil
}
