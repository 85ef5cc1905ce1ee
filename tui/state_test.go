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
