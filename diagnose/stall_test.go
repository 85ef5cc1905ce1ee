package diagnose

import (
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/internal/badserver"
	"github.com/ftpscope/ftpscope/protocol"
)

// shown is what a front end shows of one session: each event's line as
// Engine.Line words it, and the findings, in order.
type shown struct {
	lines    []string
	findings []Finding
}

// playShown runs lines on a new session with cfg, as play does, and
// records what a front end shows.
func playShown(t *testing.T, cfg protocol.Config, lines ...string) shown {
	t.Helper()
	var out shown
	runLines(t, cfg, false, func(eng *Engine, ev protocol.Event, found []Finding) {
		out.findings = append(out.findings, found...)
		switch ev.Kind {
		case protocol.EventData, protocol.EventError, protocol.EventClose:
			if l := eng.Line(ev, found); l != "" {
				out.lines = append(out.lines, l)
			}
		}
	}, lines...)
	return out
}

// TestBrokenTransferIsExplainedOnce: a transfer whose data connection
// breaks is one event, and its cause and fix are said once, by one
// finding. A stall (150, then no data) is explained by transfer-stalled on
// the data connection's end; what follows is its consequence and adds no
// advice: the server's 426 (transfer-aborted does not fire), or no final
// reply at all (the error line says only what happened, and
// final-reply-missing does not fire). A data connection reset in the
// middle is explained by the 426 that follows. Either way the data line
// says only what happened.
func TestBrokenTransferIsExplainedOnce(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script badserver.Script
		want   string // the one finding
		data   string // what the data line says, when it is told
	}{
		{"150 then silence", badserver.SilentAfter150(), "transfer-stalled", "stalled: no data moved within the reply timeout"},
		{"150, silence, then 426 once ftpscope gives up", badserver.StallThen426(), "transfer-stalled", "stalled: no data moved within the reply timeout"},
		// Whether the reset or the 426 reaches ftpscope first is up to the
		// network (both are the server's doing): the line says either.
		{"reset in the middle, then 426", cutThen426(), "transfer-aborted", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := badserver.Start(t, tc.script)
			got := playShown(t, protocol.Config{Addr: srv.Addr, ReplyTimeout: 300 * time.Millisecond}, "USER a", "PASS b", "PASV", "RETR big.bin")
			if ids := ids(got.findings); len(ids) != 1 || ids[0] != tc.want {
				t.Errorf("findings %v, want %s alone", ids, tc.want)
			}
			advice := []string{
				"try again, or raise --reply-timeout",                           // a stall's own advice (Describe)
				"the server may be stuck, or a firewall dropped the connection", // a reply timeout's
				"connect again", // a reset's
			}
			said := tc.data == ""
			for _, l := range got.lines {
				said = said || strings.Contains(l, tc.data)
				for _, a := range advice {
					if strings.Contains(l, a) {
						t.Errorf("the line %q gives advice beside the finding", l)
					}
				}
			}
			if !said {
				t.Errorf("no line says %q", tc.data)
			}
			if t.Failed() {
				t.Logf("lines:\n%s", strings.Join(got.lines, "\n"))
			}
		})
	}
}

// cutThen426 answers RETR with 150, sends part of the file, resets the
// data connection and answers 426, as vsftpd does when the network fails
// in the middle of a transfer.
func cutThen426() badserver.Script {
	return func(c *badserver.Conn) {
		badserver.Greet(c)
		var data *badserver.Data
		badserver.Serve(c, badserver.Handlers{
			"PASV": func(c *badserver.Conn, _ string) {
				data, _ = c.ListenData()
				c.Lines(data.PASV("127.0.0.1"))
			},
			"RETR": func(c *badserver.Conn, _ string) {
				c.Lines("150 Opening BINARY mode data connection for big.bin (1048576 bytes).")
				conn, err := data.Accept(5 * time.Second)
				if err == nil {
					conn.Write(make([]byte, 1000))
					conn.(*net.TCPConn).SetLinger(0)
					conn.Close()
				}
				c.Lines("426 Failure writing network stream.")
			},
		})
	}
}

// TestFinalReplyMissing provokes final-reply-missing: the data came whole
// and the data connection closed, but no 226 followed.
func TestFinalReplyMissing(t *testing.T) {
	srv := badserver.Start(t, func(c *badserver.Conn) {
		badserver.Greet(c)
		var data *badserver.Data
		badserver.Serve(c, badserver.Handlers{
			"PASV": func(c *badserver.Conn, _ string) {
				data, _ = c.ListenData()
				c.Lines(data.PASV("127.0.0.1"))
			},
			"RETR": func(c *badserver.Conn, _ string) {
				c.Lines("150 Opening BINARY mode data connection for a.txt (6 bytes).")
				if conn, err := data.Accept(5 * time.Second); err == nil {
					conn.Write([]byte("hello\n"))
					conn.Close()
				}
				c.Hold()
			},
		})
	})
	got := playShown(t, protocol.Config{Addr: srv.Addr, ReplyTimeout: 300 * time.Millisecond}, "USER a", "PASS b", "PASV", "RETR a.txt")
	f := expect(t, got.findings, "final-reply-missing")
	if f.Seq != 4 {
		t.Errorf("the finding is about command 4 (RETR), got %d", f.Seq)
	}
	for _, l := range got.lines {
		if strings.Contains(l, "raise --reply-timeout") {
			t.Errorf("the line %q repeats advice beside the finding", l)
		}
	}
}

// TestBrokenDataLineDefersToTheFinalReply: a data connection reset while
// its command waits for the final reply says only what happened (the 426
// to come is what the findings explain), and the full advice once the
// final reply has come. Built by hand, as which of the reset and the 426
// reaches a real client first is up to the network.
func TestBrokenDataLineDefersToTheFinalReply(t *testing.T) {
	reset := &protocol.DataError{Verb: "RETR", Op: protocol.DataTransfer, Err: &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}}
	closed := func() protocol.Event {
		return protocol.Event{Kind: protocol.EventData, Seq: 1, Line: "data connection closed: 1000 bytes received in 1ms (" + reset.Error() + ")",
			Data: &protocol.DataInfo{Phase: protocol.DataClosed, Verb: "RETR", Direction: "download", Bytes: 1000, Err: reset}}
	}
	send := protocol.Event{Kind: protocol.EventSend, Seq: 1, Line: "RETR big.bin", Verb: "RETR"}
	reply := func(line string) protocol.Event {
		code := 0
		for _, c := range line[:3] {
			code = code*10 + int(c-'0')
		}
		return protocol.Event{Kind: protocol.EventReply, Seq: 1, Command: "RETR big.bin", Verb: "RETR", Reply: &protocol.Reply{Code: code, Lines: []string{line}}}
	}
	const what = "data connection closed: 1000 bytes received in 1ms (the server reset the connection)"
	for _, tc := range []struct {
		name   string
		events []protocol.Event
		want   string
	}{
		{"before the final reply", []protocol.Event{send, reply("150 Here it comes."), closed()}, what},
		{"after a 226", []protocol.Event{send, reply("150 Here it comes."), reply("226 Done."), closed()}, what[:len(what)-1] + ": the server or a firewall dropped it; connect again, and if it happens again, look in the server's log)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			eng := New()
			var line string
			for _, ev := range tc.events {
				line = eng.Line(ev, eng.Observe(ev))
			}
			if line != tc.want {
				t.Errorf("data line:\n got %q\nwant %q", line, tc.want)
			}
		})
	}
}
