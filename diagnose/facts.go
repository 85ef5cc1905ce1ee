package diagnose

// The facts a rule can ask about, worked out from an event and the
// session state attached to it. Rules name facts and error kinds as
// words; the Go code that decides them is here, in one place, and decides
// errors by their types (errors.Is, errors.As), never by their text.

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"slices"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/ftpscope/ftpscope/protocol"
)

// The thresholds of the timing facts: well above what a healthy network
// and server take, well below what a user notices as a hang.
const (
	slowGreeting = 2 * time.Second
	slowLookup   = time.Second
)

// factNames are the facts a rule may name in facts or not_facts, with
// what each means.
var factNames = map[string]string{
	"control-tls":      "the control connection runs over TLS",
	"prot-p":           "PROT P was accepted",
	"type-a":           "TYPE A was accepted",
	"logged-in":        "a login succeeded",
	"passive":          "the newest data mode is passive",
	"active":           "the newest data mode is active (PORT/EPRT)",
	"ipv6":             "the control connection runs over IPv6",
	"transfer-waiting": "a transfer got its 1xx reply and no final reply yet",
	"data-prepared":    "ftpscope prepared a data connection for this transfer command",
	"data-opened":      "the newest transfer's data connection opened",
	"data-bytes":       "the newest transfer's data connection moved bytes",
	"data-stalled":     "this transfer's data connection was closed by ftpscope because no data moved within the reply timeout",
	"passive-foreign":  "a 227/228 reply names an address other than the control connection's peer",
	"passive-private":  "a 227/228 reply names a private or unspecified address",
	"dial-foreign":     "a data connection that failed went to another address than the control connection's peer",
	"listing-not-utf8": "a listing holds bytes that are not UTF-8",
	"utf8-on":          "OPTS UTF8 ON was accepted",
	"feat-utf8":        "FEAT announced UTF8",
	"resumed":          "the data connection's TLS session was resumed",
	"slow-greeting":    "the greeting came 2 seconds or more after the TCP connect",
	"slow-lookup":      "the name lookup took 1 second or more",
	"anonymous-user":   "the last USER named anonymous or ftp (anonymous FTP, RFC 1635)",
	"pasv-refused":     "the server refused PASV (4xx or 5xx) since a data mode was last accepted",
	"epsv-refused":     "the server refused EPSV (4xx or 5xx) since a data mode was last accepted",
	"active-refused":   "the server refused PORT or EPRT (4xx or 5xx) since a data mode was last accepted",
	"certificate-accepted": "this is the control connection's TLS handshake, and its certificate did not verify " +
		"but was accepted all the same (--insecure, or the user when asked)",
}

// errorNames are the error kinds a rule may name in errors.
var errorNames = map[string]string{
	"refused":                "connection refused: nothing listens on the port",
	"timeout":                "no answer in time",
	"reset":                  "the peer reset the connection",
	"dns":                    "the host name could not be resolved",
	"closed":                 "the peer closed the connection",
	"not-tls":                "clear text came where TLS was expected",
	"tls":                    "a TLS handshake failed",
	"cert-unknown-authority": "the certificate is self-signed or from an authority not trusted",
	"cert-expired":           "the certificate expired or is not valid yet",
	"cert-name":              "the certificate is for another name",
	"reply-timeout":          "a command's reply did not come in time",
	"greeting-timeout":       "the greeting did not come in time",
	"data-dial":              "connecting to the passive data address failed",
	"data-accept":            "the server never connected to the active data address",
	"data-handshake":         "the data connection's TLS handshake failed",
	"data-transfer":          "the data connection broke during the transfer",
	"data-stopped":           "the transfer was stopped before its end",
	"data-foreign-peer":      "another host connected to the active data address",
}

// factCount is the most facts an event has (facts below).
const factCount = 29

// facts returns the facts true after ev.
func facts(ev protocol.Event) map[string]bool {
	st := ev.State
	if st == nil {
		return nil
	}
	// Sized for every fact at once, so that filling it never regrows it.
	f := make(map[string]bool, factCount)
	f["control-tls"] = st.ControlTLS
	f["prot-p"] = st.Prot == "P"
	f["type-a"] = st.Type == "A"
	f["logged-in"] = st.LoggedIn
	f["passive"] = st.Mode == protocol.ModePassive
	f["active"] = st.Mode == protocol.ModeActive
	f["ipv6"] = isIPv6(st.Peer)
	f["transfer-waiting"] = st.Transfer != 0
	f["data-prepared"] = st.Data.Seq != 0 && st.Data.Seq == ev.Seq
	f["data-opened"] = f["data-prepared"] && st.Data.Opened
	f["data-bytes"] = st.Data.Bytes > 0
	f["data-stalled"] = stalled(ev, st)
	f["utf8-on"] = st.UTF8
	f["slow-greeting"] = st.Timing.Greeting >= slowGreeting
	f["slow-lookup"] = st.Timing.Lookup >= slowLookup
	f["anonymous-user"] = protocol.IsAnonymousUser(st.PendingUser)
	_, f["feat-utf8"] = st.Features["UTF8"]
	f["pasv-refused"] = slices.Contains(st.RefusedModes, "PASV")
	f["epsv-refused"] = slices.Contains(st.RefusedModes, "EPSV")
	f["active-refused"] = slices.Contains(st.RefusedModes, "PORT") || slices.Contains(st.RefusedModes, "EPRT")
	if ev.Kind == protocol.EventReply && ev.Effect != nil && ev.Effect.Kind == protocol.EffectPassive {
		announced := announcedIP(ev)
		peer := hostIP(st.Peer)
		f["passive-foreign"] = announced != nil && peer != nil && !announced.Equal(peer)
		f["passive-private"] = announced != nil && (announced.IsPrivate() || announced.IsUnspecified()) && (peer == nil || !announced.Equal(peer))
	}
	if ev.Kind == protocol.EventData && ev.Data != nil && ev.Data.Phase == protocol.DataClosed {
		switch ev.Data.Verb {
		case "LIST", "NLST", "MLSD":
			f["listing-not-utf8"] = !utf8.Valid(ev.Data.Preview)
		}
	}
	if dialed := dialedIP(ev); dialed != nil {
		peer := hostIP(st.Peer)
		f["dial-foreign"] = peer != nil && !dialed.Equal(peer)
	}
	if ev.Kind == protocol.EventTLS && ev.TLS != nil && ev.TLS.Data {
		f["resumed"] = ev.TLS.Resumed
	}
	f["certificate-accepted"] = acceptedCertificate(ev)
	return f
}

// acceptedCertificate reports the control connection's handshake, done,
// whose certificate did not verify and was accepted all the same: by
// --insecure, or by the user when the terminal UI asked. The session goes
// on, protected by a certificate nobody checked, which the rules with the
// fact certificate-accepted say, once per connection. A question still
// waiting for the user (NeedsDecision) is not an acceptance, and a data
// connection's handshake only repeats the control connection's
// certificate (protocol checks that it is the same one).
func acceptedCertificate(ev protocol.Event) bool {
	return ev.Kind == protocol.EventTLS && ev.TLS != nil && !ev.TLS.Trusted && !ev.TLS.NeedsDecision &&
		!ev.TLS.Data && ev.TLS.Cert.Err != nil
}

// errorKinds returns the kinds of err, by type: the plain-language kind
// Describe gives, and the finer kinds rules need.
func errorKinds(err error) map[string]bool {
	k := map[string]bool{}
	if err == nil {
		return k
	}
	k[string(Describe(err).Kind)] = true
	var timeout *protocol.TimeoutError
	if errors.As(err, &timeout) {
		k["timeout"] = true
		if timeout.Greeting {
			k["greeting-timeout"] = true
		} else {
			k["reply-timeout"] = true
		}
	}
	var data *protocol.DataError
	if errors.As(err, &data) {
		k["data-"+strings.ReplaceAll(string(data.Op), " ", "-")] = true
	}
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	switch {
	case errors.As(err, &unknown):
		k["cert-unknown-authority"] = true
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		k["cert-expired"] = true
	case errors.As(err, &hostname):
		k["cert-name"] = true
	}
	var record tls.RecordHeaderError
	if errors.As(err, &record) {
		k["not-tls"] = true
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		k["refused"] = true
	}
	if errors.Is(err, syscall.ECONNRESET) {
		k["reset"] = true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		k["timeout"] = true
	}
	return k
}

// stalled reports whether the transfer ev is about (its own command, or
// for an event of the connection the transfer waiting for its final
// reply) had its data connection closed by ftpscope because no data
// moved within the reply timeout: what follows (the server's 426, a final
// reply that never comes) is the stall's consequence, not a new cause.
func stalled(ev protocol.Event, st *protocol.SessionState) bool {
	d := st.Data
	if !d.Closed || d.Seq == 0 || (d.Seq != ev.Seq && (ev.Seq != 0 || st.Transfer != d.Seq)) {
		return false
	}
	var data *protocol.DataError
	return errors.As(d.Err, &data) && data.Op == protocol.DataTransfer && isTimeout(data.Err)
}

// dialedIP is the address a data connection that could not be opened
// went to (the announced passive address a client followed), or nil.
func dialedIP(ev protocol.Event) net.IP {
	var data *protocol.DataError
	if ev.Kind != protocol.EventError || !errors.As(ev.Err, &data) || data.Op != protocol.DataDial {
		return nil
	}
	return hostIP(data.Addr)
}

// announcedIP is the address a 227 or 228 reply names, as protocol read
// it (the reply's Effect), or nil.
func announcedIP(ev protocol.Event) net.IP {
	if ev.Effect == nil || ev.Effect.Kind != protocol.EffectPassive {
		return nil
	}
	return net.ParseIP(ev.Effect.Value)
}

// hostIP is the IP of a host:port, or nil.
func hostIP(addr string) net.IP {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil
	}
	return net.ParseIP(host)
}

// isIPv6 reports whether a host:port is an IPv6 address.
func isIPv6(addr string) bool {
	ip := hostIP(addr)
	return ip != nil && ip.To4() == nil
}
