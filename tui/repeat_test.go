package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ftpscope/ftpscope/internal/vsftpdtest"
	"github.com/ftpscope/ftpscope/protocol"
)

// TestTeaRepeatedFindingIsAReminder: PORT and then EPRT refused by a
// vsftpd with active mode off meet the same cause; the transcript
// explains it once and then shows one reminder line naming the command
// that explained it, as ftpscope run does.
func TestTeaRepeatedFindingIsAReminder(t *testing.T) {
	if !vsftpdtest.Available() {
		t.Skip("vsftpd is not available")
	}
	srv := vsftpdtest.Start(t, vsftpdtest.Options{Extra: map[string]string{"port_enable": "NO"}})
	target, _ := protocol.ParseTarget(srv.Addr)
	m := New(Options{
		Catalog: testCatalog,
		Connect: dialWith(protocol.Config{ReplyTimeout: 10 * time.Second}),
		Target:  target,
	})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(200, 50))
	waitForText(t, tm, "vsFTPd")
	for _, l := range []string{"USER " + srv.User, "PASS " + srv.Password, "PORT", "EPRT"} {
		typeLine(tm, l)
	}
	waitForText(t, tm, "the same as above")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	pane := strings.Join(final.paneLines(), "\n")
	if n := strings.Count(pane, "Fix: Use passive mode"); n != 1 {
		t.Errorf("the fix is given %d times, want once:\n%s", n, pane)
	}
	if !strings.Contains(pane, "error: the same as above: The server refuses active mode (PORT/EPRT), or this address (see command 3)") {
		t.Errorf("no reminder line for the second refusal:\n%s", pane)
	}
}
