package export

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/internal/vsftpdtest"
	"github.com/ftpscope/ftpscope/protocol"
)

// vsftpdSession plays lines against a vsftpd started with extra settings
// and returns the session's events.
func vsftpdSession(t *testing.T, extra map[string]string, lines ...string) []protocol.Event {
	t.Helper()
	if !vsftpdtest.Available() {
		t.Skip("vsftpd is not available")
	}
	srv := vsftpdtest.Start(t, vsftpdtest.Options{Extra: extra})
	var events []protocol.Event
	s := protocol.Dial(protocol.Config{Addr: srv.Addr, ConnectTimeout: 5 * time.Second, ReplyTimeout: 10 * time.Second})
	conv := protocol.NewConversation(s, func(ev protocol.Event) { events = append(events, ev) })
	if _, err := conv.Greeting(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, l := range append([]string{"USER " + srv.User, "PASS " + srv.Password}, lines...) {
		if _, err := conv.Do(context.Background(), l); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
	}
	conv.Close()
	return events
}

// TestRepeatedFindingIsAReminder: PORT and then EPRT refused by a vsftpd
// with active mode off meet the same cause; every format explains it once
// (cause, fixes, source) and reminds of it in one line the second time,
// naming where it was explained. JSON keeps the whole finding, marked.
func TestRepeatedFindingIsAReminder(t *testing.T) {
	events := vsftpdSession(t, map[string]string{"port_enable": "NO"}, "PORT", "EPRT")
	const reminder = "the same as above: The server refuses active mode (PORT/EPRT), or this address"
	for _, f := range []struct {
		name string
		new  func(io.Writer) Writer
		want []string // once each
	}{
		{"text", func(w io.Writer) Writer { return NewText(w, testCatalog) }, []string{"? error: " + reminder + " (see command 3)\n", "port_enable=YES", "source: "}},
		{"log", NewLog, []string{"error: " + reminder + " (see command 3)\n", "port_enable=YES"}},
		{"markdown", func(w io.Writer) Writer { return NewMarkdown(w, testCatalog) }, []string{"**Finding (error):** " + reminder + " (see step 3)", "port_enable=YES", "- Source: "}},
		{"json", func(w io.Writer) Writer { return NewJSON(w, testCatalog) }, []string{`"repeat":true,"repeat_of":3`}},
	} {
		t.Run(f.name, func(t *testing.T) {
			out := writeEvents(t, f.new, events)
			for _, want := range f.want {
				if n := strings.Count(out, want); n != 1 {
					t.Errorf("%q appears %d times, want once", want, n)
				}
			}
			if f.name == "json" {
				if n := strings.Count(out, `"id":"active-mode-disabled"`); n != 2 {
					t.Errorf("JSON has %d active-mode-disabled findings, want both, whole", n)
				}
				if n := strings.Count(out, "port_enable=YES"); n != 2 {
					t.Errorf("JSON has the server fix %d times, want it in both findings", n)
				}
			}
			if t.Failed() {
				t.Logf("output:\n%s", out)
			}
		})
	}
}
