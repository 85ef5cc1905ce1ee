package recording

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/protocol"
)

// fuzzFormat fuzzes one parser: any input is read without a panic, within
// the bounds, and every PASS shown is masked. The fixtures of the format
// are the seeds, with the corpus under testdata/fuzz/<target>.
func fuzzFormat(f *testing.F, format string) {
	for name, fmtName := range fixtures {
		if fmtName != format {
			continue
		}
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := Read(bytes.NewReader(data), format)
		if err != nil {
			return
		}
		for _, s := range rec.Sessions {
			for _, ev := range s.Events {
				if ev.Kind == protocol.EventSend {
					// Masking what is shown or kept changes nothing more:
					// the password is already hidden, in any case.
					for _, s := range []string{ev.Line, string(ev.Raw)} {
						if line := strings.TrimRight(s, "\r\n"); protocol.MaskLine(line) != line {
							t.Fatalf("unmasked password: %q (raw %q)", ev.Line, ev.Raw)
						}
					}
				}
				if ev.Kind == protocol.EventReply && (ev.Reply == nil || len(ev.Reply.Lines) == 0) {
					t.Fatalf("a reply event without lines: %+v", ev)
				}
				if ev.State == nil {
					t.Fatalf("an event without its state: %+v", ev)
				}
			}
		}
	})
}

func FuzzCurlVerbose(f *testing.F) { fuzzFormat(f, "curl-v") }
func FuzzCurlTrace(f *testing.F)   { fuzzFormat(f, "curl-trace") }
func FuzzLftp(f *testing.F)        { fuzzFormat(f, "lftp") }
func FuzzFileZilla(f *testing.F)   { fuzzFormat(f, "filezilla") }
func FuzzVsftpd(f *testing.F)      { fuzzFormat(f, "vsftpd") }
func FuzzProftpd(f *testing.F)     { fuzzFormat(f, "proftpd") }
func FuzzPureFTPd(f *testing.F)    { fuzzFormat(f, "pure-ftpd") }
func FuzzJSON(f *testing.F)        { fuzzFormat(f, "json") }
func FuzzPcap(f *testing.F)        { fuzzFormat(f, "pcap") }
func FuzzPcapng(f *testing.F)      { fuzzFormat(f, "pcapng") }

// FuzzDetect reads any input with the format detected: the error, when
// there is one, is one of the typed ones.
func FuzzDetect(f *testing.F) {
	for name := range fixtures {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:min(len(data), 300)])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = Read(bytes.NewReader(data), "")
	})
}
