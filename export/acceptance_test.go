package export

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/protocol"
)

// TestJSONSaysWhoAcceptedTheCertificate checks the TLS object of a
// certificate that did not verify: "accepted_by" tells --insecure from a
// user who said yes, and is absent for a certificate that verified.
func TestJSONSaysWhoAcceptedTheCertificate(t *testing.T) {
	tests := []struct {
		name string
		info protocol.TLSInfo
		want string
	}{
		{"verified", protocol.TLSInfo{Trusted: true}, ""},
		{"--insecure", protocol.TLSInfo{Insecure: true, Cert: protocol.CertInfo{Problem: "it is self-signed"}}, "insecure"},
		{"the user said yes", protocol.TLSInfo{Cert: protocol.CertInfo{Problem: "it is self-signed"}}, "user"},
		{"a recording that does not know", protocol.TLSInfo{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			w := NewJSON(&b, testCatalog)
			info := tt.info
			info.Version, info.Cipher = "TLS 1.3", "TLS_AES_128_GCM_SHA256"
			w.Event(protocol.Event{Kind: protocol.EventTLS, Line: "control connection protected", Time: start, TLS: &info})
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			var obj struct {
				AcceptedBy *string `json:"accepted_by"`
			}
			if err := json.Unmarshal([]byte(b.String()), &obj); err != nil {
				t.Fatalf("%v in %s", err, b.String())
			}
			got := ""
			if obj.AcceptedBy != nil {
				got = *obj.AcceptedBy
			}
			if got != tt.want || (tt.want == "" && obj.AcceptedBy != nil) {
				t.Errorf("accepted_by = %q, want %q, in %s", got, tt.want, b.String())
			}
		})
	}
}
