// Package recording reads FTP sessions that other tools recorded (client
// debug logs, server protocol logs, packet captures, ftpscope's own JSON
// Lines) and turns each into the protocol.Event values a live session
// reports, so that the terminal UI and every export format explain a
// recorded session exactly as they explain a live one.
//
// The format of a file is found from its content, never from its name:
// every format scores the first bytes, and the best score above nothing
// wins. Files are read as a stream, line by line or packet by packet, so a
// large capture is never held in memory; only the control connections'
// events are kept.
package recording

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/ftpscope/ftpscope/internal/suggest"
	"github.com/ftpscope/ftpscope/protocol"
)

// headSize is how much of a file detection looks at.
const headSize = 64 << 10

// Recording is what a file holds: one or more sessions.
type Recording struct {
	// Name is the file's name as given, or "standard input" for "-".
	Name string
	// Format is the name of the format read, such as "curl-v".
	Format string
	// Sessions are the FTP sessions found, in the order they started.
	Sessions []Session
	// Stopped is why reading ended before the end of the file (a
	// truncated or garbled file), or nil when the whole file was read.
	// The sessions hold everything read before that point, and the last
	// session ends with a warning saying where reading stopped.
	Stopped error
}

// Session is one FTP control connection found in a file.
type Session struct {
	// Label names the session for a list to choose from, such as
	// "127.0.0.1:50412 → 127.0.0.1:21, user demo, 14 commands".
	Label string
	// Events are the session's events in order, as protocol.Session
	// would have reported them; passwords are masked.
	Events []protocol.Event
}

// Format is one file format ftpscope reads.
type Format struct {
	// Name is the value of --format, such as "curl-v".
	Name string
	// Description names the tool and its option, for errors and help.
	Description string
	// Client names the program whose sessions the format records, as
	// the diagrams name it (protocol.ConnectInfo.Client): "curl", "lftp",
	// "FileZilla", or "client" for a server's log or a capture, which
	// does not say. Empty for ftpscope's own JSON Lines, whose connection
	// events say it themselves.
	Client string
	// detect scores how much head looks like this format, from 0 (not at
	// all) to 100 (certain), and says what it saw.
	detect func(head []byte) int
	// parse reads the whole file from r into sessions.
	parse func(r io.Reader, rec *collector) error
}

// Formats returns every format, in the order they are tried.
func Formats() []Format {
	return []Format{
		jsonFormat(),
		pcapFormat(),
		pcapngFormat(),
		curlTraceFormat(),
		curlVerboseFormat(),
		lftpFormat(),
		fileZillaFormat(),
		vsftpdFormat(),
		proftpdFormat(),
		pureFTPdFormat(),
	}
}

// FormatNames returns the values --format takes.
func FormatNames() []string {
	var names []string
	for _, f := range Formats() {
		names = append(names, f.Name)
	}
	return names
}

// UnknownFormatError is returned for a file in no known format.
type UnknownFormatError struct {
	// Tried are the names of the formats tried.
	Tried []string
	// Closest is the format that scored highest, or "" when none saw
	// anything familiar.
	Closest string
}

func (e *UnknownFormatError) Error() string {
	msg := "the file is in no format ftpscope reads (tried " + strings.Join(e.Tried, ", ") + ")"
	if e.Closest != "" {
		return msg + "; it looks most like " + e.Closest + ", but not enough to read it: give --format " + e.Closest + " to try anyway"
	}
	return msg + "; nothing in it looks like an FTP session"
}

// BadFormatError is returned for a --format value that names no format.
type BadFormatError struct{ Name string }

// Error says that there is no such format, suggests the closest name if
// one is close, and lists them.
func (e *BadFormatError) Error() string {
	names := FormatNames()
	return suggest.Unknown("format", e.Name, names, "--format takes "+strings.Join(names, ", "))
}

// ErrEmpty is returned for a file with nothing in it.
var ErrEmpty = errors.New("the file is empty")

// ErrNoSessions is returned when a file in a known format holds no FTP
// session (a capture of other traffic, an empty log).
var ErrNoSessions = errors.New("no FTP session found in the file")

// OpenFile reads the recording in the file at path ("-" for standard
// input). format names the format to read it as, or "" to detect it from
// the content.
func OpenFile(path, format string) (*Recording, error) {
	var r io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	rec, err := Read(r, format)
	if rec != nil {
		rec.Name = path
		if path == "-" {
			rec.Name = "standard input"
		}
	}
	return rec, err
}

// Read reads a recording from r, which is read once, as a stream: the
// head that detection looks at stays buffered for the parser, so standard
// input needs no temporary file. format is as for OpenFile.
func Read(r io.Reader, format string) (*Recording, error) {
	br := bufio.NewReaderSize(r, headSize)
	head, err := br.Peek(headSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("read the file: %w", err)
	}
	if len(head) == 0 {
		return nil, ErrEmpty
	}
	f, err := choose(head, format)
	if err != nil {
		return nil, err
	}
	c := newCollector()
	c.client = f.Client
	perr := f.parse(br, c)
	rec := &Recording{Format: f.Name, Sessions: c.finish()}
	if perr != nil {
		rec.Stopped = perr
		if len(rec.Sessions) == 0 {
			return nil, fmt.Errorf("read the file as %s: %w", f.Description, perr)
		}
		last := &rec.Sessions[len(rec.Sessions)-1]
		last.Events = append(last.Events, protocol.Event{
			Kind: protocol.EventWarning, Time: lastTime(last.Events),
			Line:  "reading stopped here: " + perr.Error() + "; what follows in the file is not shown",
			State: last.Events[len(last.Events)-1].State, // a warning changes nothing
		})
	}
	if len(rec.Sessions) == 0 {
		return nil, ErrNoSessions
	}
	return rec, nil
}

// choose returns the format named, or the one head looks most like.
func choose(head []byte, name string) (Format, error) {
	all := Formats()
	if name != "" {
		for _, f := range all {
			if f.Name == name {
				return f, nil
			}
		}
		return Format{}, &BadFormatError{Name: name}
	}
	type scored struct {
		f     Format
		score int
	}
	var scores []scored
	for _, f := range all {
		scores = append(scores, scored{f, f.detect(head)})
	}
	sort.SliceStable(scores, func(i, j int) bool { return scores[i].score > scores[j].score })
	best := scores[0]
	if best.score >= detectThreshold {
		return best.f, nil
	}
	e := &UnknownFormatError{Tried: FormatNames()}
	if best.score > 0 {
		e.Closest = best.f.Name
	}
	return Format{}, e
}

// detectThreshold is the score a format needs to be chosen.
const detectThreshold = 50

// FormatByName returns the format with that name.
func FormatByName(name string) (Format, bool) {
	for _, f := range Formats() {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}
