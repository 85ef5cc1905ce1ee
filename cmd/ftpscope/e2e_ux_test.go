package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/internal/tmuxtest"
	"github.com/ftpscope/ftpscope/sandbox"
)

// TestE2ERefusedConnection runs the binary against a port where nothing
// listens, at 80×24 as a new user's terminal: the transcript says why in
// plain words, the status line says disconnected (it used to stay on
// "connecting" forever), and the input line alone says how to connect
// again (it used to be said in three places), also after :reconnect.
func TestE2ERefusedConnection(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	bin := buildBinary(t)
	term := tmuxtest.Start(t, 80, 24, []string{"TERM=xterm-256color"}, bin, addr)
	status := "○ disconnected from " + addr
	screen := term.WaitFor(status)
	if n := strings.Count(screen, ":reconnect"); n != 1 || !strings.Contains(screen, "ftp> not connected: :reconnect connects again") {
		t.Errorf("want :reconnect said once, in the input line; the screen says it %d times:\n%s", n, screen)
	}
	for _, want := range []string{"nothing is listening on " + addr + ", so the connection was refused", "check the host and port"} {
		if !strings.Contains(unwrap(screen), want) {
			t.Errorf("the screen lacks %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "connecting to") || strings.Contains(screen, "dial tcp") {
		t.Errorf("the screen still says connecting, or shows Go's error:\n%s", screen)
	}

	term.Type(":reconnect")
	term.WaitFor("reconnecting to")
	screen = term.WaitFor(status)
	if n := strings.Count(unwrap(term.Screen()), "nothing is listening"); n != 2 {
		t.Errorf("want the refusal explained twice, once per attempt; the screen shows it %d times:\n%s", n, screen)
	}
	term.Keys("C-c")
	term.WaitFor("[exited 0]")
}

// TestE2EInsecureShowsTheCertificate runs --tls --insecure against a
// sandbox whose certificate nothing trusts: the certificate accepted
// unverified is shown, subject, issuer and fingerprint, as the README
// promises.
func TestE2EInsecureShowsTheCertificate(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{TLS: true})
	bin := buildBinary(t)
	term := tmuxtest.Start(t, 160, 45, []string{"TERM=xterm-256color"}, bin, "--tls", "--insecure", "--login", "ftp://demo:demo@"+srv.Addr)
	screen := unwrap(term.WaitFor("< 230"))
	for _, want := range []string{
		"certificate NOT verified (it is self-signed: no authority this system trusts vouches for it), accepted without asking because of --insecure",
		"certificate: subject CN=ftpscope sandbox,O=ftpscope, issued by CN=ftpscope sandbox,O=ftpscope",
		"SHA-256 ",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen lacks %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "x509:") {
		t.Errorf("Go's x509 wording reached the screen:\n%s", screen)
	}
	term.Keys("C-c")
	term.WaitFor("[exited 0]")
}

// unwrap joins the transcript's lines on screen, so that text wrapped
// across lines can be found: the side panel on the right (after its "│"
// frame) and each line's trailing blanks go, and a wrapped line continues
// the one above it after a single space.
func unwrap(screen string) string {
	var b strings.Builder
	for _, l := range strings.Split(screen, "\n") {
		if i := strings.Index(l, "│"); i >= 0 {
			l = l[:i]
		}
		b.WriteString(strings.TrimSpace(l))
		b.WriteByte(' ')
	}
	return b.String()
}

// TestE2EPastedEscapesAreSaid pastes the line into the real
// binary: Bubble Tea drops the colour sequence from the paste, and the
// transcript still names it, and the BEL, as removed.
func TestE2EPastedEscapesAreSaid(t *testing.T) {
	bin := buildBinary(t)
	term := tmuxtest.Start(t, 80, 24, []string{"TERM=xterm-256color"}, bin)
	term.WaitFor("< 220 ")
	term.Paste("NOOP\nMKD upload/\x1b[31mred\x07\n")
	screen := unwrap(term.WaitFor("none sent yet"))
	for _, want := range []string{"1  NOOP", "2  MKD upload/red", `pasted line 2 held what a command cannot carry, now removed: \x1b[31m, \x07`} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen lacks %q:\n%s", want, screen)
		}
	}
	term.Keys("C-c")
	term.WaitFor("[exited 0]")
}

// TestE2ERunWrapsToTheTerminal runs a script in an 80-column terminal:
// run wraps its transcript at spaces, each continuation under the text
// after its mark, where the terminal alone broke words at its last
// column ("en" / "crypted,").
func TestE2ERunWrapsToTheTerminal(t *testing.T) {
	bin := buildBinary(t)
	term := tmuxtest.Start(t, 80, 24, []string{"TERM=xterm-256color"}, "sh", "-c", "printf 'USER demo\\nPASS demo\\nQUIT\\n' | '"+bin+"' run --sandbox")
	screen := term.WaitFor("[exited 0]")
	words := map[string]bool{}
	for _, w := range strings.Fields(screen) {
		words[w] = true
	}
	for _, want := range []string{"encrypted,", "use"} {
		if !words[want] {
			t.Errorf("the word %q is broken or missing:\n%s", want, screen)
		}
	}
	if !strings.Contains(screen, "\n  use AUTH TLS (or --tls) before logging in\n") {
		t.Errorf("the warning does not continue under its text:\n%s", screen)
	}
}

// TestE2EDataViewScrolls lists a folder of 200 files in an 80×24
// terminal, opens the data with f2 and pages down to its end: the data
// view used to show the first screenful and "… N more lines", with no key
// to read them.
func TestE2EDataViewScrolls(t *testing.T) {
	root := t.TempDir()
	for i := 1; i <= 200; i++ {
		if err := os.WriteFile(filepath.Join(root, fmt.Sprintf("entry-%03d.txt", i)), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := startSandbox(t, sandbox.Options{Root: root})
	bin := buildBinary(t)
	term := tmuxtest.Start(t, 80, 24, []string{"TERM=xterm-256color"}, bin, "--login", "ftp://demo:demo@"+srv.Addr)
	term.WaitFor("< 230")
	term.Type("PASV")
	term.WaitFor("< 227")
	term.Type("LIST")
	term.WaitFor("< 226")
	screen := term.PressUntil("Data of LIST", "F2")
	if !strings.Contains(screen, "entry-001.txt") || !strings.Contains(screen, "↓ 184 more lines · pgdn reads on") {
		t.Fatalf("f2 does not show the listing's top and how to read on:\n%s", screen)
	}
	pages := make([]string, 20)
	for i := range pages {
		pages[i] = "NPage"
	}
	term.Keys(pages...)
	screen = term.WaitFor("↑ 184 lines above · pgup goes back")
	for _, want := range []string{"entry-185.txt", "entry-200.txt"} {
		if !strings.Contains(screen, want) {
			t.Errorf("after paging down, the screen lacks %s:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "entry-184.txt") || strings.Contains(screen, "more lines") {
		t.Errorf("after paging down, the screen shows more than the end:\n%s", screen)
	}
	t.Logf("after paging down:\n%s", screen)
	term.PressUntil("↓ 184 more lines", "C-Home")
	term.Keys("C-c")
	term.WaitFor("[exited 0]")
}
