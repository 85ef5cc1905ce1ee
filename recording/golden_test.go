package recording

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/export"
	"github.com/ftpscope/ftpscope/internal/goldentest"
)

var _ = flag.Bool("update", false, "rewrite the golden files")

// fixtures maps every recording under testdata to the format it must be
// detected as.
var fixtures = map[string]string{
	"real/curl-v.log":                          "curl-v",
	"real/ftpscope-run.jsonl":                  "json",
	"real/curl-v-530.log":                      "curl-v",
	"real/curl-v-tls.log":                      "curl-v",
	"real/curl-v-nat.log":                      "curl-v",
	"real/curl-trace-ascii.log":                "curl-trace",
	"real/curl-trace-tls-stor.log":             "curl-trace",
	"real/lftp-d.log":                          "lftp",
	"real/lftp-d-vsftpd.log":                   "lftp",
	"real/lftp-d-fixpasv.log":                  "lftp",
	"real/lftp-d-active.log":                   "lftp",
	"real/lftp-d-tls.log":                      "lftp",
	"real/curl-v-530-vsftpd.log":               "curl-v",
	"real/vsftpd.log":                          "vsftpd",
	"real/vsftpd-eleven.log":                   "vsftpd",
	"real/proftpd-ftpscope.log":                "proftpd",
	"real/proftpd-default.log":                 "proftpd",
	"real/proftpd-masquerade.log":              "proftpd",
	"real/pure-ftpd.log":                       "pure-ftpd",
	"real/sandbox-plain.pcap":                  "pcap",
	"real/sandbox-any-sll2.pcap":               "pcap",
	"real/vsftpd-nat.pcap":                     "pcap",
	"real/vsftpd-nat-followed.pcap":            "pcap",
	"real/curl-v-nat-followed.log":             "curl-v",
	"real/vsftpd-tls.pcapng":                   "pcapng",
	"real/vsftpd-tls-protc.pcap":               "pcap",
	"real/vsftpd-plain-any.pcapng":             "pcapng",
	"written/filezilla-window.log":             "filezilla",
	"written/filezilla-window-times.log":       "filezilla",
	"written/filezilla-file.log":               "filezilla",
	"written/filezilla-window-553.log":         "filezilla",
	"written/filezilla-window-tls-timeout.log": "filezilla",
}

// TestFixturesCovered fails when a recording under testdata is missing
// from fixtures, so that none goes untested.
func TestFixturesCovered(t *testing.T) {
	for _, dir := range []string{"real", "written"} {
		entries, err := os.ReadDir(filepath.Join("testdata", dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if _, ok := fixtures[dir+"/"+e.Name()]; !ok {
				t.Errorf("testdata/%s/%s is not in fixtures", dir, e.Name())
			}
		}
	}
}

// convert reads a fixture and prints it in one export format, as
// ftpscope open --text, --markdown and --json do.
func convert(t *testing.T, rec *Recording, format string) string {
	t.Helper()
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := map[string]func() export.Writer{
		"txt":   func() export.Writer { return export.NewText(&buf, cat) },
		"md":    func() export.Writer { return export.NewMarkdown(&buf, cat) },
		"jsonl": func() export.Writer { return export.NewJSON(&buf, cat) },
	}[format]()
	for i, s := range rec.Sessions {
		if len(rec.Sessions) > 1 {
			w.Info("session " + itoa(i+1) + ": " + s.Label)
		}
		for _, ev := range s.Events {
			w.Event(ev)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestGolden detects and converts every fixture to text, Markdown and
// JSON Lines, and compares them with testdata/golden.
func TestGolden(t *testing.T) {
	for name, format := range fixtures {
		t.Run(name, func(t *testing.T) {
			rec, err := OpenFile(filepath.Join("testdata", name), "")
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			if rec.Format != format {
				t.Errorf("detected as %q, want %q", rec.Format, format)
			}
			if rec.Stopped != nil {
				t.Errorf("reading stopped: %v", rec.Stopped)
			}
			base := strings.ReplaceAll(name, "/", "-")
			for _, ext := range []string{"txt", "md", "jsonl"} {
				got := convert(t, rec, ext)
				for _, secret := range []string{"fixture-pw", "PASS demo"} {
					if strings.Contains(got, secret) {
						t.Errorf("the %s output shows the password (%q)", ext, secret)
					}
				}
				goldentest.Check(t, "golden/"+base+"."+ext, got)
			}
		})
	}
}
