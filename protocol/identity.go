package protocol

import (
	"regexp"
	"strings"
)

// The server software ServerIdentity.Software names. They are also the
// keys of a finding's server-side fixes.
const (
	ServerVsftpd    = "vsftpd"
	ServerProFTPD   = "proftpd"
	ServerPureFTPd  = "pure-ftpd"
	ServerFileZilla = "filezilla"
	ServerPyftpdlib = "pyftpdlib"
	ServerIIS       = "iis"
)

// ServerIdentity is what the session learned of the software answering,
// from its greeting, its SYST reply, or wording only one server uses.
type ServerIdentity struct {
	// Software is one of the Server constants, "" while unknown.
	Software string
	// Version is the version the greeting gave, if any.
	Version string
	// From says how it was learned: "greeting", "SYST" or "wording".
	From string
	// Greeting is the first line of the greeting, and System the text of
	// the SYST reply, as received (escape them before showing them).
	Greeting string
	System   string
}

// Name is the software's usual name for people, such as "Pure-FTPd", or ""
// while unknown.
func (id ServerIdentity) Name() string {
	return ServerName(id.Software)
}

// ServerName is the usual name of a Server constant.
func ServerName(software string) string {
	switch software {
	case ServerVsftpd:
		return "vsftpd"
	case ServerProFTPD:
		return "ProFTPD"
	case ServerPureFTPd:
		return "Pure-FTPd"
	case ServerFileZilla:
		return "FileZilla Server"
	case ServerPyftpdlib:
		return "pyftpdlib"
	case ServerIIS:
		return "Microsoft IIS FTP"
	}
	return software
}

// signature recognises one server from a greeting or a SYST text.
type signature struct {
	software string
	pattern  *regexp.Regexp // the first submatch, if any, is the version
}

// greetingSignatures are the default greetings of the servers: the
// banner can be changed by the administrator (vsftpd's ftpd_banner,
// ProFTPD's ServerIdent), so other clues back them up.
var greetingSignatures = []signature{
	{ServerVsftpd, regexp.MustCompile(`(?i)\(vsFTPd ([0-9][0-9.]*)\)`)},
	{ServerProFTPD, regexp.MustCompile(`(?i)\bProFTPD(?: ([0-9][0-9.a-z]*))?`)},
	{ServerPureFTPd, regexp.MustCompile(`(?i)\bPure-FTPd\b()`)},
	{ServerFileZilla, regexp.MustCompile(`(?i)\bFileZilla Server(?: version)? ?([0-9][0-9.]*)?`)},
	{ServerPyftpdlib, regexp.MustCompile(`(?i)\bpyftpdlib(?: ([0-9][0-9.]*))?`)},
	{ServerIIS, regexp.MustCompile(`(?i)\bMicrosoft FTP Service\b()`)},
}

// systemSignatures recognise a SYST reply (most servers say "UNIX Type:
// L8", which tells nothing).
var systemSignatures = []signature{
	{ServerFileZilla, regexp.MustCompile(`(?i)FileZilla()`)},
	{ServerIIS, regexp.MustCompile(`(?i)^Windows_NT()`)},
}

// wordingSignatures are reply texts only one server writes.
var wordingSignatures = []signature{
	{ServerVsftpd, regexp.MustCompile(`^OOPS: ()`)},
	{ServerVsftpd, regexp.MustCompile(`^Non-anonymous sessions must use encryption\.()`)},
	{ServerVsftpd, regexp.MustCompile(`^There are too many connect(?:ions from your internet address|ed users, please try later)\.$()`)},
	{ServerPureFTPd, regexp.MustCompile(`(?i)cleartext sessions and weak ciphers are not accepted()`)},
}

// identify updates what is known of the server from one reply: the
// greeting and SYST win over wording.
func identify(id ServerIdentity, verb string, r *Reply) ServerIdentity {
	text := r.Text()
	switch {
	case verb == GreetingVerb:
		id.Greeting = firstLine(r)
		for _, l := range r.Lines {
			if sw, v, ok := match(greetingSignatures, l); ok {
				id.Software, id.Version, id.From = sw, v, "greeting"
				return id
			}
		}
	case verb == "SYST" && r.Code == 215:
		id.System = text
		if sw, _, ok := match(systemSignatures, text); ok && id.From != "greeting" {
			id.Software, id.From = sw, "SYST"
		}
	}
	if id.Software == "" {
		if sw, _, ok := match(wordingSignatures, text); ok {
			id.Software, id.From = sw, "wording"
		}
	}
	return id
}

// match returns the software of the first signature that matches s.
func match(sigs []signature, s string) (software, version string, ok bool) {
	for _, sig := range sigs {
		if m := sig.pattern.FindStringSubmatch(s); m != nil {
			if len(m) > 1 {
				version = m[1]
			}
			return sig.software, strings.TrimSpace(version), true
		}
	}
	return "", "", false
}

// firstLine is a reply's first line, or "".
func firstLine(r *Reply) string {
	if len(r.Lines) == 0 {
		return ""
	}
	return r.Lines[0]
}
