package protocol

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// TLSInfo describes a finished TLS handshake, or a certificate waiting for
// the user's decision.
type TLSInfo struct {
	// Version and Cipher name what was negotiated, such as "TLS 1.3" and
	// "TLS_AES_128_GCM_SHA256".
	Version, Cipher string
	// Resumed reports that the handshake resumed an earlier session, as
	// vsftpd's require_ssl_reuse demands of data connections.
	Resumed bool
	// Cert describes the server's certificate.
	Cert CertInfo
	// Trusted reports whether the certificate verified against the trusted
	// roots; when false, the user accepted it (or must decide).
	Trusted bool
	// NeedsDecision is set when the handshake waits for Session.Trust.
	NeedsDecision bool
	// Insecure reports that a certificate that did not verify was
	// accepted by Config.Insecure (--insecure), without asking; when
	// Trusted is false and Insecure is not set, the user accepted it.
	Insecure bool
	// Data reports a data connection's handshake (else the control one).
	Data bool
	// Handshake is the time the handshake took.
	Handshake time.Duration
}

// Summary is a one-line description, such as "TLS 1.3, TLS_AES_128_GCM_SHA256".
func (i TLSInfo) Summary() string {
	s := i.Version + ", " + i.Cipher
	if i.Resumed {
		s += ", session resumed"
	}
	return s
}

// Acceptance says who accepted a certificate that did not verify, for
// the line reporting the handshake: --insecure, or the user when asked.
func (i TLSInfo) Acceptance() string {
	if i.Insecure {
		return "accepted without asking because of --insecure"
	}
	return "accepted by you for this session"
}

// CertInfo is what a user needs to decide whether to trust a certificate.
type CertInfo struct {
	Subject, Issuer     string
	NotBefore, NotAfter time.Time
	// SHA256 is the certificate's fingerprint, colon-separated hex.
	SHA256 string
	// Names are the DNS names and IP addresses the certificate covers.
	Names []string
	// Problem says why verification failed, empty when it succeeded.
	Problem string
	// Err is the verification error Problem quotes (an x509 error), for
	// diagnose.Describe to word plainly; nil when it succeeded.
	Err error
}

// String describes the certificate in one paragraph.
func (c CertInfo) String() string {
	s := fmt.Sprintf("subject %s, issued by %s, valid %s to %s, SHA-256 %s",
		c.Subject, c.Issuer, c.NotBefore.UTC().Format("2006-01-02"), c.NotAfter.UTC().Format("2006-01-02"), c.SHA256)
	if len(c.Names) > 0 {
		s += ", for " + strings.Join(c.Names, " ")
	}
	return s
}

func describeCert(cert *x509.Certificate) CertInfo {
	sum := sha256.Sum256(cert.Raw)
	hex := make([]string, len(sum))
	for i, b := range sum {
		hex[i] = fmt.Sprintf("%02X", b)
	}
	// Every field comes from the server: escape it, so a certificate
	// cannot colour or hide text while the user decides to trust it.
	info := CertInfo{
		Subject: Escape(cert.Subject.String()), Issuer: Escape(cert.Issuer.String()),
		NotBefore: cert.NotBefore, NotAfter: cert.NotAfter,
		SHA256: strings.Join(hex, ":"),
	}
	for _, name := range cert.DNSNames {
		info.Names = append(info.Names, Escape(name))
	}
	for _, ip := range cert.IPAddresses {
		info.Names = append(info.Names, ip.String())
	}
	return info
}

// ErrUntrusted is wrapped by the handshake error when a certificate could
// not be verified and was not accepted.
var ErrUntrusted = errors.New("certificate not trusted")

// tlsState holds a session's TLS settings and what it learned: the
// certificate accepted for the control connection, which its data
// connections must present too, and the session cache they resume from.
type tlsState struct {
	serverName string
	roots      *x509.CertPool // nil: the system roots
	insecure   bool
	cache      tls.ClientSessionCache
	minVersion uint16
	maxVersion uint16
	// ask, when set, asks the user about an untrusted certificate and
	// waits for the answer.
	ask func(TLSInfo) bool

	mu       sync.Mutex
	accepted []byte // the control connection's certificate, DER
	// problem is why the accepted certificate did not verify, and
	// problemErr the error itself; empty and nil when it did.
	problem    string
	problemErr error
	// acceptedInsecure is set when --insecure, not the user, accepted it.
	acceptedInsecure bool
}

// config returns the tls.Config for one connection. Verification is done
// by verify, so that an untrusted certificate can be described to the user
// (and accepted by them) rather than failing with a bare error.
func (t *tlsState) config(data bool) *tls.Config {
	cache := t.cache
	if data && cache != nil {
		cache = keepSessions{cache}
	}
	return &tls.Config{
		ServerName:         t.serverName,
		InsecureSkipVerify: true, // verified in VerifyConnection below
		ClientSessionCache: cache,
		MinVersion:         t.minVersion,
		MaxVersion:         t.maxVersion,
		VerifyConnection:   func(cs tls.ConnectionState) error { return t.verify(cs, data) },
	}
}

// verify checks the server's certificate. A data connection must present
// the certificate accepted for the control connection.
func (t *tlsState) verify(cs tls.ConnectionState, data bool) error {
	if len(cs.PeerCertificates) == 0 {
		return &CertificateError{Reason: "the server sent no certificate"}
	}
	leaf := cs.PeerCertificates[0]
	if data {
		t.mu.Lock()
		accepted := t.accepted
		t.mu.Unlock()
		if accepted != nil && !bytes.Equal(accepted, leaf.Raw) {
			info := describeCert(leaf)
			return &CertificateError{Reason: "the data connection presented a different certificate (" + info.SHA256 + ") from the control connection's", Cert: info}
		}
		if accepted != nil {
			return nil
		}
	}
	info := describeCert(leaf)
	opts := x509.VerifyOptions{DNSName: t.serverName, Roots: t.roots, Intermediates: x509.NewCertPool()}
	for _, c := range cs.PeerCertificates[1:] {
		opts.Intermediates.AddCert(c)
	}
	_, err := leaf.Verify(opts)
	problem := ""
	if err != nil {
		problem = certificateReason(err, t.serverName, info, time.Now())
	}
	insecure := false
	switch {
	case err == nil:
	case t.insecure:
		// Accepted by --insecure; the TLS event says it was not verified.
		insecure = true
	case t.ask != nil:
		info.Problem, info.Err = problem, err
		if !t.ask(TLSInfo{Cert: info, NeedsDecision: true, Data: data, Version: tls.VersionName(cs.Version), Cipher: tls.CipherSuiteName(cs.CipherSuite)}) {
			return &CertificateError{Reason: certificateReason(err, t.serverName, info, time.Now()) + "; you refused it", Cert: info, Err: err, Refused: true}
		}
	default:
		info.Problem, info.Err = problem, err
		return &CertificateError{Reason: problem + "; use --insecure only if you know this certificate is the server's", Cert: info, Err: err}
	}
	t.mu.Lock()
	t.accepted, t.problem, t.problemErr, t.acceptedInsecure = leaf.Raw, problem, err, insecure
	t.mu.Unlock()
	return nil
}

// keepSessions is the session cache as data connections use it: it never
// forgets a session. crypto/tls drops the session a handshake tried to
// resume when that handshake fails (RFC 5077 §3.2), and a data
// connection's handshake fails whenever the server refuses the command
// (RETR of a missing file) and never takes the connection, which ftpscope
// then closes. That says nothing against the session, yet without it every
// later data connection starts a new one, which vsftpd's default
// require_ssl_reuse=YES answers with "522 SSL connection failed: session
// reuse required" and the end of the session.
type keepSessions struct{ tls.ClientSessionCache }

// Put stores a new session; a nil one (forget this key) is ignored.
func (k keepSessions) Put(key string, cs *tls.ClientSessionState) {
	if cs != nil {
		k.ClientSessionCache.Put(key, cs)
	}
}

// describeState turns a finished handshake into a TLSInfo.
func (t *tlsState) describeState(cs tls.ConnectionState, data bool) TLSInfo {
	info := TLSInfo{
		Version: tls.VersionName(cs.Version), Cipher: tls.CipherSuiteName(cs.CipherSuite),
		Resumed: cs.DidResume, Data: data, Trusted: true,
	}
	if len(cs.PeerCertificates) > 0 {
		info.Cert = describeCert(cs.PeerCertificates[0])
	}
	t.mu.Lock()
	if t.problem != "" {
		info.Trusted, info.Cert.Problem, info.Cert.Err = false, t.problem, t.problemErr
		info.Insecure = t.acceptedInsecure
	}
	t.mu.Unlock()
	return info
}
