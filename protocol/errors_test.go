package protocol

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// TestErrorsAreTyped checks that every error protocol decides on answers
// errors.Is and errors.As, so no caller needs its text.
func TestErrorsAreTyped(t *testing.T) {
	netErr := &net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded}
	tests := []struct {
		name string
		err  error
		is   []error
	}{
		{"refused login", refused("USER", &TLSRequiredError{Verb: "USER"}), []error{ErrTLSRequired}},
		{"not connected", refused("NOOP", ErrNotConnected), []error{ErrNotConnected}},
		{"greeting timeout", &TimeoutError{Greeting: true, After: time.Second}, []error{ErrGreetingTimeout}},
		{"reply timeout", &TimeoutError{Command: "NOOP", After: time.Second}, []error{ErrReplyTimeout}},
		{"auth refused", &AuthRefusedError{Code: 500, Line: "500 no"}, []error{ErrAuthRefused}},
		{"connect", &ConnectError{Addr: "x:21", Err: netErr}, []error{os.ErrDeadlineExceeded}},
		{"certificate", &HandshakeError{Addr: "x:21", Err: &CertificateError{Reason: "r"}}, []error{ErrUntrusted}},
		{"data dial", &DataError{Op: DataDial, Err: netErr}, []error{os.ErrDeadlineExceeded}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, target := range tt.is {
				if !errors.Is(tt.err, target) {
					t.Errorf("errors.Is(%v, %v) = false", tt.err, target)
				}
			}
			if tt.err.Error() == "" {
				t.Error("empty message")
			}
		})
	}
	var te interface{ Timeout() bool }
	if !errors.As(&TimeoutError{}, &te) || !te.Timeout() {
		t.Error("a TimeoutError does not report Timeout()")
	}
}

// TestStallTextIsDeterministic checks the words for a stalled data
// connection do not depend on which error won a race.
func TestStallTextIsDeterministic(t *testing.T) {
	timeout := &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
	if got := (&DataError{Op: DataTransfer, Err: timeout}).Error(); got != "no data moved within the reply timeout" {
		t.Errorf("stall text = %q", got)
	}
}

// selfSigned makes a certificate for names, valid from notBefore to
// notAfter.
func selfSigned(t *testing.T, names []string, notBefore, notAfter time.Time) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test"},
		NotBefore: notBefore, NotAfter: notAfter, DNSNames: names,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// TestCertificateReason checks each kind of refused certificate gets a
// short sentence of its own.
func TestCertificateReason(t *testing.T) {
	now := time.Now()
	good := selfSigned(t, []string{"ftp.example.org"}, now.Add(-time.Hour), now.Add(time.Hour))
	expired := selfSigned(t, []string{"ftp.example.org"}, now.Add(-48*time.Hour), now.Add(-24*time.Hour))
	trusting := func(c *x509.Certificate) *x509.CertPool { p := x509.NewCertPool(); p.AddCert(c); return p }
	tests := []struct {
		name, host string
		cert       *x509.Certificate
		roots      *x509.CertPool
		want       string
	}{
		{"self-signed", "ftp.example.org", good, x509.NewCertPool(), "self-signed"},
		{"expired", "ftp.example.org", expired, trusting(expired), "expired on"},
		{"name mismatch", "other.example.org", good, trusting(good), "it is for ftp.example.org, not other.example.org"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.cert.Verify(x509.VerifyOptions{DNSName: tt.host, Roots: tt.roots})
			if err == nil {
				t.Fatal("the certificate verified")
			}
			got := certificateReason(err, tt.host, describeCert(tt.cert), now)
			if !strings.Contains(got, tt.want) || len(got) > 120 {
				t.Errorf("reason = %q, want a short sentence containing %q", got, tt.want)
			}
		})
	}
}
