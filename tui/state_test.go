package tui

import (
	"testing"

	"github.com/ftpscope/ftpscope/protocol"
)

// TestAnnouncedDownloadSize checks that the size a 150 reply announces is
// found in the wordings of real servers, so the progress bar can show how
// much is left.
func TestAnnouncedDownloadSize(t *testing.T) {
	tests := []struct {
		text string
		want int64
	}{
		{"150 Opening BINARY mode data connection for big.bin (1048576 bytes).", 1048576},
		{"150 Data transfer starting 20000000 bytes", 20000000},
		{"150 Opening ASCII mode data connection for file list", 0},
		{"150 Here comes 12bytes of nonsense", 0},
	}
	for _, tt := range tests {
		st := newSessionState()
		r := &protocol.Reply{Code: 150, Lines: []string{tt.text}}
		st.learn(protocol.Event{Kind: protocol.EventReply, Reply: r, Verb: "RETR", Command: "RETR big.bin"})
		if st.expected != tt.want {
			t.Errorf("%q: expected size %d, want %d", tt.text, st.expected, tt.want)
		}
	}
}

// TestWorkingDirectoryAfterCWD checks what the status line learns from a
// successful CWD: the path resolved against a known directory, or, when
// none is known, an absolute path the reply names.
func TestWorkingDirectoryAfterCWD(t *testing.T) {
	tests := []struct {
		cwd, arg, text, want string
	}{
		{"/", "pub", "250 Directory successfully changed.", "/pub"},
		{"", "pub", "250 Directory changed to /pub", "/pub"},
		{"", "pub", `250 "/pub" is the current directory.`, "/pub"},
		{"", "pub", "250 Directory successfully changed.", ""},
		{"", "/srv/ftp/", "250 OK", "/srv/ftp"},
	}
	for _, tt := range tests {
		st := newSessionState()
		st.cwd = tt.cwd
		r := &protocol.Reply{Code: 250, Lines: []string{tt.text}}
		st.learn(protocol.Event{Kind: protocol.EventReply, Reply: r, Verb: "CWD", Command: "CWD " + tt.arg})
		if st.cwd != tt.want {
			t.Errorf("in %q, CWD %s answered %q: directory %q, want %q", tt.cwd, tt.arg, tt.text, st.cwd, tt.want)
		}
	}
}
