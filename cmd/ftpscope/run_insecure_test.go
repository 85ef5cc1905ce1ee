package main

import (
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/internal/vsftpdtest"
	"github.com/ftpscope/ftpscope/sandbox"
)

// acceptedHeadline is the first line of the finding of a self-signed
// certificate accepted unverified, as run prints it.
const acceptedHeadline = "? warning: The server's certificate is self-signed or signed by an authority this machine does not trust; nothing shows that you are talking to the server"

// TestRunInsecureGivesTheFindingOnce: with --insecure, the session goes
// on over a certificate nobody verified; besides the transcript's line
// saying so, run gives the finding doctor --insecure gives, once: a
// warning whose fix is to compare the fingerprint with the
// administrator's, after the certificate line that shows it. The data
// connection's handshake over PROT P does not give it again, nor a
// reminder. Before the fix run gave no finding at all.
func TestRunInsecureGivesTheFindingOnce(t *testing.T) {
	tlsSrv := startSandbox(t, sandbox.Options{TLS: true})
	login := "USER " + sandbox.DemoUser + "\nPASS " + sandbox.DemoPassword + "\n"
	for _, tt := range []struct {
		name   string
		script string
		args   func(t *testing.T) []string
	}{
		{"explicit TLS, then a protected listing", login + "PBSZ 0\nPROT P\nPASV\nLIST\nQUIT\n",
			func(*testing.T) []string { return []string{"--tls", "--insecure", "ftp://" + tlsSrv.Addr} }},
		{"implicit TLS (vsftpd)", "QUIT\n", func(t *testing.T) []string {
			srv := vsftpdtest.Start(t, vsftpdtest.Options{ImplicitTLS: true, TLSv13: true})
			return []string{"--insecure", "ftps://" + srv.Addr}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := runInProcess(t, tt.script, tt.args(t)...)
			check(t, res, exitOK, []string{"certificate NOT verified", "accepted without asking because of --insecure"}, []string{"the same as above", "? error:", "or use --insecure"})
			for _, once := range []string{acceptedHeadline, "?   fix: Compare the certificate's SHA-256 fingerprint (shown with the certificate) with the one the server's administrator gives you"} {
				if n := strings.Count(res.stdout, once); n != 1 {
					t.Errorf("%q printed %d times, want once", once, n)
				}
			}
			if cert, found := strings.Index(res.stdout, "· certificate: "), strings.Index(res.stdout, acceptedHeadline); cert < 0 || found < cert {
				t.Errorf("the finding should follow the certificate line, whose fingerprint it asks to compare")
			}
			if strings.Contains(tt.script, "PROT P") && !strings.Contains(res.stdout, "· data connection protected: ") {
				t.Errorf("no data connection was protected: the test proves nothing about it")
			}
			if t.Failed() {
				t.Logf("stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
			}
		})
	}
	t.Run("json", func(t *testing.T) {
		res := runInProcess(t, login+"PBSZ 0\nPROT P\nPASV\nLIST\nQUIT\n", "--json", "--tls", "--insecure", "ftp://"+tlsSrv.Addr)
		check(t, res, exitOK, nil, nil)
		findings := ofKind(decodeJSONLines(t, res.stdout), "finding")
		if len(findings) != 1 {
			t.Fatalf("%d findings, want the accepted certificate's alone:\n%s", len(findings), res.stdout)
		}
		if f := findings[0]; f["id"] != "certificate-accepted-untrusted" || f["severity"] != "warning" || f["repeat"] != nil {
			t.Errorf("the finding is %v", f)
		}
	})
}
