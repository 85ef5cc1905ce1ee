package diagnose

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/internal/badserver"
	"github.com/ftpscope/ftpscope/protocol"
)

// play runs lines on a new session with cfg, one command at a time, and
// returns every finding the session's events gave, in order.
func play(t *testing.T, cfg protocol.Config, lines ...string) []Finding {
	t.Helper()
	return playThen(t, cfg, false, lines...)
}

// playToEnd is play for a server that hangs up after the lines: it waits
// for the session to end, so that what the server sent before hanging up
// (a last line without its CRLF, seen only at the end of the stream) is
// read and diagnosed before the connection is closed.
func playToEnd(t *testing.T, cfg protocol.Config, lines ...string) []Finding {
	t.Helper()
	return playThen(t, cfg, true, lines...)
}

func playThen(t *testing.T, cfg protocol.Config, toEnd bool, lines ...string) []Finding {
	t.Helper()
	if cfg.ReplyTimeout == 0 {
		cfg.ReplyTimeout = 10 * time.Second
	}
	var found []Finding
	runLines(t, cfg, toEnd, func(_ *Engine, _ protocol.Event, f []Finding) { found = append(found, f...) }, lines...)
	return found
}

// runLines plays lines on a new session with cfg (connecting within 5 s
// unless cfg says otherwise), stopping early when the session ends, and
// hands each event to seen with the findings a fresh engine gave for it.
// With toEnd it waits for the server to end the session before closing.
func runLines(t *testing.T, cfg protocol.Config, toEnd bool, seen func(eng *Engine, ev protocol.Event, found []Finding), lines ...string) {
	t.Helper()
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 5 * time.Second
	}
	eng := New()
	s := protocol.Dial(cfg)
	conv := protocol.NewConversation(s, func(ev protocol.Event) {
		seen(eng, ev, eng.Observe(ev))
	})
	if _, err := conv.Greeting(context.Background()); err == nil {
		for _, l := range lines {
			if _, err := conv.Do(context.Background(), l); err != nil && isClosed(s) {
				break
			}
		}
	}
	if toEnd {
		<-s.Done()
	}
	conv.Close()
}

// isClosed reports whether the session has ended.
func isClosed(s *protocol.Session) bool {
	select {
	case <-s.Done():
		return true
	default:
		return false
	}
}

// ids are the ids of findings, in order.
func ids(fs []Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}

// expect checks that want was found, and no other finding of severity
// error or warning (ftpscope must not name a second, wrong, cause).
func expect(t *testing.T, fs []Finding, want string, alsoAllowed ...string) Finding {
	t.Helper()
	var got Finding
	for _, f := range fs {
		switch {
		case f.ID == want:
			got = f
		case f.Severity != SeverityInfo && !slices.Contains(alsoAllowed, f.ID):
			t.Errorf("unexpected finding %s (%s) besides %s", f.ID, f.Cause, want)
		}
	}
	if got.ID == "" {
		t.Fatalf("finding %s not given; got %v", want, ids(fs))
	}
	if got.Cause == "" || got.ClientFix == "" && len(got.ServerFixes) == 0 || got.Source == "" || len(got.Evidence) == 0 {
		t.Errorf("finding %s is incomplete: %+v", want, got)
	}
	return got
}

// TestDataConnectionFaults provokes each data-connection finding on a
// misbehaving server: a refused passive port, a dropped one, a 150 and
// then silence, an address behind NAT, a transfer cut off, names that are
// not UTF-8.
func TestDataConnectionFaults(t *testing.T) {
	t.Run("passive port refused", func(t *testing.T) {
		srv := badserver.Start(t, badserver.PassiveRefused(badserver.RefusedPort(t)))
		f := expect(t, play(t, protocol.Config{Addr: srv.Addr}, "USER a", "PASS b", "PASV", "LIST"), "passive-port-refused")
		if len(f.ServerFixes) != 5 {
			t.Errorf("an unknown server should get every server's setting, got %+v", f.ServerFixes)
		}
	})
	t.Run("passive port dropped", func(t *testing.T) {
		srv := badserver.Start(t, badserver.PassiveDropped(badserver.DroppingPort(t)))
		expect(t, play(t, protocol.Config{Addr: srv.Addr, ConnectTimeout: time.Second}, "USER a", "PASS b", "EPSV", "LIST"), "passive-port-dropped")
	})
	t.Run("150 then silence", func(t *testing.T) {
		srv := badserver.Start(t, badserver.SilentAfter150())
		f := expect(t, play(t, protocol.Config{Addr: srv.Addr, ReplyTimeout: time.Second}, "USER a", "PASS b", "PASV", "LIST"), "transfer-stalled")
		if f.Seq != 4 {
			t.Errorf("the stall is about command 4 (LIST), got %d", f.Seq)
		}
	})
	t.Run("227 behind NAT", func(t *testing.T) {
		srv := badserver.Start(t, badserver.RedirectedPASV("10.0.0.7"))
		f := expect(t, play(t, protocol.Config{Addr: srv.Addr}, "USER a", "PASS b", "PASV", "LIST"), "passive-address-foreign")
		if !slices.ContainsFunc(f.ServerFixes, func(s ServerFix) bool {
			return s.Server == protocol.ServerVsftpd && s.Fix == "pasv_address=127.0.0.1 (with pasv_addr_resolve=YES for a name)"
		}) {
			t.Errorf("vsftpd's fix should name pasv_address with the address to announce: %+v", f.ServerFixes)
		}
	})
	t.Run("425 after the passive connection opened", func(t *testing.T) {
		// The server listens, ftpscope connects, and the server says it
		// has no connection: it gave up on it (pyftpdlib's wording).
		srv := badserver.Start(t, func(c *badserver.Conn) {
			badserver.Greet(c)
			badserver.Serve(c, badserver.Handlers{
				"LIST": func(c *badserver.Conn, _ string) { c.Lines("425 Can't open data connection.") },
			})
		})
		expect(t, play(t, protocol.Config{Addr: srv.Addr}, "USER a", "PASS b", "PASV", "LIST"), "passive-server-gave-up")
	})
	t.Run("522 session reuse required", func(t *testing.T) {
		// vsftpd's words when a protected data connection does not resume
		// the control connection's TLS session; it then hangs up.
		srv := badserver.Start(t, func(c *badserver.Conn) {
			badserver.Greet(c)
			badserver.Serve(c, badserver.Handlers{
				"LIST": func(c *badserver.Conn, _ string) {
					c.Lines("150 Here comes the directory listing.", "522 SSL connection failed: session reuse required")
					c.Hangup()
				},
			})
		})
		expect(t, play(t, protocol.Config{Addr: srv.Addr}, "USER a", "PASS b", "PASV", "LIST"), "tls-session-reuse-required")
	})
	t.Run("active connection never made", func(t *testing.T) {
		// The server accepts PORT, then cannot reach the client's
		// listener (a firewall on the client's side): vsftpd's words.
		srv := badserver.Start(t, func(c *badserver.Conn) {
			badserver.Greet(c)
			badserver.Serve(c, badserver.Handlers{
				"PORT": func(c *badserver.Conn, _ string) { c.Lines("200 PORT command successful. Consider using PASV.") },
				"LIST": func(c *badserver.Conn, _ string) { c.Lines("425 Failed to establish connection.") },
			})
		})
		expect(t, play(t, protocol.Config{Addr: srv.Addr}, "USER a", "PASS b", "PORT", "LIST"), "active-connect-failed")
	})
	t.Run("listing not UTF-8", func(t *testing.T) {
		srv := badserver.Start(t, badserver.NonUTF8Listing())
		expect(t, play(t, protocol.Config{Addr: srv.Addr}, "USER a", "PASS b", "PASV", "LIST"), "listing-not-utf8")
	})
	t.Run("426 mid-transfer", func(t *testing.T) {
		srv := badserver.Start(t, cutThen426())
		expect(t, play(t, protocol.Config{Addr: srv.Addr}, "USER a", "PASS b", "PASV", "RETR big.bin"), "transfer-aborted")
	})
}

// TestSlowGreeting provokes the finding on a server that waits before its
// greeting, as one that looks up the client's name does.
func TestSlowGreeting(t *testing.T) {
	srv := badserver.Start(t, func(c *badserver.Conn) {
		time.Sleep(slowGreeting + 100*time.Millisecond)
		badserver.Greet(c)
		badserver.Serve(c, nil)
	})
	f := expect(t, play(t, protocol.Config{Addr: srv.Addr}), "slow-greeting")
	if len(f.ServerFixes) == 0 || !strings.Contains(f.ServerFixText(), "reverse_lookup_enable=NO") {
		t.Errorf("the fix should name vsftpd's reverse_lookup_enable: %q", f.ServerFixText())
	}
}

// replying is a server that answers verb with reply, and the rest like a
// small server.
func replying(verb string, reply ...string) badserver.Script {
	return func(c *badserver.Conn) {
		badserver.Greet(c)
		badserver.Serve(c, badserver.Handlers{verb: func(c *badserver.Conn, _ string) { c.Lines(reply...) }})
	}
}

// TestServerWordings provokes the findings whose fault needs a server that
// words it its own way: EPSV refused by an old firewall, OPTS UTF8 refused
// (Pure-FTPd, pyftpdlib), a full disk (Pure-FTPd's quota), SIZE in ASCII
// mode (ProFTPD, pyftpdlib), a busy file (450, in the words of small
// servers and of ProFTPD), and Pure-FTPd's 450 for ASCII mode, which is
// not a busy file; nor is ProFTPD's 450 to an NLST that matches nothing.
func TestServerWordings(t *testing.T) {
	upload := filepath.Join(t.TempDir(), "big.bin")
	if err := os.WriteFile(upload, []byte("data"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, verb string
		reply      []string
		lines      []string
		want       string
	}{
		{"EPSV refused", "EPSV", []string{"500 'EPSV': command not understood"}, []string{"EPSV"}, "epsv-refused"},
		{"OPTS UTF8 refused", "OPTS", []string{"501 Invalid argument."}, []string{"OPTS UTF8 ON"}, "opts-utf8-refused"},
		{"quota", "STOR", []string{"552 Quota exceeded: [big.bin] won't be saved"}, []string{"PASV", "STOR big.bin < " + upload}, "disk-full-or-quota"},
		{"SIZE in ASCII", "SIZE", []string{"550 SIZE not allowed in ASCII mode"}, []string{"TYPE A", "SIZE a.txt"}, "size-in-ascii-mode"},
		{"anonymous refused", "USER", []string{"530 This FTP server does not allow anonymous logins"}, []string{"USER anonymous"}, "anonymous-disabled"},
		{"EPSV ALL", "EPSV", []string{"220 Other commands other than EPSV are now disabled."}, []string{"EPSV ALL"}, ""},
		{"file busy to DELE", "DELE", []string{"450 File busy"}, []string{"DELE report.csv"}, "file-busy"},
		{"file busy to RNFR", "RNFR", []string{"450 report.csv: Resource temporarily unavailable"}, []string{"RNFR report.csv"}, "file-busy"},
		{"file server lost", "RETR", []string{"450 Transfer aborted. Link to file server lost"}, []string{"PASV", "RETR big.bin"}, "file-busy"},
		{"no ASCII mode", "RETR", []string{"450 Transfers in ASCII mode are not supported"}, []string{"TYPE A", "PASV", "RETR a.txt"}, "ascii-transfers-unsupported"},
		{"450 to NLST", "NLST", []string{"450 No files found"}, []string{"PASV", "NLST *.zip"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := badserver.Start(t, replying(tt.verb, tt.reply...))
			fs := play(t, protocol.Config{Addr: srv.Addr}, append([]string{"USER a", "PASS b"}, tt.lines...)...)
			if tt.want == "" {
				if len(fs) > 0 {
					t.Errorf("no finding expected, got %v", ids(fs))
				}
				return
			}
			expect(t, fs, tt.want, "no-data-connection-prepared")
		})
	}
}

// TestCertificateFaults provokes the certificate findings: self-signed,
// expired, and for another name.
func TestCertificateFaults(t *testing.T) {
	selfSigned, _ := badserver.SelfSigned(t, badserver.CertOptions{})
	expired, expiredPool := badserver.SelfSigned(t, badserver.CertOptions{NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(-24 * time.Hour)})
	other, otherPool := badserver.SelfSigned(t, badserver.CertOptions{Names: []string{"ftp.example.org"}})
	tests := []struct {
		name string
		srv  badserver.Script
		cfg  protocol.Config
		want string
	}{
		{"self-signed", badserver.BadCertificate(selfSigned), protocol.Config{RequireTLS: true}, "certificate-not-trusted"},
		{"expired", badserver.BadCertificate(expired), protocol.Config{RequireTLS: true, RootCAs: expiredPool}, "certificate-expired"},
		{"another name", badserver.BadCertificate(other), protocol.Config{RequireTLS: true, RootCAs: otherPool}, "certificate-wrong-name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := badserver.Start(t, tt.srv)
			tt.cfg.Addr = srv.Addr
			expect(t, play(t, tt.cfg, "USER a"), tt.want)
		})
	}
}

// TestImplicitExplicitConfusion provokes the two ways of mixing up
// implicit and explicit TLS: ftps:// against a port that greets in clear
// text, and a plain connection to a port that waits for a TLS handshake.
func TestImplicitExplicitConfusion(t *testing.T) {
	t.Run("ftps against an explicit port", func(t *testing.T) {
		srv := badserver.Start(t, func(c *badserver.Conn) { badserver.Greet(c); badserver.Serve(c, nil) })
		expect(t, play(t, protocol.Config{Addr: srv.Addr, ImplicitTLS: true}), "implicit-tls-on-explicit-port")
	})
	t.Run("plain against an implicit port", func(t *testing.T) {
		srv := badserver.Start(t, func(c *badserver.Conn) { c.Hold() })
		expect(t, play(t, protocol.Config{Addr: srv.Addr, ReplyTimeout: time.Second}), "plain-on-implicit-port")
	})
}

// TestVsftpdSecondOOPS plays the three endings vsftpd gives a refused
// writable chroot at random (no second OOPS, a whole one, one cut after
// "500 OOPS: "), each every time: the first OOPS is named, and a second
// one is its aftermath, never a fault of its own. TestVsftpdFaults checks
// the real vsftpd, whichever ending it happens to give.
func TestVsftpdSecondOOPS(t *testing.T) {
	for _, tt := range []struct{ name, second string }{
		{"no second OOPS", badserver.NoSecondOOPS},
		{"second OOPS", badserver.SecondOOPS},
		{"second OOPS cut short", badserver.SecondOOPSCut},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := badserver.Start(t, badserver.VsftpdOOPS(tt.second))
			fs := playToEnd(t, protocol.Config{Addr: srv.Addr}, "USER a", "PASS b")
			expect(t, fs, "vsftpd-writable-chroot")
			aftermath := slices.ContainsFunc(fs, func(f Finding) bool { return f.ID == "vsftpd-oops-aftermath" })
			if want := tt.second != badserver.NoSecondOOPS; aftermath != want {
				t.Errorf("second OOPS named as the aftermath: %t, want %t; findings %v", aftermath, want, ids(fs))
			}
		})
	}
}
