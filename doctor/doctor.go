// Package doctor finds out what is wrong with an FTP server, and explains
// it. It runs a fixed sequence of checks, each on a real connection
// (reachability and greeting, FEAT, TLS, login, passive and active data
// connections, protected data, UTF-8 file names, and with Options.Write an
// upload), one connection at a time so that a server allowing a single
// connection per address is checked rather than refused.
//
// Doctor draws no conclusion of its own about a reply: every event of
// every check goes through a diagnose.Engine, the same findings the
// terminal UI and ftpscope run show, and a check's verdict is the worse of
// what the check observed (a login refused, a listing that never came)
// and the findings its events produced. The transcript of every check is
// kept in the report, passwords masked as everywhere else.
package doctor

import (
	"context"
	"crypto/x509"
	"time"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/protocol"
)

// Verdict is the outcome of one check.
type Verdict string

// The verdicts, from best to worst; Skipped stands apart.
const (
	// OK: the check found nothing to change.
	OK Verdict = "ok"
	// Warning: it works, or may, but something should change.
	Warning Verdict = "warning"
	// Problem: what the check tried does not work.
	Problem Verdict = "problem"
	// Skipped: the server lacks the feature, or a check this one depends
	// on failed (that failure is the problem reported).
	Skipped Verdict = "skipped"
)

// worse returns the more serious of two verdicts.
func worse(a, b Verdict) Verdict {
	rank := map[Verdict]int{OK: 0, Skipped: 0, Warning: 1, Problem: 2}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// Options say which server to check and how.
type Options struct {
	// Addr is the server's host:port.
	Addr string
	// ImplicitTLS starts TLS as the connection opens (ftps://).
	ImplicitTLS bool
	// TLS protects the control connection with AUTH TLS before logging in,
	// and never sends the password in clear text.
	TLS bool
	// Insecure accepts a certificate that does not verify; the TLS check
	// still reports why it did not.
	Insecure bool
	// RootCAs verifies certificates; nil means the system's roots.
	RootCAs *x509.CertPool
	// User and Password log in; anonymous when User is empty.
	User, Password string
	// Write also checks an upload, its size and its deletion, with a file
	// of doctor's own that is removed again. Without it doctor changes
	// nothing on the server.
	Write bool
	// ConnectTimeout bounds each connection, TLS handshake and data
	// connection; ReplyTimeout each reply. Zero means the defaults below.
	ConnectTimeout, ReplyTimeout time.Duration
	// Catalog explains the replies behind a verdict; loaded when nil.
	Catalog *catalog.Catalog
}

// Default timeouts: short, so that a check that cannot finish says why in
// seconds, and long enough for a server across the world.
const (
	DefaultConnectTimeout = 5 * time.Second
	DefaultReplyTimeout   = 15 * time.Second
)

// AnonymousPassword is the password sent with the anonymous user, in the
// e-mail-like form RFC 1635 suggests.
const AnonymousPassword = "ftpscope@"

// Check is the outcome of one check.
type Check struct {
	// ID names the check, stable across versions ("passive-pasv").
	ID string
	// Title says what was checked ("Passive mode with PASV").
	Title   string
	Verdict Verdict
	// Summary says what was found, in one sentence.
	Summary string
	// Details are further facts worth showing: the features announced,
	// the certificate, the timing.
	Details []string
	// Fix says what to change when the findings do not already say it.
	Fix string
	// Findings are what diagnose concluded from the check's events.
	Findings []diagnose.Finding
	// Replies explains the replies that made the verdict worse than ok.
	Replies []ExplainedReply
	// Events are the check's transcript, in order.
	Events []protocol.Event
	// Started and Elapsed time the check.
	Started time.Time
	Elapsed time.Duration
}

// ExplainedReply is a reply behind a verdict, with the catalogue's words.
type ExplainedReply struct {
	Seq  int
	Verb string
	// Line is the reply's first line, escaped.
	Line string
	// Name, Meaning and Action come from the catalogue. Meaning and
	// Action are empty when a finding explains the reply: the code's
	// general meaning could contradict it.
	Name, Meaning, Action string
}

// Report is the outcome of a whole run.
type Report struct {
	// Server is the address checked; URL is how the user named it,
	// without a password.
	Server string
	// Warnings are said before the checks: credentials sent in clear
	// text, for instance.
	Warnings []string
	Checks   []*Check
	Started  time.Time
	Elapsed  time.Duration
	// Software is the server software, as identified from its greeting,
	// SYST or wording ("vsftpd"), or "" when unknown.
	Software string
	// Interrupted is set when the run was stopped (ctrl+c) before every
	// check had run; the checks it stopped are skipped.
	Interrupted bool
	// catalog explains the replies of the transcripts the report writes.
	catalog *catalog.Catalog
}

// Problems counts the checks whose verdict is Problem.
func (r *Report) Problems() int {
	n := 0
	for _, c := range r.Checks {
		if c.Verdict == Problem {
			n++
		}
	}
	return n
}

// Count returns how many checks have verdict v.
func (r *Report) Count(v Verdict) int {
	n := 0
	for _, c := range r.Checks {
		if c.Verdict == v {
			n++
		}
	}
	return n
}

// Progress tells a watcher that a check started (Done false) or ended.
type Progress struct {
	Check *Check
	Done  bool
	// Index counts the checks from 1; Total is how many will run.
	Index, Total int
}

// Run runs every check against the server and returns the report. It
// stops early only when ctx ends; the checks not run then are skipped.
// progress, when not nil, is called as each check starts and ends, from
// the calling goroutine.
func Run(ctx context.Context, opts Options, progress func(Progress)) *Report {
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = DefaultConnectTimeout
	}
	if opts.ReplyTimeout <= 0 {
		opts.ReplyTimeout = DefaultReplyTimeout
	}
	if opts.Catalog == nil {
		cat, err := catalog.Load()
		if err != nil {
			cat = &catalog.Catalog{}
		}
		opts.Catalog = cat
	}
	if progress == nil {
		progress = func(Progress) {}
	}
	r := &runner{ctx: ctx, opts: opts, progress: progress, report: &Report{Server: opts.Addr, Started: time.Now(), catalog: opts.Catalog}}
	r.report.Warnings = Warnings(opts)
	r.run(ctx)
	r.closeConn()
	r.report.Elapsed = time.Since(r.report.Started)
	r.report.Interrupted = ctx.Err() != nil
	return r.report
}

// CheckIDs lists the checks Run performs with opts, in order.
func CheckIDs(opts Options) []string {
	ids := []string{checkConnect, checkGreeting, checkFeatures, checkTLS, checkLogin,
		checkPASV, checkEPSV, checkActive, checkProtected, checkUTF8}
	if opts.Write {
		ids = append(ids, checkWrite)
	}
	return ids
}
