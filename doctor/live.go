package doctor

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// Live prints a report's text as the checks run: on a terminal a spinner
// with the elapsed time stands on the line of the check running, and is
// replaced by the check's verdict and findings when it ends. Off a
// terminal the same text comes without the spinner.
type Live struct {
	w        io.Writer
	terminal bool
	// width, when set, wraps the report to the terminal's width.
	width int

	mu      sync.Mutex
	running *Check
	printed *Check // the last check printed, for CheckTextAfter
	index   int
	total   int
	frame   int
	stop    chan struct{}
	done    chan struct{}
}

// spinner frames, as Bubbles' spinner.Dot draws them.
var spinner = []string{"⣾", "⣽", "⣻", "⢿", "⡿", "⣟", "⣯", "⣷"}

// NewLive returns a Live writing to w; terminal turns the spinner on.
func NewLive(w io.Writer, terminal bool) *Live {
	l := &Live{w: w, terminal: terminal, stop: make(chan struct{}), done: make(chan struct{})}
	if terminal {
		go l.spin()
	} else {
		close(l.done)
	}
	return l
}

// SetWidth wraps what Live prints to width columns (see Wrap); 0 does not
// wrap.
func (l *Live) SetWidth(width int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.width = width
}

// Header prints the report's first lines.
func (l *Live) Header(server string, warnings []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	io.WriteString(l.w, Wrap(TextHeader(server, warnings), l.width))
}

// Progress is Run's progress callback.
func (l *Live) Progress(p Progress) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !p.Done {
		l.running, l.index, l.total = p.Check, p.Index, p.Total
		l.draw()
		return
	}
	l.running = nil
	if l.terminal {
		io.WriteString(l.w, "\r\x1b[K")
	}
	io.WriteString(l.w, Wrap(CheckTextAfter(l.printed, p.Check), l.width))
	l.printed = p.Check
}

// Close stops the spinner and prints the conclusion.
func (l *Live) Close(r *Report) {
	if l.terminal {
		close(l.stop)
	}
	<-l.done
	l.mu.Lock()
	defer l.mu.Unlock()
	io.WriteString(l.w, Wrap(r.Conclusion()+"\n", l.width))
}

// spin redraws the running check's line ten times a second.
func (l *Live) spin() {
	defer close(l.done)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-l.stop:
			l.mu.Lock()
			io.WriteString(l.w, "\r\x1b[K")
			l.mu.Unlock()
			return
		case <-tick.C:
			l.mu.Lock()
			l.frame++
			l.draw()
			l.mu.Unlock()
		}
	}
}

// draw writes the spinner line; callers hold l.mu.
func (l *Live) draw() {
	if !l.terminal || l.running == nil {
		return
	}
	c := l.running
	line := fmt.Sprintf("%s %s (%d of %d) %s", spinner[l.frame%len(spinner)], c.Title, l.index, l.total,
		time.Since(c.Started).Round(100*time.Millisecond))
	if l.width > 0 {
		// A spinner line that wrapped could not be redrawn in place.
		line = ansi.Truncate(line, l.width-1, "…")
	}
	io.WriteString(l.w, "\r\x1b[K"+line)
}
