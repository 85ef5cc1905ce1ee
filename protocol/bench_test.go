package protocol

// Benchmarks of the protocol layer: how fast replies are read and escaped,
// and how fast a real session moves a file over loopback. Run them with
//
//	go test -run '^$' -bench . -benchmem ./protocol
//
// They contain no timing assertions; docs/PERFORMANCE.md records the
// numbers.

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/textproto"
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/internal/vsftpdtest"
	"github.com/ftpscope/ftpscope/sandbox"
)

// loopReader serves the same bytes forever, so a reply reader can be
// benchmarked without building an input of b.N replies.
type loopReader struct {
	data []byte
	off  int
}

func (r *loopReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		k := copy(p[n:], r.data[r.off:])
		n += k
		r.off = (r.off + k) % len(r.data)
	}
	return n, nil
}

// featReply is a multi-line reply shaped like vsftpd's answer to FEAT.
const featReply = "211-Features:\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n UTF8\r\n" +
	" AUTH TLS\r\n PBSZ\r\n PROT\r\n MLST type*;size*;modify*;perm*;unique*;\r\n211 End\r\n"

// replyShapes are the replies both reply benchmarks read: ftpscope's
// ReplyReader and the standard library's net/textproto, on the same bytes.
var replyShapes = []struct {
	name  string
	reply string
	lines int
}{
	{"single-line", "200 NOOP ok.\r\n", 1},
	{"single-line-long", "227 Entering Passive Mode (127,0,0,1,195,80). " + strings.Repeat("x", 200) + "\r\n", 1},
	{"multi-line-211-FEAT", featReply, 14},
	{"multi-line-50", fiftyLines(), 50},
}

// fiftyLines is a 50-line reply, like a HELP or STAT listing.
func fiftyLines() string {
	var b strings.Builder
	b.WriteString("214-The following commands are recognized.\r\n")
	for i := range 48 {
		fmt.Fprintf(&b, " ABOR ACCT ALLO APPE CDUP CWD  DELE EPRT EPSV FEAT HELP %02d\r\n", i)
	}
	b.WriteString("214 Help OK.\r\n")
	return b.String()
}

// BenchmarkReadReply reads replies with ftpscope's ReplyReader, which
// keeps each line's text and its raw bytes.
func BenchmarkReadReply(b *testing.B) {
	for _, tt := range replyShapes {
		b.Run(tt.name, func(b *testing.B) {
			rr := NewReplyReader(&loopReader{data: []byte(tt.reply)})
			b.SetBytes(int64(len(tt.reply)))
			b.ReportAllocs()
			for b.Loop() {
				r, err := rr.ReadReply()
				if err != nil || len(r.Lines) != tt.lines || len(r.Raw) != tt.lines {
					b.Fatalf("ReadReply = %v lines, %v; want %d lines", r, err, tt.lines)
				}
			}
		})
	}
}

// BenchmarkTextprotoReadResponse reads the same replies with the standard
// library's textproto.Reader.ReadResponse, the anchor: ftpscope's reader
// should be at least as fast, with no more allocations per reply, though
// it keeps more (each line apart, and its raw bytes).
func BenchmarkTextprotoReadResponse(b *testing.B) {
	for _, tt := range replyShapes {
		b.Run(tt.name, func(b *testing.B) {
			tr := textproto.NewReader(bufio.NewReader(&loopReader{data: []byte(tt.reply)}))
			b.SetBytes(int64(len(tt.reply)))
			b.ReportAllocs()
			for b.Loop() {
				_, msg, err := tr.ReadResponse(0)
				if err != nil || strings.Count(msg, "\n")+1 != tt.lines {
					b.Fatalf("ReadResponse = %q, %v; want %d lines", msg, err, tt.lines)
				}
			}
		})
	}
}

// stringSink keeps the compiler from dropping a result.
var stringSink string

func BenchmarkEscape(b *testing.B) {
	for _, tt := range []struct{ name, in string }{
		// The common case: printable ASCII, returned without a copy.
		{"plain-ASCII", "257 \"/pub/incoming\" is the current directory, created 2026-11-30 12:00"},
		// UTF-8 that needs no escaping, but takes the slow path.
		{"UTF-8", "550 café/naïve/日本語.txt: no such file or directory"},
		// What a hostile server sends: terminal escape sequences (clear,
		// title, hyperlink), C1 controls, bidi overrides, bytes that are
		// not UTF-8, DEL, BEL.
		{"hostile", "220 \x1b[2J\x1b[H\x1b]0;owned\x07\x1b]8;;http://x\x1b\\click\x1b]8;;\x1b\\ \u009b31m \u202etxt.exe\u202c \xff\xfe\x7f\x00\t end"},
		// A 4 KiB line made only of escape characters: the worst case.
		{"hostile-4KiB", strings.Repeat("\x1b[31m\xff", 4096/6)},
	} {
		b.Run(tt.name, func(b *testing.B) {
			b.SetBytes(int64(len(tt.in)))
			b.ReportAllocs()
			for b.Loop() {
				stringSink = Escape(tt.in)
			}
		})
	}
}

// benchConversation dials addr and logs in as user with TYPE I, with
// the session's events driven by a Conversation.
func benchConversation(b *testing.B, addr, user, password string) *Conversation {
	b.Helper()
	c := NewConversation(Dial(Config{Addr: addr}), nil)
	b.Cleanup(c.Close)
	if r, err := c.Greeting(context.Background()); err != nil || r.Code != 220 {
		b.Fatalf("greeting: %v, %v", r, err)
	}
	for _, step := range []struct {
		line string
		code int
	}{{"USER " + user, 331}, {"PASS " + password, 230}, {"TYPE I", 200}} {
		if x, err := c.Do(context.Background(), step.line); err != nil || x.Final == nil || x.Final.Code != step.code {
			b.Fatalf("%s: %v, %v; want %d", strings.Fields(step.line)[0], x, err, step.code)
		}
	}
	return c
}

// benchDownload downloads name (size bytes) once per iteration, with
// passive (PASV or EPSV) then RETR, and reports MB/s.
func benchDownload(b *testing.B, c *Conversation, passive, name string, size int64) {
	b.Helper()
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if x, err := c.Do(context.Background(), passive); err != nil || x.Final == nil || x.Final.Class() != 2 {
			b.Fatalf("%s: %v, %v", passive, x, err)
		}
		x, err := c.Do(context.Background(), "RETR "+name)
		if err != nil || x.Final == nil || x.Final.Code != 226 || x.Data == nil || x.Data.Bytes != size {
			b.Fatalf("RETR %s: %v, %v, data %+v", name, x, err, x.Data)
		}
	}
}

// BenchmarkDownload moves the sandbox's 1 MiB file through a real Session
// over loopback: every iteration is a PASV (or EPSV), a data connection,
// a RETR, its 150 and 226 replies and their events.
//
// Each iteration leaves a connection in TIME-WAIT for a minute, and
// thousands of them slow the kernel's connection set-up down, so the
// result drifts over long runs; docs/PERFORMANCE.md uses -benchtime=300x,
// started with TIME-WAIT drained.
func BenchmarkDownload(b *testing.B) {
	srv, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	for _, passive := range []string{"PASV", "EPSV"} {
		b.Run("sandbox-"+passive, func(b *testing.B) {
			c := benchConversation(b, srv.Addr, sandbox.DemoUser, sandbox.DemoPassword)
			benchDownload(b, c, passive, sandbox.BigFileName, sandbox.BigFileSize)
		})
	}
}

// BenchmarkDownloadVsftpd does the same against a real vsftpd, when it is
// installed and the benchmark runs as root (it is skipped otherwise).
func BenchmarkDownloadVsftpd(b *testing.B) {
	srv := vsftpdtest.Start(b, vsftpdtest.Options{})
	c := benchConversation(b, srv.Addr, srv.User, srv.Password)
	benchDownload(b, c, "EPSV", "big.bin", 1<<20)
}

// BenchmarkRoundTrip measures one NOOP and its reply over loopback, two
// ways: "session" through a Session and a Conversation (the send, the
// reply read, matched to its command, learned from and reported as
// events, as ftpscope run does), and "bare" with a plain TCP connection
// and a ReplyReader, the least any client must do. The difference is what
// the session's bookkeeping costs per command.
func BenchmarkRoundTrip(b *testing.B) {
	srv, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	b.Run("session", func(b *testing.B) {
		c := benchConversation(b, srv.Addr, sandbox.DemoUser, sandbox.DemoPassword)
		b.ReportAllocs()
		for b.Loop() {
			if x, err := c.Do(context.Background(), "NOOP"); err != nil || x.Final == nil || x.Final.Code != 200 {
				b.Fatalf("NOOP: %v, %v", x, err)
			}
		}
	})
	b.Run("bare", func(b *testing.B) {
		conn, err := net.Dial("tcp", srv.Addr)
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close()
		rr := NewReplyReader(conn)
		step := func(line string, code int) {
			if line != "" {
				if _, err := conn.Write([]byte(line + "\r\n")); err != nil {
					b.Fatal(err)
				}
			}
			if r, err := rr.ReadReply(); err != nil || r.Code != code {
				b.Fatalf("%q: %v, %v; want %d", line, r, err, code)
			}
		}
		step("", 220)
		step("USER "+sandbox.DemoUser, 331)
		step("PASS "+sandbox.DemoPassword, 230)
		b.ReportAllocs()
		for b.Loop() {
			step("NOOP", 200)
		}
	})
}
