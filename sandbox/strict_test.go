package sandbox

import "testing"

// TestStrictFileCommands checks that MKD, RMD and SIZE refuse what real
// servers refuse, with vsftpd's words, and still do what they should.
func TestStrictFileCommands(t *testing.T) {
	c := dialRaw(t, startServer(t, Options{}))
	c.login()
	for _, tc := range []struct{ line, want string }{
		{"MKD practice", `257 "/practice" created`},
		{"MKD practice", "550 Create directory operation failed."},   // exists now
		{"XMKD practice", "550 Create directory operation failed."},  // the X form too
		{"MKD pub", "550 Create directory operation failed."},        // from the sample tree
		{"MKD README.txt", "550 Create directory operation failed."}, // a file of that name
		{"RMD pub", "550 Remove directory operation failed."},        // has files
		{"RMD README.txt", "550 Remove directory operation failed."}, // not a folder
		{"SIZE pub", "550 Could not get file size."},                 // a folder
		{"SIZE nothing.txt", "550 Could not get file size."},         // missing
		{"SIZE pub/hello.txt", "213 30"},
		{"RMD practice", "250 Directory deleted"}, // empty: removed
		{"CWD practice", "550 Directory change to /practice failed."},
		{"CWD pub", "250 Directory changed to /pub"},
		{`MKD say "hi"`, `257 "/pub/say ""hi""" created`}, // relative, quotes doubled
	} {
		if got := c.expect(tc.line, code(tc.want)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.line, got, tc.want)
		}
	}
}
