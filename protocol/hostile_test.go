package protocol

// Sessions against misbehaving servers (internal/badserver): one test per
// way a server can break the rules, each checking that the session keeps
// what it may, bounds the rest, says which bound, and never hangs.

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/internal/badserver"
)

// hostile opens a conversation with a badserver scenario.
func hostile(t *testing.T, script badserver.Script, cfg Config) (*Conversation, *[]Event) {
	t.Helper()
	srv := badserver.Start(t, script)
	cfg.Addr = srv.Addr
	if cfg.ReplyTimeout == 0 {
		cfg.ReplyTimeout = 10 * time.Second
	}
	events := &[]Event{}
	c := NewConversation(Dial(cfg), func(ev Event) { *events = append(*events, ev) })
	t.Cleanup(func() {
		c.Close()
		if t.Failed() {
			t.Logf("events:\n%s", dump(*events))
		}
	})
	return c, events
}

// closeOf returns the EventClose among events, failing when there is none.
func closeOf(t *testing.T, events []Event) Event {
	t.Helper()
	for _, ev := range events {
		if ev.Kind == EventClose {
			return ev
		}
	}
	t.Fatal("the session did not close")
	return Event{}
}

func TestHostileEscapesAreKeptForTheUIToEscape(t *testing.T) {
	c, _ := hostile(t, badserver.Escapes(), Config{})
	greeting, err := c.Greeting(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	x, err := c.Do(context.Background(), "FEAT")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*Reply{greeting, x.Final} {
		for i, line := range r.Lines {
			if !strings.Contains(line, "\x1b[2J") || !bytes.Contains(r.Raw[i], []byte("\x1b]0;pwned\x07")) {
				t.Errorf("line %q lost the server's bytes; the UI escapes them, not the session", line)
			}
			for _, b := range []byte(Escape(line)) {
				if b < 0x20 || b == 0x7f {
					t.Errorf("Escape(%q) keeps control byte %#x", line, b)
				}
			}
		}
	}
}

func TestHostileGiantLineEndsTheSessionAtTheReadBound(t *testing.T) {
	c, events := hostile(t, badserver.GiantLine(badserver.GiantLineSize), Config{})
	if _, err := c.Greeting(context.Background()); err != nil {
		t.Fatal(err)
	}
	x, err := c.Do(context.Background(), "STAT")
	var bound *BoundError
	if !errors.Is(err, ErrClosed) || !errors.As(err, &bound) || bound.Bound != BoundReplyTotal {
		t.Fatalf("STAT: %v, want the session ended by the bound on bytes read for one reply", err)
	}
	if x.Final == nil || len(x.Final.Lines[0]) != MaxLineLength || len(x.Final.Raw[0]) != MaxLineLength {
		t.Fatalf("the giant line was not kept up to the line cap: %+v", x.Final)
	}
	if end := closeOf(t, *events); !strings.Contains(end.Line, string(BoundReplyTotal)) {
		t.Errorf("the close says %q, want it to name the bound", end.Line)
	}
}

func TestHostileEndlessReplyEndsTheSession(t *testing.T) {
	c, events := hostile(t, badserver.EndlessReply(), Config{MaxReplyRead: 1 << 20})
	if _, err := c.Greeting(context.Background()); err != nil {
		t.Fatal(err)
	}
	x, err := c.Do(context.Background(), "STAT")
	var bound *BoundError
	if !errors.As(err, &bound) || bound.Bound != BoundReplyTotal || bound.Code != 211 {
		t.Fatalf("STAT: %v, want a BoundError on bytes read for a 211", err)
	}
	if x.Final == nil || x.Final.Lines[0] != "211-start" || len(x.Final.Lines) > MaxReplyLines {
		t.Fatalf("the endless reply kept %d lines, want its start and at most %d", len(x.Final.Lines), MaxReplyLines)
	}
	if !strings.Contains(strings.Join(x.Final.Problems, "; "), "reply was cut") {
		t.Errorf("the reply's problems %q do not say it was cut", x.Final.Problems)
	}
	closeOf(t, *events)
}

func TestHostileSlowReplyEndsAtTheTimeBound(t *testing.T) {
	c, _ := hostile(t, badserver.SlowReplies(50*time.Millisecond), Config{MaxReplyTime: 200 * time.Millisecond})
	_, err := c.Greeting(context.Background())
	var bound *BoundError
	if !errors.As(err, &bound) || bound.Bound != BoundReplyTime {
		t.Fatalf("greeting: %v, want the bound on time for one reply", err)
	}
}

func TestHostileReplyCutMidway(t *testing.T) {
	c, _ := hostile(t, badserver.CutReply(), Config{})
	if _, err := c.Greeting(context.Background()); err != nil {
		t.Fatal(err)
	}
	x, err := c.Do(context.Background(), "STAT")
	if !errors.Is(err, ErrClosed) || !errors.Is(err, ErrUnexpectedEOF) {
		t.Fatalf("STAT: %v, want the connection closed inside the reply", err)
	}
	if x.Final == nil || len(x.Final.Lines) != 3 || string(x.Final.Raw[2]) != " line tw" {
		t.Fatalf("the cut reply kept %q, want its three lines, the last as cut", x.Final.Lines)
	}
}

func TestHostileMalformedCodes(t *testing.T) {
	c, _ := hostile(t, badserver.MalformedCodes(), Config{})
	if _, err := c.Greeting(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, want := range badserver.MalformedReplies[:5] {
		x, err := c.Do(context.Background(), "NOOP")
		if err != nil {
			t.Fatalf("NOOP answered %q: %v", want, err)
		}
		if x.Final.Code != 0 || x.Final.Lines[0] != want || len(x.Final.Problems) == 0 {
			t.Errorf("reply %q read as code %d, problems %q; want code 0 and a problem", want, x.Final.Code, x.Final.Problems)
		}
	}
	x, err := c.Do(context.Background(), "NOOP")
	if err != nil || x.Final.Code != 200 || len(x.Final.Lines) != 3 {
		t.Errorf("the multi-line reply with a false end: %v, %v", x.Final, err)
	}
}

func TestHostileUnsolicited421(t *testing.T) {
	c, events := hostile(t, badserver.Unsolicited421(), Config{})
	if _, err := c.Greeting(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(context.Background(), "NOOP"); err != nil {
		t.Fatal(err)
	}
	// The 421 ends the session by itself: wait for that, not a close.
	c.drain(&Exchange{})
	var got bool
	for _, ev := range *events {
		got = got || ev.Kind == EventReply && ev.Reply.Code == 421 && ev.Command == "" && ev.Seq == 0
	}
	if !got {
		t.Error("the 421 no command asked for was not reported as such")
	}
	if end := closeOf(t, *events); end.Line != "the server closed the session (421)" {
		t.Errorf("the session ended with %q, want the 421 named", end.Line)
	}
}

func TestHostileFloodOfLines(t *testing.T) {
	c, _ := hostile(t, badserver.Flood(badserver.FloodLines), Config{})
	if _, err := c.Greeting(context.Background()); err != nil {
		t.Fatal(err)
	}
	x, err := c.Do(context.Background(), "STAT")
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Final.Lines) != MaxReplyLines || x.Final.Lines[len(x.Final.Lines)-1] != "211 End of flood" {
		t.Errorf("kept %d lines ending %q, want %d ending with the reply's last", len(x.Final.Lines), x.Final.Lines[len(x.Final.Lines)-1], MaxReplyLines)
	}
	if !strings.Contains(strings.Join(x.Final.Problems, "; "), "lines dropped") {
		t.Errorf("problems %q, want the dropped lines counted", x.Final.Problems)
	}
	if x, err := c.Do(context.Background(), "NOOP"); err != nil || x.Final.Code != 200 {
		t.Errorf("after the flood: %v, %v; want the session to go on", x, err)
	}
}

func TestHostileLongBanner(t *testing.T) {
	c, _ := hostile(t, badserver.LongBanner(badserver.BannerLines), Config{})
	g, err := c.Greeting(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if g.Code != 220 || g.Lines[len(g.Lines)-1] != "220 ready" || len(g.Lines) > MaxReplyLines {
		t.Errorf("banner of %d lines kept as %d ending %q", badserver.BannerLines, len(g.Lines), g.Lines[len(g.Lines)-1])
	}
}

func TestHostileRedirectedPASVIsNotFollowed(t *testing.T) {
	c, _ := hostile(t, badserver.RedirectedPASV("10.0.0.7"), Config{})
	if _, err := c.Greeting(context.Background()); err != nil {
		t.Fatal(err)
	}
	x, err := c.Do(context.Background(), "PASV")
	if err != nil {
		t.Fatal(err)
	}
	if w := warningsOf(x); len(w) == 0 || !strings.Contains(w[0], "10.0.0.7") || !strings.Contains(w[0], "private") {
		t.Errorf("warnings %q, want the private address named", w)
	}
	x, err = c.Do(context.Background(), "LIST")
	if err != nil || x.Final.Code != 226 || x.Data == nil || !strings.HasPrefix(x.Data.Remote, "127.0.0.1:") {
		t.Fatalf("LIST after the redirected 227: %v, data %+v; want it connected to the server itself", err, x.Data)
	}
}

func TestHostileBadCertificate(t *testing.T) {
	cert, _ := badserver.SelfSigned(t, badserver.CertOptions{})
	c, _ := hostile(t, badserver.BadCertificate(cert), Config{})
	if _, err := c.Greeting(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, err := c.Do(context.Background(), "AUTH TLS")
	checkCertificateRefused(t, err, "self-signed")
}

func TestHostileExpiredCertificate(t *testing.T) {
	cert, pool := badserver.SelfSigned(t, badserver.CertOptions{NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(-24 * time.Hour)})
	c, _ := hostile(t, badserver.BadCertificate(cert), Config{RootCAs: pool})
	if _, err := c.Greeting(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, err := c.Do(context.Background(), "AUTH TLS")
	checkCertificateRefused(t, err, "expired on")
}

func TestHostilePassivePortRefused(t *testing.T) {
	c, _ := hostile(t, badserver.PassiveRefused(badserver.RefusedPort(t)), Config{})
	if _, err := c.Greeting(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(context.Background(), "EPSV"); err != nil {
		t.Fatal(err)
	}
	_, err := c.Do(context.Background(), "LIST")
	var de *DataError
	if !errors.As(err, &de) || de.Op != DataDial || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("LIST: %v, want a refused data connection", err)
	}
	var re *RefusedError
	if !errors.As(err, &re) || re.Verb != "LIST" {
		t.Errorf("LIST: %v, want it reported as not sent", err)
	}
}

func TestHostilePassivePortDropped(t *testing.T) {
	c, _ := hostile(t, badserver.PassiveDropped(badserver.DroppingPort(t)), Config{ConnectTimeout: 300 * time.Millisecond})
	if _, err := c.Greeting(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(context.Background(), "PASV"); err != nil {
		t.Fatal(err)
	}
	_, err := c.Do(context.Background(), "LIST")
	var de *DataError
	var timeout interface{ Timeout() bool }
	if !errors.As(err, &de) || de.Op != DataDial || !errors.As(err, &timeout) || !timeout.Timeout() {
		t.Fatalf("LIST: %v, want a data connection that timed out", err)
	}
}

func TestHostileSilenceAfter150(t *testing.T) {
	c, events := hostile(t, badserver.SilentAfter150(), Config{ReplyTimeout: 300 * time.Millisecond})
	if _, err := c.Greeting(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(context.Background(), "PASV"); err != nil {
		t.Fatal(err)
	}
	x, err := c.Do(context.Background(), "LIST")
	if !errors.Is(err, ErrReplyTimeout) {
		t.Fatalf("LIST: %v, want no final reply in time", err)
	}
	if len(x.Replies) != 1 || x.Replies[0].Code != 150 {
		t.Errorf("replies %v, want the 150 alone", codesOf(x.Replies))
	}
	var stall *DataError
	if x.Data == nil || !errors.As(x.Data.Err, &stall) || stall.Op != DataTransfer {
		t.Fatalf("the data connection ended with %+v, want it named a stall", x.Data)
	}
	closeOf(t, *events)
}

// TestStallBeforeA426StaysAStall: ftpscope gives up on a silent data
// connection and closes it, which makes the server answer 426 at once.
// The data connection's end is the stall ftpscope decided, however soon
// that 426 comes in: it used to be taken, now and then, for a transfer the
// server refused before any data ("closed unused: the server answered
// 426"). Played several times, since which of the two came first varied.
func TestStallBeforeA426StaysAStall(t *testing.T) {
	for run := range 8 {
		c, _ := hostile(t, badserver.StallThen426(), Config{ReplyTimeout: 100 * time.Millisecond})
		if _, err := c.Greeting(context.Background()); err != nil {
			t.Fatal(err)
		}
		expect(t, c, "PASV", 227)
		x, err := c.Do(context.Background(), "RETR big.bin")
		if err != nil || x.Final == nil || x.Final.Code != 426 {
			t.Fatalf("run %d: RETR: %v, want the server's 426", run+1, err)
		}
		if x.Data == nil || !isStall(x.Data.Err) || !strings.Contains(x.Data.Err.Error(), "no data moved") {
			t.Fatalf("run %d: the data connection ended with %+v, want it named a stall", run+1, x.Data)
		}
		c.Close()
	}
}

func TestHostileNonUTF8Listing(t *testing.T) {
	c, _ := hostile(t, badserver.NonUTF8Listing(), Config{})
	if _, err := c.Greeting(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(context.Background(), "EPSV"); err != nil {
		t.Fatal(err)
	}
	x, err := c.Do(context.Background(), "NLST")
	if err != nil || x.Data == nil {
		t.Fatalf("NLST: %v", err)
	}
	want := strings.Join(badserver.NonUTF8Names, "\r\n") + "\r\n"
	if string(x.Data.Preview) != want || IsText(x.Data.Preview) {
		t.Errorf("preview %q, want the Latin-1 names byte for byte (%q), not read as text", x.Data.Preview, want)
	}
}

// TestQuitStopsATransferAndSaysGoodbye checks Quit during a download: the
// data connection is stopped, QUIT is sent and answered, and the session
// ends after the 221, in that order, with the download's file left as it
// was.
func TestQuitStopsATransferAndSaysGoodbye(t *testing.T) {
	c, events := hostile(t, badserver.SlowDownload(1<<20, 20*time.Millisecond), Config{})
	if _, err := c.Greeting(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(context.Background(), "EPSV"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "big.bin")
	ctx, cancel := context.WithCancel(context.Background())
	started := false
	c.observe = func(ev Event) {
		*events = append(*events, ev)
		if ev.Kind == EventData && ev.Data.Phase == DataProgress && !started {
			started = true
			cancel() // interrupt once data flows
		}
	}
	if _, err := c.Do(ctx, "RETR big > "+out); !errors.Is(err, context.Canceled) {
		t.Fatalf("RETR: %v, want it interrupted", err)
	}
	c.Quit(context.Background(), "interrupted")
	var order []string
	for _, ev := range *events {
		switch {
		case ev.Kind == EventData && ev.Data.Phase == DataClosed:
			order = append(order, "data closed")
			var stop *DataError
			if !errors.As(ev.Data.Err, &stop) || stop.Op != DataStopped || stop.Reason != "interrupted" {
				t.Errorf("the data connection ended with %v, want it stopped as interrupted", ev.Data.Err)
			}
		case ev.Kind == EventSend && ev.Line == "QUIT":
			order = append(order, "QUIT")
		case ev.Kind == EventReply && ev.Reply.Code == 221:
			order = append(order, "221")
		case ev.Kind == EventClose:
			order = append(order, "close")
		}
	}
	if got := strings.Join(order, ", "); got != "data closed, QUIT, 221, close" {
		t.Errorf("order %q, want data closed, QUIT, 221, close", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("a temporary file is left: %s", e.Name())
		}
	}
}

// TestQuitClosesAStuckSession checks Quit does not wait for a server that
// owes a reply: it closes at once.
func TestQuitClosesAStuckSession(t *testing.T) {
	c, events := hostile(t, func(conn *badserver.Conn) { badserver.Greet(conn); conn.Hold() }, Config{})
	if _, err := c.Greeting(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.s.Send("NOOP"); err != nil {
		t.Fatal(err)
	}
	for sent := false; !sent; {
		ev, err := c.next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		sent = ev.Kind == EventSend
	}
	c.Quit(context.Background(), "interrupted")
	for _, ev := range *events {
		if ev.Kind == EventSend && ev.Line == "QUIT" {
			t.Error("QUIT was sent to a server that does not answer")
		}
	}
	if end := closeOf(t, *events); end.Line != "closed by ftpscope" {
		t.Errorf("close %q, want closed by ftpscope", end.Line)
	}
}

// TestHostileLongListingSaysThePreviewBound checks a listing longer than
// PreviewSize is counted whole, kept up to the bound, and says so.
func TestHostileLongListingSaysThePreviewBound(t *testing.T) {
	long := strings.Repeat(badserver.Listing, 2*PreviewSize/len(badserver.Listing))
	script := func(c *badserver.Conn) {
		badserver.Greet(c)
		var data *badserver.Data
		badserver.Serve(c, badserver.Handlers{
			"EPSV": func(c *badserver.Conn, _ string) {
				data, _ = c.ListenData()
				c.Lines(data.EPSV())
			},
			"LIST": func(c *badserver.Conn, _ string) {
				c.Lines("150 Here it comes.")
				conn, err := data.Accept(10 * time.Second)
				if err != nil {
					return
				}
				conn.Write([]byte(long))
				conn.Close()
				c.Lines("226 Done.")
			},
		})
	}
	c, _ := hostile(t, script, Config{})
	if _, err := c.Greeting(context.Background()); err != nil {
		t.Fatal(err)
	}
	expect(t, c, "EPSV", 229)
	x := expect(t, c, "LIST", 226)
	if x.Data.Bytes != int64(len(long)) || len(x.Data.Preview) != PreviewSize {
		t.Errorf("counted %d bytes and kept %d, want %d and %d", x.Data.Bytes, len(x.Data.Preview), len(long), PreviewSize)
	}
	var line string
	for _, ev := range x.Events {
		if ev.Kind == EventData && ev.Data.Phase == DataClosed {
			line = ev.Line
		}
	}
	if !strings.Contains(line, string(BoundPreview)) {
		t.Errorf("the close line %q does not name the bound", line)
	}
}

// TestStallIsWordedTheSameInEveryRun plays the same stalled transfer
// several times: the transcript, numbers aside, must read the same each
// time (one clock decides a stall, not two racing ones).
func TestStallIsWordedTheSameInEveryRun(t *testing.T) {
	digits := regexp.MustCompile(`[0-9.]+(µs|ms|s)?`)
	var first []string
	for run := 0; run < 3; run++ {
		c, events := hostile(t, badserver.SilentAfter150(), Config{ReplyTimeout: 200 * time.Millisecond})
		if _, err := c.Greeting(context.Background()); err != nil {
			t.Fatal(err)
		}
		expect(t, c, "PASV", 227)
		c.Do(context.Background(), "LIST")
		c.Close()
		var lines []string
		for _, ev := range *events {
			line := ev.Line
			if ev.Reply != nil {
				line = ev.Reply.Lines[0]
			}
			lines = append(lines, string(ev.Kind)+" "+digits.ReplaceAllString(line, "N"))
		}
		if run == 0 {
			first = lines
			continue
		}
		if strings.Join(lines, "\n") != strings.Join(first, "\n") {
			t.Fatalf("run %d reads:\n%s\nthe first read:\n%s", run+1, strings.Join(lines, "\n"), strings.Join(first, "\n"))
		}
	}
}
