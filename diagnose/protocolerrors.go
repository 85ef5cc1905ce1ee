package diagnose

// The plain words for the errors protocol itself decides on (its typed
// errors in protocol/errors.go): bounds, timeouts, refusals, TLS that was
// required, and data connections. Describe tries these first, since a
// protocol error wraps the network error underneath and says more.

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/ftpscope/ftpscope/protocol"
)

// Kinds of the errors protocol decides on.
const (
	KindBound    ErrorKind = "bound"        // the server went past one of ftpscope's bounds
	KindRequired ErrorKind = "tls-required" // TLS was required and is not there
	KindData     ErrorKind = "data"         // a data connection failed
)

// describeProtocol explains protocol's own errors.
func describeProtocol(err error) (Plain, bool) {
	var (
		bound    *protocol.BoundError
		timeout  *protocol.TimeoutError
		auth     *protocol.AuthRefusedError
		required *protocol.TLSRequiredError
		data     *protocol.DataError
	)
	switch {
	case errors.As(err, &bound):
		return describeBound(bound), true
	case errors.As(err, &timeout) && timeout.Greeting:
		return Plain{Kind: KindTimeout,
			What: fmt.Sprintf("the server sent no greeting within %v", timeout.After),
			Fix:  "check that this port speaks FTP; for implicit TLS (usually port 990) use ftps://",
		}, true
	case errors.As(err, &timeout):
		what := "no reply"
		if timeout.Command != "" {
			what = "no reply to " + shortCommand(timeout.Command)
		}
		return Plain{Kind: KindTimeout,
			What: fmt.Sprintf("%s within %v", what, timeout.After),
			Fix:  "the server may be stuck, or a firewall dropped the connection; for a slow server, raise --reply-timeout",
		}, true
	case errors.As(err, &auth):
		return Plain{Kind: KindRequired,
			What: fmt.Sprintf("the server refused AUTH TLS (%s), and TLS was required, so nothing more was sent", auth.Line),
			Fix:  "the server has no TLS set up (vsftpd: ssl_enable=YES); no password crossed the network in clear text",
		}, true
	case errors.As(err, &required):
		return Plain{Kind: KindRequired,
			What: fmt.Sprintf("%s was not sent: TLS is required and the control connection is not protected", required.Verb),
			Fix:  "send AUTH TLS first, or connect with ftps:// to a server with implicit TLS",
		}, true
	case errors.As(err, &data):
		if p, ok := describeData(data); ok {
			return p, true
		}
	}
	return Plain{}, false
}

// describeBound explains a session ended by one of ftpscope's bounds.
func describeBound(e *protocol.BoundError) Plain {
	if e.Bound == protocol.BoundUnsolicited {
		return Plain{Kind: KindBound,
			What: fmt.Sprintf("the server sent %s that no command asked for, past ftpscope's bound (%s)", e.Read, e.Limit),
			Fix:  "the server is flooding the connection; its log, or a packet capture, says why",
		}
	}
	reply := "a reply"
	if e.Code != 0 {
		reply = fmt.Sprintf("a %d reply", e.Code)
	}
	return Plain{Kind: KindBound,
		What: fmt.Sprintf("%s went past ftpscope's bound on %s (%s) without its last line, after %s; the session was ended and the transcript kept", reply, e.Bound, e.Limit, e.Read),
		Fix:  "the server is broken or hostile: a multi-line reply must end with a line starting with its code and a space",
	}
}

// describeData explains a data connection that failed, by the step that
// failed; a TLS handshake is left to the TLS and certificate words.
func describeData(e *protocol.DataError) (Plain, bool) {
	// The address dialled may be one the server announced wrongly (NAT):
	// the findings, which see the control connection's peer, say which.
	firewall := "a firewall blocks the server's passive port range, or the server announced an address it cannot be reached at (NAT): open the ports on the server's side (vsftpd pasv_min_port/pasv_max_port, ProFTPD PassivePorts) or correct the address it announces (vsftpd pasv_address), or try active mode (PORT or EPRT)"
	switch {
	case e.Op == protocol.DataDial && errors.Is(e.Err, syscall.ECONNREFUSED):
		return Plain{Kind: KindData,
			What: fmt.Sprintf("the data connection to %s was refused", e.Addr),
			Fix:  firewall,
		}, true
	case e.Op == protocol.DataDial && isTimeout(e.Err):
		return Plain{Kind: KindData,
			What: fmt.Sprintf("the data connection to %s was never answered (its packets were dropped)", e.Addr),
			Fix:  firewall,
		}, true
	case e.Op == protocol.DataAccept:
		return Plain{Kind: KindData,
			What: fmt.Sprintf("the server never connected to %s for active mode", e.Addr),
			Fix:  "a firewall or NAT in front of this computer blocks incoming connections; use passive mode (PASV or EPSV)",
		}, true
	case e.Op == protocol.DataForeignPeer:
		return Plain{Kind: KindData,
			What: fmt.Sprintf("a host other than the server (%s) connected for the data; ftpscope refused it", e.Addr),
			Fix:  "nothing to do: ftpscope takes data only from the server it talks to",
		}, true
	case e.Op == protocol.DataTransfer && isTimeout(e.Err):
		return Plain{Kind: KindData,
			What: "the data connection stalled: no data moved within the reply timeout",
			Fix:  "the server or a firewall stopped the transfer; try again, or raise --reply-timeout for a slow link",
		}, true
	case e.Op == protocol.DataStopped:
		return Plain{Kind: KindData, What: "the transfer " + e.Error()}, true
	}
	return Plain{}, false
}
