package sandbox

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"slices"
	"strings"
	"time"
)

// Certificate is a self-signed certificate for loopback addresses, made
// fresh for each sandbox that offers TLS.
type Certificate struct {
	// TLS is the certificate with its key, for the server.
	TLS tls.Certificate
	// PEM is the certificate alone, for clients that should trust it.
	PEM []byte
}

// Pool returns a certificate pool that trusts only this certificate.
func (c *Certificate) Pool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(c.PEM)
	return pool
}

// NewCertificate makes a self-signed ECDSA P-256 certificate valid for a
// day for localhost, 127.0.0.1 and ::1.
func NewCertificate() (*Certificate, error) {
	now := time.Now()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("make TLS key: %w", err)
	}
	return newCertificate(key, nil, certIPs(""), now.Add(-time.Hour), now.Add(24*time.Hour))
}

// certIPs returns the addresses a certificate for a sandbox listening on
// host names: the loopback addresses, and host's address when it is
// another; for an unspecified address (0.0.0.0, ::), every address of this
// machine, since clients may come to any of them.
func certIPs(host string) []net.IP {
	ips := []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")}
	add := func(ip net.IP) {
		if ip != nil && !slices.ContainsFunc(ips, ip.Equal) {
			ips = append(ips, ip)
		}
	}
	ip := net.ParseIP(host)
	switch {
	case ip == nil:
	case ip.IsUnspecified():
		addrs, _ := net.InterfaceAddrs()
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				add(n.IP)
			}
		}
	default:
		add(ip)
	}
	return ips
}

// Fingerprint is the SHA-256 digest of the certificate, as hex pairs
// joined by colons, the form browsers and `openssl x509 -fingerprint
// -sha256` show.
func (c *Certificate) Fingerprint() string {
	sum := sha256.Sum256(c.TLS.Certificate[0])
	pairs := make([]string, len(sum))
	for i, b := range sum {
		pairs[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(pairs, ":")
}

// certSet holds the certificate the sandbox publishes and the two it
// presents instead under the expired-cert and untrusted-cert faults.
type certSet struct {
	published *Certificate
	expired   *Certificate // same names, expired yesterday
	untrusted *Certificate // another self-signed certificate
}

func newCertSet(host string) (*certSet, error) {
	now := time.Now()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("make TLS key: %w", err)
	}
	ips := certIPs(host)
	published, err := newCertificate(key, nil, ips, now.Add(-time.Hour), now.Add(24*time.Hour))
	if err != nil {
		return nil, err
	}
	// The expired certificate is issued by the published one, so a client
	// that trusts the published one finds its chain and then sees that it
	// has expired, as with a certificate not renewed in time.
	expired, err := newCertificate(key, published, ips, now.Add(-31*24*time.Hour), now.Add(-24*time.Hour))
	if err != nil {
		return nil, err
	}
	// The untrusted one names the same addresses: its only fault is that
	// nobody trusts it.
	otherKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("make TLS key: %w", err)
	}
	untrusted, err := newCertificate(otherKey, nil, ips, now.Add(-time.Hour), now.Add(24*time.Hour))
	if err != nil {
		return nil, err
	}
	return &certSet{published: published, expired: expired, untrusted: untrusted}, nil
}

// config returns the TLS configuration of the control and data
// connections. It picks the certificate at each handshake, so that a fault
// switched on takes effect for the next AUTH TLS. One configuration serves
// both connections, so a client can resume on the data connection the TLS
// session of the control connection (its session tickets are accepted).
func (cs *certSet) config(faults *faultSet) *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
			switch {
			case faults.has(FaultExpiredCert):
				return &cs.expired.TLS, nil
			case faults.has(FaultUntrustedCert):
				return &cs.untrusted.TLS, nil
			}
			return &cs.published.TLS, nil
		},
	}
}

// newCertificate makes a certificate with key for localhost and ips,
// valid from notBefore to notAfter: self-signed, able to issue others, when
// issuer is nil, and otherwise a leaf issued by issuer (whose key must be
// key).
func newCertificate(key *ecdsa.PrivateKey, issuer *Certificate, ips []net.IP, notBefore, notAfter time.Time) (*Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, fmt.Errorf("make TLS serial number: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "ftpscope sandbox", Organization: []string{"ftpscope"}},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           ips,
	}
	parent := tmpl
	if issuer != nil {
		if parent, err = x509.ParseCertificate(issuer.TLS.Certificate[0]); err != nil {
			return nil, fmt.Errorf("read the issuer's certificate: %w", err)
		}
		tmpl.Subject.CommonName = "ftpscope sandbox (expired)"
		tmpl.IsCA = false
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("make TLS certificate: %w", err)
	}
	return &Certificate{
		TLS: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key},
		PEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
	}, nil
}
