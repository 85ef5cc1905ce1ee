package main

import (
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/internal/badserver"
	"github.com/ftpscope/ftpscope/internal/tmuxtest"
	"github.com/ftpscope/ftpscope/internal/vsftpdtest"
)

// TestE2EFindingInTheTUI runs the real binary in a real terminal against
// vsftpd refusing a writable chroot, as a new user would: the transcript
// marks the finding, the side panel puts the cause and vsftpd's setting
// above the code's general meaning, and :raw and :timing open.
func TestE2EFindingInTheTUI(t *testing.T) {
	srv := vsftpdtest.Start(t, vsftpdtest.Options{Extra: map[string]string{"allow_writeable_chroot": "NO"}})
	bin := buildBinary(t)
	term := tmuxtest.Start(t, 160, 45, []string{"TERM=xterm-256color"}, bin, "ftp://"+srv.Addr)
	term.WaitFor("vsFTPd")
	term.Type("USER " + srv.User)
	term.WaitFor("< 331")
	term.Type("PASS " + srv.Password)
	screen := term.WaitFor("disconnected")
	if !strings.Contains(screen, "allow_writeable_chroot=YES") {
		// vsftpd may send a second OOPS as it exits; the panel follows
		// the newest reply, so select the one before it.
		term.Keys("C-p")
		screen = term.WaitFor("allow_writeable_chroot=YES")
	}
	for _, want := range []string{"? error: vsftpd refuses", "what the code means in general"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen lacks %q:\n%s", want, screen)
		}
	}
	// The transcript's "?" line and the side panel word it alike.
	if n := strings.Count(screen, "? error: vsftpd refuses"); n != 2 {
		t.Errorf("the finding's headline is on screen %d times, want 2 (transcript and panel):\n%s", n, screen)
	}
	if i, j := strings.Index(screen, "allow_writeable_chroot=YES"), strings.Index(screen, "The server could not accept the command line"); j >= 0 && j < i {
		t.Errorf("the general meaning of 500 comes before the finding:\n%s", screen)
	}
	term.Type(":raw")
	screen = term.WaitFor("the bytes as they crossed the network")
	if !strings.Contains(screen, `\r\n`) {
		t.Errorf("the raw view does not show the line ending:\n%s", screen)
	}
	term.Type(":timing")
	term.WaitFor("Where the time went")
	term.Keys("C-c")
	term.WaitFor("[exited")
}

// TestE2EPassiveRefusedInTheTUI: a passive port refused by a firewall is
// named as such in the terminal UI, not as "send PASV again".
func TestE2EPassiveRefusedInTheTUI(t *testing.T) {
	srv := badserver.Start(t, badserver.PassiveRefused(badserver.RefusedPort(t)))
	bin := buildBinary(t)
	term := tmuxtest.Start(t, 160, 45, []string{"TERM=xterm-256color"}, bin, srv.Addr)
	term.WaitFor("badserver ready")
	for _, line := range []string{"USER a", "PASS b", "PASV"} {
		term.Type(line)
	}
	term.WaitFor("< 227")
	term.Type("LIST")
	screen := term.WaitFor("? error: Nothing accepted the connection to the passive port")
	if strings.Contains(screen, "send PASV or EPSV again") {
		t.Errorf("the wrong advice is on screen:\n%s", screen)
	}
	term.Keys("C-c")
	term.WaitFor("[exited")
}
