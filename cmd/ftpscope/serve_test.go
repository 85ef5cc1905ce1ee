package main

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/ftpscope/ftpscope/internal/tmuxtest"
)

func TestServeUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // the whole of standard error
	}{
		{"an unknown fault", []string{"serve", "--fault", "nope"},
			"ftpscope: there is no fault named \"nope\"; the faults are no-pasv, nat, refuse-data, drop-data, abort-transfer, silent-transfer, unanswered-pasv-port, slow, max-connections, require-tls, require-tls-reuse, no-auth-tls, expired-cert, untrusted-cert, disk-full, quota-exceeded, file-busy, idle-timeout\nRun 'ftpscope serve --help' for usage.\n"},
		{"a misspelt fault", []string{"serve", "--fault", "natt"},
			"ftpscope: there is no fault named \"natt\" (did you mean nat?); the faults are no-pasv, nat, refuse-data, drop-data, abort-transfer, silent-transfer, unanswered-pasv-port, slow, max-connections, require-tls, require-tls-reuse, no-auth-tls, expired-cert, untrusted-cert, disk-full, quota-exceeded, file-busy, idle-timeout\nRun 'ftpscope serve --help' for usage.\n"},
		{"a TLS fault without --tls", []string{"serve", "--fault", "require-tls"},
			"ftpscope: fault \"require-tls\" needs a sandbox that offers TLS (serve --tls)\nRun 'ftpscope serve --help' for usage.\n"},
		{"a bad address", []string{"serve", "--listen", "nowhere:21"},
			"ftpscope: --listen \"nowhere:21\": \"nowhere\" is not an IP address; write it like 127.0.0.1:2121 or [::1]:2121\nRun 'ftpscope serve --help' for usage.\n"},
		{"a bad port", []string{"serve", "--listen", "127.0.0.1:70000"},
			"ftpscope: --listen \"127.0.0.1:70000\": the port must be a number from 0 to 65535 (0 picks a free one)\nRun 'ftpscope serve --help' for usage.\n"},
		{"a user without a password", []string{"serve", "--user", "alice"},
			"ftpscope: --user \"alice\": write it as NAME:PASSWORD, such as alice:secret\nRun 'ftpscope serve --help' for usage.\n"},
		{"a user named anonymous", []string{"serve", "--user", "anonymous:" + secret},
			"ftpscope: --user \"anonymous:****\": anonymous is built in (it takes any password); use --anonymous=false to refuse it\nRun 'ftpscope serve --help' for usage.\n"},
		{"a root that is not a folder", []string{"serve", "--root", "/no/such/folder"},
			"ftpscope: --root \"/no/such/folder\" is not a folder; give an existing folder to serve\nRun 'ftpscope serve --help' for usage.\n"},
		{"an argument", []string{"serve", "ftp://127.0.0.1"},
			"Run 'ftpscope serve --help' for usage.\n"},
		{"a delay that is not a duration", []string{"serve", "--slow-delay", "x"},
			"ftpscope: --slow-delay \"x\" is not a duration: write it like 30s or 2m\nRun 'ftpscope serve --help' for usage.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stderr, err := executeRoot(t, tt.args...)
			if code := exitCode(err); code != exitUsage {
				t.Errorf("exit %d (error %v), want %d", code, err, exitUsage)
			}
			if !strings.HasSuffix(stderr, tt.want) {
				t.Errorf("standard error:\n%s\nwant it to end with:\n%s", stderr, tt.want)
			}
			if strings.Contains(stderr, secret) {
				t.Errorf("standard error shows the password:\n%s", stderr)
			}
		})
	}
}

// TestServeBinary runs the real binary: it prints its summary and the
// live log with the password masked, serves with the fault asked for, and
// stops cleanly, with status 0, on ctrl+c (SIGINT).
func TestServeBinary(t *testing.T) {
	bin := buildBinary(t)
	cmd := exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--tls", "--user", "alice:"+secret, "--fault", "no-pasv")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	// waitFor returns the next line matching re. A line that never comes
	// fails the test when the binary exits, or after ten seconds, a bound
	// against hanging rather than a measure.
	var seen []string
	waitFor := func(re string) []string {
		t.Helper()
		pattern := regexp.MustCompile(re)
		limit := time.After(10 * time.Second)
	read:
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					break read
				}
				seen = append(seen, line)
				if m := pattern.FindStringSubmatch(line); m != nil {
					return m
				}
			case <-limit:
				break read
			}
		}
		t.Fatalf("no line matches %q:\n%s\nstderr:\n%s", re, strings.Join(seen, "\n"), stderr.String())
		return nil
	}
	// The start-up lines fit 80 columns (standard output is a pipe), and
	// what is to be copied is whole: the fingerprint broken between its
	// pairs, each command on lines of its own, continued as a shell
	// continues a line.
	waitFor(`type: fault NAME on\|off`)
	startup := append([]string(nil), seen...)
	for _, line := range startup {
		if w := ansi.StringWidth(line); w > 80 {
			t.Errorf("a start-up line is %d columns wide, more than 80: %q", w, line)
		}
	}
	find := func(re string) (match []string, index int) {
		t.Helper()
		pattern := regexp.MustCompile(re)
		for i, line := range startup {
			if m := pattern.FindStringSubmatch(line); m != nil {
				return m, i
			}
		}
		t.Fatalf("no start-up line matches %q:\n%s", re, strings.Join(startup, "\n"))
		return nil, 0
	}
	m, _ := find(`listening on (127\.0\.0\.1:\d+)`)
	addr := m[1]
	find(`log in as: alice \(password as given\), anonymous`)
	m, i := find(`^ +SHA-256 ((?:[0-9A-F]{2}:)+)$`)
	fingerprint := m[1] + strings.TrimSpace(startup[i+1])
	if !regexp.MustCompile(`^([0-9A-F]{2}:){31}[0-9A-F]{2}$`).MatchString(fingerprint) {
		t.Errorf("the fingerprint reads %q", fingerprint)
	}
	m, i = find(`^ +curl .*`)
	curl := strings.TrimSpace(m[0])
	for ; strings.HasSuffix(curl, " \\") && i+1 < len(startup); i++ {
		curl = strings.TrimSuffix(curl, "\\") + strings.TrimSpace(startup[i+1])
	}
	ca, found := strings.CutPrefix(curl, "curl --ssl-reqd --cacert ")
	ca, found2 := strings.CutSuffix(ca, " ftp://"+addr+"/")
	if !found || !found2 {
		t.Fatalf("the curl command reads %q", curl)
	}
	if _, err := os.Stat(ca); err != nil {
		t.Fatalf("the certificate file: %v", err)
	}
	find(`^ +ftpscope --tls ftp://` + regexp.QuoteMeta(addr) + `$`)
	find(`faults on: no-pasv$`)
	find(`^ +ftpscope ` + regexp.QuoteMeta(addr) + `$`)

	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	for _, step := range []struct{ send, want string }{
		{"", "220 "},
		{"USER alice", "331 "},
		{"PASS " + secret, "230 "},
		{"PASV", "550 Permission denied."},
	} {
		if step.send != "" {
			conn.Write([]byte(step.send + "\r\n"))
		}
		if line, err := r.ReadString('\n'); err != nil || !strings.HasPrefix(line, step.want) {
			t.Fatalf("after %q: %q, %v; want %q", step.send, line, err, step.want)
		}
	}
	waitFor(`#1 +> PASS \*\*\*\*$`)
	waitFor(`#1 +< 550 Permission denied\.$`)

	// The teacher switches the fault off from serve's terminal.
	stdin.Write([]byte("fault nope on\n"))
	waitFor(`✗ there is no fault named "nope"; the faults are no-pasv, `)
	stdin.Write([]byte("fault no-pasvv on\n"))
	waitFor(`✗ there is no fault named "no-pasvv" \(did you mean no-pasv\?\); the faults are`)
	stdin.Write([]byte("fault no-pasv\n"))
	waitFor(`fault no-pasv is on; type fault no-pasv off to switch it off$`)
	stdin.Write([]byte("fault no-pasv off\n"))
	waitFor(`· fault no-pasv off$`)
	conn.Write([]byte("PASV\r\n"))
	if line, err := r.ReadString('\n'); err != nil || !strings.HasPrefix(line, "227 Entering Passive Mode (127,0,0,1,") {
		t.Fatalf("PASV after the fault went off: %q, %v", line, err)
	}

	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	for range lines {
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve after ctrl+c: %v, want exit status 0; stderr:\n%s", err, stderr.String())
	}
	for _, line := range seen {
		if strings.Contains(line, secret) {
			t.Errorf("the log shows the password: %q", line)
		}
	}
	if _, err := os.Stat(ca); !os.IsNotExist(err) {
		t.Errorf("the certificate file is left behind: %v", err)
	}
	if !strings.Contains(stderr.String(), "stopped") {
		t.Errorf("stderr %q does not say the server stopped", stderr.String())
	}
}

// TestServePortInUse checks that a port already taken is a failure to
// start (exit 1), said in one sentence with what to do.
func TestServePortInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	stderr, err := executeRoot(t, "serve", "--listen", l.Addr().String())
	if code := exitCode(err); code != exitFailure {
		t.Errorf("exit %d (error %v), want %d", code, err, exitFailure)
	}
	want := "ftpscope: " + l.Addr().String() + " is already in use: choose another port with --listen (port 0 picks a free one)\n"
	if stderr != want {
		t.Errorf("standard error %q, want %q", stderr, want)
	}
}

// TestServeWrapsToTheTerminal runs serve in a 60-column terminal: its
// start-up lines are wrapped to it by serve, at spaces, so that the
// terminal breaks no token: each command is whole on rows of its own
// (a long one continued with " \"), and the fingerprint is broken only
// between its pairs.
func TestServeWrapsToTheTerminal(t *testing.T) {
	bin := buildBinary(t)
	term := tmuxtest.Start(t, 60, 30, []string{"TERM=xterm-256color"}, bin, "serve", "--listen", "127.0.0.1:0", "--tls")
	screen := term.WaitFor("type: fault NAME")
	m := regexp.MustCompile(`listening on (127\.0\.0\.1:\d+)`).FindStringSubmatch(screen)
	if m == nil {
		t.Fatalf("no address:\n%s", screen)
	}
	addr := m[1]
	rows := strings.Split(screen, "\n")
	has := func(row string) bool {
		for _, r := range rows {
			if strings.TrimSpace(r) == row {
				return true
			}
		}
		return false
	}
	for _, command := range []string{"ftpscope --tls ftp://" + addr, "ftpscope " + addr} {
		if !has(command) {
			t.Errorf("%q is not whole on a row of its own:\n%s", command, screen)
		}
	}
	var curl, fingerprint string
	for i, r := range rows {
		r = strings.TrimSpace(r)
		switch {
		case strings.HasPrefix(r, "curl "):
			curl = r
			for j := i + 1; strings.HasSuffix(curl, " \\") && j < len(rows); j++ {
				curl = strings.TrimSuffix(curl, "\\") + strings.TrimSpace(rows[j])
			}
		case strings.HasPrefix(r, "SHA-256 "):
			fingerprint = strings.TrimPrefix(r, "SHA-256 ")
			for j := i + 1; strings.HasSuffix(fingerprint, ":") && j < len(rows); j++ {
				fingerprint += strings.TrimSpace(rows[j])
			}
		}
	}
	if !regexp.MustCompile(`^curl --ssl-reqd --cacert /\S+\.pem ftp://` + regexp.QuoteMeta(addr) + `/$`).MatchString(curl) {
		t.Errorf("the curl command reads %q:\n%s", curl, screen)
	}
	if !regexp.MustCompile(`^([0-9A-F]{2}:){31}[0-9A-F]{2}$`).MatchString(fingerprint) {
		t.Errorf("the fingerprint reads %q:\n%s", fingerprint, screen)
	}
	term.Keys("C-c")
	term.WaitFor("[exited 0]")
}
