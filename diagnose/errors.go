package diagnose

// The one translation of network and TLS errors into plain language with
// the likely fix (Describe), shared by the terminal UI, ftpscope run and
// the exports, and the wording of the events that carry them (EventLine).

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/ftpscope/ftpscope/protocol"
)

// ErrorKind names a class of error in a stable word, for JSON exports and
// for tests; the sentences in Plain may change, the kinds do not.
type ErrorKind string

// The kinds of error Describe recognises.
const (
	KindRefused     ErrorKind = "refused"     // nothing listens on the port
	KindDNS         ErrorKind = "dns"         // the host name could not be resolved
	KindReset       ErrorKind = "reset"       // the peer reset the connection
	KindTimeout     ErrorKind = "timeout"     // no answer within the time allowed
	KindUnreachable ErrorKind = "unreachable" // no route to the network or host
	KindClosed      ErrorKind = "closed"      // the peer closed the connection
	KindAddress     ErrorKind = "address"     // the address itself is not usable
	KindNotTLS      ErrorKind = "not-tls"     // clear text where TLS was expected
	KindTLS         ErrorKind = "tls"         // the TLS handshake failed otherwise
	KindCertificate ErrorKind = "certificate" // the certificate did not verify
	KindCanceled    ErrorKind = "canceled"    // the user stopped it
	KindOther       ErrorKind = "other"       // none of the above
)

// Plain is an error in plain language: what happened and the likely fix.
// Every UI shows errors through it (the TUI, run, the exports), so one
// error reads the same everywhere.
type Plain struct {
	// Kind classifies the error.
	Kind ErrorKind
	// What says what happened, as a clause starting in lower case, such
	// as "nothing is listening on 127.0.0.1:2199, so the connection was
	// refused". It stands alone: it never quotes Go's or the system's
	// wording of the error, which is Detail's.
	What string
	// Fix says what to do about it, also a clause in lower case, such as
	// "check the host and port"; empty when there is no advice to give.
	Fix string
	// Detail is the error's own text, escaped, for the user who wants the
	// exact words (a JSON export, a bug report).
	Detail string
	// DetailNeeded reports that What leaves out something Detail says
	// and the user may need: the reason of an error ftpscope does not
	// recognise, a TLS alert's name, why an address is unusable. A front
	// end then shows Detail apart, under the line, as "details".
	DetailNeeded bool
}

// String is the error in one line: "what happened: the fix".
func (p Plain) String() string {
	if p.Fix == "" {
		return p.What
	}
	return p.What + ": " + p.Fix
}

// Describe translates an error into plain language. It classifies only by
// the error's type and wrapped values (errors.Is and errors.As), never by
// its text, so a rewording in Go or in protocol cannot change the result.
// Errors it does not recognise keep their own words, framed by what
// ftpscope was doing when Go's network code is their source. A nil error
// gives the zero Plain.
func Describe(err error) Plain {
	if err == nil {
		return Plain{}
	}
	p := describe(err)
	p.Detail = protocol.Escape(err.Error())
	return p
}

// describe tries each family of errors in turn; the order matters where
// one error wraps another (a DNS error may wrap a refused connection to
// the resolver, a TLS error a closed connection).
func describe(err error) Plain {
	if errors.Is(err, context.Canceled) {
		return Plain{Kind: KindCanceled, What: "stopped before it finished"}
	}
	if p, ok := describeProtocol(err); ok {
		return p
	}
	if p, ok := describeDNS(err); ok {
		return p
	}
	if p, ok := describeTLS(err); ok {
		return p
	}
	if p, ok := describeCertificate(err); ok {
		return p
	}
	if p, ok := describeNetwork(err); ok {
		return p
	}
	return describeOther(err)
}

// describeDNS explains a failed host name lookup.
func describeDNS(err error) (Plain, bool) {
	var dns *net.DNSError
	if !errors.As(err, &dns) {
		return Plain{}, false
	}
	name := protocol.Escape(dns.Name)
	switch {
	case dns.IsNotFound:
		return Plain{Kind: KindDNS,
			What: fmt.Sprintf("the host name \"%s\" was not found in DNS", name),
			Fix:  "check its spelling, or give the server's IP address instead",
		}, true
	case dns.IsTimeout:
		return Plain{Kind: KindDNS,
			What: fmt.Sprintf("looking up the host name \"%s\" in DNS took too long", name),
			Fix:  "check the network connection, or give the server's IP address instead",
		}, true
	default:
		return Plain{Kind: KindDNS,
			What: fmt.Sprintf("the host name \"%s\" could not be looked up: no DNS server answered", name),
			Fix:  "check the network connection and the DNS settings (/etc/resolv.conf), or give the server's IP address instead",
		}, true
	}
}

// describeTLS explains a TLS handshake that failed before any certificate
// was checked: clear text where TLS records were expected, or an alert.
func describeTLS(err error) (Plain, bool) {
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) {
		return describeClearText(rh), true
	}
	// crypto/tls reports an alert from the server as a net.OpError whose
	// operation is "remote error" and whose Err is the (unexported) alert.
	// The alert's name (Go's wording of it) is in Detail, shown apart.
	var op *net.OpError
	var alert tls.AlertError
	if !(errors.As(err, &op) && op.Op == "remote error" && op.Err != nil) && !errors.As(err, &alert) {
		return Plain{}, false
	}
	return Plain{Kind: KindTLS,
		What:         "the server refused the TLS handshake with an alert",
		Fix:          "the server may require another TLS version or a client certificate; the alert, in the details, and the server's log say which",
		DetailNeeded: true,
	}, true
}

// describeClearText explains a TLS record header that is not one. Its
// five bytes are what the server sent instead: when they are text, they
// begin an FTP reply, which says what went wrong.
func describeClearText(rh tls.RecordHeaderError) Plain {
	head := rh.RecordHeader[:]
	text := isText(head)
	quoted := protocol.Escape(string(head))
	switch {
	case !text:
		return Plain{Kind: KindNotTLS,
			What: "the server's answer is not TLS",
			Fix:  "check that this port speaks FTPS: ftps:// is for implicit TLS (usually port 990); for AUTH TLS use ftp:// with --tls",
		}
	case rh.Conn != nil && bytes.HasPrefix(head, []byte("220")):
		// The first record is an FTP greeting: a plain FTP port.
		return Plain{Kind: KindNotTLS,
			What: fmt.Sprintf("the server greeted in clear text (\"%s…\") where ftpscope expected TLS", quoted),
			Fix:  "this port speaks plain FTP, not implicit FTPS: use ftp:// with --tls, which asks for TLS with AUTH TLS, instead of ftps://",
		}
	case rh.Conn != nil:
		return Plain{Kind: KindNotTLS,
			What: fmt.Sprintf("the server answered in clear text (\"%s…\") where ftpscope expected TLS", quoted),
			Fix:  "if this port speaks plain FTP, use ftp:// with --tls instead of ftps://; otherwise connect without TLS to read the server's whole message",
		}
	default:
		// In the middle of the handshake: the server gave up on TLS and
		// wrote an FTP reply, such as vsftpd's "500 OOPS: …".
		return Plain{Kind: KindNotTLS,
			What: fmt.Sprintf("the server stopped speaking TLS and sent clear text (\"%s…\"), most likely an FTP error such as vsftpd's \"500 OOPS\"", quoted),
			Fix:  "the server's TLS setup failed: its log says why (a missing or unreadable certificate is common)",
		}
	}
}

// isText reports whether b is printable ASCII or a line ending.
func isText(b []byte) bool {
	for _, c := range b {
		if (c < 0x20 || c > 0x7e) && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

// certIssue is why a server certificate did not verify: a predicate
// about it ("is self-signed: …", "expired on …") with the certificate's
// short name, or a whole sentence when the problem is not the
// certificate's own; and the fix.
type certIssue struct {
	subject, predicate string
	sentence           string
	fix                string
}

// what is the issue as a clause about the server's certificate.
func (c certIssue) what() string {
	if c.sentence != "" {
		return c.sentence
	}
	return "the server's certificate (" + c.subject + ") " + c.predicate
}

// describeCertificate explains a server certificate that did not verify.
func describeCertificate(err error) (Plain, bool) {
	var refused *protocol.CertificateError
	if errors.As(err, &refused) && refused.Refused {
		// The user saw why and decided: the consequence is the news.
		return Plain{Kind: KindCertificate, What: "the connection was closed, as the server's certificate was refused"}, true
	}
	issue, ok := certificateIssue(err)
	if !ok {
		return Plain{}, false
	}
	return Plain{Kind: KindCertificate, What: issue.what(), Fix: issue.fix}, true
}

// certificateIssue finds why a certificate did not verify.
func certificateIssue(err error) (certIssue, bool) {
	const insecure = "if you know this certificate is the server's, use --insecure, or accept it when the terminal UI asks"
	var (
		unknown  x509.UnknownAuthorityError
		invalid  x509.CertificateInvalidError
		hostname x509.HostnameError
		roots    x509.SystemRootsError
	)
	switch {
	case errors.As(err, &hostname):
		c := hostname.Certificate
		return certIssue{subject: certName(c),
			predicate: fmt.Sprintf("is for %s, not for \"%s\"", certHosts(c), protocol.Escape(hostname.Host)),
			fix:       "connect with a name the certificate covers; " + insecure,
		}, true
	case errors.As(err, &unknown):
		c := unknown.Cert
		if c != nil && bytes.Equal(c.RawIssuer, c.RawSubject) {
			return certIssue{subject: certName(c),
				predicate: "is self-signed: no authority this system trusts vouches for it",
				fix:       insecure,
			}, true
		}
		return certIssue{subject: certName(c),
			predicate: fmt.Sprintf("is issued by %s, an authority this system does not trust", issuerName(c)),
			fix:       insecure,
		}, true
	case errors.As(err, &invalid):
		return invalidIssue(invalid, insecure), true
	case errors.As(err, &roots):
		return certIssue{
			sentence: "this system has no trusted certificate authorities to check the server's certificate against",
			fix:      "install them (the ca-certificates package), or " + insecure,
		}, true
	case errors.Is(err, protocol.ErrUntrusted):
		return certIssue{sentence: "the server's certificate was not accepted", fix: insecure}, true
	}
	return certIssue{}, false
}

// invalidIssue explains a certificate that is invalid in itself.
func invalidIssue(e x509.CertificateInvalidError, insecure string) certIssue {
	c := e.Cert
	if e.Reason == x509.Expired && c != nil {
		if time.Now().Before(c.NotBefore) {
			return certIssue{subject: certName(c),
				predicate: "is not valid before " + c.NotBefore.UTC().Format("2006-01-02 15:04 MST"),
				fix:       "check this computer's clock; " + insecure,
			}
		}
		return certIssue{subject: certName(c),
			predicate: "expired on " + c.NotAfter.UTC().Format("2006-01-02"),
			fix:       "the server's administrator must renew it; " + insecure,
		}
	}
	why := "it breaks the rules of certificates"
	switch e.Reason {
	case x509.NotAuthorizedToSign:
		why = "it was signed by a certificate that may not sign others"
	case x509.CANotAuthorizedForThisName, x509.CANotAuthorizedForExtKeyUsage:
		why = "its issuer may not issue it"
	case x509.IncompatibleUsage:
		why = "it is not meant for a server"
	case x509.TooManyIntermediates, x509.TooManyConstraints:
		why = "its chain is too long or too complex to check"
	}
	return certIssue{subject: certName(c), predicate: "is not valid: " + why, fix: insecure}
}

// certName is a certificate's subject, short: its common name when it has
// one, else the whole distinguished name.
func certName(c *x509.Certificate) string {
	if c == nil {
		return "no details"
	}
	if c.Subject.CommonName != "" {
		return "subject " + protocol.Escape(c.Subject.CommonName)
	}
	return "subject " + protocol.Escape(c.Subject.String())
}

// issuerName is a certificate's issuer, short like certName.
func issuerName(c *x509.Certificate) string {
	switch {
	case c == nil:
		return "an unknown issuer"
	case c.Issuer.CommonName != "":
		return protocol.Escape(c.Issuer.CommonName)
	default:
		return protocol.Escape(c.Issuer.String())
	}
}

// certHosts lists the names and addresses a certificate covers.
func certHosts(c *x509.Certificate) string {
	if c == nil {
		return "other names"
	}
	var names []string
	for _, n := range c.DNSNames {
		names = append(names, protocol.Escape(n))
	}
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 {
		return "no host name at all"
	}
	if len(names) > 4 {
		names = append(names[:4], fmt.Sprintf("%d more", len(names)-4))
	}
	return strings.Join(names, ", ")
}

// describeNetwork explains the errors of a TCP connection.
func describeNetwork(err error) (Plain, bool) {
	addr := peer(err)
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return Plain{Kind: KindRefused,
			What: fmt.Sprintf("nothing is listening on %s, so the connection was refused", addr),
			Fix:  "check the host and port, and that the server is running",
		}, true
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNABORTED):
		return Plain{Kind: KindReset,
			What: "the server reset the connection",
			Fix:  "the server or a firewall dropped it; connect again, and if it happens again, look in the server's log",
		}, true
	case errors.Is(err, syscall.EPIPE):
		return Plain{Kind: KindReset,
			What: "the server had already closed the connection when ftpscope wrote to it",
			Fix:  "connect again; the server's log says why it closed",
		}, true
	case errors.Is(err, syscall.ENETUNREACH):
		return Plain{Kind: KindUnreachable,
			What: fmt.Sprintf("there is no route to %s: this computer has no network path to it", addr),
			Fix:  "check the address and this computer's network connection (a VPN, IPv6 without a route)",
		}, true
	case errors.Is(err, syscall.EHOSTUNREACH):
		return Plain{Kind: KindUnreachable,
			What: fmt.Sprintf("%s cannot be reached: no host answers at that address", addr),
			Fix:  "check the address, and that the server is up; a firewall may also reject the connection",
		}, true
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return Plain{Kind: KindAddress,
			What: fmt.Sprintf("ftpscope cannot connect to %s from this computer: that address is not available here", addr),
			Fix:  "check the address and port (port 0 is not a port a server listens on)",
		}, true
	case errors.Is(err, syscall.ETIMEDOUT), isTimeout(err):
		return describeTimeout(err, addr), true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return Plain{Kind: KindClosed,
			What: "the server closed the connection",
			Fix:  "its log says why; some servers close at once when they refuse a client or its TLS settings",
		}, true
	case errors.Is(err, net.ErrClosed):
		return Plain{Kind: KindClosed, What: "the connection was already closed"}, true
	}
	var ae *net.AddrError
	if errors.As(err, &ae) {
		return Plain{Kind: KindAddress,
			What:         fmt.Sprintf("\"%s\" is not a usable address", protocol.Escape(ae.Addr)),
			Fix:          "give host:port, such as 127.0.0.1:21",
			DetailNeeded: true,
		}, true
	}
	return Plain{}, false
}

// isTimeout reports a deadline that ran out: a read or write deadline, a
// context's, or a net.Error that says it timed out.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) ||
		errors.As(err, &ne) && ne.Timeout()
}

// describeTimeout explains a timeout by what was waiting: a connection
// attempt or a reply.
func describeTimeout(err error, addr string) Plain {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return Plain{Kind: KindTimeout,
			What: fmt.Sprintf("%s did not answer the connection attempt in time", addr),
			Fix:  "check the host and port; a firewall that drops packets looks like this",
		}
	}
	return Plain{Kind: KindTimeout,
		What: "the server did not answer in time",
		Fix:  "it may be busy or stuck, or a firewall dropped the connection; connect again",
	}
}

// describeOther words an unrecognised error. When Go's network code
// produced it, it says what ftpscope was doing, so that the user does not
// get a bare "read tcp …" line; Go's reason is in Detail, shown apart.
// Any other error keeps its own words, which are then the whole of it.
func describeOther(err error) Plain {
	var op *net.OpError
	if !errors.As(err, &op) || op.Err == nil {
		return Plain{Kind: KindOther, What: protocol.Escape(err.Error())}
	}
	var doing string
	switch op.Op {
	case "dial":
		doing = "connecting to " + peer(err)
	case "read":
		doing = "reading from the server"
	case "write":
		doing = "sending to the server"
	default:
		doing = "the network operation " + protocol.Escape(op.Op)
	}
	return Plain{Kind: KindOther,
		What:         doing + " failed",
		Fix:          "check the network connection and connect again",
		DetailNeeded: true,
	}
}

// maxCommandInLine is how much of a command an error line quotes: a
// 3,000-character CWD would swamp the line it is named in.
const maxCommandInLine = 60

// shortCommand is a command, escaped, for a line that names it: cut at
// maxCommandInLine columns, with its length said when it was cut.
func shortCommand(command string) string {
	command = protocol.Escape(command)
	if n := utf8.RuneCountInString(command); n > maxCommandInLine {
		return ansi.Truncate(command, maxCommandInLine, "…") + fmt.Sprintf(" (%d characters)", n)
	}
	return command
}

// peer is the remote address of the network operation that failed, or
// "the server" when the error does not say.
func peer(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Addr != nil {
		return op.Addr.String()
	}
	return "the server"
}

// CertProblem says in plain words why a certificate did not verify, as
// a clause about it ("it is self-signed: …", "it expired on …"), for a
// line that already names the certificate; "" when it verified.
func CertProblem(c protocol.CertInfo) string {
	if c.Err == nil {
		return c.Problem
	}
	if issue, ok := certificateIssue(c.Err); ok && issue.sentence == "" {
		return "it " + issue.predicate
	}
	return Describe(c.Err).What
}

// EventLine is the line to show for an event. An error that ended the
// session (an EventError, or the EventClose it caused) and a certificate
// that did not verify read in plain language; other events keep their
// Line, which protocol words itself: a command that was not sent already
// says why, and what to do.
func EventLine(ev protocol.Event) string { return eventLine(ev, false) }

// EventLineFor is EventLine for an event shown with the findings it
// completed (what Engine.Observe returned for it). A finding with a fix
// says the cause and what to do, so the event's error then says only what
// happened, and each piece of advice is given once: "✗ what happened",
// then "? cause", "fix".
func EventLineFor(ev protocol.Event, found []Finding) string {
	return eventLine(ev, explained(found))
}

// explained reports whether one of the findings says what to do.
func explained(found []Finding) bool {
	for _, f := range found {
		if f.ClientFix != "" {
			return true
		}
	}
	return false
}

// eventLine words an event's line; short leaves an error's fix out.
func eventLine(ev protocol.Event, short bool) string {
	say := Plain.String
	if short {
		say = func(p Plain) string { return p.What }
	}
	switch {
	case ev.Kind == protocol.EventTLS && ev.TLS != nil && !ev.TLS.Data && ev.TLS.Cert.Err != nil:
		return tlsLine(*ev.TLS)
	case ev.Kind == protocol.EventData && ev.Data != nil && ev.Data.Err != nil:
		return dataLine(ev.Line, ev.Data.Err, say)
	case ev.Err == nil:
		return ev.Line
	case ev.Refused:
		return refusedLine(ev.Line, ev.Err, say)
	case ev.Kind == protocol.EventError:
		return say(Describe(ev.Err))
	case ev.Kind == protocol.EventClose:
		return "connection lost: " + Describe(ev.Err).What
	}
	return ev.Line
}

// EventDetail is the error text to show apart from an event's line, under
// it and labelled "details": what the line's plain words leave out and the
// user may need (Plain.DetailNeeded), escaped; "" when the line says it
// all. Go's wording of an error is never glued into the line itself.
func EventDetail(ev protocol.Event) string {
	var err error
	switch {
	case ev.Kind == protocol.EventError:
		err = ev.Err
	case ev.Kind == protocol.EventData && ev.Data != nil:
		err = ev.Data.Err
	}
	if err == nil {
		return ""
	}
	p := Describe(err)
	if !p.DetailNeeded || ev.Refused && p.Kind == KindOther { // a refusal then keeps protocol's own words
		return ""
	}
	return p.Detail
}

// refusedLine words a command that was not sent. protocol's line says
// why in its own words, which stay when Describe knows no better.
func refusedLine(line string, err error, say func(Plain) string) string {
	p := Describe(err)
	var r *protocol.RefusedError
	if p.Kind == KindOther || !errors.As(err, &r) || r.Verb == "" {
		return line
	}
	return say(p) + "; " + r.Verb + " was not sent"
}

// dataLine words the end of a data connection that failed. protocol's
// line quotes the error's text; that quote is replaced by plain words
// (Go's own, when they matter, go to EventDetail).
func dataLine(line string, err error, say func(Plain) string) string {
	return strings.Replace(line, err.Error(), say(Describe(err)), 1)
}

// tlsLine words a handshake whose certificate did not verify: a question
// to the user, or a control connection protected all the same (the user
// or --insecure accepted the certificate, and the line says which).
func tlsLine(info protocol.TLSInfo) string {
	if info.NeedsDecision {
		return "the server's certificate is not trusted: " + CertProblem(info.Cert)
	}
	// "…; certificate NOT verified (it is self-signed: …), accepted …"
	return "control connection protected: " + info.Summary() + "; certificate NOT verified (" + CertProblem(info.Cert) + "), " + info.Acceptance()
}
