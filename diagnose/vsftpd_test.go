package diagnose

import (
	"context"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/internal/vsftpdtest"
	"github.com/ftpscope/ftpscope/protocol"
)

// TestVsftpdFaults starts vsftpd with the setting that causes each fault
// and checks that ftpscope names the cause, and vsftpd's own setting as
// the server-side fix. vsftpd is recognised from its greeting.
func TestVsftpdFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("starts vsftpd servers")
	}
	login := func(srv *vsftpdtest.Server) []string { return []string{"USER " + srv.User, "PASS " + srv.Password} }
	trust := func(t *testing.T, srv *vsftpdtest.Server) *x509.CertPool {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(srv.CertPEM) {
			t.Fatal("the server's certificate does not parse")
		}
		return pool
	}
	vsftpdFix := func(t *testing.T, f Finding, setting string) {
		t.Helper()
		if f.Server != protocol.ServerVsftpd || len(f.ServerFixes) != 1 || f.ServerFixes[0].Server != protocol.ServerVsftpd || !strings.Contains(f.ServerFixes[0].Fix, setting) {
			t.Errorf("%s: the server fix should be vsftpd's %s alone, got server %q, %+v", f.ID, setting, f.Server, f.ServerFixes)
		}
	}

	t.Run("writable chroot", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{Extra: map[string]string{"allow_writeable_chroot": "NO"}})
		f := expect(t, play(t, protocol.Config{Addr: srv.Addr}, login(srv)...), "vsftpd-writable-chroot")
		vsftpdFix(t, f, "allow_writeable_chroot=YES")
	})
	t.Run("OOPS", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{Extra: map[string]string{"local_root": "/nonexistent-ftpscope"}})
		expect(t, play(t, protocol.Config{Addr: srv.Addr}, login(srv)...), "vsftpd-oops")
	})
	t.Run("OOPS in clear text over TLS", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{TLS: true, Extra: map[string]string{"allow_writeable_chroot": "NO"}})
		f := expect(t, play(t, protocol.Config{Addr: srv.Addr, RequireTLS: true, RootCAs: trust(t, srv)}, login(srv)...), "clear-text-inside-tls")
		vsftpdFix(t, f, "OOPS")
	})
	t.Run("clear-text login refused", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{TLS: true, Extra: map[string]string{"force_local_logins_ssl": "YES"}})
		f := expect(t, play(t, protocol.Config{Addr: srv.Addr}, login(srv)...), "tls-required-for-login")
		vsftpdFix(t, f, "force_local_logins_ssl")
	})
	t.Run("wrong password", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{})
		fs := play(t, protocol.Config{Addr: srv.Addr}, "USER "+srv.User, "PASS wrong")
		vsftpdFix(t, expect(t, fs, "login-incorrect"), "PAM")
		// vsftpd's PAM waits 1 to 3 seconds before a 530 (pam_faildelay).
		vsftpdFix(t, expect(t, fs, "failed-login-delay", "login-incorrect"), "delay_failed_login")
	})
	t.Run("anonymous login with anonymous FTP off", func(t *testing.T) {
		// vsftpd answers 331 to USER anonymous and then "530 Login
		// incorrect.", as for a wrong password: the advice is not to
		// check the password.
		srv := vsftpdtest.Start(t, vsftpdtest.Options{})
		fs := play(t, protocol.Config{Addr: srv.Addr}, "USER anonymous", "PASS guest@example.org")
		vsftpdFix(t, expect(t, fs, "anonymous-login-refused"), "anonymous_enable=YES")
	})
	t.Run("idle session timeout", func(t *testing.T) {
		// vsftpd sends "421 Timeout." on its own when no command came
		// for idle_session_timeout seconds, and closes the connection:
		// the test waits for that close, not for a time.
		srv := vsftpdtest.Start(t, vsftpdtest.Options{Extra: map[string]string{"idle_session_timeout": "1"}})
		eng := New()
		var found []Finding
		s := protocol.Dial(protocol.Config{Addr: srv.Addr, ConnectTimeout: 5 * time.Second, ReplyTimeout: 10 * time.Second})
		conv := protocol.NewConversation(s, func(ev protocol.Event) { found = append(found, eng.Observe(ev)...) })
		if _, err := conv.Greeting(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, l := range login(srv) {
			if _, err := conv.Do(context.Background(), l); err != nil {
				t.Fatal(err)
			}
		}
		select {
		case <-s.Done():
		case <-time.After(time.Minute):
			t.Fatal("vsftpd did not end the idle session")
		}
		conv.Close()
		vsftpdFix(t, expect(t, found, "idle-timeout"), "idle_session_timeout")
	})
	t.Run("user on the deny list", func(t *testing.T) {
		list := filepath.Join(t.TempDir(), "user_list")
		if err := os.WriteFile(list, []byte("root\nftpscopetest\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		srv := vsftpdtest.Start(t, vsftpdtest.Options{Extra: map[string]string{"userlist_enable": "YES", "userlist_deny": "YES", "userlist_file": list}})
		f := expect(t, play(t, protocol.Config{Addr: srv.Addr}, login(srv)...), "user-denied")
		vsftpdFix(t, f, "userlist")
	})
	t.Run("max_per_ip", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{Extra: map[string]string{"max_per_ip": "1"}})
		takeTheOnePlace(t, srv.Addr)
		f := expect(t, play(t, protocol.Config{Addr: srv.Addr}, "NOOP"), "too-many-connections")
		vsftpdFix(t, f, "max_per_ip")
	})
	t.Run("max_clients", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{Extra: map[string]string{"max_clients": "1"}})
		takeTheOnePlace(t, srv.Addr)
		f := expect(t, play(t, protocol.Config{Addr: srv.Addr}, "NOOP"), "too-many-connections")
		vsftpdFix(t, f, "max_clients")
	})
	t.Run("AUTH TLS refused", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{})
		f := expect(t, play(t, protocol.Config{Addr: srv.Addr}, "AUTH TLS"), "auth-tls-not-offered")
		vsftpdFix(t, f, "ssl_enable=YES")
	})
	t.Run("522 without PROT P", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{TLS: true, Extra: map[string]string{"force_local_data_ssl": "YES"}})
		fs := play(t, protocol.Config{Addr: srv.Addr, RequireTLS: true, RootCAs: trust(t, srv)}, append(login(srv), "PASV", "LIST")...)
		vsftpdFix(t, expect(t, fs, "data-needs-prot-p"), "force_local_data_ssl")
	})
	t.Run("PORT with active mode off", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{Extra: map[string]string{"port_enable": "NO"}})
		fs := play(t, protocol.Config{Addr: srv.Addr}, append(login(srv), "PORT")...)
		vsftpdFix(t, expect(t, fs, "active-mode-disabled"), "port_enable=YES")
	})
	// The same cause met by a second command is a repeat of the first
	// finding: the engine marks it, and the front ends remind of it.
	t.Run("PORT then EPRT with active mode off", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{Extra: map[string]string{"port_enable": "NO"}})
		fs := play(t, protocol.Config{Addr: srv.Addr}, append(login(srv), "PORT", "EPRT")...)
		var got []string
		for _, f := range fs {
			if f.ID == "active-mode-disabled" {
				got = append(got, fmt.Sprintf("seq %d repeat %v of %d", f.Seq, f.Repeat, f.FirstSeq))
			}
		}
		if want := []string{"seq 3 repeat false of 0", "seq 4 repeat true of 3"}; !slices.Equal(got, want) {
			t.Errorf("findings %q, want %q", got, want)
		}
	})
	t.Run("PASV with passive mode off", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{Extra: map[string]string{"pasv_enable": "NO"}})
		fs := play(t, protocol.Config{Addr: srv.Addr}, append(login(srv), "PASV")...)
		vsftpdFix(t, expect(t, fs, "passive-mode-disabled"), "pasv_enable=YES")
	})
	t.Run("227 naming another address", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{PasvAddress: "127.0.0.2"})
		fs := play(t, protocol.Config{Addr: srv.Addr}, append(login(srv), "PASV", "LIST")...)
		vsftpdFix(t, expect(t, fs, "passive-address-foreign"), "pasv_address=127.0.0.1")
	})
	t.Run("LIST without PASV", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{})
		expect(t, play(t, protocol.Config{Addr: srv.Addr}, append(login(srv), "LIST")...), "no-data-connection-prepared")
	})
	// After a refused PASV or EPSV, the 425 of the transfer does not
	// advise sending the command the server just refused.
	for _, tt := range []struct {
		name, want, fix string
		modes           []string
	}{
		{"LIST after PASV refused", "no-data-connection-pasv-refused", "Try EPSV", []string{"PASV"}},
		{"LIST after EPSV refused", "no-data-connection-epsv-refused", "Try PASV", []string{"EPSV"}},
		{"LIST after PASV and EPSV refused", "no-data-connection-passive-refused", "Use active mode", []string{"PASV", "EPSV"}},
		{"LIST after every data mode refused", "no-data-mode-left", "Only the server's administrator", []string{"PASV", "EPSV", "PORT"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := vsftpdtest.Start(t, vsftpdtest.Options{Extra: map[string]string{"pasv_enable": "NO", "port_enable": "NO"}})
			fs := play(t, protocol.Config{Addr: srv.Addr}, append(append(login(srv), tt.modes...), "LIST")...)
			f := expect(t, fs, tt.want, "passive-mode-disabled", "active-mode-disabled")
			vsftpdFix(t, f, "pasv_enable=YES")
			if !strings.HasPrefix(f.ClientFix, tt.fix) {
				t.Errorf("%s: fix %q, want it to start %q", f.ID, f.ClientFix, tt.fix)
			}
		})
	}
	t.Run("553 could not create file", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{})
		upload := filepath.Join(t.TempDir(), "a.txt")
		if err := os.WriteFile(upload, []byte("a\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		fs := play(t, protocol.Config{Addr: srv.Addr}, append(login(srv), "PASV", "STOR /no/such/dir/a.txt < "+upload)...)
		vsftpdFix(t, expect(t, fs, "file-name-not-allowed"), "write_enable")
	})
	t.Run("upload with write_enable=NO", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{Extra: map[string]string{"write_enable": "NO"}})
		upload := filepath.Join(t.TempDir(), "a.txt")
		if err := os.WriteFile(upload, []byte("a\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		fs := play(t, protocol.Config{Addr: srv.Addr}, append(login(srv), "PASV", "STOR a.txt < "+upload)...)
		vsftpdFix(t, expect(t, fs, "upload-permission"), "write_enable=YES")
	})
	t.Run("Latin-1 file name", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{})
		if err := os.WriteFile(filepath.Join(srv.Root, "caf\xe9.txt"), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		fs := play(t, protocol.Config{Addr: srv.Addr}, append(login(srv), "PASV", "NLST")...)
		vsftpdFix(t, expect(t, fs, "listing-not-utf8"), "convmv")
	})
	t.Run("PASV over IPv6", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{IPv6: true})
		fs := play(t, protocol.Config{Addr: srv.Addr}, append(login(srv), "PASV")...)
		expect(t, fs, "pasv-over-ipv6")
	})
	t.Run("implicit TLS port spoken to in clear", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{ImplicitTLS: true})
		fs := play(t, protocol.Config{Addr: srv.Addr, ReplyTimeout: 2 * time.Second})
		expect(t, fs, "plain-on-implicit-port")
	})
	t.Run("ftps against the explicit port", func(t *testing.T) {
		srv := vsftpdtest.Start(t, vsftpdtest.Options{TLS: true})
		f := expect(t, play(t, protocol.Config{Addr: srv.Addr, ImplicitTLS: true}), "implicit-tls-on-explicit-port")
		if !slices.ContainsFunc(f.Evidence, func(e Evidence) bool {
			return strings.Contains(e.Line, "clear text") || strings.Contains(e.Line, "TLS")
		}) {
			t.Errorf("the evidence should show the failed handshake: %+v", f.Evidence)
		}
	})
}

// takeTheOnePlace opens the one session a server limited to one allows,
// kept until the test ends. vsftpd may still count Start's own check for
// a moment, so it tries again until a 220 comes.
func takeTheOnePlace(t *testing.T, addr string) {
	t.Helper()
	for attempt := 0; ; attempt++ {
		first := protocol.Dial(protocol.Config{Addr: addr})
		t.Cleanup(first.Close)
		greeting, err := protocol.NewConversation(first, nil).Greeting(context.Background())
		if err == nil && greeting.Code == 220 {
			return
		}
		if attempt == 20 {
			t.Fatalf("no session of one's own: %v %v", greeting, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
