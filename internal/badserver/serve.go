package badserver

// Serve: a small, well-behaved FTP server loop that scenarios override
// verb by verb.

import (
	"strings"
	"time"
)

// Handler answers one command; arg is what followed the verb.
type Handler func(c *Conn, arg string)

// Handlers override Serve's answers, by upper-case verb.
type Handlers map[string]Handler

// Listing is the LIST answer Serve sends over the data connection.
const Listing = "-rw-r--r--   1 ftp      ftp            12 Jan 01 00:00 hello.txt\r\n"

// FileContent is what Serve sends for RETR of any file.
const FileContent = "hello, world\n"

// dataWait bounds Serve's wait for a client's data connection.
const dataWait = 10 * time.Second

// Serve reads commands until the client leaves (or QUIT), answering each
// with h's handler when there is one, else like a small server:
//
//	USER 331, PASS 230, TYPE/MODE/STRU/NOOP/PBSZ/PROT 200, PWD 257 "/",
//	CWD 250, SYST 215 UNIX, FEAT 211, PASV 227 and EPSV 229 (a real
//	listener), LIST and RETR over it (Listing, FileContent), STOR read
//	and discarded, QUIT 221 and the end, anything else 502.
func Serve(c *Conn, h Handlers) {
	var data *Data
	for {
		verb, arg, ok := c.Command()
		if !ok {
			return
		}
		if f, found := h[verb]; found {
			f(c, arg)
			continue
		}
		switch verb {
		case "USER":
			c.Lines("331 Password please.")
		case "PASS":
			c.Lines("230 Logged in.")
		case "TYPE", "MODE", "STRU", "NOOP", "PBSZ", "PROT":
			c.Lines("200 OK.")
		case "PWD":
			c.Lines(`257 "/" is the current directory.`)
		case "CWD", "CDUP":
			c.Lines("250 OK.")
		case "SYST":
			c.Lines("215 UNIX Type: L8")
		case "FEAT":
			c.Lines("211-Features:", " EPSV", " PASV", " UTF8", "211 End")
		case "PASV", "EPSV":
			d := c.listenOr425()
			if d == nil {
				continue
			}
			data = d
			if verb == "PASV" {
				c.Lines(d.PASV("127.0.0.1"))
			} else {
				c.Lines(d.EPSV())
			}
		case "LIST", "NLST", "MLSD", "RETR", "STOR", "APPE":
			data = serveTransfer(c, verb, data)
		case "QUIT":
			c.Lines("221 Goodbye.")
			return
		default:
			c.Lines("502 Command not implemented.")
		}
	}
}

// serveTransfer answers a transfer command over the prepared listener.
func serveTransfer(c *Conn, verb string, data *Data) *Data {
	if data == nil {
		c.Lines("425 Use PASV or EPSV first.")
		return nil
	}
	c.Lines("150 Opening data connection.")
	conn, err := data.Accept(dataWait)
	if err != nil {
		c.Lines("425 No data connection.")
		return nil
	}
	switch verb {
	case "STOR", "APPE":
		buf := make([]byte, 32<<10)
		for {
			if _, err := conn.Read(buf); err != nil {
				break
			}
		}
	case "RETR":
		conn.Write([]byte(FileContent))
	default:
		conn.Write([]byte(Listing))
	}
	conn.Close()
	c.Lines("226 Transfer complete.")
	return nil
}

// Greet sends a 220 greeting.
func Greet(c *Conn) { c.Lines("220 badserver ready.") }

// repeat returns s n times.
func repeat(s string, n int) string { return strings.Repeat(s, n) }
