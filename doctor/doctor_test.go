package doctor

import (
	"bufio"
	"context"
	"crypto/x509"
	"encoding/json"
	"flag"
	"net"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/internal/badserver"
	"github.com/ftpscope/ftpscope/internal/goldentest"
	"github.com/ftpscope/ftpscope/internal/vsftpdtest"
	"github.com/ftpscope/ftpscope/sandbox"
)

var _ = flag.Bool("update", false, "rewrite the golden files in testdata/")

// startSandbox starts a sandbox with TLS and the given faults, for the
// length of the test.
func startSandbox(t *testing.T, faults ...string) (Options, *sandbox.Server) {
	t.Helper()
	srv, err := sandbox.Start(sandbox.Options{TLS: true, Faults: faults})
	if err != nil {
		t.Fatalf("start the sandbox: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	return Options{
		Addr: srv.Addr, RootCAs: srv.Cert.Pool(), User: sandbox.DemoUser, Password: sandbox.DemoPassword,
		ConnectTimeout: time.Second, ReplyTimeout: 5 * time.Second,
	}, srv
}

// verdicts maps each check's ID to its verdict, for readable failures.
func verdicts(r *Report) map[string]Verdict {
	m := map[string]Verdict{}
	for _, c := range r.Checks {
		m[c.ID] = c.Verdict
	}
	return m
}

// findingIDs lists the IDs of a check's findings.
func findingIDs(c *Check) []string {
	var ids []string
	for _, f := range c.Findings {
		ids = append(ids, f.ID)
	}
	return ids
}

func check(r *Report, id string) *Check {
	for _, c := range r.Checks {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// TestHealthySandbox: a well-behaved server gets a clean bill of health,
// with every check run and the write check when asked.
func TestHealthySandbox(t *testing.T) {
	opts, _ := startSandbox(t)
	opts.Write = true
	var started, ended int
	r := Run(context.Background(), opts, func(p Progress) {
		if p.Done {
			ended++
		} else {
			started++
		}
	})
	if r.Problems() != 0 || r.Count(Warning) != 0 || r.Count(Skipped) != 0 {
		t.Fatalf("a healthy sandbox should pass every check, got %v\n%s", verdicts(r), text(t, r))
	}
	if got, want := len(r.Checks), len(CheckIDs(opts)); got != want || started != want || ended != want {
		t.Errorf("ran %d checks (progress %d started, %d ended), want %d", got, started, ended, want)
	}
	var ids []string
	for _, c := range r.Checks {
		ids = append(ids, c.ID)
		if len(c.Events) == 0 && c.ID != checkConnect {
			t.Errorf("check %s kept no transcript", c.ID)
		}
	}
	want := CheckIDs(opts)
	slices.Sort(ids)
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("checks run %v, want %v", ids, want)
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "clear text") {
		t.Errorf("credentials without --tls should be warned about first, got %q", r.Warnings)
	}
}

// TestSandboxFaults provokes each fault doctor must diagnose on the
// sandbox and checks the verdict and the finding that names the cause.
func TestSandboxFaults(t *testing.T) {
	tests := []struct {
		name    string
		faults  []string
		tls     bool
		check   string
		verdict Verdict
		finding string // a finding the check must have, "" for none
		// skipped are checks that must be skipped as a consequence.
		skipped []string
	}{
		{name: "private passive address", faults: []string{sandbox.FaultNAT}, check: checkPASV, verdict: Warning, finding: "passive-address-foreign"},
		{name: "passive port nobody answers", faults: []string{sandbox.FaultUnansweredPort}, check: checkPASV, verdict: Problem, finding: "passive-port-dropped", skipped: []string{checkUTF8, checkProtected}},
		{name: "passive port refused", faults: []string{sandbox.FaultRefuseData}, check: checkPASV, verdict: Problem, finding: "passive-port-refused"},
		{name: "no AUTH TLS", faults: []string{sandbox.FaultNoAuthTLS}, check: checkTLS, verdict: Warning, finding: "auth-tls-not-offered", skipped: []string{checkProtected}},
		{name: "no AUTH TLS with --tls", faults: []string{sandbox.FaultNoAuthTLS}, tls: true, check: checkTLS, verdict: Problem, skipped: []string{checkLogin, checkPASV}},
		{name: "expired certificate", faults: []string{sandbox.FaultExpiredCert}, check: checkTLS, verdict: Problem, finding: "certificate-expired", skipped: []string{checkProtected}},
		{name: "self-signed certificate", faults: []string{sandbox.FaultUntrustedCert}, check: checkTLS, verdict: Problem, finding: "certificate-not-trusted", skipped: []string{checkProtected}},
		{name: "TLS session reuse required", faults: []string{sandbox.FaultRequireTLSReuse}, check: checkProtected, verdict: OK},
		{name: "no passive mode", faults: []string{sandbox.FaultNoPasv}, check: checkPASV, verdict: Problem},
		{name: "one connection per address", faults: []string{sandbox.FaultMaxConnections}, check: checkProtected, verdict: OK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, _ := startSandbox(t, tt.faults...)
			opts.TLS = tt.tls
			r := Run(context.Background(), opts, nil)
			c := check(r, tt.check)
			if c == nil {
				t.Fatalf("no %s check in %v", tt.check, verdicts(r))
			}
			if c.Verdict != tt.verdict {
				t.Errorf("%s: verdict %s, want %s (%s)\n%s", tt.check, c.Verdict, tt.verdict, c.Summary, text(t, r))
			}
			if tt.finding != "" && !slices.Contains(findingIDs(c), tt.finding) {
				t.Errorf("%s: findings %v, want %s among them\n%s", tt.check, findingIDs(c), tt.finding, text(t, r))
			}
			for _, id := range tt.skipped {
				if s := check(r, id); s == nil || s.Verdict != Skipped {
					t.Errorf("%s should be skipped as a consequence, got %v", id, verdicts(r))
				}
			}
			if tt.verdict == Problem && r.Problems() == 0 {
				t.Errorf("a problem must count in the report: %s", r.Conclusion())
			}
		})
	}
}

// TestFindingsExplainTheCause checks that a problem's text names the
// cause and the server setting, from the findings, not only a code.
func TestFindingsExplainTheCause(t *testing.T) {
	opts, _ := startSandbox(t, sandbox.FaultNAT)
	r := Run(context.Background(), opts, nil)
	out := text(t, r)
	for _, want := range []string{"127.0.0.2", "pasv_address=", "MasqueradeAddress", "EPSV"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report should mention %q:\n%s", want, out)
		}
	}
}

// TestVsftpd checks a correctly configured vsftpd (clean bill of health,
// over TLS) and one announcing a wrong passive address.
func TestVsftpd(t *testing.T) {
	if !vsftpdtest.Available() {
		vsftpdtest.Start(t, vsftpdtest.Options{}) // skips, or fails under FTPSCOPE_REQUIRE_INTEROP
	}
	trust := func(srv *vsftpdtest.Server) *x509.CertPool {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(srv.CertPEM) {
			t.Fatal("the vsftpd certificate does not parse")
		}
		return pool
	}
	t.Run("correct, over TLS", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{TLS: true, TLSv13: true})
		opts := Options{Addr: srv.Addr, TLS: true, RootCAs: trust(srv), User: srv.User, Password: srv.Password, Write: true,
			ConnectTimeout: 2 * time.Second, ReplyTimeout: 5 * time.Second}
		r := Run(context.Background(), opts, nil)
		if r.Problems() != 0 {
			t.Fatalf("a correct vsftpd should have no problem, got %v\n%s", verdicts(r), text(t, r))
		}
		if r.Software != "vsftpd" {
			t.Errorf("the server should be identified as vsftpd, got %q", r.Software)
		}
		if c := check(r, checkProtected); c.Verdict != OK {
			t.Errorf("protected data: %s %s", c.Verdict, c.Summary)
		}
	})
	t.Run("wrong pasv_address", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{PasvAddress: "127.0.0.2"})
		opts := Options{Addr: srv.Addr, User: srv.User, Password: srv.Password, ConnectTimeout: 2 * time.Second, ReplyTimeout: 5 * time.Second}
		r := Run(context.Background(), opts, nil)
		c := check(r, checkPASV)
		if c.Verdict != Warning || !slices.Contains(findingIDs(c), "passive-address-foreign") {
			t.Fatalf("PASV: %s %v, want a warning with passive-address-foreign\n%s", c.Verdict, findingIDs(c), text(t, r))
		}
		out := text(t, r)
		if !strings.Contains(out, "on the server (vsftpd): pasv_address=") || strings.Contains(out, "MasqueradeAddress") {
			t.Errorf("the fix should name vsftpd's setting alone:\n%s", out)
		}
		if n := strings.Count(out, "on the server (vsftpd): pasv_address="); n != 1 {
			t.Errorf("the server fix is given %d times, want once:\n%s", n, out)
		}
	})
	t.Run("passive mode off: explained once, then reminded", func(t *testing.T) {
		// vsftpd refuses PASV and EPSV alike: the EPSV check meets the
		// cause the PASV check explained, and reminds of it in one line,
		// worded as every front end words a repeat.
		srv := vsftpdtest.Start(t, vsftpdtest.Options{Extra: map[string]string{"pasv_enable": "NO"}})
		opts := Options{Addr: srv.Addr, User: srv.User, Password: srv.Password, ConnectTimeout: 2 * time.Second, ReplyTimeout: 5 * time.Second}
		r := Run(context.Background(), opts, nil)
		out := text(t, r)
		if n := strings.Count(out, "pasv_enable=YES"); n != 1 {
			t.Errorf("the server fix is given %d times, want once:\n%s", n, out)
		}
		if want := "· the same as above: The server refuses passive mode (see " + check(r, checkPASV).Title + ")"; !strings.Contains(out, want) {
			t.Errorf("no reminder %q in the EPSV check:\n%s", want, out)
		}
	})
	t.Run("active mode off: a diagnosed reply gets its name only", func(t *testing.T) {
		// vsftpd refuses PORT with "550 Permission denied." and, without
		// TLS, AUTH TLS with "530 Please login with USER and PASS.". The
		// findings say why; the codes' general meanings ("it does not
		// exist", "nobody is logged in") would contradict them.
		srv := vsftpdtest.Start(t, vsftpdtest.Options{Extra: map[string]string{"port_enable": "NO"}})
		opts := Options{Addr: srv.Addr, User: srv.User, Password: srv.Password, ConnectTimeout: 2 * time.Second, ReplyTimeout: 5 * time.Second}
		r := Run(context.Background(), opts, nil)
		for _, id := range []string{checkActive, checkTLS} {
			c := check(r, id)
			if c.Verdict != Warning || len(c.Findings) == 0 || len(c.Replies) == 0 {
				t.Fatalf("%s: %s %v with %d replies, want a warning with a finding and its replies\n%s", id, c.Verdict, findingIDs(c), len(c.Replies), text(t, r))
			}
			for _, e := range c.Replies {
				if e.Meaning != "" || e.Action != "" || e.Name == "" {
					t.Errorf("%s: %q is explained by %v, yet gets the catalogue's meaning %q", id, e.Line, findingIDs(c), e.Meaning)
				}
			}
		}
		out := text(t, r)
		for _, wrong := range []string{"it does not exist", "nobody is logged in"} {
			if strings.Contains(out, wrong) {
				t.Errorf("the report says %q against its findings:\n%s", wrong, out)
			}
		}
		var md strings.Builder
		if err := r.WriteMarkdown(&md); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(md.String(), "- `550 Permission denied.` — **File unavailable.**\n") {
			t.Errorf("the Markdown report should name the code alone:\n%s", md.String())
		}
	})
}

func text(t *testing.T, r *Report) string {
	t.Helper()
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// stable replaces what changes from run to run in a report (times,
// ports, certificate fingerprints and dates) so that it can be compared
// with a golden file.
func stable(s string) string {
	for _, r := range []struct{ re, with string }{
		{`, first byte after [0-9.]+(ns|µs|ms|s)`, ""},
		{`\b[0-9]+(\.[0-9]+)?(ns|µs|ms|s)\b`, "T"},
		{`(127\.0\.0\.[0-9]+):[0-9]+`, "$1:PORT"},
		{`(127,0,0,[0-9]+),[0-9]+,[0-9]+`, "$1,P1,P2"},
		{`\|1\|(127\.0\.0\.[0-9]+)\|[0-9]+\|`, "|1|$1|PORT|"},
		{`[0-9]+×256\+[0-9]+ = [0-9]+`, "P1×256+P2 = PORT"},
		{`= [0-9]+×256\+[0-9]+`, "= P1×256+P2"},
		{`\|\|\|[0-9]+\|`, "|||PORT|"},
		{`\\\|\\\|\\\|[0-9]+\\\|`, `\|\|\|PORT\|`},
		{`port [0-9]+`, "port PORT"},
		{`(SHA-256|sha256) [0-9A-F:]+`, "$1 FINGERPRINT"},
		{`[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2} UTC)?`, "DATE"},
		{`[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}`, "LISTING-DATE"},
	} {
		s = regexp.MustCompile(r.re).ReplaceAllString(s, r.with)
	}
	return s
}

// TestReportGolden renders the report of a sandbox with a NAT fault as
// text and Markdown, and compares both with golden files.
func TestReportGolden(t *testing.T) {
	opts, _ := startSandbox(t, sandbox.FaultNAT)
	r := Run(context.Background(), opts, nil)
	goldentest.Check(t, "nat.txt", stable(text(t, r)))
	var md strings.Builder
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	goldentest.Check(t, "nat.md", stable(md.String()))
}

// TestJSONReport checks the JSON report's shape: verdicts, findings on
// the check that found them, and each check's transcript as run --json
// objects.
func TestJSONReport(t *testing.T) {
	opts, _ := startSandbox(t, sandbox.FaultNAT)
	r := Run(context.Background(), opts, nil)
	var b strings.Builder
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Problems int
		Checks   []struct {
			ID         string
			Verdict    string
			Findings   []struct{ ID string }
			Transcript []struct{ Kind string }
		}
	}
	if err := json.Unmarshal([]byte(b.String()), &got); err != nil {
		t.Fatalf("the JSON report does not parse: %v\n%s", err, b.String())
	}
	if got.Problems != 0 || len(got.Checks) != len(CheckIDs(opts)) {
		t.Fatalf("problems %d, %d checks; want 0 and %d", got.Problems, len(got.Checks), len(CheckIDs(opts)))
	}
	for _, c := range got.Checks {
		if c.ID != checkPASV {
			continue
		}
		if c.Verdict != "warning" || len(c.Findings) == 0 || c.Findings[0].ID != "passive-address-foreign" {
			t.Errorf("PASV check: %+v", c)
		}
		kinds := map[string]bool{}
		for _, e := range c.Transcript {
			kinds[e.Kind] = true
		}
		for _, k := range []string{"send", "reply", "data", "finding"} {
			if !kinds[k] {
				t.Errorf("the PASV transcript has no %q object: %v", k, kinds)
			}
		}
	}
}

// TestGreetingFaults: a 421 at once (the one connection per address is
// taken) is a problem that stops the checks; a 120 before the 220 is a
// warning.
func TestGreetingFaults(t *testing.T) {
	t.Run("421 too many connections", func(t *testing.T) {
		opts, srv := startSandbox(t, sandbox.FaultMaxConnections)
		held, err := net.Dial("tcp", srv.Addr)
		if err != nil {
			t.Fatal(err)
		}
		defer held.Close()
		if _, err := bufio.NewReader(held).ReadString('\n'); err != nil {
			t.Fatal(err)
		}
		r := Run(context.Background(), opts, nil)
		g := check(r, checkGreeting)
		if g == nil || g.Verdict != Problem || !strings.Contains(g.Summary, "421") {
			t.Fatalf("greeting: %+v\n%s", g, text(t, r))
		}
		if c := check(r, checkLogin); c == nil || c.Verdict != Skipped {
			t.Errorf("the checks after a refused connection should be skipped: %v", verdicts(r))
		}
		if len(g.Replies) == 0 || !strings.HasPrefix(g.Replies[0].Line, "421") {
			t.Errorf("the 421 should be explained from the catalogue: %+v", g.Replies)
		}
	})
	t.Run("120 then 220", func(t *testing.T) {
		srv := badserver.Start(t, func(c *badserver.Conn) {
			c.Lines("120 Service ready in 1 minutes.", "220 Ready now.")
			badserver.Serve(c, nil)
		})
		r := Run(context.Background(), Options{Addr: srv.Addr, ConnectTimeout: time.Second, ReplyTimeout: 5 * time.Second}, nil)
		g := check(r, checkGreeting)
		if g == nil || g.Verdict != Warning || !strings.Contains(g.Summary, "120") {
			t.Fatalf("greeting: %+v\n%s", g, text(t, r))
		}
	})
}

// TestImplicitTLS checks ftps:// against vsftpd's implicit TLS, and the
// usual confusion: plain FTP against that port.
func TestImplicitTLS(t *testing.T) {
	srv := vsftpdtest.Start(t, vsftpdtest.Options{ImplicitTLS: true, TLSv13: true})
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(srv.CertPEM)
	opts := Options{Addr: srv.Addr, ImplicitTLS: true, RootCAs: pool, User: srv.User, Password: srv.Password,
		ConnectTimeout: 2 * time.Second, ReplyTimeout: 3 * time.Second}
	r := Run(context.Background(), opts, nil)
	if r.Problems() != 0 || check(r, checkTLS).Verdict != OK {
		t.Fatalf("implicit TLS against vsftpd: %v\n%s", verdicts(r), text(t, r))
	}
	opts.ImplicitTLS, opts.User = false, ""
	r = Run(context.Background(), opts, nil)
	if g := check(r, checkGreeting); g == nil || g.Verdict != Problem {
		t.Fatalf("plain FTP against an implicit-TLS port should fail at the greeting: %v\n%s", verdicts(r), text(t, r))
	}
	if out := text(t, r); !strings.Contains(out, "ftps://") {
		t.Errorf("the greeting's problem should point to ftps://:\n%s", out)
	}
}
