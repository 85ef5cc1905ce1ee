package diagnose

import (
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/internal/badserver"
	"github.com/ftpscope/ftpscope/protocol"
)

// TestErrorAfterOOPSGivesNoAdvice: after vsftpd's "500 OOPS" the
// session's process has exited, as the finding says ("nothing on your
// side can fix it"); the reset that the next command meets is its
// consequence, and its line says only what happened, not "connect
// again". vsftpd resets or closes depending on timing, so badserver
// plays its words with a reset every time.
func TestErrorAfterOOPSGivesNoAdvice(t *testing.T) {
	for _, tc := range []struct {
		name, oops, finding string
	}{
		{"writable chroot", "500 OOPS: vsftpd: refusing to run with writable root inside chroot()", "vsftpd-writable-chroot"},
		{"other OOPS", "500 OOPS: cannot change directory:/home/alice", "vsftpd-oops"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := badserver.Start(t, func(c *badserver.Conn) {
				c.Lines("220 (vsFTPd 3.0.3)")
				badserver.Serve(c, badserver.Handlers{
					"PASS": func(c *badserver.Conn, _ string) {
						c.Lines(tc.oops)
						c.Command() // the client's next command, never answered
						c.Reset()
					},
				})
			})
			got := playShown(t, protocol.Config{Addr: srv.Addr, ReplyTimeout: 5 * time.Second}, "USER alice", "PASS secret", "QUIT")
			if ids := ids(got.findings); len(ids) != 1 || ids[0] != tc.finding {
				t.Errorf("findings %v, want %s alone", ids, tc.finding)
			}
			reset := false
			for _, l := range got.lines {
				if strings.Contains(l, "reset") {
					reset = true
					if !strings.HasSuffix(l, "the server reset the connection") {
						t.Errorf("the reset after the OOPS reads %q; the finding already said what to do", l)
					}
				}
			}
			if !reset {
				t.Errorf("no line tells of the reset: %q", got.lines)
			}
		})
	}
}
