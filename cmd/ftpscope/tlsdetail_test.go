package main

import (
	"crypto/tls"
	"net"
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/internal/badserver"
)

// tlsServer listens on 127.0.0.1 and runs a TLS handshake with cfg on
// each connection (implicit TLS), then says nothing; it returns the
// address.
func tlsServer(t *testing.T, cfg *tls.Config) string {
	t.Helper()
	return badserver.Raw(t, func(c net.Conn) {
		tc := tls.Server(c, cfg)
		tc.Handshake()
		tc.Read(make([]byte, 1))
	}).Addr
}

// TestRunShowsGoWordsApart: an error whose plain words leave out the
// system's own (the name of a TLS alert) shows them on a line of their
// own, "details: …", never glued into the sentence.
func TestRunShowsGoWordsApart(t *testing.T) {
	cert, _ := badserver.SelfSigned(t, badserver.CertOptions{})
	for _, tc := range []struct {
		name   string
		cfg    *tls.Config
		detail string
	}{
		{"client certificate required", &tls.Config{Certificates: []tls.Certificate{cert}, ClientAuth: tls.RequireAnyClientCert}, "certificate required"},
		{"old TLS only", &tls.Config{Certificates: []tls.Certificate{cert}, MaxVersion: tls.VersionTLS11}, "protocol version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := tlsServer(t, tc.cfg)
			res := runInProcess(t, "", "--insecure", "ftps://"+addr)
			var errLine, detail string
			for i, l := range strings.Split(res.stdout, "\n") {
				if strings.HasPrefix(l, "✗ ") && errLine == "" {
					errLine = l
					detail = strings.Split(res.stdout, "\n")[i+1]
				}
			}
			if !strings.HasPrefix(errLine, "✗ the server refused the TLS handshake with an alert: ") || strings.Contains(errLine, tc.detail) || strings.Contains(errLine, "tls:") {
				t.Errorf("the error line %q should say it in plain words alone", errLine)
			}
			if !strings.HasPrefix(detail, "  details: ") || !strings.Contains(detail, "remote error: tls: "+tc.detail) {
				t.Errorf("the line after it, %q, should give the alert apart", detail)
			}
			if t.Failed() {
				t.Logf("stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
			}
		})
	}
}
