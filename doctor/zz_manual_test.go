package doctor

import (
	"context"
	"crypto/x509"
	"os"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/internal/vsftpdtest"
)

func TestZZManual(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	no := false
	cases := []struct {
		name  string
		o     vsftpdtest.Options
		tls   bool
		trust bool
	}{
		{"correct-tls", vsftpdtest.Options{TLS: true, TLSv13: true}, true, true},
		{"correct-plain", vsftpdtest.Options{TLS: true, RequireSSLReuse: &no}, false, true},
		{"pasv-wrong", vsftpdtest.Options{TLS: true, PasvAddress: "127.0.0.2"}, false, true},
		{"ssl-no", vsftpdtest.Options{}, false, true},
		{"self-signed", vsftpdtest.Options{TLS: true}, false, false},
		{"max-per-ip", vsftpdtest.Options{TLS: true, Extra: map[string]string{"max_per_ip": "1"}}, false, true},
		{"pasv-no", vsftpdtest.Options{TLS: true, Extra: map[string]string{"pasv_enable": "NO"}}, false, true},
		{"force-ssl", vsftpdtest.Options{TLS: true, Extra: map[string]string{"force_local_logins_ssl": "YES"}}, false, true},
		{"force-ssl-tls", vsftpdtest.Options{TLS: true, Extra: map[string]string{"force_local_logins_ssl": "YES", "force_local_data_ssl": "YES"}}, true, true},
	}
	for _, c := range cases {
		if f := os.Getenv("ZZ"); f != "all" && f != c.name {
			continue
		}
		srv := vsftpdtest.Start(t, c.o)
		opts := Options{Addr: srv.Addr, User: srv.User, Password: srv.Password, TLS: c.tls, ConnectTimeout: 2 * time.Second, ReplyTimeout: 4 * time.Second}
		if c.trust && srv.CertPEM != nil {
			pool := x509.NewCertPool()
			pool.AppendCertsFromPEM(srv.CertPEM)
			opts.RootCAs = pool
		}
		time.Sleep(500 * time.Millisecond)
		r := Run(context.Background(), opts, nil)
		f, _ := os.Create("/tmp/dr/v-" + c.name + ".txt")
		r.WriteText(f)
		f.Close()
	}
}
