package tui

// The continuous message log (--log FILE, :log FILE): every event of the
// session appended to a file as it happens, as FileZilla's message log
// does, passwords masked. Writing runs in a goroutine of its own, so the
// screen never waits for the disk.

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/export"
	"github.com/ftpscope/ftpscope/protocol"
)

// LogFile appends session events to a file in export's message log
// format. Add never blocks; Close writes what is queued and closes the
// file. A LogFile is safe for concurrent use.
type LogFile struct {
	path string
	file *os.File

	mu     sync.Mutex
	queue  []protocol.Event
	closed bool
	wake   chan struct{}
	done   chan struct{}
	// finished is closed by run once everything is written.
	finished chan struct{}
	// failed receives the first write error, once.
	failed    chan error
	closeOnce sync.Once
	closeErr  error
}

// OpenLog opens path for appending, creating it with mode 0600 (a log
// may hold host and user names), and starts writing. A folder, a device
// or anything but a regular file is refused.
func OpenLog(path string) (*LogFile, error) {
	path = expandHome(path)
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("cannot log to %s: it is not a regular file; give a file name", path)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, &fileError{text: fmt.Sprintf("cannot log to %s: %s", path, fileProblem(path, err)), err: err}
	}
	l := &LogFile{path: path, file: f, wake: make(chan struct{}, 1), done: make(chan struct{}), finished: make(chan struct{}), failed: make(chan error, 1)}
	go l.run()
	return l, nil
}

// Path returns the log's file name.
func (l *LogFile) Path() string { return l.path }

// Add queues an event to append.
func (l *LogFile) Add(ev protocol.Event) {
	if l == nil || ev.Kind == protocol.EventData && ev.Data != nil && ev.Data.Phase == protocol.DataProgress {
		return
	}
	l.mu.Lock()
	if !l.closed {
		l.queue = append(l.queue, ev)
	}
	l.mu.Unlock()
	l.poke()
}

// Note queues a line of ftpscope's own, such as where the log starts.
func (l *LogFile) Note(text string) {
	l.mu.Lock()
	if !l.closed {
		l.queue = append(l.queue, protocol.Event{Kind: logNoteKind, Line: text})
	}
	l.mu.Unlock()
	l.poke()
}

// logNoteKind marks a queued note of ftpscope's own.
const logNoteKind protocol.EventKind = "ftpscope-log-note"

func (l *LogFile) poke() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Close appends what is queued, syncs the file to disk and closes it. It
// returns the first error; later calls return the same.
func (l *LogFile) Close() error {
	if l == nil {
		return nil
	}
	l.closeOnce.Do(func() {
		l.mu.Lock()
		l.closed = true
		l.mu.Unlock()
		close(l.done)
		l.poke()
		<-l.finished
	})
	return l.closeErr
}

// run writes batches of queued events until Close.
func (l *LogFile) run() {
	defer close(l.finished)
	w := bufio.NewWriter(l.file)
	tw := export.NewLog(w)
	var failure error
	write := func() {
		l.mu.Lock()
		batch := l.queue
		l.queue = nil
		l.mu.Unlock()
		if failure != nil || len(batch) == 0 {
			return
		}
		for _, ev := range batch {
			if ev.Kind == logNoteKind {
				tw.Info(ev.Line)
				continue
			}
			tw.Event(ev)
		}
		// Each batch reaches the file whole, so the log can be read (or
		// tail -f'd) as the session runs.
		if err := w.Flush(); err != nil {
			failure = fmt.Errorf("the log %s could not be written: %w", l.path, err)
			l.failed <- failure
		}
	}
	for {
		select {
		case <-l.wake:
			write()
		case <-l.done:
			write()
			err := tw.Close()
			if err == nil {
				err = w.Flush()
			}
			if err == nil {
				err = l.file.Sync()
			}
			err = errors.Join(failure, err, l.file.Close())
			if err != nil && failure == nil {
				err = fmt.Errorf("the log %s could not be closed: %w", l.path, err)
			}
			l.closeErr = err
			return
		}
	}
}

// logFailedMsg reports that the log could not be written.
type logFailedMsg struct {
	log *LogFile
	err error
}

// waitLogFailure waits for the log's first write error.
func waitLogFailure(l *LogFile) tea.Cmd {
	return func() tea.Msg {
		select {
		case err := <-l.failed:
			return logFailedMsg{log: l, err: err}
		case <-l.finished:
			return nil
		}
	}
}

// logOpenedMsg reports the end of :log FILE's opening.
type logOpenedMsg struct {
	log *LogFile
	err error
}

// runLog is :log FILE (append the session to FILE as it runs), :log off,
// and :log alone (say where the log goes).
func runLog(m Model, args []string) (Model, tea.Cmd) {
	switch {
	case len(args) == 0 && m.logFile == nil:
		m.transcript.AddInfo("no log is being written; :log FILE appends the session to FILE as it runs, passwords masked")
		return m, nil
	case len(args) == 0:
		m.transcript.AddInfo("the session is being appended to " + m.logFile.Path() + "; :log off stops")
		return m, nil
	case len(args) > 1:
		m.transcript.AddError("usage: :log FILE, for example :log session.log; :log off stops logging")
		return m, nil
	case args[0] == "off":
		if m.logFile == nil {
			m.transcript.AddInfo("no log is being written")
			return m, nil
		}
		old := m.logFile
		m.logFile = nil
		m.transcript.AddInfo("logging to " + old.Path() + " stopped")
		return m, closeLogCmd(old)
	}
	path := args[0]
	return m, func() tea.Msg {
		l, err := OpenLog(path)
		return logOpenedMsg{log: l, err: err}
	}
}

// applyLogOpened starts logging to a file opened by :log: the session so
// far first, then every event as it comes.
func (m *Model) applyLogOpened(msg logOpenedMsg) tea.Cmd {
	if msg.err != nil {
		m.transcript.AddError(ownLine(msg.err.Error()) + "; nothing is logged")
		return nil
	}
	old := m.logFile
	m.logFile = msg.log
	m.logFile.Note(fmt.Sprintf("ftpscope log of %s, from the start of the session", m.target.Addr()))
	for ev := range m.log.All {
		m.logFile.Add(ev)
	}
	m.transcript.AddInfo(fmt.Sprintf("appending the session to %s as it runs (passwords masked); :log off stops", msg.log.Path()))
	return tea.Batch(closeLogCmd(old), waitLogFailure(msg.log))
}

// applyLogFailed reports a log that could not be written.
func (m *Model) applyLogFailed(msg logFailedMsg) {
	m.transcript.AddError(ownLine(msg.err.Error()) + "; logging stopped, and :save still writes the whole session")
	if m.logFile == msg.log {
		m.logFile = nil
	}
}

// closeLogCmd closes a log off the update loop; nil for none.
func closeLogCmd(l *LogFile) tea.Cmd {
	if l == nil {
		return nil
	}
	return func() tea.Msg {
		_ = l.Close() // a write error was reported when it happened
		return nil
	}
}

// expandHome replaces a leading ~/ with the home folder.
func expandHome(path string) string {
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return home + string(os.PathSeparator) + rest
		}
	}
	return path
}
