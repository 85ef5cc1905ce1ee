package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/sandbox"
)

// TestDoctorExitStatus runs ftpscope doctor's command function as main
// does and checks the exit status and the one sentence of each outcome.
func TestDoctorExitStatus(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Options{TLS: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dir := t.TempDir()
	caFile := filepath.Join(dir, "sandbox.pem")
	if err := os.WriteFile(caFile, srv.Cert.PEM, 0o600); err != nil {
		t.Fatal(err)
	}
	notPEM := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notPEM, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := doctorOptions{connectTimeout: time.Second, replyTimeout: 5 * time.Second}
	with := func(f func(*doctorOptions)) doctorOptions { o := base; f(&o); return o }
	tests := []struct {
		name   string
		opts   doctorOptions
		status int
		says   string // in the error or the report
	}{
		{"healthy sandbox", with(func(o *doctorOptions) { o.sandbox = true }), exitOK, "no problem found"},
		{"a fault is a problem", with(func(o *doctorOptions) { o.sandbox = true; o.faults = []string{sandbox.FaultNoPasv} }), exitFailure, "PASV was refused"},
		{"a warning is no problem", with(func(o *doctorOptions) { o.sandbox = true; o.faults = []string{sandbox.FaultNAT} }), exitOK, "1 warning"},
		{"no server", base, exitUsage, "doctor needs a server"},
		{"unknown fault", with(func(o *doctorOptions) { o.sandbox = true; o.faults = []string{"bogus"} }), exitUsage, `there is no fault named "bogus"; the faults are`},
		{"--cacert trusts the sandbox's certificate", with(func(o *doctorOptions) {
			o.target, o.tls, o.caCert = "ftp://demo:demo@"+srv.Addr, true, caFile
		}), exitOK, "certificate verified"},
		{"without --cacert the certificate does not verify", with(func(o *doctorOptions) { o.target, o.tls = "ftp://demo:demo@"+srv.Addr, true }), exitFailure, "self-signed"},
		{"an untrusted certificate is shown", with(func(o *doctorOptions) { o.target, o.tls = "ftp://demo:demo@"+srv.Addr, true }), exitFailure,
			"· certificate: subject CN=ftpscope sandbox,O=ftpscope, issued by CN=ftpscope sandbox,O=ftpscope, valid "},
		{"and its fingerprint", with(func(o *doctorOptions) { o.target, o.tls = "ftp://demo:demo@"+srv.Addr, true }), exitFailure, "SHA-256 " + srv.Cert.Fingerprint()},
		// The login was skipped, not failed: the checks after it say so.
		{"no login after a refused certificate", with(func(o *doctorOptions) { o.target, o.tls = "ftp://demo:demo@"+srv.Addr, true }), exitFailure,
			"Passive mode with PASV and a listing: there was no login (see the login check)"},
		{"--cacert of a missing file", with(func(o *doctorOptions) { o.target, o.caCert = "ftp://"+srv.Addr, filepath.Join(dir, "nope.pem") }), exitUsage, "there is no file"},
		{"--cacert of a file without a certificate", with(func(o *doctorOptions) { o.target, o.caCert = "ftp://"+srv.Addr, notPEM }), exitUsage, "holds no PEM certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := runDoctor(context.Background(), tt.opts, &out, false)
			if got := exitCode(err); got != tt.status {
				t.Errorf("exit status %d, want %d (error %v)\n%s", got, tt.status, err, out.String())
			}
			said := out.String()
			if err != nil {
				said += err.Error()
			}
			if !strings.Contains(said, tt.says) {
				t.Errorf("should say %q:\n%s", tt.says, said)
			}
			if err != nil && strings.HasPrefix(err.Error(), "sandbox: ") {
				t.Errorf("the sandbox package's prefix reached the user: %v", err)
			}
		})
	}
}

// TestDoctorInterrupted: a run cancelled part way (ctrl+c) ends with 130.
func TestDoctorInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := runDoctor(ctx, doctorOptions{sandbox: true, connectTimeout: time.Second, replyTimeout: time.Second}, &bytes.Buffer{}, false)
	if got := exitCode(err); got != exitInterrupted {
		t.Errorf("exit status %d, want %d (error %v)", got, exitInterrupted, err)
	}
}
