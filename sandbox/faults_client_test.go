package sandbox_test

import (
	"context"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
)

// These tests provoke each fault with ftpscope's own client, the protocol
// package, and check what the fault promises happens on the wire.

// start starts a sandbox with the faults on and closes it at the end.
func start(t *testing.T, opts sandbox.Options, faults ...string) *sandbox.Server {
	t.Helper()
	opts.Faults = faults
	s, err := sandbox.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// client opens a conversation with s and reads the greeting, whose reply
// it returns with the conversation.
func client(t *testing.T, s *sandbox.Server, cfg protocol.Config) (*protocol.Conversation, *protocol.Reply) {
	t.Helper()
	cfg.Addr = s.Addr
	if cfg.ReplyTimeout == 0 {
		cfg.ReplyTimeout = 10 * time.Second
	}
	if s.Cert != nil && cfg.RootCAs == nil {
		cfg.RootCAs = s.Cert.Pool()
	}
	c := protocol.NewConversation(protocol.Dial(cfg), nil)
	t.Cleanup(c.Close)
	greeting, err := c.Greeting(context.Background())
	if err != nil {
		t.Fatalf("greeting: %v", err)
	}
	return c, greeting
}

// do sends line and fails the test unless the final reply's code is want.
func do(t *testing.T, c *protocol.Conversation, line string, want int) *protocol.Exchange {
	t.Helper()
	x, err := c.Do(context.Background(), line)
	if err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	if x.Final == nil || x.Final.Code != want {
		t.Fatalf("%s: final reply %v, want %d", line, finalLines(x), want)
	}
	return x
}

func finalLines(x *protocol.Exchange) []string {
	if x == nil || x.Final == nil {
		return nil
	}
	return x.Final.Lines
}

func login(t *testing.T, c *protocol.Conversation) {
	t.Helper()
	do(t, c, "USER "+sandbox.DemoUser, 331)
	do(t, c, "PASS "+sandbox.DemoPassword, 230)
}

// hasCode reports whether one of the exchange's replies has code.
func hasCode(x *protocol.Exchange, code int) bool {
	for _, r := range x.Replies {
		if r.Code == code {
			return true
		}
	}
	return false
}

func TestFaultNoPasv(t *testing.T) {
	s := start(t, sandbox.Options{}, sandbox.FaultNoPasv)
	c, _ := client(t, s, protocol.Config{})
	login(t, c)
	if x := do(t, c, "PASV", 550); x.Final.Lines[0] != "550 Permission denied." {
		t.Errorf("PASV: %q, want vsftpd's wording", x.Final.Lines)
	}
	do(t, c, "EPSV", 550)
	// Active mode still works: the client listens, the server connects.
	do(t, c, "PORT", 200)
	x := do(t, c, "LIST", 226)
	if x.Data == nil || !strings.Contains(string(x.Data.Preview), "README.txt") {
		t.Errorf("LIST in active mode moved %+v, want the listing", x.Data)
	}
}

func TestFaultNAT(t *testing.T) {
	s := start(t, sandbox.Options{NATAddress: "127.0.0.3"}, sandbox.FaultNAT)

	// A client that follows the announced address fails: nothing listens
	// there, since the data listener binds only the control address.
	c, _ := client(t, s, protocol.Config{FollowPassiveAddress: true})
	login(t, c)
	x := do(t, c, "PASV", 227)
	if !strings.Contains(x.Final.Lines[0], "(127,0,0,3,") {
		t.Fatalf("PASV announced %q, want 127.0.0.3", x.Final.Lines[0])
	}
	x, err := c.Do(context.Background(), "LIST")
	if err == nil && (x.Data == nil || x.Data.Err == nil) {
		t.Fatalf("LIST through the announced address worked: %v %+v", finalLines(x), x.Data)
	}

	// One that uses the control connection's address instead, as
	// ftpscope does by default, gets the listing.
	c, _ = client(t, s, protocol.Config{})
	login(t, c)
	do(t, c, "PASV", 227)
	x = do(t, c, "LIST", 226)
	if x.Data == nil || x.Data.Err != nil {
		t.Errorf("LIST through the control address: %+v", x.Data)
	}
}

// causedBy reports whether err is target or, where the protocol package
// reports it as text only, says so in words.
func causedBy(err, target error, words string) bool {
	return err != nil && (errors.Is(err, target) || strings.Contains(err.Error(), words))
}

// dataFailure runs a LIST after PASV and returns the exchange and the
// error of the data connection.
func dataFailure(t *testing.T, c *protocol.Conversation, verb string) (*protocol.Exchange, error) {
	t.Helper()
	do(t, c, "PASV", 227)
	x, err := c.Do(context.Background(), verb)
	if err != nil {
		return x, err
	}
	if x.Data != nil && x.Data.Err != nil {
		return x, x.Data.Err
	}
	return x, nil
}

func TestFaultRefuseData(t *testing.T) {
	s := start(t, sandbox.Options{}, sandbox.FaultRefuseData)
	c, _ := client(t, s, protocol.Config{})
	login(t, c)
	x, err := dataFailure(t, c, "LIST")
	if !causedBy(err, syscall.ECONNREFUSED, "connection refused") {
		t.Fatalf("LIST: %v, %v; want the data connection refused or 425", finalLines(x), err)
	}
	// Active mode: the server never connects.
	do(t, c, "PORT", 200)
	x, _ = c.Do(context.Background(), "LIST")
	if !hasCode(x, 425) {
		t.Errorf("LIST in active mode: %v, want 425", finalLines(x))
	}
}

func TestFaultDropData(t *testing.T) {
	s := start(t, sandbox.Options{}, sandbox.FaultDropData)
	c, _ := client(t, s, protocol.Config{})
	login(t, c)
	x, _ := dataFailure(t, c, "LIST")
	if x == nil || !hasCode(x, 425) || hasCode(x, 150) {
		t.Fatalf("LIST: %v, want 425 and no 150", finalLines(x))
	}
	if got := x.Final.Lines[0]; got != "425 Failed to establish connection." {
		t.Errorf("LIST: %q, want vsftpd's wording", got)
	}
}

func TestFaultAbortTransfer(t *testing.T) {
	s := start(t, sandbox.Options{}, sandbox.FaultAbortTransfer)
	c, _ := client(t, s, protocol.Config{})
	login(t, c)
	do(t, c, "TYPE I", 200)
	do(t, c, "PASV", 227)
	x, err := c.Do(context.Background(), "RETR "+sandbox.BigFileName)
	if err != nil {
		t.Fatal(err)
	}
	if !hasCode(x, 150) || x.Final == nil || x.Final.Code != 426 {
		t.Fatalf("RETR: %v, want 150 then 426", finalLines(x))
	}
	if x.Data == nil || x.Data.Bytes >= sandbox.BigFileSize {
		t.Errorf("RETR moved %+v, want less than the file's %d bytes", x.Data, sandbox.BigFileSize)
	}
	// The upload side: the server resets the connection after one byte.
	do(t, c, "PASV", 227)
	local := filepath.Join(t.TempDir(), "up.bin")
	if err := os.WriteFile(local, make([]byte, 4<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	x, _ = c.Do(context.Background(), "STOR up.bin < "+local)
	if x == nil || x.Final == nil || x.Final.Code != 426 {
		t.Errorf("STOR: %v, want 426", finalLines(x))
	}
}

func TestFaultSilentTransfer(t *testing.T) {
	s := start(t, sandbox.Options{}, sandbox.FaultSilentTransfer)
	// The client gives up waiting for the data; the server then answers
	// 426, as the closed data connection failed its write.
	c, _ := client(t, s, protocol.Config{ReplyTimeout: 500 * time.Millisecond})
	login(t, c)
	do(t, c, "PASV", 227)
	x, err := c.Do(context.Background(), "LIST")
	if x == nil || !hasCode(x, 150) || hasCode(x, 226) {
		t.Fatalf("LIST: %v (%v), want 150 and no 226", finalLines(x), err)
	}
}

func TestFaultUnansweredPasvPort(t *testing.T) {
	s := start(t, sandbox.Options{}, sandbox.FaultUnansweredPort)
	c, _ := client(t, s, protocol.Config{ConnectTimeout: 300 * time.Millisecond})
	login(t, c)
	x, err := dataFailure(t, c, "LIST")
	if !causedBy(err, os.ErrDeadlineExceeded, "i/o timeout") {
		t.Fatalf("LIST: %v, %v; want the data connection to time out", finalLines(x), err)
	}
}

func TestFaultSlow(t *testing.T) {
	s := start(t, sandbox.Options{SlowDelay: 3 * time.Second})
	c, _ := client(t, s, protocol.Config{ReplyTimeout: 300 * time.Millisecond})
	login(t, c)
	if err := s.SetFault(sandbox.FaultSlow, true); err != nil {
		t.Fatal(err)
	}
	x, err := c.Do(context.Background(), "NOOP")
	if err == nil && x.Final != nil {
		t.Fatalf("NOOP answered %v within the client's timeout, want no reply yet", x.Final.Lines)
	}
}

func TestFaultMaxConnections(t *testing.T) {
	s := start(t, sandbox.Options{}, sandbox.FaultMaxConnections)
	first, _ := client(t, s, protocol.Config{})
	login(t, first)
	_, greeting := client(t, s, protocol.Config{})
	if greeting.Code != 421 || greeting.Lines[0] != "421 There are too many connections from your internet address." {
		t.Fatalf("second connection greeted %v, want vsftpd's 421", greeting.Lines)
	}
	do(t, first, "NOOP", 200) // the first goes on
	first.Close()
	// Once the first has gone, a new connection is served. The server
	// learns of the close when its read fails, so a QUIT makes it sure.
	c, greeting := client(t, s, protocol.Config{})
	for greeting.Code == 421 {
		c.Close()
		c, greeting = client(t, s, protocol.Config{})
	}
	login(t, c)
}

func TestFaultRequireTLS(t *testing.T) {
	s := start(t, sandbox.Options{TLS: true}, sandbox.FaultRequireTLS)
	c, _ := client(t, s, protocol.Config{})
	x, _ := c.Do(context.Background(), "USER "+sandbox.DemoUser)
	if x == nil || x.Final == nil || x.Final.Lines[0] != "530 Non-anonymous sessions must use encryption." {
		t.Fatalf("USER in clear: %v, want vsftpd's 530", finalLines(x))
	}
	if _, err := c.Do(context.Background(), "NOOP"); err == nil {
		t.Error("the session went on after 530, want it ended")
	}
	c, _ = client(t, s, protocol.Config{RequireTLS: true})
	login(t, c)
}

func TestFaultRequireTLSReuse(t *testing.T) {
	s := start(t, sandbox.Options{TLS: true}, sandbox.FaultRequireTLSReuse)
	// ftpscope resumes the control connection's TLS session on the data
	// connection, so it passes.
	c, _ := client(t, s, protocol.Config{RequireTLS: true})
	login(t, c)
	do(t, c, "PBSZ 0", 200)
	do(t, c, "PROT P", 200)
	do(t, c, "PASV", 227)
	x := do(t, c, "LIST", 226)
	if x.Data == nil || !x.Data.Protected {
		t.Errorf("LIST data %+v, want protected", x.Data)
	}
}

func TestFaultNoAuthTLS(t *testing.T) {
	s := start(t, sandbox.Options{TLS: true}, sandbox.FaultNoAuthTLS)
	c, _ := client(t, s, protocol.Config{})
	x := do(t, c, "FEAT", 211)
	if strings.Contains(strings.Join(x.Final.Lines, "\n"), "AUTH") {
		t.Errorf("FEAT %q offers AUTH", x.Final.Lines)
	}
	do(t, c, "AUTH TLS", 530)
	if err := s.SetFault(sandbox.FaultNoAuthTLS, false); err != nil {
		t.Fatal(err)
	}
	c, _ = client(t, s, protocol.Config{})
	x = do(t, c, "FEAT", 211)
	if !strings.Contains(strings.Join(x.Final.Lines, "\n"), " AUTH TLS") {
		t.Errorf("FEAT %q without the fault, want AUTH TLS", x.Final.Lines)
	}
}

func TestFaultCertificates(t *testing.T) {
	for _, tc := range []struct {
		fault string
		check func(error) bool
	}{
		{sandbox.FaultExpiredCert, func(err error) bool {
			var ce x509.CertificateInvalidError
			return errors.As(err, &ce) && ce.Reason == x509.Expired || strings.Contains(err.Error(), "expired")
		}},
		{sandbox.FaultUntrustedCert, func(err error) bool {
			var ua x509.UnknownAuthorityError
			return errors.As(err, &ua) || strings.Contains(err.Error(), "unknown authority")
		}},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			s := start(t, sandbox.Options{TLS: true}, tc.fault)
			c, _ := client(t, s, protocol.Config{})
			_, err := c.Do(context.Background(), "AUTH TLS")
			if err == nil || !tc.check(err) {
				t.Fatalf("AUTH TLS: %v, want the certificate refused", err)
			}
		})
	}
}

func TestFaultUploadsRefused(t *testing.T) {
	for _, tc := range []struct {
		fault string
		want  string
	}{
		{sandbox.FaultDiskFull, "452 Transfer aborted. No space left on device"},
		{sandbox.FaultQuotaExceeded, "552 Quota exceeded: [up.txt] won't be saved"},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			s := start(t, sandbox.Options{}, tc.fault)
			c, _ := client(t, s, protocol.Config{})
			login(t, c)
			local := filepath.Join(t.TempDir(), "up.txt")
			if err := os.WriteFile(local, []byte("hello\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			do(t, c, "PASV", 227)
			x, _ := c.Do(context.Background(), "STOR up.txt < "+local)
			if x == nil || !hasCode(x, 150) || x.Final == nil || x.Final.Lines[0] != tc.want {
				t.Fatalf("STOR: %v, want 150 then %q", finalLines(x), tc.want)
			}
			if _, err := os.Stat(filepath.Join(s.Root, "up.txt")); !os.IsNotExist(err) {
				t.Errorf("the refused upload left a file: %v", err)
			}
		})
	}
}

func TestFaultFileBusy(t *testing.T) {
	s := start(t, sandbox.Options{}, sandbox.FaultFileBusy)
	c, _ := client(t, s, protocol.Config{})
	login(t, c)
	if x := do(t, c, "SIZE pub/hello.txt", 450); x.Final.Lines[0] != "450 pub/hello.txt: Resource temporarily unavailable" {
		t.Errorf("SIZE: %q, want ProFTPD's wording", x.Final.Lines)
	}
	do(t, c, "PWD", 257) // commands on no file go on
	// 450 is transient: once the file is free, the same command works.
	if err := s.SetFault(sandbox.FaultFileBusy, false); err != nil {
		t.Fatal(err)
	}
	do(t, c, "SIZE pub/hello.txt", 213)
}

func TestFaultIdleTimeout(t *testing.T) {
	s := start(t, sandbox.Options{})
	c, _ := client(t, s, protocol.Config{})
	login(t, c)
	if err := s.SetFault(sandbox.FaultIdleTimeout, true); err != nil {
		t.Fatal(err)
	}
	x, _ := c.Do(context.Background(), "NOOP")
	if x == nil || x.Final == nil || x.Final.Lines[0] != "421 Timeout." {
		t.Fatalf("NOOP: %v, want vsftpd's 421", finalLines(x))
	}
	if _, err := c.Do(context.Background(), "NOOP"); err == nil {
		t.Error("the session went on after 421, want it closed")
	}
}
