package tui

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
)

// TestTeaAcceptedCertificateIsLogged: the user accepts the sandbox's
// self-signed certificate at the prompt; the --log file records which
// certificate was accepted, with its subject and SHA-256.
func TestTeaAcceptedCertificateIsLogged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.log")
	l, err := OpenLog(path)
	if err != nil {
		t.Fatal(err)
	}
	tm := acceptSandboxCertificate(t, l)
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "Status:   certificate accepted by you for this session: subject CN=ftpscope sandbox"
	if !strings.Contains(string(got), want) || !strings.Contains(string(got), ", SHA-256 ") {
		t.Errorf("the log does not record the accepted certificate (%q, SHA-256):\n%s", want, got)
	}
}

// acceptSandboxCertificate starts a sandbox offering TLS with a
// certificate nothing here trusts, and the terminal UI (logging to l,
// unless nil) on it at 200×50; it answers yes when asked to trust the
// certificate and returns once the transcript says it was accepted.
func acceptSandboxCertificate(t *testing.T, l *LogFile) *teatest.TestModel {
	t.Helper()
	_, target := startSandbox(t, sandbox.Options{TLS: true})
	m := New(Options{
		Catalog: testCatalog,
		Connect: dialWith(protocol.Config{RequireTLS: true, AskTrust: true, RootCAs: x509.NewCertPool(), ReplyTimeout: 10 * time.Second}),
		Target:  target,
		Log:     l,
	})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(200, 50))
	waitForText(t, tm, "type yes to trust the certificate")
	typeLine(tm, "yes")
	waitForText(t, tm, "accepted by you for this session")
	return tm
}
