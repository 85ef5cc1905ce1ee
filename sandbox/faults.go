package sandbox

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/ftpscope/ftpscope/internal/suggest"
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
	{Name: FaultNoPasv, Does: "Refuse PASV and EPSV with 550 Permission denied, so only active mode (PORT, EPRT) works",
		Imitates: "vsftpd with pasv_enable=NO"},
	{Name: FaultNAT, Does: "Announce a wrong address in 227 (127.0.0.2 unless --nat-address): a client that follows it cannot connect, one that uses the control connection's address can",
		Imitates: "vsftpd behind NAT with a wrong pasv_address"},
	{Name: FaultRefuseData, Does: "Refuse the data connection: nothing listens on the announced port, PORT is never connected, and transfers get 425",
		Imitates: "vsftpd behind a firewall that rejects the data connection"},
	{Name: FaultDropData, Does: "Accept the data connection and close it at once, before any transfer; transfers get 425",
		Imitates: "vsftpd with a middlebox that drops the data connection"},
	{Name: FaultAbortTransfer, Does: "Reset the data connection halfway through a transfer, then answer 426",
		Imitates: "vsftpd when the network fails during a transfer"},
	{Name: FaultSilentTransfer, Does: "Answer 150, then send no data and no 226 until the client gives up and closes the data connection (then 426)",
		Imitates: "vsftpd behind a stalled firewall"},
	{Name: FaultUnansweredPort, Does: "Announce a passive port that never answers: the client's connection attempt times out",
		Imitates: "vsftpd behind a firewall that drops its passive port range"},
	{Name: FaultSlow, Does: "Wait before every reply (2.5 seconds unless --slow-delay)",
		Imitates: "any server on a slow or overloaded link"},
	{Name: FaultMaxConnections, Does: "Allow one connection per client address: the next gets 421 and is closed",
		Imitates: "vsftpd with max_per_ip=1"},
	{Name: FaultRequireTLS, Does: "Refuse USER before AUTH TLS with 530 and end the session",
		Imitates: "vsftpd with force_local_logins_ssl and force_anon_logins_ssl", NeedsTLS: true},
	{Name: FaultRequireTLSReuse, Does: "Refuse a protected data connection that does not resume the control connection's TLS session: 150, then 522",
		Imitates: "vsftpd with require_ssl_reuse=YES", NeedsTLS: true},
	{Name: FaultNoAuthTLS, Does: "Offer no TLS: FEAT omits AUTH TLS, and AUTH gets 530 before login",
		Imitates: "vsftpd with ssl_enable=NO"},
	{Name: FaultExpiredCert, Does: "Present a certificate, issued by the published one, that expired yesterday",
		Imitates: "any server whose certificate was not renewed", NeedsTLS: true},
	{Name: FaultUntrustedCert, Does: "Present another self-signed certificate than the published one, which no client trusts",
		Imitates: "a server with its own self-signed certificate, such as vsftpd's default", NeedsTLS: true},
	{Name: FaultDiskFull, Does: "Fail uploads after 150 with 452 Transfer aborted. No space left on device; nothing is kept",
		Imitates: "ProFTPD on a full disk"},
	{Name: FaultQuotaExceeded, Does: "Refuse uploads after 150 with 552 Quota exceeded; nothing is kept",
		Imitates: "Pure-FTPd with quotas"},
	{Name: FaultFileBusy, Does: "Answer commands on files (RETR, STOR, APPE, DELE, RNFR, SIZE, MDTM) with 450: the file is locked for now, so the same command may work later",
		Imitates: "ProFTPD on a file locked by another process"},
	{Name: FaultIdleTimeout, Does: "Answer the next command with 421 Timeout. and close the connection",
		Imitates: "vsftpd after idle_session_timeout"},
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

// Error says that there is no such fault, suggests the closest name if
// one is close, and lists them all.
func (e *UnknownFaultError) Error() string {
	names := make([]string, len(faults))
	for i, f := range faults {
		names[i] = f.Name
	}
	return suggest.Unknown("fault", e.Name, names, "the faults are "+strings.Join(names, ", "))
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
