package recording

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// participant reads the client's participant from a handout's diagram.
var participant = regexp.MustCompile(`(?m)^    participant C as (.*)$`)

// TestDiagramNamesTheClient checks that the handout of a recording names
// the client the recording comes from, in the diagram and its legend:
// curl, lftp or FileZilla for their logs, the name a CLNT command gave in
// a capture of one session, "client" for a server's log or a capture
// that does not say, and ftpscope only for ftpscope's own JSON Lines,
// also after a round trip through JSON Lines.
func TestDiagramNamesTheClient(t *testing.T) {
	tests := []struct {
		fixture, want, legend string
	}{
		{"real/curl-v.log", "curl (client)", "The client is curl;"},
		{"real/curl-trace-ascii.log", "curl (client)", "The client is curl;"},
		{"real/lftp-d.log", "lftp (client)", "The client is lftp;"},
		{"written/filezilla-window.log", "FileZilla (client)", "The client is FileZilla;"},
		{"written/filezilla-file.log", "FileZilla (client)", "The client is FileZilla;"}, // two connections, both FileZilla's
		{"real/vsftpd.log", "client", "The client is the program that connected (the recording does not say which);"},
		{"real/proftpd-ftpscope.log", "client", "The client is the program that connected"}, // lftp's CLNT, but no connection to tie it to
		{"real/pure-ftpd.log", "client", "The client is the program that connected"},
		{"real/vsftpd-nat.pcap", "client", "The client is the program that connected"},
		{"real/sandbox-any-sll2.pcap", "lftp/4.9.2 (client)", "The client is lftp/4.9.2;"}, // one session that sent CLNT lftp/4.9.2
		{"real/ftpscope-run.jsonl", "ftpscope (client)", "The client is ftpscope;"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			rec, err := OpenFile(filepath.Join("testdata", tt.fixture), "")
			if err != nil {
				t.Fatal(err)
			}
			check := func(how string, md string) {
				t.Helper()
				m := participant.FindStringSubmatch(md)
				if m == nil || m[1] != tt.want {
					t.Errorf("%s: the diagram's client is %q, want %q", how, m, tt.want)
				}
				if !strings.Contains(md, tt.legend) {
					t.Errorf("%s: the legend does not say %q", how, tt.legend)
				}
				if tt.want != "ftpscope (client)" && strings.Contains(md, "The client is ftpscope") {
					t.Errorf("%s: the handout calls the client ftpscope", how)
				}
			}
			check("read", convert(t, rec, "md"))
			// What --json wrote is read back with the same client.
			again, err := Read(strings.NewReader(convert(t, rec, "jsonl")), "json")
			if err != nil {
				t.Fatal(err)
			}
			check("through JSON Lines", convert(t, again, "md"))
		})
	}
}
