package sandbox_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/sandbox"
)

// These tests provoke each fault with curl, a client ftpscope did not
// write, and check its exit status and the replies it shows (-v). They
// skip where curl is missing, unless FTPSCOPE_REQUIRE_CURL is set (CI).

// curlResult is what one run of curl did.
type curlResult struct {
	exit   int    // curl's exit status (see curl(1), EXIT CODES)
	stdout []byte // the downloaded data
	stderr string // -v's trace of the conversation
}

// curl runs curl with args, logged in as demo, bounded by a minute.
func curl(t *testing.T, args ...string) curlResult {
	t.Helper()
	path, err := exec.LookPath("curl")
	if err != nil {
		if os.Getenv("FTPSCOPE_REQUIRE_CURL") != "" {
			t.Fatal("curl is required here (FTPSCOPE_REQUIRE_CURL) but not installed")
		}
		t.Skip("curl is not installed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, append([]string{"-v", "-sS", "--user", sandbox.DemoUser + ":" + sandbox.DemoPassword}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	res := curlResult{stdout: stdout.Bytes(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		res.exit = exit.ExitCode()
	case err != nil:
		t.Fatalf("run curl: %v", err)
	}
	return res
}

// url returns the ftp:// URL of p on s.
func url(s *sandbox.Server, p string) string {
	return "ftp://" + s.Addr + "/" + p
}

// caFile writes the sandbox's certificate for --cacert.
func caFile(t *testing.T, s *sandbox.Server) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sandbox.pem")
	if err := os.WriteFile(path, s.Cert.PEM, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func (r curlResult) check(t *testing.T, exit int, replies ...string) {
	t.Helper()
	if r.exit != exit {
		t.Errorf("curl exited %d, want %d; trace:\n%s", r.exit, exit, r.stderr)
		return
	}
	for _, want := range replies {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("curl's trace lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestCurlNoPasv(t *testing.T) {
	s := start(t, sandbox.Options{}, sandbox.FaultNoPasv)
	// curl tries EPSV, then PASV: both refused.
	curl(t, url(s, "")).check(t, 13, "< 550 Permission denied.")
	// Active mode works.
	r := curl(t, "--ftp-port", "127.0.0.1", url(s, "pub/hello.txt"))
	r.check(t, 0, "< 200 EPRT command successful.")
	if string(r.stdout) != "Hello over a data connection!\n" {
		t.Errorf("curl downloaded %q", r.stdout)
	}
}

func TestCurlNAT(t *testing.T) {
	s := start(t, sandbox.Options{}, sandbox.FaultNAT)
	// Following the 227's address (no EPSV, no skipping the address)
	// fails: nothing answers on 127.0.0.2.
	curl(t, "--disable-epsv", "--no-ftp-skip-pasv-ip", url(s, "pub/hello.txt")).
		check(t, 7, "< 227 Entering Passive Mode (127,0,0,2,")
	// curl's default, the control connection's address, works.
	curl(t, "--disable-epsv", url(s, "pub/hello.txt")).check(t, 0, "< 227 Entering Passive Mode (127,0,0,2,", "< 226 Transfer complete.")
}

func TestCurlRefuseData(t *testing.T) {
	s := start(t, sandbox.Options{}, sandbox.FaultRefuseData)
	curl(t, url(s, "pub/hello.txt")).check(t, 7, "< 229 Entering Extended Passive Mode")
	curl(t, "--ftp-port", "127.0.0.1", url(s, "pub/hello.txt")).check(t, 19, "< 425 Failed to establish connection.")
}

func TestCurlDropData(t *testing.T) {
	s := start(t, sandbox.Options{}, sandbox.FaultDropData)
	r := curl(t, url(s, "pub/hello.txt"))
	r.check(t, 19, "< 425 Failed to establish connection.")
}

func TestCurlAbortTransfer(t *testing.T) {
	s := start(t, sandbox.Options{}, sandbox.FaultAbortTransfer)
	r := curl(t, url(s, sandbox.BigFileName))
	if r.exit == 0 || len(r.stdout) >= sandbox.BigFileSize {
		t.Fatalf("curl exited %d with %d bytes, want a failure with part of the file; trace:\n%s", r.exit, len(r.stdout), r.stderr)
	}
	if !strings.Contains(r.stderr, "< 150 ") {
		t.Errorf("no 150 in the trace:\n%s", r.stderr)
	}
}

func TestCurlSilentTransfer(t *testing.T) {
	s := start(t, sandbox.Options{}, sandbox.FaultSilentTransfer)
	// curl waits for data that never comes, until its own limit.
	curl(t, "--max-time", "1", url(s, "pub/hello.txt")).check(t, 28, "< 150 Opening BINARY mode data connection")
}

func TestCurlUnansweredPasvPort(t *testing.T) {
	s := start(t, sandbox.Options{}, sandbox.FaultUnansweredPort)
	r := curl(t, "--connect-timeout", "1", url(s, "pub/hello.txt"))
	if r.exit != 28 && r.exit != 7 {
		t.Fatalf("curl exited %d, want a connection timeout; trace:\n%s", r.exit, r.stderr)
	}
	if !strings.Contains(r.stderr, "time-out") && !strings.Contains(r.stderr, "timed out") {
		t.Errorf("the trace does not say the connection timed out:\n%s", r.stderr)
	}
}

func TestCurlSlow(t *testing.T) {
	s := start(t, sandbox.Options{SlowDelay: 3 * time.Second}, sandbox.FaultSlow)
	curl(t, "--max-time", "1", url(s, "")).check(t, 28)
}

func TestCurlMaxConnections(t *testing.T) {
	s := start(t, sandbox.Options{}, sandbox.FaultMaxConnections)
	first, err := net.Dial("tcp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	greeting := make([]byte, 3)
	first.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := first.Read(greeting); err != nil || string(greeting) != "220" {
		t.Fatalf("first connection: %q, %v", greeting, err)
	}
	// curl reads a 421 as the server's timeout (28).
	curl(t, url(s, "")).check(t, 28, "< 421 There are too many connections from your internet address.")
}

func TestCurlRequireTLS(t *testing.T) {
	s := start(t, sandbox.Options{TLS: true}, sandbox.FaultRequireTLS)
	curl(t, url(s, "")).check(t, 67, "< 530 Non-anonymous sessions must use encryption.")
	curl(t, "--ssl-reqd", "--cacert", caFile(t, s), url(s, "pub/hello.txt")).check(t, 0, "< 234 Proceed with negotiation.")
}

func TestCurlRequireTLSReuse(t *testing.T) {
	var logged replyLog
	s := start(t, sandbox.Options{TLS: true, Log: logged.add}, sandbox.FaultRequireTLSReuse)
	ca := caFile(t, s)
	// curl resumes the control connection's session: it passes.
	curl(t, "--ssl-reqd", "--cacert", ca, url(s, "pub/hello.txt")).check(t, 0, "< 226 Transfer complete.")
	// Without session IDs it cannot: the handshake on the data connection
	// fails after the 150, and the server answers vsftpd's 522, which
	// curl, already failing, does not read; the server's log shows it.
	r := curl(t, "--ssl-reqd", "--cacert", ca, "--no-sessionid", url(s, "pub/hello.txt"))
	if r.exit == 0 || !strings.Contains(r.stderr, "< 150 ") || strings.Contains(r.stderr, "< 226 ") {
		t.Fatalf("curl without session reuse exited %d; trace:\n%s", r.exit, r.stderr)
	}
	if !logged.has("522 SSL connection failed; session reuse required: see require_ssl_reuse option in vsftpd.conf man page") {
		t.Errorf("the server did not answer 522:\n%s", &logged)
	}
}

func TestCurlNoAuthTLS(t *testing.T) {
	s := start(t, sandbox.Options{TLS: true}, sandbox.FaultNoAuthTLS)
	curl(t, "--ssl-reqd", url(s, "")).check(t, 64, "> AUTH TLS", "< 530 Please login with USER and PASS.")
}

func TestCurlCertificates(t *testing.T) {
	for fault, want := range map[string]string{
		sandbox.FaultExpiredCert:   "certificate has expired",
		sandbox.FaultUntrustedCert: "self-signed certificate",
	} {
		t.Run(fault, func(t *testing.T) {
			s := start(t, sandbox.Options{TLS: true}, fault)
			curl(t, "--ssl-reqd", "--cacert", caFile(t, s), url(s, "")).check(t, 60, want)
		})
	}
}

func TestCurlUploadsRefused(t *testing.T) {
	local := filepath.Join(t.TempDir(), "up.txt")
	if err := os.WriteFile(local, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		fault string
		exit  int // 18 for a 4xx after the data, 70 (disk full) for 552
		want  string
	}{
		{sandbox.FaultDiskFull, 18, "< 452 Transfer aborted. No space left on device"},
		{sandbox.FaultQuotaExceeded, 70, "< 552 Quota exceeded: [up.txt] won't be saved"},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			s := start(t, sandbox.Options{}, tc.fault)
			curl(t, "-T", local, url(s, "up.txt")).check(t, tc.exit, "< 150 Ok to send data.", tc.want)
			if _, err := os.Stat(filepath.Join(s.Root, "up.txt")); !os.IsNotExist(err) {
				t.Errorf("the refused upload left a file: %v", err)
			}
		})
	}
	// Without a fault, the upload works: the faults alone refuse it.
	s := start(t, sandbox.Options{})
	curl(t, "-T", local, url(s, "up.txt")).check(t, 0, "< 226 Transfer complete.")
	if got, err := os.ReadFile(filepath.Join(s.Root, "up.txt")); err != nil || string(got) != "hello\n" {
		t.Errorf("up.txt = %q, %v", got, err)
	}
}

// replyLog keeps the replies of a sandbox's live log.
type replyLog struct {
	mu      sync.Mutex
	replies []string
}

func (l *replyLog) add(e sandbox.LogEntry) {
	if e.Kind != sandbox.LogReply {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.replies = append(l.replies, e.Text)
}

// has waits until the server's sessions have written reply, or a few
// seconds have passed: curl may exit before the server answers.
func (l *replyLog) has(reply string) bool {
	for range 100 {
		l.mu.Lock()
		found := slices.Contains(l.replies, reply)
		l.mu.Unlock()
		if found {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

func (l *replyLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.replies, "\n")
}

func TestCurlFileBusy(t *testing.T) {
	s := start(t, sandbox.Options{}, sandbox.FaultFileBusy)
	// curl asks SIZE first, then RETR: both refused, so no download.
	r := curl(t, url(s, "pub/hello.txt"))
	if r.exit == 0 || !strings.Contains(r.stderr, "< 450 ") || len(r.stdout) != 0 {
		t.Fatalf("curl exited %d with %q; want a refusal with 450; trace:\n%s", r.exit, r.stdout, r.stderr)
	}
}

func TestCurlIdleTimeout(t *testing.T) {
	s := start(t, sandbox.Options{}, sandbox.FaultIdleTimeout)
	// curl reads 421 as the server's timeout (28).
	curl(t, url(s, "")).check(t, 28, "< 421 Timeout.")
}
