package sandbox_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
)

// TestFaultsDiagnosed checks that ftpscope's findings recognise each fault
// as they recognise the real server it imitates: the sandbox answers with
// that server's codes and wording, and the failure happens on the wire.
func TestFaultsDiagnosed(t *testing.T) {
	upload := filepath.Join(t.TempDir(), "up.txt")
	if err := os.WriteFile(upload, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	login := []string{"USER " + sandbox.DemoUser, "PASS " + sandbox.DemoPassword}
	for _, tc := range []struct {
		fault string
		cfg   protocol.Config
		lines []string
		want  string // the finding's ID
	}{
		{sandbox.FaultNoPasv, protocol.Config{}, append(login, "PASV"), "passive-mode-disabled"},
		{sandbox.FaultNAT, protocol.Config{}, append(login, "PASV"), "passive-address-foreign"},
		{sandbox.FaultRefuseData, protocol.Config{}, append(login, "PASV", "LIST"), "passive-port-refused"},
		{sandbox.FaultUnansweredPort, protocol.Config{ConnectTimeout: 300 * time.Millisecond}, append(login, "PASV", "LIST"), "passive-port-dropped"},
		{sandbox.FaultAbortTransfer, protocol.Config{}, append(login, "TYPE I", "PASV", "RETR "+sandbox.BigFileName), "transfer-aborted"},
		// The client gives up on the silent data connection: the stall is
		// the cause, and the server's 426 that follows only its echo.
		{sandbox.FaultSilentTransfer, protocol.Config{ReplyTimeout: 500 * time.Millisecond}, append(login, "PASV", "LIST"), "transfer-stalled"},
		{sandbox.FaultDropData, protocol.Config{}, append(login, "PASV", "LIST"), "passive-server-gave-up"},
		{sandbox.FaultSlow, protocol.Config{}, nil, "slow-greeting"},
		{sandbox.FaultMaxConnections, protocol.Config{}, nil, "too-many-connections"},
		{sandbox.FaultRequireTLS, protocol.Config{}, login[:1], "tls-required-for-login"},
		{sandbox.FaultNoAuthTLS, protocol.Config{}, []string{"AUTH TLS"}, "auth-tls-not-offered"},
		{sandbox.FaultExpiredCert, protocol.Config{}, []string{"AUTH TLS"}, "certificate-expired"},
		{sandbox.FaultUntrustedCert, protocol.Config{}, []string{"AUTH TLS"}, "certificate-not-trusted"},
		{sandbox.FaultDiskFull, protocol.Config{}, append(login, "PASV", "STOR up.txt < "+upload), "disk-full-or-quota"},
		{sandbox.FaultQuotaExceeded, protocol.Config{}, append(login, "PASV", "STOR up.txt < "+upload), "disk-full-or-quota"},
		{sandbox.FaultFileBusy, protocol.Config{}, append(login, "PASV", "RETR pub/hello.txt"), "file-busy"},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			s := start(t, sandbox.Options{TLS: true}, tc.fault)
			if tc.fault == sandbox.FaultMaxConnections {
				first, _ := client(t, s, protocol.Config{})
				defer first.Close()
			}
			got := findings(t, s, tc.cfg, tc.lines)
			if !slices.Contains(got, tc.want) {
				t.Errorf("findings %q, want %s", got, tc.want)
			}
			if tc.fault == sandbox.FaultSilentTransfer && slices.Contains(got, "transfer-aborted") {
				t.Errorf("findings %q: the 426 after the stall is explained twice", got)
			}
		})
	}
}

// findings runs lines on a new session to s and returns the IDs of the
// findings the session's events produce.
func findings(t *testing.T, s *sandbox.Server, cfg protocol.Config, lines []string) []string {
	t.Helper()
	cfg.Addr = s.Addr
	if cfg.ReplyTimeout == 0 {
		cfg.ReplyTimeout = 5 * time.Second
	}
	if cfg.RootCAs == nil {
		cfg.RootCAs = s.Cert.Pool()
	}
	engine := diagnose.New()
	var ids []string
	c := protocol.NewConversation(protocol.Dial(cfg), func(ev protocol.Event) {
		for _, f := range engine.Observe(ev) {
			ids = append(ids, f.ID)
		}
	})
	defer c.Close()
	if _, err := c.Greeting(context.Background()); err != nil {
		return ids
	}
	for _, line := range lines {
		if _, err := c.Do(context.Background(), line); err != nil && strings.Contains(err.Error(), "closed") {
			break
		}
	}
	c.Close()
	return ids
}
