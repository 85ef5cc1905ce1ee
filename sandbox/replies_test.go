package sandbox

import (
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestErrorReplies provokes, for real, each error reply that the reading
// errors lesson teaches and that the sandbox gives without a fault, and
// checks the code and the named server's wording.
func TestErrorReplies(t *testing.T) {
	c := dialRaw(t, startServer(t, Options{}))
	for _, tc := range []struct{ line, want string }{
		{"PASS demo", "503 Login with USER first."},             // vsftpd
		{"XYZZY", "500 Command not found"},                      // goftp
		{"LIST", "530 not logged in"},                           // goftp
		{"REIN", "502 REIN not implemented."},                   // vsftpd
		{"ACCT x", "502 ACCT not implemented."},                 // vsftpd
		{"USER demo", "331 User name ok, password required"},    // goftp
		{"PASS wrong", "530 Incorrect password, not logged in"}, // goftp
	} {
		if got := c.expect(tc.line, code(tc.want)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.line, got, tc.want)
		}
	}
	c.login()
	for _, tc := range []struct{ line, want string }{
		{"RNTO new.txt", "503 RNFR required first."},                                  // vsftpd
		{"RETR", "501 Syntax error in parameters or arguments."},                      // RFC 959
		{"REST abc", "501 REST requires a value greater than or equal to 0"},          // ProFTPD
		{"PORT 1,2,3", "500 Illegal PORT command."},                                   // vsftpd
		{"CWD no-such-folder", "550 Directory change to /no-such-folder failed."},     // goftp
		{"RETR no-such-file", "550 Failed to open file."},                             // vsftpd
		{"STOR no-such-folder/x.txt", "553 Could not create file."},                   // vsftpd
		{"LIST", "425 Use PORT or PASV first."},                                       // vsftpd
		{"RNFR README.txt", "350 Requested file action pending further information."}, // goftp
		{"RNTO README.txt", "250 File renamed"},                                       // goftp
		{"RNTO README.txt", "503 RNFR required first."},                               // vsftpd: used up
		{"SIZE no-such-file", "550 Could not get file size."},                         // vsftpd
		{"EPSV 3", "522 Bad network protocol."},                                       // vsftpd
		{"AUTH TLS", "500 Unknown command."},                                          // vsftpd without TLS
		{"PBSZ 0", "500 Unknown command."},                                            // vsftpd without TLS
		{"MODE B", "504 MODE is an obsolete command"},                                 // goftp
		{"PASS demo", "230 Already logged in."},                                       // vsftpd
		{"NOOP", "200 OK"},                                                            // goftp
	} {
		if got := c.expect(tc.line, code(tc.want)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.line, got, tc.want)
		}
	}

	// An anonymous user may not upload.
	a := dialRaw(t, c.s)
	a.expect("USER anonymous", 331)
	a.expect("PASS guest@", 230)
	a.pasv()
	if got := a.expect("STOR x.txt", 550); got != "550 Permission denied." {
		t.Errorf("anonymous STOR: %q", got)
	}
}

func code(reply string) int {
	var n int
	fmt.Sscanf(reply, "%d", &n)
	return n
}

// TestPassiveListenerBindsControlAddress checks that a passive data
// listener accepts connections only on the address the control connection
// arrived on: a sandbox on 127.0.0.1 exposes no data port on 127.0.0.2.
func TestPassiveListenerBindsControlAddress(t *testing.T) {
	c := dialRaw(t, startServer(t, Options{}))
	c.login()
	for _, verb := range []string{"PASV", "EPSV"} {
		text := c.expect(verb, map[string]int{"PASV": 227, "EPSV": 229}[verb])
		port := announcedPort(t, text)
		other := net.JoinHostPort("127.0.0.2", fmt.Sprint(port))
		if conn, err := net.Dial("tcp", other); err == nil {
			conn.Close()
			t.Fatalf("%s: the data port answers on %s too", verb, other)
		}
		// On the control address it does answer.
		c.list(c.dialData(net.JoinHostPort("127.0.0.1", fmt.Sprint(port))), false)
	}
}

func announcedPort(t *testing.T, reply string) int {
	t.Helper()
	if m := pasvReply.FindStringSubmatch(reply); m != nil {
		var p1, p2 int
		fmt.Sscan(m[5], &p1)
		fmt.Sscan(m[6], &p2)
		return p1*256 + p2
	}
	var port int
	if i := strings.Index(reply, "|||"); i >= 0 {
		fmt.Sscanf(reply[i+3:], "%d", &port)
	}
	if port == 0 {
		t.Fatalf("no port in %q", reply)
	}
	return port
}

// TestPassiveListenerIPv6 checks the same on ::1, where it is available:
// EPSV works and binds ::1 only; PASV cannot announce an IPv6 address.
func TestPassiveListenerIPv6(t *testing.T) {
	if l, err := net.Listen("tcp", "[::1]:0"); err != nil {
		t.Skip("no IPv6 loopback here")
	} else {
		l.Close()
	}
	s := startServer(t, Options{Host: "::1"})
	c := dialRaw(t, s)
	c.login()
	c.expect("PASV", 425)
	port := announcedPort(t, c.expect("EPSV", 229))
	if conn, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", fmt.Sprint(port))); err == nil {
		conn.Close()
		t.Fatal("the IPv6 data port answers on 127.0.0.1 too")
	}
	c.list(c.dialData(net.JoinHostPort("::1", fmt.Sprint(port))), false)
}

func TestSetFaultErrors(t *testing.T) {
	s := startServer(t, Options{})
	err := s.SetFault("no-such-fault", true)
	var unknown *UnknownFaultError
	if !errors.As(err, &unknown) || unknown.Name != "no-such-fault" {
		t.Fatalf("SetFault(no-such-fault) = %v, want an *UnknownFaultError", err)
	}
	for _, f := range FaultNames() {
		if !strings.Contains(err.Error(), f.Name) {
			t.Errorf("%q does not list %s", err, f.Name)
		}
	}
	var needsTLS *FaultNeedsTLSError
	if err := s.SetFault(FaultExpiredCert, true); !errors.As(err, &needsTLS) {
		t.Errorf("SetFault(expired-cert) without TLS = %v, want a *FaultNeedsTLSError", err)
	}
	if err := s.SetFault(FaultExpiredCert, false); err != nil {
		t.Errorf("switching a TLS fault off without TLS: %v", err)
	}
	if _, err := Start(Options{Faults: []string{"nope"}}); !errors.As(err, &unknown) {
		t.Errorf("Start with an unknown fault = %v, want an *UnknownFaultError", err)
	}
	if err := s.SetFault(FaultNAT, true); err != nil {
		t.Fatal(err)
	}
	states := s.Faults()
	if i := slices.IndexFunc(states, func(f FaultState) bool { return f.Name == FaultNAT }); i < 0 || !states[i].On {
		t.Errorf("Faults() = %+v, want nat on", states)
	}
}

func TestFaultNamesDescribed(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range FaultNames() {
		if f.Name == "" || f.Does == "" || f.Imitates == "" {
			t.Errorf("fault %+v lacks a name, a description or the server it imitates", f)
		}
		if seen[f.Name] {
			t.Errorf("fault %s listed twice", f.Name)
		}
		seen[f.Name] = true
	}
}

// TestLogMasksPasswords checks the live log: connections, commands with
// the password masked, and replies.
func TestLogMasksPasswords(t *testing.T) {
	var mu sync.Mutex
	var entries []LogEntry
	s := startServer(t, Options{Log: func(e LogEntry) {
		mu.Lock()
		entries = append(entries, e)
		mu.Unlock()
	}})
	c := dialRaw(t, s)
	c.login()
	c.expect("QUIT", 221)
	mu.Lock()
	defer mu.Unlock()
	var lines []string
	for _, e := range entries {
		lines = append(lines, fmt.Sprintf("%d %d %s", e.Conn, e.Kind, e.Text))
		if strings.Contains(e.Text, DemoPassword+"\r") || e.Kind == LogCommand && strings.HasPrefix(e.Text, "PASS "+DemoPassword) {
			t.Errorf("the log shows the password: %q", e.Text)
		}
	}
	got := strings.Join(lines, "\n")
	for _, want := range []string{
		fmt.Sprintf("1 %d connected to %s", LogConnect, s.Addr),
		fmt.Sprintf("1 %d 220 ftpscope sandbox ready.", LogReply),
		fmt.Sprintf("1 %d USER demo", LogCommand),
		fmt.Sprintf("1 %d PASS ****", LogCommand),
		fmt.Sprintf("1 %d 230 ", LogReply),
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the log lacks %q:\n%s", want, got)
		}
	}
}

func TestMaskCommand(t *testing.T) {
	for in, want := range map[string]string{
		"PASS secret":   "PASS ****",
		"pass secret":   "pass ****",
		"ACCT acct":     "ACCT ****",
		"PASS":          "PASS",
		"USER demo":     "USER demo",
		"PASSWORD nope": "PASSWORD nope",
	} {
		if got := MaskCommand(in); got != want {
			t.Errorf("MaskCommand(%q) = %q, want %q", in, got, want)
		}
	}
}
