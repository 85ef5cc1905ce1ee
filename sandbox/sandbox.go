// Package sandbox runs the FTP server that ftpscope embeds: a real server
// (goftp.io/server/v2 for the commands, the sandbox's own control and data
// connections) on a loopback address, serving a small sample tree in a
// temporary folder, so that anyone can explore FTP without a server of
// their own; the folder is removed when the server is closed. Faults
// (faults.go) make it misbehave on purpose, as a real server does, and
// `ftpscope serve` runs it on its own (serve.go).
package sandbox

import (
	"cmp"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
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

// DefaultSlowDelay is how long the slow fault waits before each reply
// unless told otherwise: a little over the two seconds from which the
// findings call a greeting slow (slow-greeting), so that the fault
// provokes that finding also when the client starts its clock a few
// milliseconds after the server starts waiting.
const DefaultSlowDelay = 2500 * time.Millisecond

// Options configures a sandbox server. The zero value serves the sample
// tree over plain FTP on 127.0.0.1 at a free port, to demo/demo and
// anonymous.
type Options struct {
	// Host is the address to listen on; "127.0.0.1" when empty.
	Host string
	// Port is the port to listen on; a free one when 0.
	Port int
	// Root is a folder to serve instead of the sample tree. It is served
	// as it is and left in place by Close.
	Root string
	// Users maps user names to passwords; demo/demo when nil.
	Users map[string]string
	// NoAnonymous refuses anonymous logins, which are otherwise allowed to
	// read.
	NoAnonymous bool
	// TLS lets clients upgrade with AUTH TLS (explicit FTPS), with a fresh
	// self-signed certificate (Server.Cert). After AUTH TLS, transfers are
	// refused (522) until PBSZ 0 and PROT P, as in vsftpd with
	// force_local_data_ssl; the data connection's TLS server side then
	// runs over the passive or active connection alike.
	TLS bool
	// PublicIP is the address announced in 227 replies; the address the
	// control connection arrived on when empty.
	PublicIP string
	// Welcome is the greeting's text; a short default when empty.
	Welcome string
	// Faults lists the faults on from the start (see FaultNames).
	Faults []string
	// NATAddress is the wrong address the nat fault announces; 127.0.0.2
	// when empty.
	NATAddress string
	// SlowDelay is how long the slow fault waits before each reply;
	// DefaultSlowDelay when 0.
	SlowDelay time.Duration
	// DataTimeout bounds the wait for a data connection to be made and
	// for its TLS handshake; 30 seconds when 0.
	DataTimeout time.Duration
	// Log, when set, is called with every connection, command (passwords
	// masked) and reply, one call at a time.
	Log func(LogEntry)
}

// Server is a running sandbox.
type Server struct {
	// Addr is the host:port the server listens on.
	Addr string
	// Root is the folder the server serves. Close removes it when it is
	// the sample tree.
	Root string
	// Cert is the server's certificate when Options.TLS is set.
	Cert *Certificate

	ftp       *ftpserver.Server
	listener  net.Listener
	done      chan error
	ownRoot   bool
	faults    *faultSet
	conns     *connTable
	log       *serverLog
	tlsConfig *tls.Config // nil without Options.TLS
	certs     *certSet
	nat       string
	slowDelay time.Duration
	dataLimit time.Duration
}

// Start makes the sample tree (unless Options.Root names a folder) and
// starts the server. It returns once the server accepts connections.
func Start(opts Options) (*Server, error) {
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	if opts.Welcome == "" {
		opts.Welcome = "ftpscope sandbox ready. Log in as demo/demo or anonymous."
	}
	if opts.Users == nil {
		opts.Users = map[string]string{DemoUser: DemoPassword}
	}
	faults, err := newFaultSet(opts.TLS, opts.Faults)
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	s := &Server{
		done:      make(chan error, 1),
		faults:    faults,
		conns:     newConnTable(),
		log:       &serverLog{fn: opts.Log},
		nat:       cmp.Or(opts.NATAddress, "127.0.0.2"),
		slowDelay: cmp.Or(opts.SlowDelay, DefaultSlowDelay),
		dataLimit: cmp.Or(opts.DataTimeout, 30*time.Second),
	}
	if net.ParseIP(s.nat).To4() == nil {
		return nil, fmt.Errorf("sandbox: the nat address %q is not an IPv4 address", s.nat)
	}
	if opts.TLS {
		if s.certs, err = newCertSet(opts.Host); err != nil {
			return nil, fmt.Errorf("sandbox: %w", err)
		}
		s.Cert = s.certs.published
		s.tlsConfig = s.certs.config(faults)
	}
	if opts.Root != "" {
		info, err := os.Stat(opts.Root)
		if err != nil {
			return nil, fmt.Errorf("sandbox: the folder to serve: %w", err)
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("sandbox: %s is not a folder", opts.Root)
		}
		s.Root = opts.Root
	} else {
		if s.Root, err = os.MkdirTemp("", "ftpscope-sandbox-"); err != nil {
			return nil, fmt.Errorf("sandbox: make folder: %w", err)
		}
		s.ownRoot = true
		if err := writeSampleTree(s.Root); err != nil {
			os.RemoveAll(s.Root)
			return nil, fmt.Errorf("sandbox: %w", err)
		}
	}
	if err := s.listen(opts); err != nil {
		if s.ownRoot {
			os.RemoveAll(s.Root)
		}
		return nil, fmt.Errorf("sandbox: start server: %w", err)
	}
	return s, nil
}

// listen makes the goftp server and serves it on the sandbox's own
// listener. goftp's ListenAndServe is never called: the sandbox listens,
// so that the port is known before serving and no goftp field is shared
// between Serve and Close.
func (s *Server) listen(opts Options) error {
	driver, err := file.NewDriver(s.Root)
	if err != nil {
		return err
	}
	var drv ftpserver.Driver = readOnlyForAnonymous{driver}
	l, err := net.Listen("tcp", net.JoinHostPort(opts.Host, strconv.Itoa(opts.Port)))
	if err != nil {
		return err
	}
	s.listener = &listener{Listener: l, srv: s}
	s.Addr = l.Addr().String()
	srv, err := ftpserver.NewServer(&ftpserver.Options{
		Name:           "ftpscope sandbox",
		Driver:         drv,
		Auth:           accounts{users: opts.Users, anonymous: !opts.NoAnonymous},
		Perm:           ftpserver.NewSimplePerm("ftp", "ftp"),
		Hostname:       opts.Host,
		Port:           l.Addr().(*net.TCPAddr).Port,
		WelcomeMessage: opts.Welcome,
		Logger:         &ftpserver.DiscardLogger{},
		PublicIP:       opts.PublicIP,
		Commands:       s.commands(),
	})
	if err != nil {
		l.Close()
		return err
	}
	s.ftp = srv
	go func() { s.done <- srv.Serve(s.listener) }()
	return nil
}

// Close stops the server, cuts off the sessions still connected and
// removes the sample tree.
func (s *Server) Close() error {
	err := s.listener.Close()
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	s.conns.closeAll()
	<-s.done
	if s.ownRoot {
		if rmErr := os.RemoveAll(s.Root); rmErr != nil && err == nil {
			err = rmErr
		}
	}
	return err
}
