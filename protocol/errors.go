package protocol

// The errors a session decides on. Every failure protocol reports (in
// Event.Err, from Send, from Conversation.Do) is one of these, or wraps
// one, so that callers decide with errors.Is and errors.As and never by
// comparing text. The plain-language explanation of each, for a user, is
// diagnose.Describe's job; the Error strings here are for logs and for the
// transcript line of the event.

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors, for errors.Is.
var (
	// ErrNotConnected: the session has ended, so nothing can be sent.
	ErrNotConnected = errors.New("not connected")
	// ErrClosed is returned by Conversation.Do when the connection ended
	// before the exchange did; it wraps the session's end error, if any.
	ErrClosed = errors.New("the connection closed")
	// ErrServerClosed: the server closed the control connection. After
	// a 221 or 421 that is expected.
	ErrServerClosed = errors.New("the server closed the connection")
	// ErrTLSRequired: a login command was refused because TLS was
	// required and the control connection is not protected.
	ErrTLSRequired = errors.New("TLS is required")
	// ErrQueueFull: too many commands wait to be sent.
	ErrQueueFull = errors.New("too many commands are waiting to be sent; wait for replies first")
	// ErrCCC: CCC on a protected connection, which ftpscope refuses.
	ErrCCC = errors.New("CCC (clear command channel, RFC 4217 §6) is not supported: after the server's 200, ftpscope could not leave TLS cleanly, and both sides would stop understanding each other; nothing was sent")
	// ErrReplyTimeout: a command's reply did not come in time (see
	// TimeoutError).
	ErrReplyTimeout = errors.New("no reply in time")
	// ErrGreetingTimeout: the server sent no greeting in time (see
	// TimeoutError).
	ErrGreetingTimeout = errors.New("no greeting in time")
	// ErrAuthRefused: the server refused AUTH TLS while TLS was required.
	ErrAuthRefused = errors.New("the server refused AUTH TLS")
)

// RefusedError is a command ftpscope did not send: the line was not a
// command that may be sent, a local file could not be read, TLS was
// required, the data connection could not be prepared, or the session had
// ended. The session goes on unless Err is ErrNotConnected.
type RefusedError struct {
	// Verb is the command's verb, "" when the line did not parse.
	Verb string
	// Err says why.
	Err error
}

func (e *RefusedError) Error() string { return e.Err.Error() }
func (e *RefusedError) Unwrap() error { return e.Err }

// refused wraps err as a RefusedError of verb, unless it is one already.
func refused(verb string, err error) error {
	var r *RefusedError
	if errors.As(err, &r) {
		return err
	}
	return &RefusedError{Verb: verb, Err: err}
}

// TLSRequiredError refuses USER, PASS or ACCT on a connection that is not
// protected while Config.RequireTLS is set. It is ErrTLSRequired.
type TLSRequiredError struct{ Verb string }

func (e *TLSRequiredError) Error() string {
	return fmt.Sprintf("refusing to send %s in clear text: TLS was required and the control connection is not protected", e.Verb)
}
func (e *TLSRequiredError) Is(target error) bool { return target == ErrTLSRequired }

// AuthRefusedError ends a session that required TLS when the server
// answered AUTH TLS with a failure. It is ErrAuthRefused.
type AuthRefusedError struct {
	// Code and Line are the server's reply (Line escaped).
	Code int
	Line string
}

func (e *AuthRefusedError) Error() string {
	return fmt.Sprintf("the server refused AUTH TLS (%s); nothing more was sent, so no password crossed the network in clear text", e.Line)
}
func (e *AuthRefusedError) Is(target error) bool { return target == ErrAuthRefused }

// TimeoutError is a wait for the server that ran out: its greeting, or
// the reply to a command. It is ErrGreetingTimeout or ErrReplyTimeout, and
// reports Timeout() like a net.Error.
type TimeoutError struct {
	// Greeting is set when the greeting never came.
	Greeting bool
	// Command is the masked command whose reply never came.
	Command string
	// After is the timeout that ran out.
	After time.Duration
}

func (e *TimeoutError) Error() string {
	if e.Greeting {
		return fmt.Sprintf("the server sent no greeting within %v; closing the connection (is this an FTP port? for implicit TLS use ftps://)", e.After)
	}
	what := "reply"
	if e.Command != "" {
		what = "reply to " + e.Command
	}
	return fmt.Sprintf("no %s within %v; closing the connection", what, e.After)
}

// Timeout reports true, as net.Error's Timeout does.
func (e *TimeoutError) Timeout() bool { return true }

func (e *TimeoutError) Is(target error) bool {
	if e.Greeting {
		return target == ErrGreetingTimeout
	}
	return target == ErrReplyTimeout
}

// Bound names a limit on what a server controls (see SECURITY.md).
type Bound string

// The bounds. Those marked "ends the session" close the connection when
// hit, as a server past them is broken or hostile; the others drop what is
// beyond them, count it, and say so in the reply's problems.
const (
	// BoundLineLength: MaxLineLength bytes kept of one line.
	BoundLineLength Bound = "line length"
	// BoundReplyLines: MaxReplyLines lines kept of one reply.
	BoundReplyLines Bound = "lines kept per reply"
	// BoundReplyBytes: MaxReplyBytes bytes kept of one reply.
	BoundReplyBytes Bound = "bytes kept per reply"
	// BoundReplyTime: MaxReplyDuration from a reply's first line to its
	// last; ends the session.
	BoundReplyTime Bound = "time for one reply"
	// BoundReplyTotal: MaxReplyTotalBytes read for one reply, kept or
	// not; ends the session.
	BoundReplyTotal Bound = "bytes read for one reply"
	// BoundUnsolicited: replies no command asked for, in a row; ends the
	// session.
	BoundUnsolicited Bound = "replies no command asked for"
	// BoundPreview: PreviewSize bytes of a download kept for showing.
	BoundPreview Bound = "preview size"
)

// BoundError ends a session whose server went past a bound that ends it
// (BoundReplyTime, BoundReplyTotal, BoundUnsolicited).
type BoundError struct {
	Bound Bound
	// Limit is the bound's value, in words ("30s", "16 MiB", "100 replies").
	Limit string
	// Code is the reply's code, 0 when unknown.
	Code int
	// Read says how much came before ftpscope gave up, in words.
	Read string
}

func (e *BoundError) Error() string {
	switch e.Bound {
	case BoundUnsolicited:
		return fmt.Sprintf("the server sent %s that no command asked for (the bound is %s); closing the connection", e.Read, e.Limit)
	default:
		code := "a reply"
		if e.Code != 0 {
			code = fmt.Sprintf("a %d reply", e.Code)
		}
		return fmt.Sprintf("%s went past the bound on %s (%s) after %s without its last line; closing the connection, the transcript is kept", code, e.Bound, e.Limit, e.Read)
	}
}

// ConnectError is a failure to open the control connection. Err is the
// net package's error (*net.OpError, *net.DNSError …).
type ConnectError struct {
	Addr string
	Err  error
}

func (e *ConnectError) Error() string { return fmt.Sprintf("connect to %s: %v", e.Addr, e.Err) }
func (e *ConnectError) Unwrap() error { return e.Err }

// HandshakeError is a TLS handshake that failed, on the control
// connection or a data connection. Err is crypto/tls's error, or a
// *CertificateError when the certificate was refused.
type HandshakeError struct {
	Addr string
	// Data is set for a data connection's handshake.
	Data bool
	Err  error
}

func (e *HandshakeError) Error() string {
	if e.Data {
		return fmt.Sprintf("TLS handshake on the data connection: %v", e.Err)
	}
	return fmt.Sprintf("TLS handshake with %s: %v", e.Addr, e.Err)
}
func (e *HandshakeError) Unwrap() error { return e.Err }

// CertificateError is a server certificate ftpscope did not trust. It is
// ErrUntrusted; Err is crypto/x509's verification error, if any, and Cert
// describes the certificate for whoever wants the details. Its Error is
// one short sentence: the reason in plain words, without Go's
// chain-building text.
type CertificateError struct {
	// Reason is why, in a few words ("it is self-signed …").
	Reason string
	Cert   CertInfo
	Err    error
	// Refused is set when the user was asked and refused it.
	Refused bool
}

func (e *CertificateError) Error() string {
	return "the server's certificate is not trusted: " + e.Reason
}
func (e *CertificateError) Unwrap() error { return e.Err }
func (e *CertificateError) Is(target error) bool {
	return target == ErrUntrusted
}

// certificateReason says in a few words why x509 refused a certificate.
func certificateReason(err error, host string, cert CertInfo, now time.Time) string {
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	switch {
	case errors.As(err, &hostname):
		names := "no names"
		if len(cert.Names) > 0 {
			names = strings.Join(cert.Names, ", ")
		}
		return fmt.Sprintf("it is for %s, not %s", names, Escape(host))
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		if now.After(cert.NotAfter) {
			return fmt.Sprintf("it expired on %s", cert.NotAfter.UTC().Format("2006-01-02"))
		}
		return fmt.Sprintf("it is not valid before %s", cert.NotBefore.UTC().Format("2006-01-02"))
	case errors.As(err, &unknown):
		if cert.Subject == cert.Issuer {
			return "it is self-signed, and not one you trust"
		}
		return fmt.Sprintf("it is signed by %s, an authority you do not trust", cert.Issuer)
	case errors.As(err, &invalid):
		return "it is not valid for a server (" + Escape(invalid.Detail) + ")"
	case err != nil:
		return Escape(err.Error())
	}
	return "it was refused"
}

// DataOp names the step of a data connection that failed.
type DataOp string

// The steps of a data connection.
const (
	// DataDial: connecting to the passive address (before the command).
	DataDial DataOp = "dial"
	// DataAccept: waiting for the server to connect (active mode).
	DataAccept DataOp = "accept"
	// DataForeignPeer: a host other than the server connected (active
	// mode); it was refused, as no bounce is ever allowed.
	DataForeignPeer DataOp = "foreign peer"
	// DataHandshake: the data connection's TLS handshake.
	DataHandshake DataOp = "handshake"
	// DataTransfer: reading or writing the data.
	DataTransfer DataOp = "transfer"
	// DataStopped: ftpscope stopped the transfer (the server answered
	// with a failure, the session ended, or the user interrupted it).
	DataStopped DataOp = "stopped"
	// DataLocalFile: writing or reading the local file.
	DataLocalFile DataOp = "local file"
)

// DataError is a data connection that failed or ended early. Err is the
// underlying error (net, tls, os), or nil for DataStopped, whose Reason
// says why.
type DataError struct {
	Verb string
	Op   DataOp
	// Addr is the address dialled or listened on, when known.
	Addr string
	// Reason is a sentence for DataStopped.
	Reason string
	Err    error
}

func (e *DataError) Error() string {
	switch e.Op {
	case DataDial:
		// No advice here: a refused or dropped passive port is a firewall
		// on the server's side far more often than a stale address, and
		// diagnose's finding says so with the settings to change.
		return fmt.Sprintf("could not open the data connection to %s (%v)", e.Addr, e.Err)
	case DataAccept:
		return fmt.Sprintf("waiting for the server to connect to %s: %v", e.Addr, e.Err)
	case DataForeignPeer:
		return fmt.Sprintf("refused a data connection from %s: only the server may connect", e.Addr)
	case DataStopped:
		return "ended early: " + e.Reason
	case DataHandshake, DataLocalFile:
		return e.Err.Error()
	default:
		return stallText(e.Err)
	}
}
func (e *DataError) Unwrap() error { return e.Err }

// isStall reports whether err is a data connection on which no data
// moved within the reply timeout: ftpscope's read or write deadline, not
// a close.
func isStall(err error) bool {
	var data *DataError
	var t interface{ Timeout() bool }
	return errors.As(err, &data) && data.Op == DataTransfer && errors.As(data.Err, &t) && t.Timeout()
}

// stallText describes a read or write error on a data connection in
// words that do not depend on which of two racing events came first, so
// identical runs print identical transcripts.
func stallText(err error) string {
	var t interface{ Timeout() bool }
	switch {
	case err == nil:
		return "the connection ended"
	case errors.As(err, &t) && t.Timeout():
		return "no data moved within the reply timeout"
	default:
		return err.Error()
	}
}

// SendError is a command that could not be written to the connection.
type SendError struct {
	Verb string
	Err  error
}

func (e *SendError) Error() string { return fmt.Sprintf("send %s: %v", e.Verb, e.Err) }
func (e *SendError) Unwrap() error { return e.Err }
