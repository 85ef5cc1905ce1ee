package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/internal/atomicfile"
	"github.com/ftpscope/ftpscope/internal/goldentest"
	"github.com/ftpscope/ftpscope/protocol"
)

// update rewrites the golden files. This package does not link teatest,
// whose golden package defines a flag of the same name, so it is defined
// here.
var _ = flag.Bool("update", false, "rewrite the golden files in testdata")

var testCatalog = catalog.MustLoad()

// start is the fixed time of the first event of every test session.
var start = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// narration and note are script steps that are not events: a "# comment"
// for Narrate, a note of ftpscope's own for Info.
type (
	narration string
	note      string
)

// clock stamps events one millisecond apart, from start.
type clock struct{ n int }

func (c *clock) next() time.Time {
	c.n++
	return start.Add(time.Duration(c.n) * time.Millisecond)
}

// reply builds a reply event the way a session reports one, feeding the
// raw lines (joined with CRLF) through protocol.NewReplyReader.
func reply(c *clock, seq int, command string, lines ...string) protocol.Event {
	return rawReply(c, seq, command, strings.Join(lines, "\r\n")+"\r\n")
}

// rawReply is reply for bytes exactly as the server sent them.
func rawReply(c *clock, seq int, command, raw string) protocol.Event {
	r, err := protocol.NewReplyReader(strings.NewReader(raw)).ReadReply()
	if err != nil {
		panic(err)
	}
	verb := strings.Fields(command + " x")[0]
	if command == protocol.GreetingVerb || command == "" {
		verb = command
	}
	return protocol.Event{Kind: protocol.EventReply, Time: c.next(), Reply: r, Command: command, Verb: verb, RTT: 1500 * time.Microsecond, Seq: seq}
}

func sent(c *clock, seq int, line string) protocol.Event {
	return protocol.Event{Kind: protocol.EventSend, Time: c.next(), Line: line, Seq: seq}
}

func event(c *clock, kind protocol.EventKind, line string) protocol.Event {
	return protocol.Event{Kind: kind, Time: c.next(), Line: line}
}

func withNote(ev protocol.Event, note string) protocol.Event {
	ev.Note = note
	return ev
}

func connect(c *clock) protocol.Event {
	return event(c, protocol.EventConnect, "connected to 127.0.0.1:2121 from 127.0.0.1:50000")
}

// lessonSession is a classroom demonstration: log in, look around, list
// a folder over a passive data connection, and leave.
func lessonSession() []any {
	c := &clock{}
	listing := &protocol.DataInfo{Phase: protocol.DataClosed, Direction: "download", Verb: "LIST",
		Local: "127.0.0.1:50001", Remote: "127.0.0.1:40000", Bytes: 224, Elapsed: time.Millisecond}
	transfer := sent(c, 6, "LIST")
	transfer.Transfer = true
	return []any{
		note("sandbox FTP server on 127.0.0.1:2121, serving a sample tree that is deleted on exit (log in as demo/demo or anonymous)"),
		narration("# Lesson 1: logging in and listing a folder."),
		connect(c),
		reply(c, 0, protocol.GreetingVerb, "220 ftpscope sandbox ready."),
		narration("# First the user name, then the password."),
		sent(c, 1, "USER demo"),
		reply(c, 1, "USER demo", "331 User name ok, password required"),
		sent(c, 2, "PASS ****"),
		reply(c, 2, "PASS ****", "230 Password ok, continue"),
		sent(c, 3, "PWD"),
		reply(c, 3, "PWD", `257 "/" is the current directory`),
		sent(c, 4, "TYPE I"),
		withNote(reply(c, 4, "TYPE I", "200 Type set to binary"), "transfers now use TYPE I: bytes are moved unchanged"),
		narration("# A listing needs a data connection: PASV first."),
		sent(c, 5, "PASV"),
		withNote(reply(c, 5, "PASV", "227 Entering Passive Mode (127,0,0,1,156,64)"), "data address: 127.0.0.1, port 156×256+64 = 40000"),
		protocol.Event{Kind: protocol.EventData, Time: c.next(), Seq: 6, Line: "data connection open: 127.0.0.1:50001 → 127.0.0.1:40000",
			Data: &protocol.DataInfo{Phase: protocol.DataOpened, Direction: "download", Verb: "LIST", Local: "127.0.0.1:50001", Remote: "127.0.0.1:40000"}},
		transfer,
		reply(c, 6, "LIST", "150 Opening ASCII mode data connection for file list"),
		protocol.Event{Kind: protocol.EventData, Time: c.next(), Seq: 6, Line: "data connection progress", Data: &protocol.DataInfo{Phase: protocol.DataProgress, Bytes: 100}},
		protocol.Event{Kind: protocol.EventData, Time: c.next(), Seq: 6, Line: "data connection closed: 224 bytes received in 1ms", Data: listing},
		reply(c, 6, "LIST", "226 Closing data connection, sent 224 bytes"),
		sent(c, 7, "ALLO 100"),
		reply(c, 7, "ALLO 100", "202 Obsolete"),
		sent(c, 8, "QUIT"),
		reply(c, 8, "QUIT", "221 Goodbye"),
		event(c, protocol.EventClose, "the server closed the connection"),
	}
}

// hostileSession is everything a strange or hostile server can send: a
// greeting with escape sequences and backticks, TLS with a certificate
// accepted by hand, bare LF line endings, a reply the RFCs do not list,
// a malformed reply to a command typed ahead, a passive address that is not the server's, a
// failed data connection, a reply nobody asked for, and a reset.
func hostileSession() []any {
	c := &clock{}
	tlsEvent := event(c, protocol.EventTLS, "control connection protected: TLS 1.3, TLS_AES_128_GCM_SHA256; certificate NOT verified (x509: certificate signed by unknown authority), accepted by you for this session")
	tlsEvent.TLS = &protocol.TLSInfo{Version: "TLS 1.3", Cipher: "TLS_AES_128_GCM_SHA256", Cert: protocol.CertInfo{
		Subject: "CN=ftp.example.org", Issuer: "CN=Example CA \x1b]0;owned\x07",
		NotBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		SHA256: "AB:CD:EF", Names: []string{"ftp.example.org"}, Problem: "x509: certificate signed by unknown authority",
	}}
	pasv := withNote(reply(c, 6, "PASV", "227 Entering Passive Mode (10,0,0,5,156,64)"), "data address: 10.0.0.5, port 156×256+64 = 40000")
	pasv.Warnings = []string{"the server announced 10.0.0.5 (a private address): connecting to 127.0.0.1, the control connection's peer, instead"}
	failed := &protocol.DataInfo{Phase: protocol.DataClosed, Direction: "download", Verb: "RETR", Local: "127.0.0.1:50002",
		Remote: "127.0.0.1:40000", Elapsed: 2 * time.Second, LocalFile: "/tmp/out\x1b[2J.txt", Err: errors.New("connection reset by peer")}
	// A reset as protocol reports it: Go's error, which the exports word
	// in plain language.
	reset := &net.OpError{Op: "read", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 21},
		Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	closing := event(c, protocol.EventClose, "connection lost: "+reset.Error())
	closing.Err = reset
	return []any{
		connect(c),
		reply(c, 0, protocol.GreetingVerb, "220-Welcome to \x1b[31mEvil\x1b[0m FTP", "220-```", "220-Try ``` or `` here", "220 <b>ready</b> *now* _here_ [link](http://x)"),
		sent(c, 1, "AUTH TLS"),
		reply(c, 1, "AUTH TLS", "234 Proceed with negotiation."),
		tlsEvent,
		sent(c, 2, "USER demo"),
		reply(c, 2, "USER demo", "331 Please specify the password."),
		sent(c, 3, "PASS ****"),
		reply(c, 3, "PASS ****", "230 Login successful."),
		sent(c, 4, "FEAT"),
		rawReply(c, 4, "FEAT", "211-Features:\n EPSV\n UTF8\n211 End\r\n"),
		sent(c, 5, "SYST"),
		reply(c, 5, "SYST", "530 Please login with USER and PASS."),
		sent(c, 6, "PASV"),
		pasv,
		withNote(sent(c, 7, "RETR secret.txt"), "saving to /tmp/out\x1b[2J.txt"),
		reply(c, 7, "RETR secret.txt", "150 Opening BINARY mode data connection"),
		protocol.Event{Kind: protocol.EventData, Time: c.next(), Seq: 7, Line: "data connection for RETR failed: connection reset by peer", Data: failed},
		reply(c, 7, "RETR secret.txt", "426 Connection closed; transfer aborted."),
		sent(c, 8, "CWD \x1b[2J"),
		reply(c, 8, "CWD \x1b[2J", "550 Directory change to /\x1b[2J failed."),
		// Typed ahead: PWD is sent before NOOP's reply arrives.
		sent(c, 9, "NOOP"),
		sent(c, 10, "PWD"),
		reply(c, 9, "NOOP", "hello from a broken server"),
		reply(c, 10, "PWD", `257 "/\x1b[2J""quoted""" is the current directory`),
		protocol.Event{Kind: protocol.EventError, Time: c.next(), Refused: true, Line: "STOR x < missing.txt: open missing.txt: no such file or directory"},
		reply(c, 0, "", "421 Timeout: closing control connection."),
		withErr(event(c, protocol.EventError, reset.Error()), reset),
		closing,
	}
}

// withErr sets an event's error.
func withErr(ev protocol.Event, err error) protocol.Event {
	ev.Err = err
	return ev
}

// play feeds a session's steps to w and closes it.
func play(w Writer, steps []any) error {
	for _, s := range steps {
		switch v := s.(type) {
		case protocol.Event:
			w.Event(v)
		case narration:
			w.Narrate(string(v))
		case note:
			w.Info(string(v))
		default:
			panic(fmt.Sprintf("unknown step %T", s))
		}
	}
	return w.Close()
}

// events returns the events of a session, without narration and notes.
func events(steps []any) []protocol.Event {
	var out []protocol.Event
	for _, s := range steps {
		if ev, ok := s.(protocol.Event); ok {
			out = append(out, ev)
		}
	}
	return out
}

var formats = []struct {
	name string
	ext  string
	new  func(io.Writer, *catalog.Catalog) Writer
}{
	{FormatText, ".txt", NewText},
	{FormatMarkdown, ".md", NewMarkdown},
	{FormatJSON, ".jsonl", NewJSON},
}

// render plays steps in one format and returns the output.
func render(t *testing.T, newWriter func(io.Writer, *catalog.Catalog) Writer, steps []any) string {
	t.Helper()
	var b bytes.Buffer
	if err := play(newWriter(&b, testCatalog), steps); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return b.String()
}

// golden compares got with testdata/name (see goldentest.Check).
func golden(t *testing.T, name, got string) {
	t.Helper()
	goldentest.Check(t, name, got)
}

func TestGolden(t *testing.T) {
	sessions := []struct {
		name  string
		steps []any
	}{
		{"lesson", lessonSession()},
		{"hostile", hostileSession()},
	}
	for _, s := range sessions {
		for _, f := range formats {
			t.Run(s.name+f.ext, func(t *testing.T) {
				golden(t, s.name+f.ext, render(t, f.new, s.steps))
			})
		}
	}
}

// controlChar matches a control character other than a newline, escaped
// or not in JSON.
var controlChar = regexp.MustCompile(`[\x00-\x09\x0b-\x1f\x7f]|\\u00[01][0-9a-fA-F]|\\u007[fF]`)

// TestNoPasswordNorEscapeInOutput checks that no format shows a password,
// even from an event built carelessly with the password in clear, and
// that no control character from the server reaches the output.
func TestNoPasswordNorEscapeInOutput(t *testing.T) {
	c := &clock{}
	steps := append(hostileSession(),
		connect(c),
		sent(c, 1, "PASS ****"),
		reply(c, 1, "PASS ****", "230 Logged in"),
		// A caller that forgot to mask: the writers mask it anyway.
		sent(c, 2, "pass hunter2"),
		reply(c, 2, "pass hunter2", "230 Logged in"),
		sent(c, 3, "ACCT s3cr3t-acct"),
		reply(c, 3, "ACCT s3cr3t-acct", "202 No account needed"),
	)
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			out := render(t, f.new, steps)
			for _, secret := range []string{"hunter2", "s3cr3t-acct"} {
				if strings.Contains(out, secret) {
					t.Errorf("the output contains the password %q", secret)
				}
			}
			for _, masked := range []string{"PASS ****", "pass ****", "ACCT ****"} {
				if !strings.Contains(out, masked) {
					t.Errorf("the output lacks %q", masked)
				}
			}
			if loc := controlChar.FindStringIndex(out); loc != nil {
				t.Errorf("a control character reached the output: %q", out[max(loc[0]-30, 0):min(loc[1]+30, len(out))])
			}
			if !strings.Contains(out, `\x1b[2J`) {
				t.Errorf("the escape sequence is not shown escaped")
			}
		})
	}
}

// TestClearTextWarning checks that every format warns after a PASS sent
// before TLS protects the control connection, and only then.
func TestClearTextWarning(t *testing.T) {
	c := &clock{}
	protected := event(c, protocol.EventTLS, "control connection protected: TLS 1.3")
	protected.TLS = &protocol.TLSInfo{Version: "TLS 1.3"}
	dataTLS := event(c, protocol.EventTLS, "data connection protected: TLS 1.3")
	dataTLS.TLS = &protocol.TLSInfo{Version: "TLS 1.3", Data: true}
	asking := event(c, protocol.EventTLS, "the server's certificate is not trusted: unknown authority")
	asking.TLS = &protocol.TLSInfo{NeedsDecision: true}
	tests := []struct {
		name  string
		steps []any
		want  int // clear-text warnings
	}{
		{"PASS in clear text", []any{connect(c), sent(c, 1, "PASS ****")}, 1},
		{"PASS after TLS", []any{connect(c), protected, sent(c, 1, "PASS ****")}, 0},
		{"a data connection's TLS does not protect PASS", []any{connect(c), dataTLS, sent(c, 1, "PASS ****")}, 1},
		{"a certificate question does not protect PASS", []any{connect(c), asking, sent(c, 1, "PASS ****")}, 1},
		{"a new connection after a close is in clear text", []any{connect(c), protected, sent(c, 1, "PASS ****"),
			event(c, protocol.EventClose, "closed"), connect(c), sent(c, 1, "PASS ****")}, 1},
		{"USER alone", []any{connect(c), sent(c, 1, "USER demo")}, 0},
		// An anonymous login's password is no secret: a note, no warning.
		{"anonymous login", []any{connect(c), sent(c, 1, "USER anonymous"), reply(c, 1, "USER anonymous", "331 Any password"), sent(c, 2, "PASS ****")}, 0},
		{"a named user after anonymous", []any{connect(c), sent(c, 1, "USER anonymous"), reply(c, 1, "USER anonymous", "331 Any password"),
			sent(c, 2, "USER demo"), reply(c, 2, "USER demo", "331 Password"), sent(c, 3, "PASS ****")}, 1},
	}
	for _, tt := range tests {
		for _, f := range formats {
			t.Run(tt.name+"/"+f.name, func(t *testing.T) {
				out := render(t, f.new, tt.steps)
				if got := strings.Count(out, "clear text: anyone"); got != tt.want {
					t.Errorf("%d clear-text warnings, want %d:\n%s", got, tt.want, out)
				}
				anonymous := strings.HasPrefix(tt.name, "anonymous")
				if got := strings.Contains(out, "anonymous login in clear text"); got != (anonymous && f.name != FormatJSON) {
					t.Errorf("anonymous note said: %v, want %v (JSON leaves notes out):\n%s", got, anonymous && f.name != FormatJSON, out)
				}
			})
		}
	}
}

// TestJSONLines checks that every JSON line decodes to one object with a
// kind and a time in UTC, and that narration and notes are left out.
func TestJSONLines(t *testing.T) {
	for _, steps := range [][]any{lessonSession(), hostileSession()} {
		out := render(t, NewJSON, steps)
		objs := decodeLines(t, out)
		if len(objs) == 0 {
			t.Fatal("no JSON output")
		}
		if strings.Contains(out, "Lesson 1") || strings.Contains(out, "sandbox FTP server") {
			t.Errorf("narration or a note reached the JSON output")
		}
	}
}

// decodeLines decodes JSON Lines, failing the test on a line that is not
// an object with a kind and an RFC 3339 time in UTC.
func decodeLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var objs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	for n := 1; sc.Scan(); n++ {
		var obj map[string]any
		if err := json.Unmarshal(sc.Bytes(), &obj); err != nil {
			t.Fatalf("line %d is not a JSON object: %v\n%s", n, err, sc.Text())
		}
		if kind, _ := obj["kind"].(string); kind == "" {
			t.Errorf("line %d has no kind: %s", n, sc.Text())
		}
		ts, _ := obj["time"].(string)
		if _, err := time.Parse(time.RFC3339Nano, ts); err != nil || !strings.HasSuffix(ts, "Z") {
			t.Errorf("line %d: time %q is not RFC 3339 in UTC", n, ts)
		}
		objs = append(objs, obj)
	}
	return objs
}

func TestMarkdownTitle(t *testing.T) {
	c := &clock{}
	tests := []struct {
		name  string
		steps []any
		want  []string
		not   []string
	}{
		{"no events", nil, []string{"# FTP session transcript\n\n" + markdownLegend + "\n"}, []string{"Server", "Date"}},
		{"connect first", []any{connect(c)}, []string{"**Server:** `127.0.0.1:2121` · **Date:** 2026-11-30 12:00 UTC"}, nil},
		{"narration is in italics, its own stars escaped", []any{connect(c), narration("# a *bold* claim ")}, []string{"\n*a \\*bold\\* claim*\n"}, nil},
		{"narration waits for the title", []any{narration("# Hello"), connect(c)}, []string{"**Server:**", markdownLegend + "\n\n*Hello*\n\n## Contents", "- connected to"}, nil},
		{"a failed connection has no server", []any{event(c, protocol.EventError, "connect to x: refused")}, []string{"**Date:** 2026-11-30", "> **Error:** connect to x: refused"}, []string{"Server"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := render(t, NewMarkdown, tt.steps)
			if !strings.HasPrefix(out, "# FTP session transcript\n") {
				t.Errorf("the output does not start with the title:\n%s", out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("the output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(out, w) {
					t.Errorf("the output contains %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestMarkdownEscaping(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "data connection open", "data connection open"},
		{"html", "<b>x</b> & more", `\<b>x\</b> \& more`},
		{"emphasis and code", "*a* `b` ~c~", "\\*a\\* \\`b\\` \\~c\\~"},
		{"a link", "[x](http://y)", `\[x\](http://y)`},
		{"backslash", `a\b`, `a\\b`},
		{"control characters", "a\x1b[2Jb", `a\\x1b\[2Jb`},
		{"underscore inside a word", "require_ssl_reuse", "require_ssl_reuse"},
		{"underscore around a word", "_here_", `\_here\_`},
		{"a list at the start", "- item", `\- item`},
		{"an ordered list at the start", "10. item", `10\. item`},
		{"a number inside", "RFC 959 §4.2.1.", "RFC 959 §4.2.1."},
		{"a heading at the start", "# title", `\# title`},
		{"a quote at the start", "> quote", `\> quote`},
		{"math", "$5", `\$5`},
		{"spaces around", "  x  ", "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mdText(tt.in); got != tt.want {
				t.Errorf("mdText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMarkdownCode(t *testing.T) {
	spans := []struct{ in, want string }{
		{"USER demo", "`USER demo`"},
		{"a`b", "``a`b``"},
		{"`x`", "`` `x` ``"},
		{"a``b", "```a``b```"},
		{" x ", "`  x  `"},
	}
	for _, tt := range spans {
		if got := codeSpan(tt.in); got != tt.want {
			t.Errorf("codeSpan(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	fences := []struct {
		lines []string
		want  string
	}{
		{[]string{"220 ready"}, "```text\n220 ready\n```"},
		{[]string{"220-```", "220 ok"}, "````text\n220-```\n220 ok\n````"},
		{[]string{"``````"}, "```````text\n``````\n```````"},
	}
	for _, tt := range fences {
		if got := fence(tt.lines); got != tt.want {
			t.Errorf("fence(%q) = %q, want %q", tt.lines, got, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		path, want string
		ok         bool
	}{
		{"lesson.md", FormatMarkdown, true},
		{"Lesson.MARKDOWN", FormatMarkdown, true},
		{"dir.md/lesson.txt", FormatText, true},
		{"session.jsonl", FormatJSON, true},
		{"session.json", FormatJSON, true},
		{"session.NDJSON", FormatJSON, true},
		{"session.txt", FormatText, true},
		{"session.log", FormatText, true},
		{"session", FormatText, true},
		{".md", FormatMarkdown, true},
		{"x.html", "", false},
		{"handout.pdf", "", false},
		{"session.md.bak", "", false},
	}
	for _, tt := range tests {
		if got, ok := Format(tt.path); got != tt.want || ok != tt.ok {
			t.Errorf("Format(%q) = %q, %v; want %q, %v", tt.path, got, ok, tt.want, tt.ok)
		}
	}
}

// TestSaveFileRefuses checks the two refusals of SaveFile: an extension
// that names no format, and an existing file without replace. Neither
// writes anything.
func TestSaveFileRefuses(t *testing.T) {
	dir := t.TempDir()
	html := filepath.Join(dir, "x.html")
	_, err := SaveFile(html, slices.Values(events(lessonSession())), testCatalog, true)
	var unknown *UnknownFormatError
	if !errors.As(err, &unknown) || !strings.Contains(err.Error(), ".md") || !strings.Contains(err.Error(), ".jsonl") {
		t.Errorf("x.html: %v, want an UnknownFormatError listing the formats", err)
	}
	if _, err := os.Stat(html); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("x.html was written: %v", err)
	}
	kept := filepath.Join(dir, "kept.md")
	if err := os.WriteFile(kept, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := SaveFile(kept, slices.Values(events(lessonSession())), testCatalog, false); !errors.Is(err, os.ErrExist) {
		t.Errorf("an existing file without replace: %v, want os.ErrExist", err)
	}
	if got, _ := os.ReadFile(kept); string(got) != "mine" {
		t.Errorf("the existing file changed: %q", got)
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("the folder holds %q, want the existing file alone", names)
	}
}

func TestNewWriter(t *testing.T) {
	for _, f := range formats {
		w, err := NewWriter(f.name, io.Discard, testCatalog)
		if err != nil || w == nil {
			t.Errorf("NewWriter(%q): %v", f.name, err)
		}
	}
	if _, err := NewWriter("html", io.Discard, testCatalog); err == nil || !strings.Contains(err.Error(), `"html"`) {
		t.Errorf("NewWriter(html) returned %v, want an error naming the format", err)
	}
}

// failingWriter accepts limit bytes, then fails.
type failingWriter struct {
	limit int
	err   error
}

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.limit {
		n := f.limit
		f.limit = 0
		return n, f.err
	}
	f.limit -= len(p)
	return len(p), nil
}

// TestCloseReportsWriteError checks that Close returns the first write
// error, wrapped with the format's name.
func TestCloseReportsWriteError(t *testing.T) {
	boom := errors.New("disk full")
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			err := play(f.new(&failingWriter{limit: 100, err: boom}, testCatalog), lessonSession())
			if !errors.Is(err, boom) || !strings.Contains(err.Error(), f.name+" transcript") {
				t.Errorf("Close returned %v, want the write error wrapped with the format's name", err)
			}
		})
	}
}

func TestNilCatalog(t *testing.T) {
	for _, f := range formats {
		if out := render(t, func(w io.Writer, _ *catalog.Catalog) Writer { return f.new(w, nil) }, lessonSession()); !strings.Contains(out, "331") {
			t.Errorf("%s without a catalogue lost the replies:\n%s", f.name, out)
		}
	}
}

// dirNames lists the names in dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestSaveFile checks that SaveFile picks the format by extension and
// writes what the Writer of that format writes.
func TestSaveFile(t *testing.T) {
	evs := events(lessonSession())
	tests := []struct{ name, format string }{
		{"lesson.md", FormatMarkdown},
		{"lesson.markdown", FormatMarkdown},
		{"lesson.jsonl", FormatJSON},
		{"lesson.json", FormatJSON},
		{"lesson.ndjson", FormatJSON},
		{"lesson.txt", FormatText},
		{"lesson.log", FormatText},
		{"lesson", FormatText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, tt.name)
			format, err := SaveFile(path, slices.Values(evs), testCatalog, false)
			if err != nil || format != tt.format {
				t.Fatalf("SaveFile = %q, %v; want %q", format, err, tt.format)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var want bytes.Buffer
			w, _ := NewWriter(tt.format, &want, testCatalog)
			steps := make([]any, len(evs))
			for i, ev := range evs {
				steps[i] = ev
			}
			if err := play(w, steps); err != nil {
				t.Fatal(err)
			}
			if string(got) != want.String() {
				t.Errorf("the file differs from the %s writer's output:\n%s", tt.format, got)
			}
			if format == FormatJSON {
				if objs := decodeLines(t, string(got)); len(objs) == 0 {
					t.Error("no JSON objects in the file")
				}
			}
			if names := dirNames(t, dir); len(names) != 1 {
				t.Errorf("the folder holds %q, want the transcript alone", names)
			}
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm()&0o600 != 0o600 {
				t.Errorf("the file's mode is %v (%v), want it readable and writable by its owner", fi.Mode(), err)
			}
		})
	}
}

// TestSaveFileReplaces checks that an existing file is replaced whole,
// and keeps its permissions.
func TestSaveFileReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "lesson.txt")
	if err := os.WriteFile(path, []byte(strings.Repeat("old content\n", 1000)), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := SaveFile(path, slices.Values(events(lessonSession())), testCatalog, true); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(got), "old content") || !strings.HasPrefix(string(got), "· connected to") {
		t.Errorf("the file was not replaced whole:\n%s", got)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want the old file's 0640", fi.Mode().Perm())
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("the folder holds %q, want the transcript alone", names)
	}
}

// TestSaveFileFailureKeepsOldFile checks that a failed save leaves the
// old file as it was and no temporary file behind.
func TestSaveFileFailureKeepsOldFile(t *testing.T) {
	const old = "the old transcript\n"
	setup := func(t *testing.T) (dir, path string) {
		dir = t.TempDir()
		path = filepath.Join(dir, "lesson.md")
		if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
			t.Fatal(err)
		}
		return dir, path
	}
	boom := errors.New("disk full")
	tests := []struct {
		name  string
		write func(w io.Writer) error
		want  string
	}{
		{"the writer fails before writing", func(io.Writer) error { return boom }, "disk full"},
		{"the writer fails half way", func(w io.Writer) error {
			tw := NewMarkdown(&failingWriter{limit: 200, err: boom}, testCatalog)
			if err := play(tw, lessonSession()); err != nil {
				return err
			}
			return errors.New("the failing writer did not fail")
		}, "write the markdown transcript: disk full"},
		{"a large transcript fails after some bytes reached the file", func(w io.Writer) error {
			if _, err := w.Write(bytes.Repeat([]byte("x"), 200<<10)); err != nil {
				return err
			}
			return boom
		}, "disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, path := setup(t)
			err := atomicfile.Write(path, atomicfile.Options{}, tt.write)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("atomicfile.Write returned %v, want an error with %q", err, tt.want)
			}
			if got, _ := os.ReadFile(path); string(got) != old {
				t.Errorf("the old file changed: %q", got)
			}
			if names := dirNames(t, dir); len(names) != 1 {
				t.Errorf("the folder holds %q, want the old file alone", names)
			}
		})
	}

	t.Run("the path is a folder", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "saved.md")
		if err := os.Mkdir(path, 0o755); err != nil {
			t.Fatal(err)
		}
		format, err := SaveFile(path, slices.Values(events(lessonSession())), testCatalog, true)
		if err == nil || format != FormatMarkdown || !strings.Contains(err.Error(), "save the transcript to "+path) {
			t.Errorf("SaveFile = %q, %v; want markdown and an error naming the path", format, err)
		}
		if names := dirNames(t, dir); len(names) != 1 {
			t.Errorf("the folder holds %q, want the folder alone", names)
		}
	})

	t.Run("the folder does not exist", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "missing", "lesson.md")
		if _, err := SaveFile(path, slices.Values([]protocol.Event(nil)), testCatalog, true); err == nil || !errors.Is(err, os.ErrNotExist) {
			t.Errorf("SaveFile returned %v, want a not-exist error", err)
		}
	})

	t.Run("a read-only folder", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root writes to read-only folders")
		}
		dir, path := setup(t)
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
		if _, err := SaveFile(path, slices.Values(events(lessonSession())), testCatalog, true); err == nil || !errors.Is(err, os.ErrPermission) {
			t.Errorf("SaveFile returned %v, want a permission error", err)
		}
		if got, _ := os.ReadFile(path); string(got) != old {
			t.Errorf("the old file changed: %q", got)
		}
		if names := dirNames(t, dir); len(names) != 1 {
			t.Errorf("the folder holds %q, want the old file alone", names)
		}
	})
}

func TestListingIsShownAfterTheDataConnection(t *testing.T) {
	info := func(verb string, data []byte) protocol.Event {
		return protocol.Event{Kind: protocol.EventData, Seq: 3, Line: "data connection closed",
			Data: &protocol.DataInfo{Phase: protocol.DataClosed, Verb: verb, Direction: "download", Bytes: int64(len(data)), Preview: data}}
	}
	var many strings.Builder
	for i := 0; i < maxListingLines+5; i++ {
		many.WriteString("file\r\n")
	}
	tests := []struct {
		name      string
		ev        protocol.Event
		want      []string
		notWanted []string
	}{
		{"a listing", info("NLST", []byte("README.txt\r\npub\r\n")), []string{"  | README.txt", "  | pub"}, nil},
		{"a long listing is cut", info("LIST", []byte(many.String())), []string{"  | … 5 more lines"}, nil},
		{"escape sequences stay escaped", info("NLST", []byte("\x1b[2Jevil\r\n")), []string{`  | \x1b[2Jevil`}, []string{"\x1b"}},
		{"file content is not shown", info("RETR", []byte("secret content\n")), nil, []string{"secret content"}},
		{"binary is not shown", info("LIST", []byte{0, 1, 2}), nil, []string{"  | "}},
	}
	for _, tt := range tests {
		var b strings.Builder
		w := NewText(&b, testCatalog)
		w.Event(tt.ev)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		for _, want := range tt.want {
			if !strings.Contains(b.String(), want) {
				t.Errorf("%s: output lacks %q:\n%s", tt.name, want, b.String())
			}
		}
		for _, bad := range tt.notWanted {
			if strings.Contains(b.String(), bad) {
				t.Errorf("%s: output holds %q:\n%s", tt.name, bad, b.String())
			}
		}
	}
}

// TestJSONCarriesTheWholeListing checks that a LIST's close object holds
// every line of the listing, escaped, and that a RETR's holds none.
func TestJSONCarriesTheWholeListing(t *testing.T) {
	var many strings.Builder
	for i := 0; i < maxListingLines+5; i++ {
		many.WriteString("file\r\n")
	}
	many.WriteString("\x1b[2Jevil\r\n")
	for _, tt := range []struct {
		verb  string
		lines int
	}{{"LIST", maxListingLines + 6}, {"RETR", 0}} {
		var b strings.Builder
		w := NewJSON(&b, testCatalog)
		w.Event(protocol.Event{Kind: protocol.EventData, Seq: 3, Line: "data connection closed", Time: start,
			Data: &protocol.DataInfo{Phase: protocol.DataClosed, Verb: tt.verb, Direction: "download", Preview: []byte(many.String())}})
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		var obj struct {
			Listing []string `json:"listing"`
		}
		if err := json.Unmarshal([]byte(b.String()), &obj); err != nil {
			t.Fatalf("%s: %v in %s", tt.verb, err, b.String())
		}
		if len(obj.Listing) != tt.lines {
			t.Errorf("%s: %d listing lines, want %d", tt.verb, len(obj.Listing), tt.lines)
		}
		if strings.Contains(b.String(), "\x1b") {
			t.Errorf("%s: the JSON holds a raw escape", tt.verb)
		}
	}
}
