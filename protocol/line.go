package protocol

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Commands that move data over a data connection, and which way.
var transferVerbs = map[string]string{
	"LIST": "download", "NLST": "download", "MLSD": "download", "RETR": "download",
	"STOR": "upload", "APPE": "upload", "STOU": "upload",
}

// IsTransfer reports whether verb opens a data connection.
func IsTransfer(verb string) bool { _, ok := transferVerbs[verb]; return ok }

// IsUpload reports whether verb sends a file to the server (STOR, APPE,
// STOU), which ftpscope reads from the local file named after "<".
func IsUpload(verb string) bool { return transferVerbs[verb] == "upload" }

// Line is a typed line: the command to send, and ftpscope's own
// redirection of a transfer to or from a local file, which is never sent.
//
//	RETR notes.txt > /tmp/notes.txt   saves the download
//	LIST > listing.txt                saves the listing
//	STOR notes.txt < ./notes.txt      uploads the local file
type Line struct {
	Command Command
	// SaveTo is the local file a download is written to ("> file").
	SaveTo string
	// UploadFrom is the local file an upload reads ("< file").
	UploadFrom string
}

// ParseLine checks a typed line (see ParseCommand) and splits off a
// redirection. Only transfer commands take one, so "SITE EXEC a > b" is
// sent as typed; a file name that itself contains " > " cannot be
// redirected. A redirection on the wrong kind of command is an error.
func ParseLine(text string) (Line, error) {
	cmd, err := ParseCommand(text)
	if err != nil {
		return Line{}, err
	}
	direction, ok := transferVerbs[cmd.Verb]
	if !ok {
		return Line{Command: cmd}, nil
	}
	line := Line{Command: cmd}
	arg := " " + cmd.Arg
	i := max(strings.LastIndex(arg, " > "), strings.LastIndex(arg, " < "))
	if i < 0 {
		if strings.HasSuffix(arg, " >") || strings.HasSuffix(arg, " <") {
			return Line{}, fmt.Errorf("name a local file after %q, such as %s notes.txt %s notes.txt", arg[len(arg)-1:], cmd.Verb, arg[len(arg)-1:])
		}
		if direction == "upload" {
			// Without a local file there is nothing to send, and the
			// server would replace its file with an empty one.
			return Line{}, fmt.Errorf("%s needs a local file to send: type %s name < ./localfile", cmd.Verb, cmd.Verb)
		}
		return line, nil
	}
	op, path := arg[i+1], strings.TrimSpace(arg[i+3:])
	line.Command.Arg = strings.TrimSpace(arg[:i])
	if path == "" {
		return Line{}, fmt.Errorf("name a local file after %q", string(op))
	}
	switch {
	case op == '>' && direction == "download":
		line.SaveTo = path
	case op == '<' && direction == "upload":
		if line.Command.Arg == "" && cmd.Verb != "STOU" {
			// STOU alone lets the server choose the name; STOR and APPE
			// without one would be refused, or worse, guessed at.
			return Line{}, fmt.Errorf("%s needs the name to give the file on the server: type %s name < %s", cmd.Verb, cmd.Verb, path)
		}
		line.UploadFrom = path
	case op == '>':
		return Line{}, fmt.Errorf("%s uploads: use \"< localfile\" to choose what to send, as in %s name < ./file", cmd.Verb, cmd.Verb)
	default:
		return Line{}, fmt.Errorf("%s downloads: use \"> localfile\" to save it, as in %s name > ./file", cmd.Verb, cmd.Verb)
	}
	return line, nil
}

// openLocal opens the local files of a line before anything is sent, so
// that a missing file is reported without a word to the server.
func (l Line) openLocal() (upload *os.File, size int64, err error) {
	if l.UploadFrom != "" {
		f, err := os.Open(l.UploadFrom)
		if err != nil {
			return nil, 0, fmt.Errorf("cannot read local file %s: %w; nothing was sent", l.UploadFrom, unwrapPathError(err))
		}
		st, err := f.Stat()
		if err != nil || st.IsDir() {
			f.Close()
			return nil, 0, fmt.Errorf("local file %s is a folder, not a file; nothing was sent", l.UploadFrom)
		}
		return f, st.Size(), nil
	}
	if l.SaveTo != "" {
		dir := filepath.Dir(l.SaveTo)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return nil, 0, fmt.Errorf("cannot save to %s: folder %s does not exist; nothing was sent", l.SaveTo, dir)
		}
		if st, err := os.Stat(l.SaveTo); err == nil && st.IsDir() {
			return nil, 0, fmt.Errorf("cannot save to %s: it is a folder; name a file; nothing was sent", l.SaveTo)
		}
	}
	return nil, 0, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
