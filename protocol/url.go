package protocol

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Target is a server to connect to, parsed from what a user typed.
type Target struct {
	// Host is the server's host name or address, without brackets.
	Host string
	// Port is the control connection's port.
	Port int
	// User and Password come from the URL's user information, if any.
	User, Password string
	// HasPassword reports whether the URL carried a password (which may be
	// empty).
	HasPassword bool
	// ImplicitTLS is set for ftps:// URLs: TLS from the first byte, on
	// port 990 by default (RFC 4217 §2 calls this the implicit mode).
	ImplicitTLS bool
}

// Addr returns host:port, with brackets around an IPv6 address.
func (t Target) Addr() string { return net.JoinHostPort(t.Host, strconv.Itoa(t.Port)) }

// String returns the target as a URL without its password.
func (t Target) String() string {
	u := url.URL{Scheme: "ftp", Host: t.Addr()}
	if t.ImplicitTLS {
		u.Scheme = "ftps"
	}
	if t.User != "" {
		u.User = url.User(t.User)
	}
	return u.String()
}

// ParseTarget reads a server from ftp://[user[:password]@]host[:port][/],
// ftps://… (implicit TLS), host, host:port, [ipv6]:port or a bare IPv6
// address. The port defaults to 21, or 990 for ftps://. The error is one
// sentence that says what is wrong and what to type; it never shows the
// password, which it replaces with ****.
func ParseTarget(s string) (Target, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Target{}, errors.New("no server given: type a host such as ftp.example.org or ftp://user@host:2121")
	}
	shown := MaskPassword(s) // what error messages quote
	bare := !strings.Contains(s, "://")
	if bare {
		if ip := net.ParseIP(strings.Trim(s, "[]")); ip != nil {
			return Target{Host: ip.String(), Port: 21}, nil
		}
		s = "ftp://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		// Parse the URL again with the password masked: the error then
		// quotes no part of it, and if the masked URL parses, the
		// password itself was the problem.
		_, err := url.Parse(MaskPassword(s))
		switch {
		case err == nil:
			return Target{}, fmt.Errorf("%q is not a valid FTP URL: escape the password's special characters (%% as %%25, / as %%2F, ? as %%3F, # as %%23, @ as %%40)", shown)
		case bare:
			return Target{}, fmt.Errorf("%q is not a valid address (%v): write host:port, or ftp://user@host:port", shown, unwrapURLError(err))
		default:
			return Target{}, fmt.Errorf("%q is not a valid FTP URL (%v): write it as ftp://user@host:port", shown, unwrapURLError(err))
		}
	}
	t := Target{Port: 21}
	switch u.Scheme {
	case "ftp":
	case "ftps":
		t.ImplicitTLS, t.Port = true, 990
	default:
		return Target{}, fmt.Errorf("unsupported scheme %q: ftpscope speaks ftp:// and ftps://", u.Scheme)
	}
	t.Host = u.Hostname()
	switch {
	case t.Host == "":
		return Target{}, fmt.Errorf("%q names no host: write it as ftp://host or ftp://host:port", shown)
	case strings.Contains(t.Host, ":") && !strings.HasPrefix(u.Host, "["):
		// url.Parse takes the last colon for the port and leaves the
		// others in the host ("127.0.0.1:22100:5"), which no lookup finds.
		if bare {
			return Target{}, fmt.Errorf("%q is not a valid address: write host:port, or [ipv6]:port for an IPv6 address", shown)
		}
		return Target{}, fmt.Errorf("%q is not a valid address: write ftp://host:port, or ftp://[ipv6]:port for an IPv6 address", shown)
	}
	if p := u.Port(); p != "" {
		port, err := strconv.Atoi(p)
		if err != nil || port < 1 || port > 65535 {
			return Target{}, fmt.Errorf("port %q is not a number from 1 to 65535", p)
		}
		t.Port = port
	}
	switch {
	case u.Path != "" && u.Path != "/":
		// The path is quoted back; a password typed into it too (or one
		// that MaskPassword's masking up to the last @ took for the
		// path) is masked there as well.
		hide := func(s string) string { return s }
		if pw, ok := u.User.Password(); ok && pw != "" {
			hide = func(s string) string { return strings.ReplaceAll(s, pw, "****") }
		}
		return Target{}, fmt.Errorf("%q has a path, but ftpscope connects to the server only: leave %s out and type CWD %s after logging in", shown, hide(u.EscapedPath()), hide(u.Path))
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return Target{}, fmt.Errorf("%q has a query or fragment, but ftpscope connects to the server only: leave it out, and type CWD /some/path after logging in to change directory", shown)
	}
	if u.User != nil {
		t.User = u.User.Username()
		t.Password, t.HasPassword = u.User.Password()
	}
	if strings.ContainsAny(t.User+t.Password, "\r\n") {
		return Target{}, errors.New("the user name or password in the URL contains a line break, which FTP cannot send")
	}
	return t, nil
}

// MaskPassword replaces the password of a URL's user information with
// ****, textually, so that it works on text that is not a valid URL. The
// user information ends at the last '@' (a password may contain an
// unescaped '@'), and the password starts after the first ':' before it.
// Text without a password is returned unchanged.
func MaskPassword(s string) string {
	start := 0
	if i := strings.Index(s, "://"); i >= 0 {
		start = i + len("://")
	}
	at := strings.LastIndex(s[start:], "@")
	if at < 0 {
		return s
	}
	at += start
	colon := strings.Index(s[start:at], ":")
	if colon < 0 {
		return s
	}
	colon += start
	return s[:colon+1] + "****" + s[at:]
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
