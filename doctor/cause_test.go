package doctor

import (
	"context"
	"crypto/x509"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/internal/badserver"
	"github.com/ftpscope/ftpscope/internal/vsftpdtest"
	"github.com/ftpscope/ftpscope/sandbox"
)

// These tests check that a report blames the right thing: the check whose
// events showed the fault, the cause rather than its consequence, and no
// advice that does not apply.

// TestSlowGreetingBelongsToTheGreeting: a server that waits before its 220
// connected at once, so reachability is ok and the greeting is the
// warning, said once, with the wait in its time.
func TestSlowGreetingBelongsToTheGreeting(t *testing.T) {
	srv := badserver.Start(t, func(c *badserver.Conn) {
		time.Sleep(2*time.Second + 100*time.Millisecond)
		badserver.Greet(c)
		badserver.Serve(c, nil)
	})
	r := Run(context.Background(), Options{Addr: srv.Addr, ConnectTimeout: time.Second, ReplyTimeout: 5 * time.Second}, nil)
	reach, g := check(r, checkConnect), check(r, checkGreeting)
	if reach.Verdict != OK || len(reach.Findings) != 0 {
		t.Errorf("reachability: %s with findings %v, want ok and none: the TCP connect was quick\n%s", reach.Verdict, findingIDs(reach), text(t, r))
	}
	if g.Verdict != Warning || len(g.Findings) != 1 || g.Findings[0].ID != "slow-greeting" {
		t.Errorf("greeting: %s with findings %v, want a warning with slow-greeting\n%s", g.Verdict, findingIDs(g), text(t, r))
	}
	if reach.Elapsed >= 2*time.Second || g.Elapsed < 2*time.Second {
		t.Errorf("the wait belongs to the greeting: reachability took %s, the greeting %s", reach.Elapsed, g.Elapsed)
	}
}

// TestClosingReplyIsNotAMissingFeature: a 421 to FEAT or AUTH TLS is the
// server ending the session, not an old server or one without TLS.
func TestClosingReplyIsNotAMissingFeature(t *testing.T) {
	opts, _ := startSandbox(t, sandbox.FaultIdleTimeout)
	r := Run(context.Background(), opts, nil)
	out := text(t, r)
	for _, id := range []string{checkFeatures, checkTLS} {
		c := check(r, id)
		if c.Verdict != Problem || !strings.Contains(c.Summary, "closed the connection") || !strings.Contains(c.Summary, "421") {
			t.Errorf("%s: %s %q, want a problem saying the server closed the connection with 421\n%s", id, c.Verdict, c.Summary, out)
		}
	}
	for _, wrong := range []string{"RFC 2389", "does not offer TLS", "not connected", "no connection is open"} {
		if strings.Contains(out, wrong) {
			t.Errorf("the report should not say %q after a 421:\n%s", wrong, out)
		}
	}
}

// TestActiveModeAdvice: the "server cannot reach this machine" advice is
// given when the server could not connect back, not when it connected and
// the transfer broke later.
func TestActiveModeAdvice(t *testing.T) {
	tests := []struct {
		fault   string
		wantFix bool
	}{
		{sandbox.FaultRefuseData, true},
		{sandbox.FaultAbortTransfer, false},
	}
	for _, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			opts, _ := startSandbox(t, tt.fault)
			r := Run(context.Background(), opts, nil)
			c := check(r, checkActive)
			if c.Verdict != Warning {
				t.Fatalf("active mode: %s, want a warning\n%s", c.Verdict, text(t, r))
			}
			if got := strings.Contains(c.Fix, "reach this machine"); got != tt.wantFix {
				t.Errorf("advice about reaching this machine: %v, want %v (fix %q)\n%s", got, tt.wantFix, c.Fix, text(t, r))
			}
			seen := map[string]bool{}
			for _, d := range c.Details {
				if strings.HasPrefix(d, "again:") && seen[d] {
					t.Errorf("detail said twice: %q", d)
				}
				seen[d] = true
				if strings.Contains(d, "(see "+c.Title+")") {
					t.Errorf("a detail sends the reader to its own check: %q", d)
				}
				if strings.Contains(d, " → :") {
					t.Errorf("a data connection never made is described with empty addresses: %q", d)
				}
			}
			if strings.Contains(c.Summary, ".;") {
				t.Errorf("summary joins sentences badly: %q", c.Summary)
			}
		})
	}
}

// TestClearTextWarning: the warning said first names what is at risk,
// and does not speak of a URL's credentials over loopback.
func TestClearTextWarning(t *testing.T) {
	tests := []struct {
		addr, want string
	}{
		{"127.0.0.1:21", "harmless over loopback"},
		{"localhost:21", "harmless over loopback"},
		{"[::1]:21", "harmless over loopback"},
		{"ftp.example.org:21", "anyone on the network path can read the password"},
	}
	for _, tt := range tests {
		w := Warnings(Options{Addr: tt.addr, User: "demo", Password: "x"})
		if len(w) != 1 || !strings.Contains(w[0], tt.want) {
			t.Errorf("Warnings(%s) = %q, want one containing %q", tt.addr, w, tt.want)
		}
	}
	if w := Warnings(Options{Addr: "ftp.example.org:21", User: "demo", TLS: true}); len(w) != 0 {
		t.Errorf("with --tls nothing travels in clear text, got %q", w)
	}
	for _, user := range []string{"anonymous", "FTP"} {
		if w := Warnings(Options{Addr: "ftp.example.org:21", User: user, Password: "me@example.org"}); len(w) != 0 {
			t.Errorf("an anonymous login's password is no secret, got %q", w)
		}
	}
}

// TestAnonymousLoginInClearText: doctor logged in anonymously to the
// sandbox says the login went in clear text without saying a password
// was exposed.
func TestAnonymousLoginInClearText(t *testing.T) {
	opts, _ := startSandbox(t)
	opts.User, opts.Password = "anonymous", "me@example.org"
	r := Run(context.Background(), opts, nil)
	c := check(r, checkLogin)
	if c.Verdict != OK || !strings.Contains(c.Summary, "in clear text (an anonymous login: its password is no secret)") || strings.Contains(c.Summary, "password travelled") {
		t.Errorf("login: %s %q, want ok saying the anonymous login went in clear text\n%s", c.Verdict, c.Summary, text(t, r))
	}
}

// TestInterruptedRun: a run stopped part way (ctrl+c) blames nothing on
// the server: the check it stopped and those after it are skipped, every
// check is still listed, and the conclusion says it was interrupted.
func TestInterruptedRun(t *testing.T) {
	opts, _ := startSandbox(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := Run(ctx, opts, func(p Progress) {
		if !p.Done && p.Check.ID == checkLogin {
			cancel()
		}
	})
	if !r.Interrupted || r.Problems() != 0 {
		t.Fatalf("interrupted %v with %d problems, want interrupted and none\n%s", r.Interrupted, r.Problems(), text(t, r))
	}
	if got, want := len(r.Checks), len(CheckIDs(opts)); got != want {
		t.Errorf("%d checks listed, want all %d\n%s", got, want, text(t, r))
	}
	if c := check(r, checkLogin); c == nil || c.Verdict != Skipped || !strings.Contains(c.Summary, "interrupted") {
		t.Errorf("the check stopped part way should be skipped as interrupted: %+v", c)
	}
	if !strings.HasPrefix(r.Conclusion(), "interrupted") {
		t.Errorf("conclusion %q should say the run was interrupted", r.Conclusion())
	}
	var js strings.Builder
	if err := r.WriteJSON(&js); err != nil || !strings.Contains(js.String(), `"interrupted": true`) {
		t.Errorf("the JSON report should say it was interrupted (%v):\n%.300s", err, js.String())
	}
}

// TestStalledTransfer: a server that answers 150 and then sends nothing
// is described as that, not only by the 426 it sends once ftpscope gave
// up.
func TestStalledTransfer(t *testing.T) {
	opts, _ := startSandbox(t, sandbox.FaultSilentTransfer)
	opts.ReplyTimeout = time.Second
	r := Run(context.Background(), opts, nil)
	c := check(r, checkPASV)
	if c.Verdict != Problem || !strings.Contains(c.Summary, "no data") {
		t.Errorf("PASV: %s %q, want a problem saying no data came\n%s", c.Verdict, c.Summary, text(t, r))
	}
}

// TestCertificateSkipSaysInsecure: protected data skipped because the
// certificate did not verify says how to check it anyway; with
// --insecure it runs.
func TestCertificateSkipSaysInsecure(t *testing.T) {
	opts, _ := startSandbox(t, sandbox.FaultExpiredCert)
	r := Run(context.Background(), opts, nil)
	if c := check(r, checkProtected); c.Verdict != Skipped || !strings.Contains(c.Summary, "--insecure") {
		t.Errorf("protected data: %s %q, want skipped, pointing to --insecure", c.Verdict, c.Summary)
	}
	opts.Insecure = true
	r = Run(context.Background(), opts, nil)
	if c := check(r, checkProtected); c.Verdict != OK {
		t.Errorf("protected data with --insecure: %s %q, want ok\n%s", c.Verdict, c.Summary, text(t, r))
	}
}

// TestFindingSeverityFollowsTheVerdict: a check capped at a warning (no
// TLS offered, without --tls) does not show its finding as an error.
func TestFindingSeverityFollowsTheVerdict(t *testing.T) {
	opts, _ := startSandbox(t, sandbox.FaultNoAuthTLS)
	r := Run(context.Background(), opts, nil)
	c := check(r, checkTLS)
	out := CheckText(c)
	if c.Verdict != Warning || !strings.Contains(out, "? warning:") || strings.Contains(out, "? error:") {
		t.Errorf("TLS check, %s:\n%s", c.Verdict, out)
	}
	// Every rendering agrees: the finding itself, the Markdown report,
	// and the JSON report's findings and transcript.
	for _, f := range c.Findings {
		if f.Severity != diagnose.SeverityWarning {
			t.Errorf("finding %s has severity %s, want the check's warning", f.ID, f.Severity)
		}
	}
	var md, js strings.Builder
	if err := r.WriteMarkdown(&md); err != nil || !strings.Contains(md.String(), "**Finding (warning):** The server does not offer TLS") || strings.Contains(md.String(), "**Finding (error):**") {
		t.Errorf("the Markdown report (%v) should show the finding as a warning:\n%s", err, md.String())
	}
	if err := r.WriteJSON(&js); err != nil || !strings.Contains(js.String(), `"severity": "warning"`) || strings.Contains(js.String(), `"severity": "error"`) {
		t.Errorf("the JSON report (%v) should give the finding as a warning:\n%s", err, js.String())
	}
}

// TestInsecureCertificateFinding: with --insecure, a certificate that does
// not verify is named by the finding of an accepted certificate, which
// every front end gets from diagnose.Engine.Observe: a warning, since the
// checks went on (no "→" fix of doctor's own), said once in the report
// (a later check that accepts it again reminds of it), and the accepted
// certificate's subject and SHA-256 are in every rendering.
func TestInsecureCertificateFinding(t *testing.T) {
	for _, tt := range []struct {
		fault, finding string
	}{
		{sandbox.FaultUntrustedCert, "certificate-accepted-untrusted"},
		{sandbox.FaultExpiredCert, "certificate-accepted-expired"},
	} {
		t.Run(tt.fault, func(t *testing.T) {
			opts, _ := startSandbox(t, tt.fault)
			opts.Insecure = true
			r := Run(context.Background(), opts, nil)
			c := check(r, checkTLS)
			out := text(t, r)
			if c.Verdict != Warning || !slices.Equal(findingIDs(c), []string{tt.finding}) || c.Fix != "" {
				t.Fatalf("TLS: %s %v fix %q, want a warning with %s alone\n%s", c.Verdict, findingIDs(c), c.Fix, tt.finding, out)
			}
			if f := c.Findings[0]; f.Severity != diagnose.SeverityWarning || !strings.Contains(out, "? "+f.Headline()) || !strings.HasPrefix(f.Headline(), "warning: ") {
				t.Errorf("the finding should read as a warning, like its check:\n%s", out)
			}
			if strings.Contains(out, "\n         → ") {
				t.Errorf("a fix of doctor's own besides the finding:\n%s", out)
			}
			if n := strings.Count(out, "? "+c.Findings[0].Headline()); n != 1 {
				t.Errorf("the finding is said %d times, want once:\n%s", n, out)
			}
			var md, js strings.Builder
			if err := r.WriteMarkdown(&md); err != nil {
				t.Fatal(err)
			}
			if err := r.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			for name, rendered := range map[string]string{"text": out, "markdown": md.String(), "json": js.String()} {
				if !strings.Contains(rendered, "certificate accepted without asking because of --insecure: subject ") || !strings.Contains(rendered, "SHA-256 ") {
					t.Errorf("%s: the accepted certificate's subject and SHA-256 are missing:\n%s", name, rendered)
				}
			}
		})
	}
}

// TestImplicitInsecureCertificateBelongsToTLS: with ftps:// the handshake
// comes before the greeting, and so does the finding of the certificate
// --insecure accepted; it belongs to the TLS check, which judges the
// certificate, and the greeting stays ok.
func TestImplicitInsecureCertificateBelongsToTLS(t *testing.T) {
	srv := vsftpdtest.Start(t, vsftpdtest.Options{ImplicitTLS: true, TLSv13: true})
	opts := Options{Addr: srv.Addr, ImplicitTLS: true, Insecure: true, RootCAs: x509.NewCertPool(), User: srv.User, Password: srv.Password,
		ConnectTimeout: 2 * time.Second, ReplyTimeout: 3 * time.Second}
	r := Run(context.Background(), opts, nil)
	g, c := check(r, checkGreeting), check(r, checkTLS)
	if g.Verdict != OK || len(g.Findings) != 0 {
		t.Errorf("greeting: %s with %v, want ok and no finding\n%s", g.Verdict, findingIDs(g), text(t, r))
	}
	if c.Verdict != Warning || !slices.Equal(findingIDs(c), []string{"certificate-accepted-untrusted"}) || c.Fix != "" {
		t.Errorf("TLS: %s %v fix %q, want a warning with certificate-accepted-untrusted alone\n%s", c.Verdict, findingIDs(c), c.Fix, text(t, r))
	}
}
