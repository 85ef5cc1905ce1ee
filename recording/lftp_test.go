package recording

import (
	"regexp"
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/protocol"
)

// TestLftpNotes checks that lftp -d's notes that matter to a diagnosis
// become events: its correction of a 227's address, and its warning
// about an untrusted certificate.
func TestLftpNotes(t *testing.T) {
	tests := []struct {
		file string
		want []string // event lines, in order
	}{
		{"real/lftp-d-fixpasv.log", []string{
			"lftp did not use the address in the 227 reply",
			"LIST sub",
		}},
		{"real/lftp-d-tls.log", []string{
			"AUTH TLS",
			"lftp: Certificate verification: The certificate is NOT trusted",
			"LIST",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rec, err := OpenFile("testdata/"+tt.file, "lftp")
			if err != nil {
				t.Fatal(err)
			}
			next := 0
			for _, ev := range rec.Sessions[0].Events {
				if next < len(tt.want) && strings.HasPrefix(ev.Line, tt.want[next]) {
					next++
				}
			}
			if next < len(tt.want) {
				t.Errorf("no event %q (in this order) in %s", tt.want[next], tt.file)
			}
		})
	}
}

// zeroBytes matches a count of 0 bytes (not 300000 bytes).
var zeroBytes = regexp.MustCompile(`(^|[^0-9])0 bytes`)

// TestLftpDataConnections checks that every transfer of an lftp -d log
// shows its data connection opening and closing, as other formats do:
// numbered as the transfer command, the passive open before it (lftp
// connects first), the active one after it, and the close saying the
// size is not recorded rather than 0 bytes, in every output.
func TestLftpDataConnections(t *testing.T) {
	tests := []struct {
		file string
		// transfers are the transfer commands, each with where its data
		// connection went (passive) or came from (active).
		transfers []string
		passive   bool
		protected bool
	}{
		{"real/lftp-d.log", []string{"LIST pub 127.0.0.1:38601", "RETR pub/hello.txt 127.0.0.1:45291"}, true, false},
		{"real/lftp-d-vsftpd.log", []string{"LIST 127.0.0.1:2394", "RETR hello.txt 127.0.0.1:2396"}, true, false},
		{"real/lftp-d-fixpasv.log", []string{"LIST sub 127.0.0.1:2482"}, true, false},
		{"real/lftp-d-tls.log", []string{"LIST 127.0.0.1:2497", "RETR blob.bin 127.0.0.1:2496"}, true, true},
		{"real/lftp-d-active.log", []string{"LIST 127.0.0.1:39631", "RETR blob.bin 127.0.0.1:43141"}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rec, err := OpenFile("testdata/"+tt.file, "lftp")
			if err != nil {
				t.Fatal(err)
			}
			events := rec.Sessions[0].Events
			var got []string
			for i, ev := range events {
				if ev.Kind != protocol.EventSend || transferVerbs[strings.Fields(ev.Line)[0]] == "" {
					continue
				}
				// The open, next to the command: before it in passive
				// mode, after it (once the server connected) in active.
				var open, closed *protocol.Event
				for j := range events {
					e := &events[j]
					if e.Kind != protocol.EventData || e.Seq != ev.Seq {
						continue
					}
					switch e.Data.Phase {
					case protocol.DataOpened:
						open = e
						if before := j < i; before != tt.passive {
							t.Errorf("%s: the data connection opens at event %d, the command is event %d (passive %v)", ev.Line, j, i, tt.passive)
						}
					case protocol.DataClosed:
						closed = e
						if j < i {
							t.Errorf("%s: the data connection closes before the command", ev.Line)
						}
					}
				}
				if open == nil || closed == nil {
					t.Errorf("%s: data connection open %v, closed %v; want both", ev.Line, open != nil, closed != nil)
					continue
				}
				got = append(got, ev.Line+" "+open.Data.Remote)
				verb := strings.Fields(ev.Line)[0]
				if c := closed.Data; !c.Uncounted || c.Bytes != 0 || c.Verb != verb || c.Direction != "download" || c.Protected != tt.protected || c.Remote != open.Data.Remote {
					t.Errorf("%s: the close is %+v; want uncounted, %s, download, protected %v", ev.Line, *c, verb, tt.protected)
				}
				if !strings.Contains(closed.Line, "size not recorded") {
					t.Errorf("%s: the close says %q, not that the size is not recorded", ev.Line, closed.Line)
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.transfers, "|") {
				t.Errorf("transfers with their data connections:\n got %q\nwant %q", got, tt.transfers)
			}
			for _, ext := range []string{"txt", "md", "jsonl"} {
				out := convert(t, rec, ext)
				if n := strings.Count(out, "size not recorded"); n < len(tt.transfers) {
					t.Errorf("%s: %d mentions of the size not recorded, want one per transfer (%d)", ext, n, len(tt.transfers))
				}
				if zeroBytes.MatchString(out) {
					t.Errorf("%s: a data connection of 0 bytes:\n%s", ext, out)
				}
			}
			// JSON Lines leave the count out, and reading them back
			// keeps it unknown: the diagram still says so.
			again, err := Read(strings.NewReader(convert(t, rec, "jsonl")), "json")
			if err != nil {
				t.Fatal(err)
			}
			if md := convert(t, again, "md"); strings.Count(md, "(size not recorded), then closed") != len(tt.transfers) || zeroBytes.MatchString(md) {
				t.Errorf("through JSON Lines, the diagram does not say each size is not recorded:\n%s", md)
			}
		})
	}
}
