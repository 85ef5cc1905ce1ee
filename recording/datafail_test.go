package recording

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/protocol"
)

// TestFollowedNATAddressRefused opens two recordings of the same failure,
// a client that followed a 227's wrong address (vsftpd pasv_address=
// 127.0.0.2) and was refused: the data connection must read as refused,
// never as open, and the findings must name the announced address, not a
// firewall.
func TestFollowedNATAddressRefused(t *testing.T) {
	for _, name := range []string{"real/vsftpd-nat-followed.pcap", "real/curl-v-nat-followed.log"} {
		t.Run(name, func(t *testing.T) {
			rec, err := OpenFile("testdata/"+name, "")
			if err != nil {
				t.Fatal(err)
			}
			engine := diagnose.New()
			var ids []string
			var dial *protocol.DataError
			for _, ev := range rec.Sessions[0].Events {
				if ev.Kind == protocol.EventData && ev.Data != nil && ev.Data.Phase == protocol.DataOpened {
					t.Errorf("a data connection is shown open: %q", ev.Line)
				}
				if ev.Kind == protocol.EventError && errors.As(ev.Err, &dial) && dial.Addr != "127.0.0.2:2481" {
					t.Errorf("the data connection failed to %s, want 127.0.0.2:2481", dial.Addr)
				}
				for _, f := range engine.Observe(ev) {
					ids = append(ids, f.ID)
				}
			}
			if dial == nil || dial.Op != protocol.DataDial {
				t.Fatalf("no refused data connection among the events")
			}
			if !slices.Contains(ids, "passive-address-unreachable") || slices.Contains(ids, "passive-port-refused") {
				t.Errorf("findings %v, want passive-address-unreachable and not passive-port-refused", ids)
			}
		})
	}
}

// TestCurlTraceCountsDataOverTLS checks that curl --trace-ascii's "Send
// data" blocks count as the transfer's bytes after AUTH TLS too: they are
// the plain payload, and only "SSL data" blocks are encrypted records.
func TestCurlTraceCountsDataOverTLS(t *testing.T) {
	rec, err := OpenFile("testdata/real/curl-trace-tls-stor.log", "")
	if err != nil {
		t.Fatal(err)
	}
	var closed *protocol.DataInfo
	for _, ev := range rec.Sessions[0].Events {
		if ev.Kind == protocol.EventData && ev.Data != nil && ev.Data.Phase == protocol.DataClosed {
			closed = ev.Data
		}
	}
	if closed == nil || closed.Verb != "STOR" || closed.Bytes != 3 {
		t.Errorf("data connection closed = %+v, want STOR with 3 bytes", closed)
	}
}

// TestJSONKeepsTiming converts a capture to JSON Lines and reads it back:
// the timing breakdown (connect, greeting, each data connection's open
// and first byte) must come out with the same numbers, as the capture
// gave them.
func TestJSONKeepsTiming(t *testing.T) {
	rec, err := OpenFile("testdata/real/sandbox-any-sll2.pcap", "")
	if err != nil {
		t.Fatal(err)
	}
	want := timingLines(convert(t, rec, "txt"))
	if len(want) < 2 {
		t.Fatalf("the capture's transcript has %d timing lines, want the session's and a data connection's", len(want))
	}
	back, err := Read(strings.NewReader(convert(t, rec, "jsonl")), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := timingLines(convert(t, back, "txt")); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("read back from JSON, the timing lines are\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// timingLines are the "· timing" lines of a text transcript.
func timingLines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "· timing") {
			out = append(out, l)
		}
	}
	return out
}
