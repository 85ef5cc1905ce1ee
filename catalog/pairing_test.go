package catalog

import "testing"

// TestPairingExceptions checks the rules that accept replies a command's
// RFC list leaves out, and that replies truly out of place still get the
// note.
func TestPairingExceptions(t *testing.T) {
	c := loadForTest(t)
	tests := []struct {
		code, verb string
		listed     bool
		exception  bool
	}{
		{"421", "NOOP", true, false},  // listed by RFC 959 itself
		{"421", "FEAT", true, true},   // RFC 2389 lists no 421: any command may get it
		{"632", "PWD", true, true},    // a protected reply
		{"631", "LIST", true, true},   // a protected reply
		{"250", "CDUP", true, true},   // CWD's success
		{"200", "CDUP", true, false},  // in CDUP's own list
		{"550", "STOR", true, true},   // a refused upload
		{"550", "STOU", true, true},   // a refused upload
		{"225", "ABOR", true, false},  // both are in ABOR's list
		{"226", "ABOR", true, false},  // both are in ABOR's list
		{"450", "RMD", false, false},  // RFC 959 gives RMD no 450
		{"202", "RETR", false, false}, // out of place
		{"250", "STOR", true, false},  // in STOR's list
		{"212", "USER", false, false}, // out of place
		{"550", "NOOP", false, false}, // the 550 rule is for uploads only
		{"634", "NOOP", false, false}, // not one of RFC 2228's three
	}
	for _, tt := range tests {
		e := c.Explain(tt.code, tt.verb)
		if !e.Listing.Checked || e.Listing.Listed != tt.listed || (e.Listing.Exception != "") != tt.exception {
			t.Errorf("%s after %s: listed %v, exception %q; want listed %v, an exception %v", tt.code, tt.verb, e.Listing.Listed, e.Listing.Exception, tt.listed, tt.exception)
		}
		doc := c.ReplyDoc(e, Context{Command: tt.verb})
		hasNote := false
		for _, b := range doc {
			if b.Kind == BlockNote && len(b.Text) > 20 && b.Text[:20] == "The RFCs do not list" {
				hasNote = true
			}
		}
		if hasNote == tt.listed {
			t.Errorf("%s after %s: the not-listed note shown %v, want %v", tt.code, tt.verb, hasNote, !tt.listed)
		}
	}
}
