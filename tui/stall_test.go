package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ftpscope/ftpscope/internal/badserver"
	"github.com/ftpscope/ftpscope/protocol"
)

// TestTeaStallExplainedOnce: a download that gets 150, then no data, then
// the server's 426 once ftpscope gave up, is explained once: one "?" line
// with one fix in the transcript, the data line saying only that it
// stalled, and the side panel of the 426 (the newest reply, which the
// user sees) leading with that same finding rather than another.
func TestTeaStallExplainedOnce(t *testing.T) {
	srv := badserver.Start(t, badserver.StallThen426())
	target, _ := protocol.ParseTarget(srv.Addr)
	m := New(Options{
		Catalog: testCatalog,
		Connect: dialWith(protocol.Config{ReplyTimeout: 300 * time.Millisecond}),
		Target:  target,
	})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(160, 45))
	waitForText(t, tm, "badserver ready")
	for _, l := range []string{"USER a", "PASS b", "PASV"} {
		typeLine(tm, l)
	}
	waitForText(t, tm, "227 Entering")
	typeLine(tm, "RETR big.bin")
	waitForText(t, tm, "426 Failure")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	pane := strings.Join(final.paneLines(), "\n")
	if n := strings.Count(pane, "Fix:"); n != 1 {
		t.Errorf("%d fixes in the transcript, want the stall's alone:\n%s", n, pane)
	}
	if !strings.Contains(pane, "(the data connection stalled: no data moved within the reply timeout)") || strings.Contains(pane, "raise --reply-timeout for a slow link") {
		t.Errorf("the data line should say it stalled, and nothing more:\n%s", pane)
	}
	ev, key, ok := final.transcript.SelectedReply()
	if !ok || ev.Reply == nil || ev.Reply.Code != 426 {
		t.Fatalf("the newest reply selected is %+v, want the 426", ev.Reply)
	}
	if fs := final.findings.of(key); len(fs) != 1 || fs[0].ID != "transfer-stalled" {
		t.Errorf("the 426's panel shows findings %+v, want the stall's alone", fs)
	}
}
