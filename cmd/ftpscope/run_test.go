package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/sandbox"
)

// secret is a password that must never appear in any output.
const secret = "s3cr3t-Pa55"

// startSandbox starts a sandbox server for one test and stops it after.
func startSandbox(t *testing.T, opts sandbox.Options) *sandbox.Server {
	t.Helper()
	srv, err := sandbox.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// runResult is what one in-process run of ftpscope run produced.
type runResult struct {
	stdout, stderr string
	code           int
	err            error
}

// runInProcess runs "ftpscope run args..." in this process, with script on
// standard input, as main would, and returns its output and exit status.
func runInProcess(t *testing.T, script string, args ...string) runResult {
	t.Helper()
	root := newRootCommand()
	root.SetArgs(append([]string{"run", "--reply-timeout", "10s"}, args...))
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetIn(strings.NewReader(script))
	root.SilenceUsage, root.SilenceErrors = true, true // as execute does
	err := root.ExecuteContext(context.Background())
	return runResult{stdout: out.String(), stderr: errOut.String(), code: exitCode(err), err: err}
}

// sentLines returns the commands a text transcript shows as sent.
func sentLines(transcript string) []string {
	var sent []string
	for _, l := range strings.Split(transcript, "\n") {
		if strings.HasPrefix(l, "> ") {
			sent = append(sent, strings.TrimPrefix(l, "> "))
		}
	}
	return sent
}

// check compares a run with what a test case expects, and logs the whole
// transcript when it does not match.
func check(t *testing.T, res runResult, code int, want, notWant []string) {
	t.Helper()
	if res.code != code {
		t.Errorf("exit status %d (error %v), want %d", res.code, res.err, code)
	}
	for _, w := range want {
		if !strings.Contains(res.stdout, w) {
			t.Errorf("the transcript lacks %q", w)
		}
	}
	for _, w := range notWant {
		if strings.Contains(res.stdout, w) || strings.Contains(res.stderr, w) {
			t.Errorf("the output contains %q", w)
		}
	}
	if t.Failed() {
		t.Logf("stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	}
}

// TestRunTextTranscript plays scripts against the sandbox and checks the
// text transcript: explanations, narration, masking, escaping, and the
// exit status when the server closes early or a line is refused.
func TestRunTextTranscript(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{})
	url := "ftp://" + srv.Addr
	tests := []struct {
		name    string
		args    []string
		script  string
		code    int
		want    []string
		notWant []string
		sent    []string // every command sent, in order, when not nil
	}{{
		name:   "login, explanations and a masked password",
		args:   []string{url},
		script: "# Log in as the demo user.\nUSER demo\n\nPASS demo\nALLO 100\nQUIT\n",
		code:   exitOK,
		want: []string{
			"· connected to " + srv.Addr,
			"< 220 ftpscope sandbox ready.",
			"  220 Service ready: ",
			"# Log in as the demo user.\n> USER demo\n",
			"< 331 ",
			"  331 User name okay, need password: Send PASS next.\n",
			"> PASS ****\n! the password was sent in clear text",
			"< 230 ",
			"  230 User logged in: ",
			"> ALLO 100\n< 202 ",
			"  202 Command superfluous: ",
			"< 221 ",
			"· disconnected: ",
		},
		notWant: []string{"PASS demo", "not listed"},
		sent:    []string{"USER demo", "PASS ****", "ALLO 100", "QUIT"},
	}, {
		name:    "a password never printed",
		args:    []string{url},
		script:  "USER anonymous\nPASS " + secret + "\nQUIT\n",
		code:    exitOK,
		want:    []string{"> PASS ****", "< 230 "},
		notWant: []string{secret},
	}, {
		name:   "a reply the RFCs do not list",
		args:   []string{"--allow-failures", url},
		script: "SYST\n",
		code:   exitOK,
		want:   []string{"< 530 ", "  not listed: the RFCs do not list 530 as a reply to SYST; they list 215 "},
	}, {
		name:    "--login sends the URL's credentials, masked",
		args:    []string{"--login", "ftp://anonymous:" + secret + "@" + srv.Addr},
		script:  "PWD\n",
		code:    exitOK,
		want:    []string{"> USER anonymous\n", "> PASS ****\n", "< 230 ", "> PWD\n< 257 ", "· disconnected: closed by ftpscope"},
		notWant: []string{secret},
		sent:    []string{"USER anonymous", "PASS ****", "PWD"},
	}, {
		name:    "a user in the URL is not sent without --login",
		args:    []string{"ftp://anonymous:" + secret + "@" + srv.Addr},
		script:  "NOOP\n",
		code:    exitOK,
		want:    []string{`the URL names user "anonymous", which is not sent`},
		notWant: []string{secret},
		sent:    []string{"NOOP"},
	}, {
		name:   "the server closes before the script ends",
		args:   []string{url},
		script: "QUIT\nNOOP\n",
		code:   exitFailure,
		want:   []string{"< 221 ", "· disconnected: the session ended (221)", "✗ The connection closed before the script ended: line 2 (NOOP) was not sent."},
		sent:   []string{"QUIT"},
	}, {
		name:    "after a refused login, LIST is not announced with 425",
		args:    []string{"--allow-failures", url},
		script:  "USER demo\nPASS wrong\nEPSV\nLIST\nQUIT\n",
		code:    exitOK,
		want:    []string{"< 530 ", "! LIST needs a login and a data connection, and neither is there: log in (USER, then PASS), then send PASV or EPSV. Sending it anyway; expect 530."},
		notWant: []string{"expect 425", "refused EPSV"},
	}, {
		// EPSV refused with 530 before the login says nothing about EPSV:
		// after logging in, the advice is the usual one, not "send PASV".
		name:    "EPSV refused before the login is not advised against",
		args:    []string{"--allow-failures", url},
		script:  "EPSV\nUSER demo\nPASS demo\nLIST\nQUIT\n",
		code:    exitOK,
		want:    []string{"> EPSV\n< 530 ", "! LIST needs a data connection, and none is prepared: send PASV or EPSV (or PORT/EPRT) first. Sending it anyway; expect 425.", "Send PASV (or EPSV) and then the transfer command again"},
		notWant: []string{"refused EPSV", "Try PASV"},
	}, {
		name:   "a failed reply fails the script without --allow-failures",
		args:   []string{url},
		script: "USER demo\nPASS wrong\nQUIT\n",
		code:   exitFailure,
		want:   []string{"< 530 ", "< 221 "},
	}, {
		name:   "a missing upload file stops the script",
		args:   []string{url},
		script: "USER demo\nSTOR x < " + filepath.Join(t.TempDir(), "missing") + "\nNOOP\n",
		code:   exitFailure,
		want:   []string{"✗ The script stopped at line 2 (STOR x < ", "no such file"},
		sent:   []string{"USER demo"},
	}, {
		name:   "a carriage return inside a line is refused",
		args:   []string{url},
		script: "NOOP\rDELE README.txt\nNOOP\n",
		code:   exitFailure,
		want:   []string{"✗ The script stopped at line 1: a command cannot contain a line break"},
		sent:   []string{},
	}, {
		name:   "control characters from the server are escaped",
		args:   []string{"--allow-failures", url},
		script: "USER demo\nPASS demo\nCWD \x1b[2J\n",
		code:   exitOK,
		want:   []string{`> CWD \x1b[2J`, `< 550 Directory change to /\x1b[2J failed.`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runInProcess(t, tt.script, tt.args...)
			check(t, res, tt.code, tt.want, tt.notWant)
			if strings.Contains(res.stdout, "\x1b") {
				t.Errorf("an escape character reached the output")
			}
			if tt.sent != nil {
				if got := sentLines(res.stdout); strings.Join(got, "|") != strings.Join(tt.sent, "|") {
					t.Errorf("sent %q, want %q", got, tt.sent)
				}
			}
		})
	}
}

// decodeJSONLines decodes every line of a --json transcript, failing the
// test on a line that is not one JSON object with a kind and a valid time.
func decodeJSONLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	kinds := map[string]bool{"connect": true, "send": true, "reply": true, "data": true, "tls": true, "warning": true, "error": true, "close": true, "finding": true, "timing": true}
	var objs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var obj map[string]any
		if err := json.Unmarshal(sc.Bytes(), &obj); err != nil {
			t.Fatalf("line %q is not a JSON object: %v", sc.Text(), err)
		}
		if kind, _ := obj["kind"].(string); !kinds[kind] {
			t.Errorf("line %q has kind %v", sc.Text(), obj["kind"])
		}
		ts, _ := obj["time"].(string)
		if _, err := time.Parse(time.RFC3339Nano, ts); err != nil || !strings.HasSuffix(ts, "Z") {
			t.Errorf("line %q: time %q is not RFC 3339 in UTC (%v)", sc.Text(), ts, err)
		}
		objs = append(objs, obj)
	}
	if len(objs) == 0 {
		t.Fatal("no JSON output")
	}
	return objs
}

// ofKind returns the objects of one kind.
func ofKind(objs []map[string]any, kind string) []map[string]any {
	var out []map[string]any
	for _, o := range objs {
		if o["kind"] == kind {
			out = append(out, o)
		}
	}
	return out
}

// TestRunJSON checks that --json prints one valid object per line, with
// the kinds, times, codes and masked commands the help promises.
func TestRunJSON(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{})
	script := "# Narration is not output in JSON.\nSYST\nUSER anonymous\nPASS " + secret + "\nQUIT\n"
	res := runInProcess(t, script, "--json", "--allow-failures", "ftp://"+srv.Addr)
	check(t, res, exitOK, nil, []string{secret, "Narration"})
	objs := decodeJSONLines(t, res.stdout)
	if objs[0]["kind"] != "connect" || objs[len(objs)-1]["kind"] != "close" {
		t.Errorf("the transcript runs from %v to %v, want connect to close", objs[0]["kind"], objs[len(objs)-1]["kind"])
	}

	var sent []string
	for _, o := range ofKind(objs, "send") {
		sent = append(sent, o["line"].(string))
		if _, ok := o["seq"].(float64); !ok {
			t.Errorf("send %v has no seq", o)
		}
	}
	if want := "SYST|USER anonymous|PASS ****|QUIT"; strings.Join(sent, "|") != want {
		t.Errorf("sent %q, want %s", sent, want)
	}

	replies := ofKind(objs, "reply")
	wantCodes := []float64{220, 530, 331, 230, 221}
	if len(replies) != len(wantCodes) {
		t.Fatalf("%d replies, want %d", len(replies), len(wantCodes))
	}
	for i, r := range replies {
		if r["code"] != wantCodes[i] {
			t.Errorf("reply %d: code %v, want %v", i, r["code"], wantCodes[i])
		}
		if lines, _ := r["lines"].([]any); len(lines) == 0 || !strings.HasPrefix(lines[0].(string), fmt.Sprint(wantCodes[i])+" ") {
			t.Errorf("reply %d: lines %v", i, r["lines"])
		}
		if _, ok := r["rtt_ms"].(float64); !ok {
			t.Errorf("reply %d has no rtt_ms: %v", i, r)
		}
		if r["name"] == "" || r["class"] == "" || r["command"] == nil {
			t.Errorf("reply %d lacks name, class or command: %v", i, r)
		}
	}
	if r := replies[2]; r["class"] != "positive intermediate" || r["name"] != "User name okay, need password" || r["command"] != "USER anonymous" || r["listed"] != true {
		t.Errorf("the 331 reply is %v", r)
	}
	if r := replies[3]; r["command"] != "PASS ****" {
		t.Errorf("the 230 reply answers %v, want the masked PASS", r["command"])
	}
	if r := replies[1]; r["listed"] != false || r["expected"] == nil {
		t.Errorf("the 530 to SYST should be marked as not listed, with the expected replies: %v", r)
	}
	if r := replies[0]; r["command"] != "(connection)" || r["seq"] != float64(0) {
		t.Errorf("the greeting is %v", r)
	}

	// An anonymous login's password is no secret: no warning that it was
	// exposed (the text transcript notes the clear-text session; JSON
	// leaves ftpscope's notes out).
	if warnings := ofKind(objs, "warning"); len(warnings) != 0 {
		t.Errorf("want no warning for an anonymous login, got %v", warnings)
	}
}

// TestRunDataTransfers checks PASV, EPSV, LIST and RETR: the decoded
// passive address, the data connection lines and the byte count.
func TestRunDataTransfers(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{})
	login := "USER demo\nPASS demo\nTYPE I\n"

	t.Run("text", func(t *testing.T) {
		res := runInProcess(t, login+"PASV\nLIST\nPASV\nRETR pub/hello.txt\nQUIT\n", "ftp://"+srv.Addr)
		check(t, res, exitOK, []string{
			"> PASV\n< 227 ",
			"· data address: 127.0.0.1, port ",
			"· data connection open: ",
			"> LIST\n< 150 ",
			"> RETR pub/hello.txt\n< 150 ",
			"· data connection closed: 30 bytes received",
			"< 221 ",
		}, nil)
		if n := strings.Count(res.stdout, "· data connection closed: "); n != 2 {
			t.Errorf("%d data connections closed, want 2", n)
		}
	})

	t.Run("json with a local file", func(t *testing.T) {
		saved := filepath.Join(t.TempDir(), "hello.txt")
		res := runInProcess(t, login+"EPSV\nRETR pub/hello.txt > "+saved+"\n", "--json", "ftp://"+srv.Addr)
		check(t, res, exitOK, nil, nil)
		objs := decodeJSONLines(t, res.stdout)
		data := ofKind(objs, "data")
		if len(data) != 3 {
			t.Fatalf("%d data objects, want open, close and saved: %v", len(data), data)
		}
		open, closed, kept := data[0], data[1], data[2]
		if open["phase"] != "open" || closed["phase"] != "close" || kept["phase"] != "saved" {
			t.Errorf("phases %v, %v, %v; want open, close, saved", open["phase"], closed["phase"], kept["phase"])
		}
		if open["seq"] != closed["seq"] || kept["seq"] != closed["seq"] {
			t.Errorf("seq %v, %v, %v: want the RETR's number on all three", open["seq"], closed["seq"], kept["seq"])
		}
		if kept["kept"] != true || kept["local_file"] != saved || kept["error"] != nil {
			t.Errorf("the saved data object is %v, want the file kept without error", kept)
		}
		if closed["bytes"] != float64(30) || closed["direction"] != "download" || closed["verb"] != "RETR" ||
			closed["protected"] != false || closed["remote"] == "" || closed["local_file"] != saved || closed["error"] != nil {
			t.Errorf("the closing data object is %v", closed)
		}
		for _, r := range ofKind(objs, "reply") {
			if r["command"] == "EPSV" && !strings.Contains(r["note"].(string), "data address") {
				t.Errorf("the 229 reply lacks its decoded address: %v", r)
			}
		}
		if got, err := os.ReadFile(saved); err != nil || string(got) != "Hello over a data connection!\n" {
			t.Errorf("saved file: %q, %v", got, err)
		}
	})

	t.Run("a passive address that is not the server's", func(t *testing.T) {
		nat := startSandbox(t, sandbox.Options{PublicIP: "127.0.0.2"})
		res := runInProcess(t, login+"PASV\nLIST\n", "ftp://"+nat.Addr)
		check(t, res, exitOK, []string{
			"· data address: 127.0.0.2, port ",
			"! the server announced 127.0.0.2 (a loopback address other than the one you connected to)",
			"· data connection closed: ",
		}, nil)
	})
}

// TestRunTLS checks --tls and --insecure: an accepted self-signed
// certificate is described, an untrusted one or a refused AUTH TLS stops
// the session with nothing sent after AUTH TLS.
func TestRunTLS(t *testing.T) {
	tlsSrv := startSandbox(t, sandbox.Options{TLS: true})
	plain := startSandbox(t, sandbox.Options{})
	login := "USER demo\nPASS demo\nQUIT\n"
	tests := []struct {
		name    string
		args    []string
		code    int
		want    []string
		notWant []string
		sent    []string
	}{{
		name: "--insecure accepts and describes a self-signed certificate",
		args: []string{"--tls", "--insecure", "ftp://" + tlsSrv.Addr},
		code: exitOK,
		want: []string{
			"> AUTH TLS\n< 234 ",
			"· control connection protected: TLS 1.",
			"certificate NOT verified",
			"· certificate: subject CN=ftpscope sandbox",
			"< 230 ",
		},
		notWant: []string{"clear text", "PASS demo"},
		sent:    []string{"AUTH TLS", "USER demo", "PASS ****", "QUIT"},
	}, {
		name: "an untrusted certificate stops the session",
		args: []string{"--tls", "ftp://" + tlsSrv.Addr},
		code: exitFailure,
		want: []string{"> AUTH TLS\n", "✗ the server's certificate (subject ftpscope sandbox) is self-signed",
			// The finding asks to compare the fingerprint: it is shown.
			"· certificate: subject CN=ftpscope sandbox,O=ftpscope, issued by CN=ftpscope sandbox,O=ftpscope, valid ", "SHA-256 " + tlsSrv.Cert.Fingerprint(),
			"or use --insecure"},
		notWant: []string{"control connection protected", "x509:"},
		sent:    []string{"AUTH TLS"},
	}, {
		name: "a server without TLS: nothing is sent after AUTH TLS",
		args: []string{"--tls", "ftp://" + plain.Addr},
		code: exitFailure,
		want: []string{"> AUTH TLS\n< 530 ", "✗ the server refused AUTH TLS", "nothing more was sent", "· disconnected after the error above"},
		sent: []string{"AUTH TLS"},
	}, {
		name:    "the sandbox's own certificate is trusted",
		args:    []string{"--sandbox", "--tls", "--login"},
		code:    exitOK,
		want:    []string{"· control connection protected: TLS 1.", "> USER demo", "> PASS ****", "< 230 "},
		notWant: []string{"NOT verified", "clear text"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runInProcess(t, login, tt.args...)
			check(t, res, tt.code, tt.want, tt.notWant)
			if tt.sent != nil {
				if got := sentLines(res.stdout); strings.Join(got, "|") != strings.Join(tt.sent, "|") {
					t.Errorf("sent %q, want %q", got, tt.sent)
				}
			}
		})
	}

	t.Run("a scripted AUTH TLS whose certificate fails says so at the end", func(t *testing.T) {
		res := runInProcess(t, "AUTH TLS\nUSER demo\n", "ftp://"+tlsSrv.Addr)
		check(t, res, exitFailure, []string{"< 234 ", "✗ the server's certificate (subject ftpscope sandbox) is self-signed"}, []string{"got no final reply", "x509:"})
		if res.stderr != "" {
			t.Errorf("the error was printed twice, on standard error too: %q", res.stderr)
		}
	})
	t.Run("json describes the certificate", func(t *testing.T) {
		res := runInProcess(t, login, "--json", "--tls", "--insecure", "ftp://"+tlsSrv.Addr)
		check(t, res, exitOK, nil, []string{"PASS demo"})
		tlsObjs := ofKind(decodeJSONLines(t, res.stdout), "tls")
		if len(tlsObjs) != 1 {
			t.Fatalf("%d tls objects, want 1", len(tlsObjs))
		}
		o := tlsObjs[0]
		cert, _ := o["certificate"].(map[string]any)
		if o["connection"] != "control" || o["trusted"] != false || o["version"] == "" || o["cipher"] == "" || cert == nil {
			t.Fatalf("the tls object is %v", o)
		}
		sum := sha256.Sum256(tlsSrv.Cert.TLS.Certificate[0])
		if want := strings.ToUpper(hex.EncodeToString(sum[:])); strings.ReplaceAll(cert["sha256"].(string), ":", "") != want {
			t.Errorf("certificate fingerprint %v, want %s", cert["sha256"], want)
		}
		for _, field := range []string{"subject", "issuer", "not_before", "not_after", "problem"} {
			if s, _ := cert[field].(string); s == "" {
				t.Errorf("certificate %s is empty: %v", field, cert)
			}
		}
		if _, err := time.Parse(time.RFC3339, cert["not_after"].(string)); err != nil {
			t.Errorf("not_after: %v", err)
		}
	})
	t.Run("json describes a refused certificate on its error", func(t *testing.T) {
		res := runInProcess(t, login, "--json", "--tls", "ftp://"+tlsSrv.Addr)
		check(t, res, exitFailure, nil, nil)
		errs := ofKind(decodeJSONLines(t, res.stdout), "error")
		if len(errs) != 1 {
			t.Fatalf("%d error objects, want 1:\n%s", len(errs), res.stdout)
		}
		cert, _ := errs[0]["certificate"].(map[string]any)
		if cert == nil || cert["sha256"] != tlsSrv.Cert.Fingerprint() || cert["subject"] != "CN=ftpscope sandbox,O=ftpscope" || cert["problem"] == "" {
			t.Errorf("the error object should describe the certificate: %v", errs[0])
		}
	})
}

// listenForNothing listens on loopback for a test that must not connect,
// and returns its address and a function that reports whether anything
// connected to it.
func listenForNothing(t *testing.T) (string, func() bool) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().String(), func() bool {
		// A connection completes in the kernel, before Accept: a short
		// deadline is enough to find one.
		ln.(*net.TCPListener).SetDeadline(time.Now().Add(50 * time.Millisecond))
		c, err := ln.Accept()
		if err != nil {
			return false
		}
		c.Close()
		return true
	}
}

// TestRunUsageErrors checks that command-line mistakes exit with status 2
// before anything connects, with one sentence that never shows a
// password.
func TestRunUsageErrors(t *testing.T) {
	folder := t.TempDir()
	tests := []struct {
		name string
		args func(addr string) []string // addr listens, and must not be connected to
		want string
	}{
		{"bad URL", func(string) []string { return []string{"http://example.org"} }, "unsupported scheme"},
		{"bad port", func(string) []string { return []string{"ftp://127.0.0.1:99999"} }, "1 to 65535"},
		{"no URL", func(string) []string { return nil }, "run needs a server"},
		{"URL and --sandbox", func(a string) []string { return []string{"--sandbox", a} }, "not both"},
		{"missing script", func(a string) []string { return []string{"--script", filepath.Join(folder, "lesson.txt"), a} }, "cannot read the script"},
		{"script is a folder", func(a string) []string { return []string{"--script", folder, a} },
			"cannot read the script " + folder + ": it is a folder, not a file"},
		{"unknown flag", func(a string) []string { return []string{"--nope", a} }, "there is no flag --nope"},
		{"bad --pasv-address", func(a string) []string { return []string{"--pasv-address=nat", a} }, "peer or server"},
		{"--login without a user", func(a string) []string { return []string{"--login", a} }, "--login needs a user"},
		{"two URLs", func(a string) []string { return []string{a, a} }, "takes at most one server URL (quote it if it contains spaces)"},
		{"a reply timeout that is not a duration", func(a string) []string { return []string{"--reply-timeout", "abc", a} },
			`--reply-timeout "abc" is not a duration: write it like 30s or 2m`},
		{"a connect timeout that is not a duration", func(a string) []string { return []string{"--connect-timeout=5", a} },
			`--connect-timeout "5" is not a duration`},
		{"--tls with ftps://", func(a string) []string { return []string{"--tls", "ftps://" + a} },
			"--tls asks for explicit TLS (AUTH TLS) but ftps:// already means implicit TLS: use one of them"},
		{"a second colon", func(a string) []string { return []string{a + ":5"} }, "is not a valid address: write host:port, or [ipv6]:port"},
		{"a path", func(a string) []string { return []string{"ftp://" + a + "/some/path"} },
			"connects to the server only: leave /some/path out and type CWD /some/path after logging in"},
		{"a query", func(a string) []string { return []string{"ftp://" + a + "?x=1"} }, "connects to the server only"},
		{"a fragment", func(a string) []string { return []string{"ftp://" + a + "#frag"} }, "connects to the server only"},
		{"a password in a URL missing its ]", func(string) []string { return []string{"ftp://bob:" + secret + "@[::1"} },
			`"ftp://bob:****@[::1" is not a valid FTP URL`},
		{"a password in a URL with a bad port", func(string) []string { return []string{"ftp://bob:" + secret + "@127.0.0.1:abc"} },
			`"ftp://bob:****@127.0.0.1:abc"`},
		{"a password in a URL with no host", func(string) []string { return []string{"ftp://bob:" + secret + "@"} },
			`"ftp://bob:****@" names no host`},
		{"a password with a bad escape", func(a string) []string { return []string{"ftp://bob:" + secret + "%ZZ@" + a} },
			`escape the password's special characters`},
		{"a password in a URL with a path", func(a string) []string { return []string{"--login", "ftp://bob:" + secret + "@" + a + "/pub"} },
			`"ftp://bob:****@` + "127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, connected := listenForNothing(t)
			res := runInProcess(t, "NOOP\n", tt.args(addr)...)
			if res.code != exitUsage || res.err == nil || !strings.Contains(res.err.Error(), tt.want) {
				t.Errorf("exit %d, error %v\nwant exit %d and an error containing %q", res.code, res.err, exitUsage, tt.want)
			}
			if res.err != nil && strings.Contains(res.err.Error(), secret) {
				t.Errorf("the error shows the password: %v", res.err)
			}
			if res.stdout != "" {
				t.Errorf("a usage error printed a transcript:\n%s", res.stdout)
			}
			if connected() {
				t.Errorf("ftpscope connected to %s before reporting the usage error", addr)
			}
		})
	}
}

// TestRunConnectionRefused checks that a port nobody listens on is
// explained, in the transcript and in the final error.
func TestRunConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // now nothing listens there
	what := "nothing is listening on " + addr + ", so the connection was refused"
	hint := what + ": check the host and port, and that the server is running"

	res := runInProcess(t, "NOOP\n", addr)
	check(t, res, exitFailure, []string{"✗ " + hint + "\n", "· disconnected after the error above"}, []string{"dial tcp"})
	if res.err == nil || res.err.Error() != hint {
		t.Errorf("error %v, want %q", res.err, hint)
	}

	// JSON has the plain line too, and Go's own words apart, in detail.
	res = runInProcess(t, "NOOP\n", "--json", addr)
	check(t, res, exitFailure, nil, nil)
	objs := decodeJSONLines(t, res.stdout)
	if errs := ofKind(objs, "error"); len(errs) != 1 || errs[0]["line"] != hint || errs[0]["cause"] != "refused" {
		t.Errorf("error objects %v, want one with line %q and cause refused", errs, hint)
	} else if d, _ := errs[0]["detail"].(string); !strings.Contains(d, "connect: connection refused") {
		t.Errorf("error detail %q, want Go's own text", d)
	}
	if closes := ofKind(objs, "close"); len(closes) != 1 || closes[0]["line"] != "connection lost: "+what {
		t.Errorf("close objects %v, want one with line %q", closes, "connection lost: "+what)
	}
}

// TestRunScriptFile reads a script with CRLF line endings from --script,
// ignoring standard input.
func TestRunScriptFile(t *testing.T) {
	script := filepath.Join(t.TempDir(), "lesson.txt")
	lesson := "# Windows line endings are fine.\r\nUSER demo\r\nPASS demo\r\n\r\n   # indented comment\r\nQUIT\r\n"
	if err := os.WriteFile(script, []byte(lesson), 0o644); err != nil {
		t.Fatal(err)
	}
	res := runInProcess(t, "NOOP\n", "--sandbox", "--script", script)
	check(t, res, exitOK, []string{"· sandbox FTP server on 127.0.0.1:", "# Windows line endings are fine.\n", "# indented comment\n", "< 221 "}, []string{"NOOP"})
}

// TestRunBinaryExitStatus runs the real binary, so that main's mapping of
// errors to exit statuses is checked too.
func TestRunBinaryExitStatus(t *testing.T) {
	bin := buildBinary(t)
	tests := []struct {
		name   string
		args   []string
		script string
		code   int
		stderr string
	}{
		{"script completed", []string{"run", "--sandbox"}, "NOOP\nQUIT\n", exitOK, ""},
		// Printed once, in the transcript: nothing on standard error.
		{"closed before the end", []string{"run", "--sandbox"}, "QUIT\nNOOP\n", exitFailure, ""},
		{"a failed reply", []string{"run", "--sandbox"}, "USER demo\nPASS wrong\nQUIT\n", exitFailure,
			"ftpscope: the script ran to its end, but line 2 (PASS ****) was answered 530 (--allow-failures accepts 4xx and 5xx replies)\n"},
		{"a failed reply allowed", []string{"run", "--sandbox", "--allow-failures"}, "USER demo\nPASS wrong\nQUIT\n", exitOK, ""},
		{"a refused login, then LIST", []string{"run", "--sandbox", "--allow-failures"}, "USER demo\nPASS wrong\nPASV\nLIST\nQUIT\n", exitOK, ""},
		{"usage error", []string{"run", "http://example.org"}, "", exitUsage, "unsupported scheme"},
		{"a usage error of run points at run --help", []string{"run", "--reply-timeout", "abc", "127.0.0.1:1"}, "", exitUsage,
			"ftpscope: --reply-timeout \"abc\" is not a duration: write it like 30s or 2m\nRun 'ftpscope run --help' for usage.\n"},
		{"a password in a bad URL is masked", []string{"run", "ftp://bob:" + secret + "@[::1"}, "", exitUsage,
			"ftpscope: \"ftp://bob:****@[::1\" is not a valid FTP URL (missing ']' in host): write it as ftp://user@host:port\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(bin, tt.args...)
			cmd.Stdin = strings.NewReader(tt.script)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.code || !strings.Contains(stderr.String(), tt.stderr) || tt.stderr == "" && stderr.Len() > 0 {
				t.Errorf("exit %d, stderr %q; want exit %d and %q\nstdout:\n%s", code, stderr.String(), tt.code, tt.stderr, stdout.String())
			}
			if strings.Contains(stdout.String()+stderr.String(), secret) {
				t.Errorf("the output shows the password:\n%s%s", stdout.String(), stderr.String())
			}
		})
	}
}
