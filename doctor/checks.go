package doctor

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/protocol"
)

// The checks' IDs, in the order a report lists them.
const (
	checkConnect   = "connect"
	checkGreeting  = "greeting"
	checkFeatures  = "features"
	checkTLS       = "tls"
	checkLogin     = "login"
	checkPASV      = "passive-pasv"
	checkEPSV      = "passive-epsv"
	checkActive    = "active"
	checkProtected = "protected-data"
	checkUTF8      = "utf8"
	checkWrite     = "write"
)

// Titles of the checks.
var titles = map[string]string{
	checkConnect:   "Reachability",
	checkGreeting:  "Greeting",
	checkFeatures:  "Features (FEAT)",
	checkTLS:       "TLS (AUTH TLS and certificate)",
	checkLogin:     "Login",
	checkPASV:      "Passive mode with PASV and a listing",
	checkEPSV:      "Passive mode with EPSV and a listing",
	checkActive:    "Active mode with PORT/EPRT and a listing",
	checkProtected: "Protected data (PBSZ 0, PROT P) and a listing",
	checkUTF8:      "UTF-8 file names",
	checkWrite:     "Upload, size and delete (--write)",
}

// features doctor reports on, with what each is for.
var featureNotes = []struct{ name, what string }{
	{"UTF8", "file names in UTF-8 (RFC 2640)"},
	{"MLST", "machine-readable listings, MLSD and MLST (RFC 3659)"},
	{"SIZE", "file sizes before a download (RFC 3659)"},
	{"MDTM", "modification times (RFC 3659)"},
	{"REST", "resuming transfers, REST STREAM (RFC 3659)"},
	{"EPSV", "extended passive mode for NAT and IPv6 (RFC 2428)"},
	{"AUTH", "TLS on the control connection (RFC 4217)"},
	{"PBSZ", "TLS on data connections, with PROT (RFC 4217)"},
	{"PROT", "data connection protection level (RFC 4217)"},
}

// run performs the checks in order. Over TLS (--tls or ftps://) every
// check shares one protected session; otherwise a first connection looks
// at the greeting, FEAT and TLS, a second logs in as the user asked (in
// clear text) for the data checks, and a third checks protected data.
func (r *runner) run(ctx context.Context) {
	r.ids = CheckIDs(r.opts)
	defer r.skipInterrupted(ctx)
	if !r.reachAndGreet(ctx) {
		if ctx.Err() != nil {
			return
		}
		for _, id := range r.ids[len(r.report.Checks):] {
			r.skip(id, titles[id], "the server could not be reached or did not greet (see above)")
		}
		return
	}
	steps := []func(context.Context){r.checkFeatures, r.checkTLS}
	if r.mainTLS() {
		steps = append(steps, r.checkLogin, r.checkProtected,
			func(ctx context.Context) { r.checkPassive(ctx, checkPASV, "PASV") },
			func(ctx context.Context) { r.checkPassive(ctx, checkEPSV, "EPSV") },
			r.checkActive, r.checkUTF8, r.checkWrite)
	} else {
		steps = append(steps,
			func(context.Context) { r.closeConn() }, // the probe; the login starts afresh, in clear text
			r.checkLogin,
			func(ctx context.Context) { r.checkPassive(ctx, checkPASV, "PASV") },
			func(ctx context.Context) { r.checkPassive(ctx, checkEPSV, "EPSV") },
			r.checkActive, r.checkUTF8, r.checkWrite,
			func(context.Context) { r.closeConn() },
			r.checkProtected)
	}
	for _, step := range steps {
		if ctx.Err() != nil {
			return
		}
		step(ctx)
	}
}

// skipInterrupted lists the checks an interruption (ctrl+c) kept from
// running, so that the report still names every check.
func (r *runner) skipInterrupted(ctx context.Context) {
	if ctx.Err() == nil {
		return
	}
	ran := map[string]bool{}
	for _, c := range r.report.Checks {
		ran[c.ID] = true
	}
	for _, id := range r.ids {
		if !ran[id] {
			r.skip(id, titles[id], "not run: interrupted")
		}
	}
}

// reachAndGreet runs the reachability and greeting checks on the first
// connection, and reports whether the server is there to check.
func (r *runner) reachAndGreet(ctx context.Context) bool {
	reach := r.begin(checkConnect, titles[checkConnect])
	cn, greeting, err := r.dial(ctx)
	var info *protocol.ConnectInfo
	for _, ev := range reach.Events {
		if ev.Kind == protocol.EventConnect && ev.Connect != nil {
			info = ev.Connect
		}
	}
	if info == nil {
		reach.Fix = diagnose.Describe(err).Fix
		r.end(reach, Problem, "could not connect: "+shortError(err))
		return false
	}
	r.ipv6 = strings.HasPrefix(info.Remote, "[")
	reach.Details = append(reach.Details, connectTiming(info))
	// The greeting's events (a 120, the 220, a handshake) and what the
	// findings made of them came in the same wait: they belong to the
	// greeting's check, and so does the time spent waiting for them.
	greetEvents, connEvents := splitAfterConnect(reach.Events)
	// An implicit handshake's findings (an accepted certificate) go to
	// the TLS check, which judges the certificate, not to the greeting.
	var greetFindings []diagnose.Finding
	for _, f := range reach.Findings {
		if firedByHandshake(f) {
			r.handshakeFindings = append(r.handshakeFindings, f)
		} else {
			greetFindings = append(greetFindings, f)
		}
	}
	reach.Events, reach.Findings = connEvents, nil
	reach.Elapsed = info.Lookup + info.Connect
	r.end(reach, OK, fmt.Sprintf("connected to %s from %s", info.Remote, info.Local))

	g := r.begin(checkGreeting, titles[checkGreeting])
	g.Events, g.Findings = greetEvents, greetFindings
	g.Started = reach.Started.Add(reach.Elapsed)
	if cn.state != nil && cn.state.Timing.Greeting > 0 {
		g.Details = append(g.Details, "time to the greeting: "+protocol.ShortDuration(cn.state.Timing.Greeting))
		// The check took as long as the server did, not ftpscope's own
		// setting up of the connection.
		g.Elapsed = cn.state.Timing.Greeting
	}
	switch {
	case err != nil && greeting == nil:
		certificateDetail(g, err)
		r.end(g, Problem, "no greeting: "+shortError(err))
		return false
	case greeting.Code == 421:
		r.end(g, Problem, "the server refused the connection at once: "+protocol.Escape(firstLine(greeting)))
		return false
	case greeting.Class() != 2:
		r.end(g, Problem, "the server greeted with "+protocol.Escape(firstLine(greeting))+", not 220")
		return false
	}
	verdict, summary := OK, "the server is ready: "+protocol.Escape(firstLine(greeting))
	if n := len(greeting.Lines); n > 1 {
		g.Details = append(g.Details, fmt.Sprintf("a banner of %d lines", n))
	}
	for _, ev := range g.Events {
		if ev.Kind == protocol.EventReply && ev.Reply != nil && ev.Reply.Code == 120 {
			verdict = Warning
			summary = "the server first answered 120 (not ready yet: " + protocol.Escape(ev.Reply.Text()) + "), then 220"
		}
	}
	if r.opts.ImplicitTLS {
		g.Details = append(g.Details, "implicit TLS: the handshake came before the greeting")
	}
	r.end(g, verdict, summary)
	return true
}

// splitAfterConnect splits a check's events into the connection's own
// (up to the connect event) and what followed it.
func splitAfterConnect(events []protocol.Event) (after, upTo []protocol.Event) {
	for i, ev := range events {
		if ev.Kind == protocol.EventConnect {
			return slices.Clone(events[i+1:]), events[:i+1]
		}
	}
	return nil, events
}

// connectTiming describes where a connection's time went.
func connectTiming(info *protocol.ConnectInfo) string {
	s := "TCP connect " + protocol.ShortDuration(info.Connect)
	if info.Lookup > 0 {
		s = fmt.Sprintf("name lookup %s (%s), %s", protocol.ShortDuration(info.Lookup), strings.Join(info.Addresses, ", "), s)
	}
	return s
}

// checkFeatures asks FEAT and reports what the server announces.
func (r *runner) checkFeatures(ctx context.Context) {
	c := r.begin(checkFeatures, titles[checkFeatures])
	x, err := r.do(ctx, "FEAT")
	switch {
	case err != nil:
		r.end(c, Problem, "FEAT got no answer: "+shortError(err))
		return
	case closing(x.Final):
		r.closeConn()
		r.end(c, Problem, "the server closed the connection instead of answering FEAT: "+protocol.Escape(firstLine(x.Final)))
		return
	case x.Final == nil || x.Final.Class() != 2:
		r.end(c, Warning, "the server does not support FEAT ("+protocol.Escape(firstLine(x.Final))+"): it is older than RFC 2389 (1998), and clients must guess what it supports")
		return
	}
	r.featOK = true
	r.features = protocol.ParseFeatures(x.Final.Lines)
	var have, lack []string
	for _, f := range featureNotes {
		if v, ok := r.features[f.name]; ok {
			name := f.name
			if v != "" {
				name += " " + protocol.Escape(v)
			}
			have = append(have, name)
		} else {
			lack = append(lack, f.name+" ("+f.what+")")
		}
	}
	if auth, ok := r.features["AUTH"]; ok && strings.Contains(strings.ToUpper(auth), "TLS") {
		r.tlsOffered = true
	}
	if len(have) > 0 {
		c.Details = append(c.Details, "announced: "+strings.Join(have, ", "))
	}
	if len(lack) > 0 {
		c.Details = append(c.Details, "not announced: "+strings.Join(lack, "; "))
	}
	r.end(c, OK, fmt.Sprintf("the server announces %d features", len(r.features)))
}

// checkTLS checks AUTH TLS and the certificate, or the implicit handshake.
func (r *runner) checkTLS(ctx context.Context) {
	c := r.begin(checkTLS, titles[checkTLS])
	if !r.opts.ImplicitTLS {
		if !r.tlsOffered && r.featOK && !r.opts.TLS {
			// FEAT did not list it; ask anyway, as some servers forget.
			c.Details = append(c.Details, "FEAT does not list AUTH TLS; asking anyway")
		}
		if r.conn == nil || r.conn.closed {
			// The probe ended (the FEAT check says why): ask on a fresh one.
			if _, _, err := r.dial(ctx); err != nil {
				r.tlsFailed(c, "could not connect again to ask for AUTH TLS: "+shortError(err))
				return
			}
		}
		x, err := r.do(ctx, "AUTH TLS")
		switch {
		case err == nil && closing(x.Final):
			r.tlsFailed(c, "the server closed the connection instead of answering AUTH TLS: "+protocol.Escape(firstLine(x.Final)))
			return
		case err != nil && (x == nil || x.Final == nil || x.Final.Code != 234):
			r.tlsFailed(c, "AUTH TLS failed: "+shortError(err))
			return
		case x.Final == nil || x.Final.Code != 234:
			c.Fix = "enable TLS on the server (vsftpd: ssl_enable=YES with rsa_cert_file; ProFTPD: TLSEngine on; Pure-FTPd: --tls=1; FileZilla Server: FTP over TLS settings)"
			// Without --tls the absence of TLS is a warning: the checks that
			// need it are skipped. With --tls nothing else can run.
			limit := Warning
			if r.opts.TLS {
				limit = Problem
			}
			r.endAtMost(c, limit, "the server does not offer TLS ("+protocol.Escape(firstLine(x.Final))+"): passwords and files travel in clear text", limit)
			return
		case err != nil:
			var certErr *protocol.CertificateError
			r.certRefused = errors.As(err, &certErr) && !r.opts.Insecure
			certificateDetail(c, err)
			r.tlsFailed(c, "the TLS handshake failed: "+shortError(err))
			return
		}
		r.tlsOffered = true
		r.conn.protected = true
	}
	var info *protocol.TLSInfo
	for _, ev := range c.Events {
		if ev.Kind == protocol.EventTLS && ev.TLS != nil && !ev.TLS.Data && !ev.TLS.NeedsDecision {
			info = ev.TLS
		}
	}
	if info == nil {
		// Implicit TLS: the handshake belongs to the greeting's events.
		for _, prev := range r.report.Checks {
			for _, ev := range prev.Events {
				if ev.Kind == protocol.EventTLS && ev.TLS != nil && !ev.TLS.Data {
					info = ev.TLS
				}
			}
		}
	}
	if info == nil {
		r.tlsFailed(c, "no TLS handshake was reported")
		return
	}
	r.tlsUsable = true
	verdict, summary := certVerdict(c, *info, r.opts.Insecure, time.Now())
	limit := Problem
	// An implicit handshake came with the greeting, and so did its
	// findings; they are about the certificate, which this check judges.
	c.Findings = append(c.Findings, r.handshakeFindings...)
	if !info.Trusted {
		// Accepted by --insecure, so the checks went on: the finding of
		// the accepted certificate (a warning) says why and what to do,
		// in place of doctor's own fix.
		limit = Warning
		if slices.ContainsFunc(c.Findings, firedByHandshake) {
			c.Fix = ""
		}
	}
	r.endAtMost(c, verdict, summary, limit)
}

// firedByHandshake reports a finding fired by a TLS handshake's event
// (its last evidence is the line that fired it): with --insecure, the
// finding of the certificate that was accepted unverified.
func firedByHandshake(f diagnose.Finding) bool {
	return len(f.Evidence) > 0 && f.Evidence[len(f.Evidence)-1].Kind == protocol.EventTLS
}

// certificateDetail shows, in check c, the certificate a handshake refused
// because it did not verify: its subject, dates and SHA-256, which the
// finding asks the user to compare with the administrator's.
func certificateDetail(c *Check, err error) {
	var certErr *protocol.CertificateError
	if errors.As(err, &certErr) && certErr.Cert.SHA256 != "" {
		c.Details = append(c.Details, "certificate: "+certErr.Cert.String())
	}
}

// tlsFailed ends the TLS check after a failed upgrade; the connection is
// unusable afterwards.
func (r *runner) tlsFailed(c *Check, summary string) {
	r.closeConn()
	r.end(c, Problem, summary)
}

// certVerdict judges a finished handshake: the version, the certificate's
// trust, names and dates.
func certVerdict(c *Check, info protocol.TLSInfo, insecure bool, now time.Time) (Verdict, string) {
	cert := info.Cert
	certLine := "certificate: " + cert.String()
	if !info.Trusted {
		// Which certificate was accepted, for the administrator to
		// compare its SHA-256 with the one they installed.
		certLine = "certificate " + info.Acceptance() + ": " + cert.String()
	}
	c.Details = append(c.Details, fmt.Sprintf("%s, %s", info.Version, info.Cipher), certLine)
	if d := info.Handshake; d > 0 {
		c.Details = append(c.Details, "handshake "+protocol.ShortDuration(d))
	}
	verdict, summary := OK, "TLS works: "+info.Version+", certificate verified"
	switch info.Version {
	case "TLS 1.0", "TLS 1.1", "SSL 3.0":
		verdict = Warning
		summary = info.Version + " is obsolete (RFC 8996): enable TLS 1.2 or 1.3 on the server"
	}
	// Warn a month ahead, or a third of the lifetime ahead for a short-lived
	// certificate (Let's Encrypt's 90 days renew at 30 left; a sandbox's
	// day-long one is not about to lapse).
	lifetime := cert.NotAfter.Sub(cert.NotBefore)
	if left := cert.NotAfter.Sub(now); left > 0 && left < min(30*24*time.Hour, lifetime/3) {
		verdict = worse(verdict, Warning)
		summary = fmt.Sprintf("the certificate expires in %d days (%s): renew it", int(left.Hours()/24), cert.NotAfter.UTC().Format("2006-01-02"))
	}
	if !info.Trusted {
		if insecure {
			verdict = worse(verdict, Warning)
		} else {
			verdict = Problem
		}
		summary = "the certificate does not verify: " + cert.Problem
		c.Fix = "install a certificate from a CA clients trust, valid for the name clients use, or have every client trust this one explicitly; --insecure only when you have checked the fingerprint"
	}
	return verdict, summary
}

// checkLogin logs in, warning about a password in clear text.
func (r *runner) checkLogin(ctx context.Context) {
	c := r.begin(checkLogin, titles[checkLogin])
	if r.mainTLS() && !r.tlsUsable {
		r.end(c, Skipped, "TLS was required and could not be set up (see the TLS check), so no password was sent")
		return
	}
	_, err := r.ready(ctx, r.mainTLS(), false)
	if err != nil {
		r.end(c, Problem, "the login failed: "+shortError(err))
		return
	}
	r.loginOK = true
	user := r.opts.User
	if user == "" {
		user = "anonymous"
	}
	summary := "logged in as " + user
	if r.mainTLS() {
		r.end(c, OK, summary+", over TLS")
		return
	}
	verdict := OK
	if protocol.IsAnonymousUser(user) {
		// Its password is by convention an e-mail address, no secret;
		// what travels in clear text is the session, as the TLS check says.
		r.end(c, verdict, summary+", in clear text (an anonymous login: its password is no secret)")
		return
	}
	if r.opts.User != "" && !isLoopback(r.conn) {
		verdict = Warning
		c.Fix = "use --tls (AUTH TLS) or ftps://, and enable TLS on the server if it does not offer it"
		summary += ", but the password travelled in clear text: anyone on the network path can read it"
	} else if r.opts.User != "" {
		summary += "; the password travelled in clear text (only over loopback here)"
	}
	r.end(c, verdict, summary)
}

// isLoopback reports whether a connection's peer is on this machine.
func isLoopback(cn *conn) bool {
	if cn == nil || cn.state == nil {
		return false
	}
	host, _, err := net.SplitHostPort(cn.state.Peer)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// needLogin skips a check when no logged-in session can be had.
func (r *runner) needLogin(id string) bool {
	if !r.loginOK {
		why := "the login failed (see the login check)"
		if r.skipped(checkLogin) {
			why = "there was no login (see the login check)"
		}
		r.skip(id, titles[id], why)
		return false
	}
	return true
}

// skipped reports whether the check id ran and was skipped.
func (r *runner) skipped(id string) bool {
	for _, c := range r.report.Checks {
		if c.ID == id {
			return c.Verdict == Skipped
		}
	}
	return false
}

// checkPassive asks for a passive data address with verb (PASV or EPSV)
// and lists the directory over it.
func (r *runner) checkPassive(ctx context.Context, id, verb string) {
	if !r.needLogin(id) {
		return
	}
	if verb == "PASV" && r.ipv6 {
		r.skip(id, titles[id], "PASV can only announce an IPv4 address, and this connection runs over IPv6; EPSV is the passive mode for IPv6")
		return
	}
	c := r.begin(id, titles[id])
	if _, err := r.ready(ctx, r.mainTLS(), r.mainTLS()); err != nil {
		r.end(c, Problem, "could not log in again: "+shortError(err))
		return
	}
	verdict, summary := r.listOver(ctx, c, verb)
	// Later checks list over the passive mode that worked, EPSV first:
	// it announces no address for NAT to get wrong.
	if verdict == OK && (r.passive == "" || verb == "EPSV") {
		r.passive = verb
	}
	limit := Problem
	if verb == "EPSV" && r.passive == "PASV" {
		// PASV works: a refused EPSV is a firewall or an old server to
		// look at, not a broken passive mode.
		limit = Warning
	}
	r.endAtMost(c, verdict, summary, limit)
}

// listOver sends verb (a data address command) then LIST, and judges the
// exchange and the data connection.
func (r *runner) listOver(ctx context.Context, c *Check, verb string) (Verdict, string) {
	x, err := r.do(ctx, verb)
	switch {
	case err != nil:
		return Problem, verb + " got no answer: " + shortError(err)
	case x.Final == nil || x.Final.Class() != 2:
		return Problem, verb + " was refused: " + protocol.Escape(firstLine(x.Final))
	}
	addr := firstLine(x.Final)
	x, err = r.do(ctx, "LIST")
	data := dataOf(x)
	if data != nil {
		c.Details = append(c.Details, dataTiming(data))
	}
	switch {
	case err != nil:
		return Problem, "LIST after " + verb + " did not complete: " + shortError(err)
	case data != nil && data.Err != nil && (opened(data) || x.Final == nil || x.Final.Class() == 2):
		return Problem, "LIST after " + verb + ": " + shortError(data.Err)
	case data != nil && opened(data) && data.Bytes == 0 && data.Elapsed >= r.opts.ReplyTimeout && x.Final != nil && x.Final.Class() != 2:
		// The server's reply came only after ftpscope gave up waiting.
		return Problem, fmt.Sprintf("the data connection opened but no data came in %s (the reply timeout), so ftpscope closed it; the server then answered %s",
			protocol.ShortDuration(r.opts.ReplyTimeout), protocol.Escape(firstLine(x.Final)))
	case x.Final == nil || x.Final.Class() != 2:
		return Problem, "LIST was answered " + protocol.Escape(firstLine(x.Final))
	case data == nil:
		return Problem, "LIST was answered without a data connection"
	}
	return OK, fmt.Sprintf("%s (%s), then a listing of %d bytes", verb, protocol.Escape(addr), data.Bytes)
}

// dataOf returns the data connection's closing report of an exchange.
func dataOf(x *protocol.Exchange) *protocol.DataInfo {
	if x == nil {
		return nil
	}
	return x.Data
}

// opened reports whether a data connection was made at all: one the
// server refused or never opened has no addresses.
func opened(d *protocol.DataInfo) bool { return d.Remote != "" || d.Bytes > 0 }

// dataTiming describes a data connection's timing.
func dataTiming(d *protocol.DataInfo) string {
	if !opened(d) {
		return "no data connection was made"
	}
	s := fmt.Sprintf("data connection %s → %s: opened in %s", d.Local, d.Remote, protocol.ShortDuration(d.OpenTime))
	if d.FirstByte > 0 {
		s += ", first byte after " + protocol.ShortDuration(d.FirstByte)
	}
	s += fmt.Sprintf(", %d bytes in %s", d.Bytes, protocol.ShortDuration(d.Elapsed))
	if d.Protected {
		s += ", protected by TLS"
	}
	return s
}

// checkActive lets the server connect back with PORT (IPv4) or EPRT.
// Behind NAT or a firewall on the client's side this fails however the
// server is set up, so a failure is a warning.
func (r *runner) checkActive(ctx context.Context) {
	if !r.needLogin(checkActive) {
		return
	}
	c := r.begin(checkActive, titles[checkActive])
	if _, err := r.ready(ctx, r.mainTLS(), r.mainTLS()); err != nil {
		r.end(c, Problem, "could not log in again: "+shortError(err))
		return
	}
	verbs := []string{"PORT", "EPRT"}
	if r.ipv6 {
		verbs = []string{"EPRT"}
	}
	verdict, summaries := OK, []string{}
	for _, verb := range verbs {
		v, s := r.listOver(ctx, c, verb)
		if !strings.HasPrefix(s, verb) {
			s = verb + ": " + s
		}
		s = strings.TrimSuffix(s, ".") // the summaries are joined with "; "
		if v != OK {
			v = Warning
		}
		if v != OK && !connectedBack(c) {
			c.Fix = "active mode needs the server to reach this machine: it fails behind NAT or a firewall on the client's side; passive mode is the usual choice (or, on the server: vsftpd port_enable=YES, connect_from_port_20)"
		}
		verdict = worse(verdict, v)
		summaries = append(summaries, s)
		if _, err := r.ready(ctx, r.mainTLS(), r.mainTLS()); err != nil {
			break
		}
	}
	// Active mode is the client's choice: its failures are warnings.
	r.endAtMost(c, verdict, strings.Join(summaries, "; "), Warning)
}

// connectedBack reports whether the newest data connection of an active
// mode check was made: when it was, a failure is not the client's
// firewall, and the findings say what it was.
func connectedBack(c *Check) bool {
	for i := len(c.Events) - 1; i >= 0; i-- {
		ev := c.Events[i]
		switch {
		case ev.Kind == protocol.EventData && ev.Data != nil && opened(ev.Data):
			return true
		case ev.Kind == protocol.EventReply && ev.Reply != nil && ev.Reply.Class() == 1:
			// vsftpd, ProFTPD and the sandbox send 150 in active mode once
			// their connection is made, which a reset right after it may
			// hide from ftpscope's listener; Pure-FTPd says "150
			// Connecting" first, so then this errs on the side of not
			// blaming the client's network.
			return true
		case ev.Kind == protocol.EventSend && (strings.HasPrefix(ev.Line, "PORT") || strings.HasPrefix(ev.Line, "EPRT")):
			return false // the start of this attempt
		}
	}
	return false
}

// closing reports whether a reply is the server ending the session (421),
// which says nothing about the command it answers.
func closing(reply *protocol.Reply) bool { return reply != nil && reply.Code == 421 }

// checkProtected checks PBSZ 0 and PROT P, then a listing over a
// protected data connection that resumes the control connection's TLS
// session (vsftpd's require_ssl_reuse).
func (r *runner) checkProtected(ctx context.Context) {
	switch {
	case !r.tlsUsable:
		why := "the server offers no usable TLS (see the TLS check)"
		if r.certRefused {
			why = "TLS stopped at the certificate (see the TLS check); --insecure checks protected data all the same"
		}
		r.skip(checkProtected, titles[checkProtected], why)
		return
	case !r.loginOK:
		r.needLogin(checkProtected)
		return
	case r.passive == "" && !r.mainTLS():
		r.skip(checkProtected, titles[checkProtected], "no passive data connection worked in clear (see the passive mode checks); a protected one fails the same way")
		return
	}
	c := r.begin(checkProtected, titles[checkProtected])
	if _, err := r.ready(ctx, true, false); err != nil {
		r.end(c, Problem, "could not log in over TLS: "+shortError(err))
		return
	}
	if err := r.protect(ctx); err != nil {
		r.end(c, Problem, "PBSZ 0 and PROT P failed: "+shortError(err))
		return
	}
	verb := r.passive
	if verb == "" {
		verb = "EPSV"
		if !r.ipv6 {
			verb = "PASV"
		}
	}
	verdict, summary := r.listOver(ctx, c, verb)
	for _, ev := range c.Events {
		if ev.Kind == protocol.EventTLS && ev.TLS != nil && ev.TLS.Data {
			if ev.TLS.Resumed {
				c.Details = append(c.Details, "the data connection resumed the control connection's TLS session")
			} else {
				c.Details = append(c.Details, "the data connection did not resume the control connection's TLS session; servers that require it (vsftpd require_ssl_reuse) refuse such transfers")
			}
		}
	}
	r.end(c, verdict, summary)
}

// checkUTF8 asks for UTF-8 file names and reads a name list for names
// that are not UTF-8.
func (r *runner) checkUTF8(ctx context.Context) {
	if !r.needLogin(checkUTF8) {
		return
	}
	if _, ok := r.features["UTF8"]; !ok {
		r.skip(checkUTF8, titles[checkUTF8], "the server does not announce UTF8 in FEAT, so file names go as the server stores them (often Latin-1 on older servers)")
		return
	}
	if r.passive == "" {
		r.skip(checkUTF8, titles[checkUTF8], "no passive data connection worked (see the passive mode checks), so no name list can be read")
		return
	}
	c := r.begin(checkUTF8, titles[checkUTF8])
	if _, err := r.ready(ctx, r.mainTLS(), r.mainTLS()); err != nil {
		r.end(c, Problem, "could not log in again: "+shortError(err))
		return
	}
	x, err := r.do(ctx, "OPTS UTF8 ON")
	switch {
	case err != nil:
		r.end(c, Problem, "OPTS UTF8 ON got no answer: "+shortError(err))
		return
	case x.Final == nil || x.Final.Class() != 2:
		r.end(c, Warning, "the server announces UTF8 but refuses OPTS UTF8 ON: "+protocol.Escape(firstLine(x.Final)))
		return
	}
	verb := cmp.Or(r.passive, "EPSV")
	if x, err := r.do(ctx, verb); err != nil || x.Final == nil || x.Final.Class() != 2 {
		r.end(c, Warning, "UTF-8 is on, but no data connection could be prepared to read the names")
		return
	}
	x, err = r.do(ctx, "NLST")
	data := dataOf(x)
	if err != nil || data == nil || data.Err != nil || x.Final == nil || x.Final.Class() != 2 {
		r.end(c, Warning, "UTF-8 is on, but the name list could not be read")
		return
	}
	names := strings.Split(strings.TrimSpace(string(data.Preview)), "\n")
	var nonASCII, invalid int
	for _, name := range names {
		name = strings.TrimSuffix(name, "\r")
		if !isASCII(name) {
			nonASCII++
		}
		if !utf8.ValidString(name) {
			invalid++
		}
	}
	switch {
	case invalid > 0:
		r.end(c, Warning, fmt.Sprintf("UTF-8 is on, but %d of %d names in the listing are not UTF-8: the server sends names as stored", invalid, len(names)))
	case nonASCII == 1:
		r.end(c, OK, "UTF-8 is on, and the one name beyond ASCII in the listing is valid UTF-8")
	case nonASCII > 0:
		r.end(c, OK, fmt.Sprintf("UTF-8 is on, and the %d names beyond ASCII in the listing are valid UTF-8", nonASCII))
	default:
		r.end(c, OK, "UTF-8 is on; the listing has no names beyond ASCII to check")
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// checkWrite uploads a small file of doctor's own, asks its size, and
// deletes it.
func (r *runner) checkWrite(ctx context.Context) {
	if !r.opts.Write || !r.needLogin(checkWrite) {
		return
	}
	c := r.begin(checkWrite, titles[checkWrite])
	if _, err := r.ready(ctx, r.mainTLS(), r.mainTLS()); err != nil {
		r.end(c, Problem, "could not log in again: "+shortError(err))
		return
	}
	dir, err := os.MkdirTemp("", "ftpscope-doctor-")
	if err != nil {
		r.end(c, Problem, "could not make the local file to upload: "+err.Error())
		return
	}
	defer os.RemoveAll(dir)
	content := "ftpscope doctor checked uploads here and removes this file at once.\n"
	local := filepath.Join(dir, "upload.txt")
	if err := os.WriteFile(local, []byte(content), 0o600); err != nil {
		r.end(c, Problem, "could not make the local file to upload: "+err.Error())
		return
	}
	remote := "ftpscope-doctor-" + strconv.FormatInt(time.Now().UnixNano(), 36) + ".txt"
	// optional steps may fail with a warning; the others end the check.
	steps := []struct {
		line, what string
		optional   bool
	}{
		{"TYPE I", "TYPE I", true},
		{cmp.Or(r.passive, "EPSV"), "the data address", false},
		{"STOR " + remote + " < " + local, "the upload", false},
		{"SIZE " + remote, "SIZE", true},
		{"DELE " + remote, "the deletion of " + remote, false},
	}
	verdict, notes := OK, []string{}
	for _, s := range steps {
		x, err := r.do(ctx, s.line)
		switch {
		case err != nil:
			r.end(c, Problem, s.what+" failed: "+shortError(err))
			return
		case (x.Final == nil || x.Final.Class() != 2) && s.optional:
			verdict = Warning
			notes = append(notes, s.what+" was answered "+protocol.Escape(firstLine(x.Final)))
		case x.Final == nil || x.Final.Class() != 2:
			r.end(c, Problem, s.what+" was answered "+protocol.Escape(firstLine(x.Final)))
			return
		case strings.HasPrefix(s.line, "SIZE") && strings.TrimSpace(x.Final.Text()) != strconv.Itoa(len(content)):
			verdict = Warning
			notes = append(notes, fmt.Sprintf("SIZE says %s bytes where %d were uploaded", protocol.Escape(x.Final.Text()), len(content)))
		}
	}
	summary := fmt.Sprintf("uploaded %s (%d bytes), read its size and deleted it", remote, len(content))
	if len(notes) > 0 {
		summary += "; " + strings.Join(notes, "; ")
	}
	r.end(c, verdict, summary)
}
