package diagnose

import (
	"crypto/x509"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/protocol"
)

// acceptedSession is the events of an explicit-TLS session up to its
// control connection's handshake, described by info, then a listing whose
// data connection's handshake carries the same certificate, as protocol
// reports it (TLSInfo.Data, the control connection's problem copied).
func acceptedSession(info protocol.TLSInfo) []protocol.Event {
	at := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	data := info
	data.Data = true
	return []protocol.Event{
		{Kind: protocol.EventConnect, Time: at, Line: "connected to 127.0.0.1:21", Connect: &protocol.ConnectInfo{Remote: "127.0.0.1:21"}},
		{Kind: protocol.EventReply, Time: at, Verb: protocol.GreetingVerb, Command: protocol.GreetingVerb, Reply: &protocol.Reply{Code: 220, Lines: []string{"220 ready"}}},
		{Kind: protocol.EventSend, Time: at, Seq: 1, Line: "AUTH TLS"},
		{Kind: protocol.EventReply, Time: at, Seq: 1, Verb: "AUTH", Command: "AUTH TLS", Reply: &protocol.Reply{Code: 234, Lines: []string{"234 Proceed with negotiation."}}},
		{Kind: protocol.EventTLS, Time: at, Line: "control connection protected: TLS 1.3", TLS: &info},
		{Kind: protocol.EventSend, Time: at, Seq: 2, Line: "LIST"},
		{Kind: protocol.EventTLS, Time: at, Seq: 2, Line: "data connection protected: TLS 1.3", TLS: &data},
		{Kind: protocol.EventReply, Time: at, Seq: 2, Verb: "LIST", Command: "LIST", Reply: &protocol.Reply{Code: 150, Lines: []string{"150 Here it comes."}}},
	}
}

// TestObserveAcceptedCertificate: a control connection protected with a
// certificate that did not verify, accepted by --insecure or by the user
// when asked, gives the accepted certificate's finding from Observe, the
// one path every front end takes: a warning, since the session went on,
// whose advice is to compare the fingerprint, not to accept the
// certificate (done already). It comes once, from the control
// connection's handshake, never from a data connection's, and a
// certificate that verified or still waits for the user's answer gives
// none. Before the fix Observe gave nothing here, and only doctor, with a
// call of its own, said it.
func TestObserveAcceptedCertificate(t *testing.T) {
	cert := func(err error) protocol.CertInfo {
		return protocol.CertInfo{Subject: "CN=ftp.example.org", SHA256: "AB:CD:EF", Problem: "it is self-signed", Err: err}
	}
	unknown := x509.UnknownAuthorityError{}
	tests := []struct {
		name string
		info protocol.TLSInfo
		want string // the finding's ID, "" for none
	}{
		{"--insecure, self-signed", protocol.TLSInfo{Insecure: true, Cert: cert(unknown)}, "certificate-accepted-untrusted"},
		{"accepted by the user", protocol.TLSInfo{Cert: cert(unknown)}, "certificate-accepted-untrusted"},
		{"--insecure, expired", protocol.TLSInfo{Insecure: true, Cert: cert(x509.CertificateInvalidError{Reason: x509.Expired})}, "certificate-accepted-expired"},
		{"--insecure, another name", protocol.TLSInfo{Insecure: true, Cert: cert(x509.HostnameError{Certificate: &x509.Certificate{DNSNames: []string{"ftp.example.org"}}, Host: "127.0.0.1"})}, "certificate-accepted-wrong-name"},
		{"verified", protocol.TLSInfo{Trusted: true, Cert: cert(nil)}, ""},
		{"waiting for the user's answer", protocol.TLSInfo{NeedsDecision: true, Cert: cert(unknown)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.info.Version = "TLS 1.3"
			eng := New()
			var got []Finding
			var from []protocol.EventKind
			for _, ev := range acceptedSession(tt.info) {
				found := eng.Observe(ev)
				got = append(got, found...)
				for range found {
					from = append(from, ev.Kind)
				}
				if ev.Kind == protocol.EventTLS && !ev.TLS.Data && tt.want != "" {
					// The transcript line stays what it was: what happened,
					// the finding after it saying why and what to do.
					if line := eng.Line(ev, found); line != EventLine(ev) {
						t.Errorf("the handshake's line is %q, want %q", line, EventLine(ev))
					}
				}
			}
			if tt.want == "" {
				if len(got) != 0 {
					t.Fatalf("findings %v, want none", ids(got))
				}
				return
			}
			if len(got) != 1 || got[0].ID != tt.want || from[0] != protocol.EventTLS {
				t.Fatalf("findings %v from %v, want %s alone, from the control connection's handshake", ids(got), from, tt.want)
			}
			f := got[0]
			if f.Severity != SeverityWarning || f.Repeat || f.Seq != 0 {
				t.Errorf("severity %s, repeat %t, seq %d: want a first warning about the connection", f.Severity, f.Repeat, f.Seq)
			}
			for _, want := range []string{"SHA-256 fingerprint", "administrator"} {
				if !strings.Contains(f.ClientFix, want) {
					t.Errorf("the fix does not say to compare the fingerprint with the administrator's (%q): %q", want, f.ClientFix)
				}
			}
			for _, done := range []string{"--insecure", "accept it"} {
				if strings.Contains(f.ClientFix, done) {
					t.Errorf("the fix asks for what was done already (%q): %q", done, f.ClientFix)
				}
			}
			if len(f.ServerFixes) == 0 || f.Source == "" {
				t.Errorf("no server fix or source: %+v", f)
			}
		})
	}
}

// TestAcceptedCertificateOncePerConnection: a reconnection accepts the
// certificate again, which is a new connection's first finding, not a
// reminder; the data connections' handshakes in between add nothing.
func TestAcceptedCertificateOncePerConnection(t *testing.T) {
	info := protocol.TLSInfo{Version: "TLS 1.3", Insecure: true, Cert: protocol.CertInfo{SHA256: "AB:CD:EF", Err: x509.UnknownAuthorityError{}}}
	eng := New()
	var got []Finding
	for range 2 {
		for _, ev := range acceptedSession(info) {
			got = append(got, eng.Observe(ev)...)
		}
	}
	if !slices.Equal(ids(got), []string{"certificate-accepted-untrusted", "certificate-accepted-untrusted"}) {
		t.Fatalf("findings %v, want one per connection", ids(got))
	}
	if got[1].Repeat {
		t.Errorf("the second connection's finding is marked a repeat of the first connection's")
	}
}
