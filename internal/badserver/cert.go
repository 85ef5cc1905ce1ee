package badserver

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"testing"
	"time"
)

// CertOptions describe a certificate for BadCertificate.
type CertOptions struct {
	// Names are the DNS names it covers; IPs the addresses. Both empty
	// means 127.0.0.1.
	Names []string
	IPs   []net.IP
	// NotBefore and NotAfter bound its validity; zero means from an hour
	// ago to a day from now. Pass a NotAfter in the past for an expired
	// certificate.
	NotBefore, NotAfter time.Time
}

// SelfSigned makes a self-signed certificate. No client trusts it unless
// given Pool.
func SelfSigned(tb testing.TB, opts CertOptions) (tls.Certificate, *x509.CertPool) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatalf("badserver: key: %v", err)
	}
	if len(opts.Names) == 0 && len(opts.IPs) == 0 {
		opts.IPs = []net.IP{net.IPv4(127, 0, 0, 1)}
	}
	now := time.Now()
	if opts.NotBefore.IsZero() {
		opts.NotBefore = now.Add(-time.Hour)
	}
	if opts.NotAfter.IsZero() {
		opts.NotAfter = now.Add(24 * time.Hour)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()),
		Subject:      pkix.Name{CommonName: "badserver", Organization: []string{"ftpscope tests"}},
		NotBefore:    opts.NotBefore, NotAfter: opts.NotAfter,
		DNSNames: opts.Names, IPAddresses: opts.IPs,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatalf("badserver: certificate: %v", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatalf("badserver: certificate: %v", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
