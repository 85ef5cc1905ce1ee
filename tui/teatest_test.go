package tui

import (
	"bytes"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
)

// startModel runs the real model against a real sandbox server.
func startModel(t *testing.T) *teatest.TestModel {
	return startModelWith(t, sandbox.Options{}, protocol.Config{})
}

// startSandbox starts a sandbox with opts, closed at the test's end, and
// returns it and the target to connect to.
func startSandbox(t *testing.T, opts sandbox.Options) (*sandbox.Server, protocol.Target) {
	t.Helper()
	srv, err := sandbox.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	target, err := protocol.ParseTarget(srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	return srv, target
}

// startModelWith runs the real model against a sandbox started with opts,
// connecting with cfg (its Addr is filled in).
func startModelWith(t *testing.T, opts sandbox.Options, cfg protocol.Config) *teatest.TestModel {
	t.Helper()
	_, target := startSandbox(t, opts)
	m := New(Options{
		Catalog: testCatalog,
		Connect: dialWith(cfg),
		Target:  target,
	})
	return teatest.NewTestModel(t, m, teatest.WithInitialTermSize(140, 40))
}

// dialWith is an Options.Connect that dials the target with cfg, its
// Addr filled in.
func dialWith(cfg protocol.Config) func(protocol.Target) *protocol.Session {
	return func(target protocol.Target) *protocol.Session {
		cfg.Addr = target.Addr()
		return protocol.Dial(cfg)
	}
}

// waitForText waits until the program has drawn text.
func waitForText(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte(text))
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

func typeLine(tm *teatest.TestModel, line string) {
	tm.Type(line)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
}

func TestTeaUserDemoIsExplained(t *testing.T) {
	tm := startModel(t)
	waitForText(t, tm, "Service ready")
	typeLine(tm, "USER demo")
	waitForText(t, tm, "need password")
	typeLine(tm, "PASS demo")
	waitForText(t, tm, "User logged in")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	got := screen(final)
	for _, want := range []string{"> USER demo", "< 331", "> PASS ****", "< 230", "230 User logged in"} {
		if !strings.Contains(got, want) {
			t.Errorf("screen lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "PASS demo") {
		t.Errorf("the password is on screen:\n%s", got)
	}
}

func TestTeaRefusesLineBreaks(t *testing.T) {
	tm := startModel(t)
	waitForText(t, tm, "Service ready")
	// A paste with a line break arrives as one message; its lines are held
	// apart, never folded into one command, and esc drops them unsent (the
	// protocol layer refuses CR/LF on its own regardless).
	tm.Send(tea.PasteMsg{Content: "NOOP\r\nDELE README.txt"})
	waitForText(t, tm, "the paste holds 2 commands")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	typeLine(tm, ":clera")
	waitForText(t, tm, "there is no local command named")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	got := screen(final)
	if strings.Contains(got, "> DELE") || strings.Contains(got, "> NOOP") {
		t.Errorf("a cancelled paste sent a command:\n%s", got)
	}
	if !strings.Contains(got, "(did you mean :clear?)") {
		t.Errorf("no suggestion for an unknown local command:\n%s", got)
	}
}

func TestTeaListShowsTheData(t *testing.T) {
	tm := startModel(t)
	waitForText(t, tm, "Service ready")
	for _, line := range []string{"USER demo", "PASS demo", "PASV", "LIST"} {
		typeLine(tm, line)
	}
	waitForText(t, tm, "Data of LIST")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	got := screen(final)
	for _, want := range []string{"×256+", "data connection open", "< 150", "< 226", "README.txt", "café.txt"} {
		if !strings.Contains(got, want) {
			t.Errorf("screen lacks %q:\n%s", want, got)
		}
	}
}

// TestTeaUntrustedCertificateAsks checks that an untrusted certificate is
// described and waits for a typed yes.
func TestTeaUntrustedCertificateAsks(t *testing.T) {
	tm := startModelWith(t, sandbox.Options{TLS: true}, protocol.Config{RootCAs: x509.NewCertPool(), AskTrust: true})
	waitForText(t, tm, "Service ready")
	typeLine(tm, "AUTH TLS")
	waitForText(t, tm, trustQuestion)
	typeLine(tm, "yes")
	waitForText(t, tm, "control connection protected")
	typeLine(tm, "USER demo")
	waitForText(t, tm, "need password")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	got := screen(final)
	for _, want := range []string{"SHA-256", "ftpscope sandbox", "certificate NOT", "TLS 1.3"} {
		if !strings.Contains(got, want) {
			t.Errorf("screen lacks %q:\n%s", want, got)
		}
	}
}

// TestTeaLoginAfterRequiredTLS checks --tls --login: USER waits for the
// TLS handshake, and PASS follows the 331.
func TestTeaLoginAfterRequiredTLS(t *testing.T) {
	srv, target := startSandbox(t, sandbox.Options{TLS: true})
	m := New(Options{
		Catalog: testCatalog,
		Connect: dialWith(protocol.Config{RequireTLS: true, RootCAs: srv.Cert.Pool()}),
		Target:  target,
		Login:   &Login{User: "demo", Password: "demo"},
	})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(140, 40))
	waitForText(t, tm, "User logged in")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	got := screen(tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model))
	for _, want := range []string{"> AUTH TLS", "control connection protected", "> USER demo", "> PASS ****", "< 230"} {
		if !strings.Contains(got, want) {
			t.Errorf("screen lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "clear text") && strings.Contains(got, "password was sent") {
		t.Errorf("a clear-text warning after a TLS login:\n%s", got)
	}
}
