package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/internal/badserver"
	"github.com/ftpscope/ftpscope/internal/vsftpdtest"
)

// expectRun checks that a run's output names what is wanted and none of
// the wrong explanations, and logs the transcript when it does not.
func expectRun(t *testing.T, res runResult, want, notWant []string) {
	t.Helper()
	out := res.stdout + res.stderr
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("the output lacks %q", w)
		}
	}
	for _, w := range notWant {
		if strings.Contains(out, w) {
			t.Errorf("the output contains %q", w)
		}
	}
	if t.Failed() {
		t.Logf("stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	}
}

// TestRunNamesCauseAndFix plays the scenarios of issue 8 with ftpscope
// run, against vsftpd started with the setting that causes each and the
// misbehaving server, and checks that the transcript's "?" lines name the
// cause and the fix, and that the wrong explanations are gone.
func TestRunNamesCauseAndFix(t *testing.T) {
	t.Run("vsftpd OOPS at login", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{Extra: map[string]string{"allow_writeable_chroot": "NO"}})
		res := runInProcess(t, "USER "+srv.User+"\nPASS "+srv.Password+"\n", "ftp://"+srv.Addr)
		expectRun(t, res, []string{"? error: vsftpd refuses to log this user in", "?   on the server (vsftpd): allow_writeable_chroot=YES"},
			[]string{"unknown or misspelt", "Check the spelling"})
	})
	// vsftpd may follow the OOPS with a second one, whole or cut short,
	// as its processes' timing falls; each ending is played here every
	// time, and the second OOPS must not read as an unknown command.
	for name, second := range map[string]string{"alone": badserver.NoSecondOOPS, "then a second": badserver.SecondOOPS, "then a second cut short": badserver.SecondOOPSCut} {
		t.Run("OOPS at login "+name, func(t *testing.T) {
			srv := badserver.Start(t, badserver.VsftpdOOPS(second))
			res := runInProcess(t, "USER a\nPASS b\n", srv.Addr)
			expectRun(t, res, []string{"? error: vsftpd refuses to log this user in", "?   on the server (vsftpd): allow_writeable_chroot=YES"},
				[]string{"unknown or misspelt", "Check the spelling", "? error: vsftpd hit a fatal error"})
		})
	}
	t.Run("vsftpd OOPS in clear text over TLS", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{TLS: true, Extra: map[string]string{"allow_writeable_chroot": "NO"}})
		res := runInProcess(t, "USER "+srv.User+"\nPASS "+srv.Password+"\n", "--tls", "--insecure", "ftp://"+srv.Addr)
		expectRun(t, res, []string{"? error: The server wrote a reply in clear text into the TLS connection", "500 OOPS"}, []string{"record with version 3030"})
	})
	t.Run("vsftpd clear-text login refused", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{TLS: true, Extra: map[string]string{"force_local_logins_ssl": "YES"}})
		res := runInProcess(t, "USER "+srv.User+"\n", "ftp://"+srv.Addr)
		expectRun(t, res, []string{"? error: The server accepts logins only over TLS", "--tls", "force_local_logins_ssl=NO"},
			[]string{"anonymous logins"})
	})
	t.Run("vsftpd PORT with active mode off", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{Extra: map[string]string{"port_enable": "NO"}})
		res := runInProcess(t, "USER "+srv.User+"\nPASS "+srv.Password+"\nPORT\n", "ftp://"+srv.Addr)
		expectRun(t, res, []string{"? error: The server refuses active mode", "port_enable=YES"}, []string{"check the path"})
	})
	t.Run("vsftpd PORT then EPRT with active mode off", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{Extra: map[string]string{"port_enable": "NO"}})
		res := runInProcess(t, "USER "+srv.User+"\nPASS "+srv.Password+"\nPORT\nEPRT\n", "ftp://"+srv.Addr)
		expectRun(t, res, []string{"? error: the same as above: The server refuses active mode (PORT/EPRT), or this address (see command 3)\n"}, nil)
		for _, once := range []string{"? error: The server refuses active mode", "port_enable=YES", "?   source:"} {
			if n := strings.Count(res.stdout, once); n != 1 {
				t.Errorf("%q printed %d times, want once:\n%s", once, n, res.stdout)
			}
		}
	})
	t.Run("vsftpd LIST after PASV refused", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{Extra: map[string]string{"pasv_enable": "NO"}})
		res := runInProcess(t, "USER "+srv.User+"\nPASS "+srv.Password+"\nPASV\nLIST\n", "ftp://"+srv.Addr)
		expectRun(t, res, []string{"the server refused PASV just before", "?   fix: Try EPSV", "pasv_enable=YES",
			"! LIST needs a data connection, and none is prepared: the server refused PASV, so send EPSV (or PORT/EPRT) first."},
			[]string{"Send PASV (or EPSV)", "send PASV or EPSV (or PORT/EPRT) first"})
	})
	t.Run("passive port refused", func(t *testing.T) {
		srv := badserver.Start(t, badserver.PassiveRefused(badserver.RefusedPort(t)))
		res := runInProcess(t, "USER a\nPASS b\nPASV\nLIST\n", srv.Addr)
		expectRun(t, res, []string{"? error: Nothing accepted the connection to the passive port", "firewall", "pasv_min_port"}, []string{"send PASV or EPSV again"})
	})
	// A stall is explained once, by its finding: neither the data line,
	// nor the error line after it, nor the server's 426 repeats the advice.
	for name, script := range map[string]badserver.Script{"150 then silence": badserver.SilentAfter150(), "150, silence, 426": badserver.StallThen426()} {
		t.Run(name, func(t *testing.T) {
			srv := badserver.Start(t, script)
			res := runInProcess(t, "USER a\nPASS b\nPASV\nLIST\n", "--reply-timeout", "1s", srv.Addr)
			expectRun(t, res, []string{"! data connection closed: 0 bytes received in", "(the data connection stalled: no data moved within the reply timeout)\n",
				"? error: No data moved on the data connection of LIST for the whole reply timeout"},
				[]string{"raise --reply-timeout for a slow link", "the server may be stuck", "The data connection was closed before the transfer finished"})
			if n := strings.Count(res.stdout, "?   fix:"); n != 1 {
				t.Errorf("%d fixes given, want the stall's alone:\n%s", n, res.stdout)
			}
		})
	}
	t.Run("450 file busy", func(t *testing.T) {
		srv := badserver.Start(t, func(c *badserver.Conn) {
			badserver.Greet(c)
			badserver.Serve(c, badserver.Handlers{"DELE": func(c *badserver.Conn, arg string) { c.Lines("450 " + arg + ": Resource temporarily unavailable") }})
		})
		res := runInProcess(t, "USER a\nPASS b\nDELE report.csv\n", srv.Addr)
		expectRun(t, res, []string{"? warning: The server did not carry out DELE for now (450): the file is in use or locked", "?   fix: Send the same command again in a little while"}, nil)
	})
	t.Run("Latin-1 names in a listing", func(t *testing.T) {
		srv := badserver.Start(t, badserver.NonUTF8Listing())
		res := runInProcess(t, "USER a\nPASS b\nPASV\nNLST\n", srv.Addr)
		expectRun(t, res, []string{`caf\xe9.txt`, `na\xefve.txt`, "? warning: The listing holds file names whose bytes are not UTF-8"}, nil)
		res = runInProcess(t, "USER a\nPASS b\nPASV\nNLST\n", "--json", srv.Addr)
		expectRun(t, res, []string{`"caf\\xe9.txt"`, `"kind":"finding"`, `"id":"listing-not-utf8"`, `"evidence":[`}, nil)
	})
	t.Run("553 upload", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{})
		upload := filepath.Join(t.TempDir(), "a.txt")
		if err := os.WriteFile(upload, []byte("a\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		res := runInProcess(t, "USER "+srv.User+"\nPASS "+srv.Password+"\nPASV\nSTOR /no/such/dir/a.txt < "+upload+"\n", "ftp://"+srv.Addr)
		expectRun(t, res, []string{"? error: The server refused the file name or refuses to create that file here", "write_enable=YES"}, nil)
	})
}
