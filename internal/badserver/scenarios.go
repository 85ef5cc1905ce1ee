package badserver

// Ready-made scenarios, one per way a server misbehaves. Each greets (220
// unless said otherwise) and then answers like Serve, except for the verb
// named in its comment.

import (
	"crypto/tls"
	"fmt"
	"io"
	"strings"
	"time"
)

// Sizes of the flood scenarios, as issue 12 tried them.
const (
	// FloodLines is the length of Flood's reply.
	FloodLines = 200_000
	// BannerLines is the length of LongBanner's greeting.
	BannerLines = 5_000
	// GiantLineSize is the length of GiantLine's line: 64 MiB.
	GiantLineSize = 64 << 20
)

// Hostile is text full of terminal controls: clear screen, a window title
// (OSC 0), colours, a C1 CSI, a BEL, a bidirectional override, and a DEL.
const Hostile = "\x1b[2J\x1b]0;pwned\x07\x1b[31mred\x1b[0m \u009b1m \u202eevil\u202c\x7f"

// Escapes puts Hostile in every reply: the greeting, each line of a FEAT
// and STAT reply, a 550, and a file name of LIST.
func Escapes() Script {
	return func(c *Conn) {
		c.Lines("220 " + Hostile + " ready")
		Serve(c, Handlers{
			"FEAT": func(c *Conn, _ string) { c.Lines("211-"+Hostile, " "+Hostile, "211 "+Hostile) },
			"STAT": func(c *Conn, _ string) { c.Lines("211-"+Hostile, "211 End "+Hostile) },
			"CWD":  func(c *Conn, arg string) { c.Lines("550 " + arg + ": " + Hostile) },
			"LIST": func(c *Conn, _ string) {
				c.Lines("150 " + Hostile)
				c.Lines("226 " + Hostile)
			},
		})
	}
}

// GiantLine answers STAT with one line of size bytes ("211 xxxx…"), sent
// in pieces, then a normal reply to the next command.
func GiantLine(size int) Script {
	return func(c *Conn) {
		Greet(c)
		Serve(c, Handlers{"STAT": func(c *Conn, _ string) {
			c.Write("211 ")
			chunk := repeat("x", 64<<10)
			for sent := 4; sent < size; sent += len(chunk) {
				if err := c.Write(chunk[:min(len(chunk), size-sent)]); err != nil {
					return
				}
			}
			c.Write("\r\n")
		}})
	}
}

// EndlessReply answers STAT with "211-start" and then "211-line N" lines
// that never end, until the client hangs up.
func EndlessReply() Script {
	return func(c *Conn) {
		Greet(c)
		Serve(c, Handlers{"STAT": func(c *Conn, _ string) {
			if c.Write("211-start\r\n") != nil {
				return
			}
			// The same 64 KiB of lines, made once and written again and
			// again: formatting each line costs the test process more
			// than reading it costs the client, and under load (and
			// -race) kept a 16 MiB flood from ending within a test's
			// wait.
			block := endlessBlock()
			for c.Write(block) == nil {
			}
		}})
	}
}

// endlessBlock is 64 KiB of "211-line N" lines for EndlessReply.
func endlessBlock() string {
	var b []byte
	for n := 1; len(b) < 64<<10; n++ {
		b = fmt.Appendf(b, "211-line %d\r\n", n)
	}
	return string(b)
}

// SlowReplies sends every reply, the greeting included, one byte every
// interval (issue 12 tried a second).
func SlowReplies(every time.Duration) Script {
	return func(c *Conn) {
		if c.Trickle("220 slow server ready\r\n", every) != nil {
			return
		}
		for {
			verb, _, ok := c.Command()
			if !ok {
				return
			}
			reply := "200 OK\r\n"
			if verb == "QUIT" {
				reply = "221 Goodbye\r\n"
			}
			if c.Trickle(reply, every) != nil || verb == "QUIT" {
				return
			}
		}
	}
}

// CutReply answers STAT with two lines of a multi-line reply and half of a
// third, then hangs up.
func CutReply() Script {
	return func(c *Conn) {
		Greet(c)
		Serve(c, Handlers{"STAT": func(c *Conn, _ string) {
			c.Write("211-partial\r\n line one\r\n line tw")
			c.Hangup()
		}})
	}
}

// MalformedReplies lists the replies MalformedCodes sends, one per
// command, in order.
var MalformedReplies = []string{
	"2OO letter O instead of zero",
	"99 two digits",
	"hello, no code at all",
	"2200 four digits",
	"700 first digit out of range",
	"200-multi-line never ended properly\r\n200x not the end\r\n200 End",
}

// MalformedCodes answers each command with the next of MalformedReplies,
// then 200 to everything.
func MalformedCodes() Script {
	return func(c *Conn) {
		Greet(c)
		n := 0
		for {
			verb, _, ok := c.Command()
			if !ok {
				return
			}
			switch {
			case verb == "QUIT":
				c.Lines("221 Goodbye.")
				return
			case n < len(MalformedReplies):
				c.Lines(MalformedReplies[n])
				n++
			default:
				c.Lines("200 OK.")
			}
		}
	}
}

// Unsolicited421 answers the first command after the greeting normally,
// then at once sends a 421 that no command asked for and hangs up, as a
// server does on an idle timeout or at shutdown.
func Unsolicited421() Script {
	return func(c *Conn) {
		Greet(c)
		if _, _, ok := c.Command(); !ok {
			return
		}
		c.Lines("200 OK.", "421 Timeout: closing control connection.")
		c.Hangup()
	}
}

// Flood answers STAT with a multi-line reply of lines lines (FloodLines
// in issue 12), properly ended.
func Flood(lines int) Script {
	return func(c *Conn) {
		Greet(c)
		Serve(c, Handlers{"STAT": func(c *Conn, _ string) {
			var b strings.Builder
			b.WriteString("211-flood\r\n")
			for i := 1; i < lines-1; i++ {
				fmt.Fprintf(&b, " line %d\r\n", i)
				if b.Len() > 64<<10 {
					if c.Write(b.String()) != nil {
						return
					}
					b.Reset()
				}
			}
			b.WriteString("211 End of flood\r\n")
			c.Write(b.String())
		}})
	}
}

// LongBanner greets with a multi-line 220 of lines lines (BannerLines in
// issue 12).
func LongBanner(lines int) Script {
	return func(c *Conn) {
		var b strings.Builder
		b.WriteString("220-Welcome\r\n")
		for i := 1; i < lines-1; i++ {
			fmt.Fprintf(&b, "220-banner line %d\r\n", i)
		}
		b.WriteString("220 ready\r\n")
		if c.Write(b.String()) != nil {
			return
		}
		Serve(c, nil)
	}
}

// RedirectedPASV answers PASV with a 227 announcing ip (such as
// "10.0.0.7", a private address behind NAT, or "127.0.0.2", another
// host) with the port of a real listener on 127.0.0.1, where the data is.
func RedirectedPASV(ip string) Script {
	return func(c *Conn) {
		Greet(c)
		var data *Data
		Serve(c, Handlers{
			"PASV": func(c *Conn, _ string) {
				if d := c.listenOr425(); d != nil {
					data = d
					c.Lines(d.PASV(ip))
				}
			},
			"LIST": func(c *Conn, _ string) { data = serveTransfer(c, "LIST", data) },
		})
	}
}

// BadCertificate answers AUTH TLS with 234 and a handshake presenting
// cert (see SelfSigned), then goes on over TLS if the client accepts it.
func BadCertificate(cert tls.Certificate) Script {
	return func(c *Conn) {
		Greet(c)
		Serve(c, Handlers{"AUTH": func(c *Conn, _ string) {
			c.Lines("234 Proceed with negotiation.")
			if c.StartTLS(cert) != nil {
				c.Hangup()
			}
		}})
	}
}

// PassiveRefused answers PASV and EPSV with a port where nothing listens:
// the client's data connection is refused.
func PassiveRefused(port int) Script {
	return passiveTo(port)
}

// PassiveDropped answers PASV and EPSV with a port whose connections hang
// (see DroppingPort), as behind a firewall that drops the passive range.
func PassiveDropped(port int) Script {
	return passiveTo(port)
}

// passiveTo answers PASV and EPSV with port on 127.0.0.1, and a transfer
// with 425 (the server never sees the data connection).
func passiveTo(port int) Script {
	return func(c *Conn) {
		Greet(c)
		transfer := func(c *Conn, _ string) { c.Lines("425 Failed to establish connection.") }
		Serve(c, Handlers{
			"PASV": func(c *Conn, _ string) { c.Lines(PASVReply("127.0.0.1", port)) },
			"EPSV": func(c *Conn, _ string) { c.Lines(EPSVReply(port)) },
			"LIST": transfer, "NLST": transfer, "RETR": transfer,
		})
	}
}

// SilentAfter150 answers LIST and RETR with 150, accepts the data
// connection and then sends nothing more on either connection, until the
// client gives up.
func SilentAfter150() Script {
	return func(c *Conn) {
		Greet(c)
		var data *Data
		silence := func(c *Conn, _ string) {
			if data == nil {
				c.Lines("425 Use PASV or EPSV first.")
				return
			}
			c.Lines("150 Here it comes.")
			conn, err := data.Accept(dataWait)
			if err != nil {
				return
			}
			defer conn.Close()
			c.Hold()
		}
		Serve(c, Handlers{
			"PASV": func(c *Conn, _ string) {
				if d := c.listenOr425(); d != nil {
					data = d
					c.Lines(d.PASV("127.0.0.1"))
				}
			},
			"LIST": silence, "RETR": silence,
		})
	}
}

// StallThen426 answers LIST and RETR with 150, accepts the data
// connection and sends nothing on it; once the client gives up and closes
// it, the server answers 426, as vsftpd does when a stalled firewall
// holds the data connection ("426 Failure writing network stream.").
func StallThen426() Script { return SendThenStall(0) }

// SendThenStall is StallThen426 after sending the first n bytes of
// Pattern: a transfer that stops part-way, past the client's first reads.
func SendThenStall(n int) Script {
	return func(c *Conn) {
		Greet(c)
		var data *Data
		stall := func(c *Conn, _ string) {
			if data == nil {
				c.Lines("425 Use PASV or EPSV first.")
				return
			}
			c.Lines("150 Here it comes.")
			conn, err := data.Accept(dataWait)
			data.Close()
			data = nil
			if err != nil {
				c.Lines("425 Failed to establish connection.")
				return
			}
			if _, err := conn.Write(Pattern(n)); err != nil {
				conn.Close()
				c.Lines("426 Failure writing network stream.")
				return
			}
			// Read until the client closes its side: nothing more is
			// written.
			io.Copy(io.Discard, conn)
			conn.Close()
			c.Lines("426 Failure writing network stream.")
		}
		Serve(c, Handlers{
			"PASV": func(c *Conn, _ string) {
				if d := c.listenOr425(); d != nil {
					data = d
					c.Lines(d.PASV("127.0.0.1"))
				}
			},
			"LIST": stall, "RETR": stall,
		})
	}
}

// Pattern returns n bytes that differ from one position to the next
// within any 251 bytes, so a byte dropped, doubled or moved shows.
func Pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i % 251)
	}
	return b
}

// NonUTF8Names are the names NonUTF8Listing lists, in Latin-1.
var NonUTF8Names = []string{"caf\xe9.txt", "na\xefve.txt", "\xfcber.txt"}

// NonUTF8Listing answers LIST and NLST with file names in Latin-1, not
// UTF-8 (NonUTF8Names).
func NonUTF8Listing() Script {
	return func(c *Conn) {
		Greet(c)
		var data *Data
		list := func(c *Conn, verb string) {
			if data == nil {
				c.Lines("425 Use PASV or EPSV first.")
				return
			}
			c.Lines("150 Here comes the listing.")
			conn, err := data.Accept(dataWait)
			if err != nil {
				c.Lines("425 No data connection.")
				return
			}
			for _, name := range NonUTF8Names {
				if verb == "NLST" {
					conn.Write([]byte(name + "\r\n"))
				} else {
					conn.Write([]byte("-rw-r--r--   1 ftp      ftp            12 Jan 01 00:00 " + name + "\r\n"))
				}
			}
			conn.Close()
			data = nil
			c.Lines("226 Directory send OK.")
		}
		Serve(c, Handlers{
			"PASV": func(c *Conn, _ string) {
				if d := c.listenOr425(); d != nil {
					data = d
					c.Lines(d.PASV("127.0.0.1"))
				}
			},
			"EPSV": func(c *Conn, _ string) {
				if d := c.listenOr425(); d != nil {
					data = d
					c.Lines(d.EPSV())
				}
			},
			"LIST": func(c *Conn, _ string) { list(c, "LIST") },
			"NLST": func(c *Conn, _ string) { list(c, "NLST") },
		})
	}
}

// SlowDownload answers RETR with 150 and sends size bytes over the data
// connection, one chunk of 1 KiB every interval, then 226: a transfer
// long enough to interrupt.
func SlowDownload(size int, every time.Duration) Script {
	return func(c *Conn) {
		Greet(c)
		var data *Data
		Serve(c, Handlers{
			"EPSV": func(c *Conn, _ string) {
				if d := c.listenOr425(); d != nil {
					data = d
					c.Lines(d.EPSV())
				}
			},
			"RETR": func(c *Conn, _ string) {
				if data == nil {
					c.Lines("425 Use EPSV first.")
					return
				}
				c.Lines("150 Sending slowly.")
				conn, err := data.Accept(dataWait)
				if err != nil {
					c.Lines("425 No data connection.")
					return
				}
				defer conn.Close()
				chunk := []byte(repeat("z", 1024))
				t := time.NewTicker(every)
				defer t.Stop()
				for sent := 0; sent < size; sent += len(chunk) {
					if _, err := conn.Write(chunk); err != nil {
						c.Lines("426 Connection closed; transfer aborted.")
						return
					}
					select {
					case <-t.C:
					case <-c.Done():
						return
					}
				}
				conn.Close()
				c.Lines("226 Transfer complete.")
			},
		})
	}
}

// The ways vsftpd's second OOPS comes after the first (see VsftpdOOPS).
// Its privileged process writes "500 OOPS: ", the reason and CRLF in three
// writes, and may be ended in between by its session process's exit.
const (
	NoSecondOOPS  = ""
	SecondOOPS    = "500 OOPS: priv_sock_get_cmd\r\n"
	SecondOOPSCut = "500 OOPS: "
)

// VsftpdOOPS greets as vsftpd does, asks for the password after USER, and
// answers PASS with vsftpd's OOPS for a writable chroot, then second (one
// of NoSecondOOPS, SecondOOPS, SecondOOPSCut) and hangs up: the three
// endings a real vsftpd gives at random, depending on its processes'
// timing, each one played every time.
func VsftpdOOPS(second string) Script {
	return func(c *Conn) {
		c.Lines("220 (vsFTPd 3.0.3)")
		Serve(c, Handlers{
			"USER": func(c *Conn, _ string) { c.Lines("331 Please specify the password.") },
			"PASS": func(c *Conn, _ string) {
				c.Write("500 OOPS: vsftpd: refusing to run with writable root inside chroot()\r\n" + second)
				c.Hangup()
			},
		})
	}
}
