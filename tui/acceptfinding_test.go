package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ftpscope/ftpscope/sandbox"
)

// TestTeaAcceptedCertificateGivesTheFinding: the user accepts the
// sandbox's self-signed certificate at the prompt; the transcript then
// shows the accepted certificate's finding, as run and doctor --insecure
// do: a warning, after the line saying who accepted the certificate,
// whose fix is to compare the fingerprint with the administrator's. A
// listing over PROT P, whose data connection's handshake carries the same
// certificate, adds no second finding and no reminder. Before the fix the
// terminal UI showed no finding at all.
func TestTeaAcceptedCertificateGivesTheFinding(t *testing.T) {
	tm := acceptSandboxCertificate(t, nil)
	for _, step := range []struct{ line, reply string }{
		{"USER " + sandbox.DemoUser, "331 "},
		{"PASS " + sandbox.DemoPassword, "230 "},
		{"PBSZ 0", "PBSZ set"},
		{"PROT P", "PROT now Private"},
		{"PASV", "Entering Passive Mode"},
		{"LIST", "Directory send OK"},
	} {
		typeLine(tm, step.line)
		waitForText(t, tm, step.reply)
	}
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	lines := final.paneLines()
	var found []string
	accepted, at := -1, -1
	for i, l := range lines {
		if strings.Contains(l, "accepted by you for this session") && accepted < 0 {
			accepted = i
		}
		if final.transcript.line(i).kind == lineFinding {
			found = append(found, l)
			at = i
		}
	}
	transcript := strings.Join(lines, "\n")
	if !strings.Contains(transcript, "data connection protected") {
		t.Fatalf("no data connection was protected, so the test proves nothing about it:\n%s", transcript)
	}
	if len(found) != 1 {
		t.Fatalf("%d finding lines, want the accepted certificate's alone:\n%s", len(found), transcript)
	}
	const headline = "warning: The server's certificate is self-signed or signed by an authority this machine does not trust; nothing shows that you are talking to the server"
	if !strings.HasPrefix(found[0], headline) || !strings.Contains(found[0], "Fix: Compare the certificate's SHA-256 fingerprint") || !strings.Contains(found[0], "administrator") {
		t.Errorf("the finding line is %q, want %q and the fingerprint to compare", found[0], headline)
	}
	if accepted < 0 || at < accepted {
		t.Errorf("the finding (line %d) should follow the line saying the certificate was accepted (line %d):\n%s", at, accepted, transcript)
	}
}
