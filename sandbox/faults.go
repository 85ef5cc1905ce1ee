package sandbox

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// A fault makes the sandbox misbehave on purpose, the way a real server
// does when it is misconfigured or in trouble, so that a teacher can show a
// real failure and a troubleshooter can see what a client makes of it.
// Every fault changes what really happens on the wire (a connection
// refused, dropped or never answered), not only the text of a reply, and
// answers with the codes and wording of the real server it imitates.
//
// The names are constants so that code switching a fault spells it once.
const (
	FaultNoPasv          = "no-pasv"
	FaultNAT             = "nat"
	FaultRefuseData      = "refuse-data"
	FaultDropData        = "drop-data"
	FaultAbortTransfer   = "abort-transfer"
	FaultSilentTransfer  = "silent-transfer"
	FaultUnansweredPort  = "unanswered-pasv-port"
	FaultSlow            = "slow"
	FaultMaxConnections  = "max-connections"
	FaultRequireTLS      = "require-tls"
	FaultRequireTLSReuse = "require-tls-reuse"
	FaultNoAuthTLS       = "no-auth-tls"
	FaultExpiredCert     = "expired-cert"
	FaultUntrustedCert   = "untrusted-cert"
	FaultDiskFull        = "disk-full"
	FaultQuotaExceeded   = "quota-exceeded"
	FaultFileBusy        = "file-busy"
	FaultIdleTimeout     = "idle-timeout"
)

// FaultInfo describes one fault for help texts and the TUI's :fault list.
type FaultInfo struct {
	// Name is the kebab-case name given to --fault, :fault and SetFault.
	Name string
	// Does says in one line what the fault does.
	Does string
	// Imitates names the real server (and its setting) whose codes and
	// wording the fault uses.
	Imitates string
	// NeedsTLS is set for the faults that only make sense on a sandbox
	// that offers TLS (Options.TLS).
	NeedsTLS bool
}

// faults lists every fault, in the order help texts show them.
var faults = []FaultInfo{
	{Name: FaultNoPasv, Does: "refuse PASV and EPSV with 550, so only active mode (PORT, EPRT) works",
		Imitates: "vsftpd with pasv_enable=NO"},
	{Name: FaultNAT, Does: "announce a wrong address in 227 (127.0.0.2 unless set), so a client that follows it cannot connect",
		Imitates: "vsftpd with a wrong pasv_address behind NAT"},
	{Name: FaultRefuseData, Does: "refuse the data connection: the announced port is closed and PORT is never connected; transfers get 425",
		Imitates: "vsftpd (425 Failed to establish connection.)"},
	{Name: FaultDropData, Does: "accept the data connection and close it at once, before any transfer; transfers get 425",
		Imitates: "vsftpd (425 Failed to establish connection.)"},
	{Name: FaultAbortTransfer, Does: "reset the data connection in the middle of a transfer and answer 426",
		Imitates: "vsftpd (426 Failure writing network stream.)"},
	{Name: FaultSilentTransfer, Does: "answer 150, then send no data and no 226 until the client gives up and closes the data connection",
		Imitates: "a server stuck behind a firewall that inspects FTP (vsftpd wording)"},
	{Name: FaultUnansweredPort, Does: "announce a passive port that nobody answers: the client's connection attempt times out",
		Imitates: "vsftpd behind a firewall that drops the passive port range"},
	{Name: FaultSlow, Does: "wait before every reply (2 seconds unless set), as a loaded or distant server does",
		Imitates: "any server on a slow link (vsftpd wording)"},
	{Name: FaultMaxConnections, Does: "allow one connection per client address: the next one gets 421 and is closed",
		Imitates: "vsftpd with max_per_ip=1"},
	{Name: FaultRequireTLS, Does: "refuse to log in before AUTH TLS with 530 and end the session",
		Imitates: "vsftpd with force_local_logins_ssl and force_anon_logins_ssl", NeedsTLS: true},
	{Name: FaultRequireTLSReuse, Does: "refuse a protected data connection whose TLS session is not the control connection's (522)",
		Imitates: "vsftpd with require_ssl_reuse=YES", NeedsTLS: true},
	{Name: FaultNoAuthTLS, Does: "offer no TLS: FEAT omits AUTH TLS and AUTH is refused",
		Imitates: "vsftpd with ssl_enable=NO"},
	{Name: FaultExpiredCert, Does: "present a certificate that expired yesterday",
		Imitates: "any server whose certificate was not renewed", NeedsTLS: true},
	{Name: FaultUntrustedCert, Does: "present a self-signed certificate that no client trusts, not the one the sandbox published",
		Imitates: "a server with a self-signed certificate (vsftpd's default snakeoil)", NeedsTLS: true},
	{Name: FaultDiskFull, Does: "fail uploads after 150 with 452: the disk is full",
		Imitates: "ProFTPD (452 Transfer aborted. No space left on device)"},
	{Name: FaultQuotaExceeded, Does: "refuse uploads after 150 with 552: the user's quota is used up",
		Imitates: "Pure-FTPd with quotas (552 Quota exceeded)"},
	{Name: FaultFileBusy, Does: "answer commands on files (RETR, STOR, APPE, DELE, RNFR, SIZE, MDTM) with 450: the file is locked for now",
		Imitates: "ProFTPD's wording for a file locked by another process (450 name: Resource temporarily unavailable)"},
	{Name: FaultIdleTimeout, Does: "answer the next command with 421 and close the connection, as after an idle timeout",
		Imitates: "vsftpd after idle_session_timeout (421 Timeout.)"},
}

// FaultNames describes every fault the sandbox knows, in the order help
// texts show them.
func FaultNames() []FaultInfo {
	return slices.Clone(faults)
}

// faultInfo returns the description of the fault called name.
func faultInfo(name string) (FaultInfo, bool) {
	i := slices.IndexFunc(faults, func(f FaultInfo) bool { return f.Name == name })
	if i < 0 {
		return FaultInfo{}, false
	}
	return faults[i], true
}

// UnknownFaultError is returned for a fault name the sandbox does not know.
type UnknownFaultError struct {
	Name string
}

func (e *UnknownFaultError) Error() string {
	names := make([]string, len(faults))
	for i, f := range faults {
		names[i] = f.Name
	}
	return fmt.Sprintf("unknown fault %q; the faults are %s", e.Name, strings.Join(names, ", "))
}

// FaultNeedsTLSError is returned for a TLS fault asked of a sandbox that
// offers no TLS.
type FaultNeedsTLSError struct {
	Name string
}

func (e *FaultNeedsTLSError) Error() string {
	return fmt.Sprintf("fault %q needs a sandbox that offers TLS (serve --tls)", e.Name)
}

// FaultState is a fault and whether it is on.
type FaultState struct {
	FaultInfo
	On bool
}

// faultSet holds which faults are on. It is read by every session while
// the sandbox serves and written by SetFault, so it is guarded; a change
// takes effect for the next command.
type faultSet struct {
	tls bool // the sandbox offers TLS
	mu  sync.RWMutex
	on  map[string]bool
}

func newFaultSet(tls bool, names []string) (*faultSet, error) {
	fs := &faultSet{tls: tls, on: map[string]bool{}}
	for _, name := range names {
		if err := fs.set(name, true); err != nil {
			return nil, err
		}
	}
	return fs, nil
}

func (fs *faultSet) set(name string, on bool) error {
	info, ok := faultInfo(name)
	if !ok {
		return &UnknownFaultError{Name: name}
	}
	if on && info.NeedsTLS && !fs.tls {
		return &FaultNeedsTLSError{Name: name}
	}
	fs.mu.Lock()
	fs.on[name] = on
	fs.mu.Unlock()
	return nil
}

// has reports whether the fault called name is on.
func (fs *faultSet) has(name string) bool {
	fs.mu.RLock()
	defer fs.mu.RUnlock()
	return fs.on[name]
}

func (fs *faultSet) states() []FaultState {
	fs.mu.RLock()
	defer fs.mu.RUnlock()
	states := make([]FaultState, len(faults))
	for i, f := range faults {
		states[i] = FaultState{FaultInfo: f, On: fs.on[f.Name]}
	}
	return states
}

// SetFault switches the fault called name on or off. It is safe while the
// server serves, and takes effect for the next command of every session.
// An unknown name gives an *UnknownFaultError listing the valid ones; a TLS
// fault on a sandbox without TLS gives a *FaultNeedsTLSError.
func (s *Server) SetFault(name string, on bool) error {
	if err := s.faults.set(name, on); err != nil {
		return err
	}
	state := "off"
	if on {
		state = "on"
	}
	s.log.add(LogEntry{Kind: LogFault, Text: "fault " + name + " " + state})
	return nil
}

// Faults lists every fault and whether it is on.
func (s *Server) Faults() []FaultState {
	return s.faults.states()
}
