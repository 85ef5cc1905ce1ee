// Package sandbox runs the FTP server that ftpscope embeds: a real server
// (goftp.io/server/v2) on a loopback address, serving a small sample tree in
// a temporary folder, so that anyone can explore FTP without a server of
// their own. The folder is removed when the server is closed.
package sandbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	ftpserver "goftp.io/server/v2"
	"goftp.io/server/v2/driver/file"
)

// The accounts the sandbox accepts. They are printed in the README and the
// TUI's welcome line, so a learner can log in without guessing.
const (
	DemoUser     = "demo"
	DemoPassword = "demo"
	// AnonymousUser logs in with any password and may only read.
	AnonymousUser = "anonymous"
)

// Options configures a sandbox server. The zero value serves plain FTP on
// 127.0.0.1 at a free port.
type Options struct {
	// Host is the loopback address to listen on; "127.0.0.1" when empty.
	Host string
	// Port is the port to listen on; a free one when 0.
	Port int
	// TLS lets clients upgrade with AUTH TLS (explicit FTPS), with a fresh
	// self-signed certificate (Server.Cert). After AUTH TLS, transfers are
	// refused (522) until PBSZ 0 and PROT P, as in vsftpd's default; only
	// passive data connections (PASV, EPSV) can then be protected.
	TLS bool
	// PublicIP is the address announced in 227 replies; the listening
	// address when empty. Tests set another loopback address, such as
	// 127.0.0.2, to play a server behind NAT.
	PublicIP string
	// Welcome is the greeting's text; a short default when empty.
	Welcome string
}

// Server is a running sandbox.
type Server struct {
	// Addr is the host:port the server listens on.
	Addr string
	// Root is the folder the server serves. It is removed by Close.
	Root string
	// Cert is the server's certificate when Options.TLS is set.
	Cert *Certificate

	ftp     *ftpserver.Server
	done    chan error
	serving chan struct{}
}

// Start makes the sample tree and starts the server. It returns once the
// server accepts connections, or with an error after two seconds.
func Start(opts Options) (*Server, error) {
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	if opts.Welcome == "" {
		opts.Welcome = "ftpscope sandbox ready. Log in as demo/demo or anonymous."
	}
	root, err := os.MkdirTemp("", "ftpscope-sandbox-")
	if err != nil {
		return nil, fmt.Errorf("sandbox: make folder: %w", err)
	}
	if err := writeSampleTree(root); err != nil {
		os.RemoveAll(root)
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	// goftp.io/server listens by itself, so a free port is found first. A
	// port taken in the short gap is retried with another.
	var cert *Certificate
	if opts.TLS {
		if cert, err = NewCertificate(); err != nil {
			os.RemoveAll(root)
			return nil, fmt.Errorf("sandbox: %w", err)
		}
	}
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		port := opts.Port
		if port == 0 {
			if port, err = freePort(opts.Host); err != nil {
				lastErr = err
				continue
			}
		}
		s, err := listen(root, port, opts, cert)
		if err == nil {
			return s, nil
		}
		lastErr = err
		if opts.Port != 0 {
			break
		}
	}
	os.RemoveAll(root)
	return nil, fmt.Errorf("sandbox: start server: %w", lastErr)
}

func listen(root string, port int, opts Options, cert *Certificate) (*Server, error) {
	driver, err := file.NewDriver(root)
	if err != nil {
		return nil, err
	}
	serving := make(chan struct{})
	var hellos *helloLog
	if cert != nil {
		hellos = newHelloLog()
	}
	ftpOpts := &ftpserver.Options{
		Name:           "ftpscope sandbox",
		Driver:         readOnlyForAnonymous{driver},
		Auth:           accounts{},
		Perm:           ftpserver.NewSimplePerm("ftp", "ftp"),
		Hostname:       opts.Host,
		Port:           port,
		WelcomeMessage: opts.Welcome,
		Logger:         &readyLogger{serving: serving},
		PublicIP:       opts.PublicIP,
		Commands:       commands(hellos),
	}
	if cert != nil {
		ftpOpts.TLS = true
		ftpOpts.ExplicitFTPS = true
		ftpOpts.TLSConfig = hellos.config(&tls.Config{Certificates: []tls.Certificate{cert.TLS}, MinVersion: tls.VersionTLS12})
	}
	srv, err := ftpserver.NewServer(ftpOpts)
	if err != nil {
		return nil, err
	}
	s := &Server{
		Addr:    net.JoinHostPort(opts.Host, strconv.Itoa(port)),
		Root:    root,
		Cert:    cert,
		ftp:     srv,
		done:    make(chan error, 1),
		serving: serving,
	}
	go func() { s.done <- srv.ListenAndServe() }()
	if err := s.waitReady(2 * time.Second); err != nil {
		srv.Shutdown()
		return nil, err
	}
	return s, nil
}

// waitReady dials the server until one of its sessions has started or the
// time is up.
//
// A successful dial alone is not enough: the kernel accepts connections as
// soon as the socket listens, before goftp's Serve has set the fields that
// Shutdown reads. Serve starts each session only after setting them, so
// waiting for the probe's session orders Serve before any later Close.
func (s *Server) waitReady(limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	var d net.Dialer
	for {
		select {
		case err := <-s.done:
			return fmt.Errorf("listen on %s: %w", s.Addr, err)
		default:
		}
		conn, err := d.DialContext(ctx, "tcp", s.Addr)
		if err == nil {
			defer conn.Close()
			select {
			case <-s.serving:
				return nil
			case err := <-s.done:
				return fmt.Errorf("listen on %s: %w", s.Addr, err)
			case <-ctx.Done():
				return fmt.Errorf("server on %s did not start a session within %v", s.Addr, limit)
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("server on %s did not accept connections within %v", s.Addr, limit)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// readyLogger discards goftp's log and closes serving at the first message
// logged by a session ("Connection Established"), which goftp writes from
// the session's goroutine, started by Serve after its setup.
type readyLogger struct {
	ftpserver.DiscardLogger
	once    sync.Once
	serving chan struct{}
}

// Print is called for session messages only; the server's own messages go
// through Printf.
func (l *readyLogger) Print(sessionID string, message any) {
	l.once.Do(func() { close(l.serving) })
}

// Close stops the server and removes the sample tree. Sessions already
// connected are cut off when their next command fails.
func (s *Server) Close() error {
	err := s.ftp.Shutdown()
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	if rmErr := os.RemoveAll(s.Root); rmErr != nil && err == nil {
		err = rmErr
	}
	return err
}

func freePort(host string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
