package sandbox

import (
	"fmt"
	"maps"
	"net"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds what `ftpscope serve` needs beyond Start: reading its
// flags, describing the running server, and formatting the live log. The
// command itself only wires them together.

// DefaultServePort is the port `ftpscope serve` listens on unless told:
// FTP's own port, 21, needs privileges.
const DefaultServePort = 2121

// ParseListen reads --listen's ADDR:PORT, ADDR alone (port 2121) or :PORT
// (address 127.0.0.1). An IPv6 address is written in brackets.
func ParseListen(spec string) (host string, port int, err error) {
	spec = strings.TrimSpace(spec)
	host, portText, splitErr := net.SplitHostPort(spec)
	if splitErr != nil {
		// An address without a port.
		host, portText = strings.Trim(spec, "[]"), strconv.Itoa(DefaultServePort)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	if net.ParseIP(host) == nil && host != "localhost" {
		return "", 0, fmt.Errorf("--listen %q: %q is not an IP address; write it like 127.0.0.1:2121 or [::1]:2121", spec, host)
	}
	port, err = strconv.Atoi(portText)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("--listen %q: the port must be a number from 0 to 65535 (0 picks a free one)", spec)
	}
	return host, port, nil
}

// ParseUser reads --user's NAME:PASSWORD.
func ParseUser(spec string) (name, password string, err error) {
	name, password, found := strings.Cut(spec, ":")
	switch {
	case !found || name == "" || password == "":
		return "", "", fmt.Errorf("--user %q: write it as NAME:PASSWORD, such as alice:secret", MaskUserSpec(spec))
	case isAnonymousName(name):
		return "", "", fmt.Errorf("--user %q: anonymous is built in (it takes any password); use --anonymous=false to refuse it", MaskUserSpec(spec))
	case strings.ContainsAny(spec, " \r\n\x00"):
		return "", "", fmt.Errorf("--user %q: a name or password cannot hold spaces or control characters", MaskUserSpec(spec))
	}
	return name, password, nil
}

// MaskUserSpec returns NAME:PASSWORD with the password masked, for
// messages.
func MaskUserSpec(spec string) string {
	if name, _, found := strings.Cut(spec, ":"); found {
		return name + ":****"
	}
	return spec
}

// SummaryLine is one line of Summary: prose, to wrap at its spaces, or a
// Command (a shell command or an address to type) to keep whole, so that
// it can be copied: a wrapper may break it only at its spaces, with a
// shell's line continuation.
type SummaryLine struct {
	Text    string
	Command bool
}

// Summary describes the running server in a few lines for `ftpscope
// serve` to print at its start: where it listens, what it serves, who may
// log in, its certificate and the faults on, each command to type on a
// line of its own. certFile, when not empty, is where the certificate was
// written for clients to trust.
func (s *Server) Summary(opts Options, certFile string) []SummaryLine {
	what := s.Root
	if s.ownRoot {
		what = "the sample tree (in " + s.Root + ", removed at the end)"
	}
	var lines []SummaryLine
	say := func(text string) { lines = append(lines, SummaryLine{Text: text}) }
	command := func(text string) { lines = append(lines, SummaryLine{Text: text, Command: true}) }
	say("ftpscope sandbox listening on " + s.Addr)
	say("  · serving " + what)
	accounts := opts.Users
	if accounts == nil {
		accounts = map[string]string{DemoUser: DemoPassword}
	}
	var users []string
	for _, name := range slices.Sorted(maps.Keys(accounts)) {
		if name == DemoUser && accounts[name] == DemoPassword {
			users = append(users, DemoUser+"/"+DemoPassword)
		} else {
			users = append(users, name+" (password as given)")
		}
	}
	if !opts.NoAnonymous {
		users = append(users, "anonymous with any password (read only)")
	}
	say("  · log in as: " + strings.Join(users, ", "))
	host, port, _ := net.SplitHostPort(s.Addr)
	if s.Cert != nil {
		say("  · TLS: AUTH TLS (explicit FTPS) with a self-signed certificate made now,")
		say("    SHA-256 " + s.Cert.Fingerprint())
		if certFile != "" {
			say("  · to trust it, give curl the certificate:")
			command("      curl --ssl-reqd --cacert " + certFile + " ftp://" + s.Addr + "/")
		}
		say("  · or let ftpscope show it, compare the fingerprint and accept it:")
		command("      ftpscope --tls ftp://" + s.Addr)
	} else {
		say("  · TLS: not offered (add --tls)")
	}
	var on []string
	for _, f := range s.Faults() {
		if f.On {
			on = append(on, f.Name)
		}
	}
	if len(on) > 0 {
		say("  · faults on: " + strings.Join(on, ", "))
	}
	if ip := net.ParseIP(host); ip != nil && !ip.IsLoopback() {
		say("  · note: " + host + " is not a loopback address: other machines on its network can connect")
	}
	say("  · ctrl+c stops the server; connect with:")
	command("      ftpscope " + net.JoinHostPort(host, port))
	return lines
}

// Format returns the entry as one line of the live log: the time, the
// connection's number, and what happened, with commands after "> " and
// replies after "< ". Text from the network is escaped, so that no client
// can draw on the teacher's terminal.
func (e LogEntry) Format() string {
	when := e.Time.Format("15:04:05")
	if e.Conn == 0 {
		return when + "     · " + escape(e.Text)
	}
	prefix := fmt.Sprintf("%s #%-3d", when, e.Conn)
	switch e.Kind {
	case LogCommand:
		return prefix + "> " + escape(e.Text)
	case LogReply:
		return prefix + "< " + escape(e.Text)
	case LogConnect:
		return prefix + "· " + escape(e.Remote) + " " + escape(e.Text)
	case LogRefused:
		return prefix + "✗ " + escape(e.Remote) + " refused: " + escape(e.Text)
	default:
		return prefix + "· " + escape(e.Text)
	}
}

// escape shows control characters, invalid UTF-8 and other invisible
// runes as Go escapes, and leaves the rest as it is.
func escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\\':
			b.WriteString(`\\`)
		case !unicode.IsPrint(r) && r != ' ':
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// ServeHelp lists the lines `ftpscope serve` reads on its standard input
// while it runs.
const ServeHelp = "type: fault NAME on|off · faults (list them) · help"

// Control runs one line typed at `ftpscope serve`'s terminal while it
// serves, so that a teacher can switch faults during a class: "fault NAME
// on|off" switches one, "faults" lists them, "help" says what to type. It
// returns the lines to print; the error says what was wrong with the line.
func (s *Server) Control(line string) ([]string, error) {
	f := strings.Fields(line)
	switch {
	case len(f) == 0:
		return nil, nil
	case len(f) == 1 && (f[0] == "faults" || f[0] == "fault"):
		var on, off []string
		for _, st := range s.Faults() {
			if st.On {
				on = append(on, st.Name)
			} else {
				off = append(off, st.Name)
			}
		}
		if len(on) == 0 {
			on = []string{"none"}
		}
		return []string{"faults on: " + strings.Join(on, ", "), "off: " + strings.Join(off, ", ")}, nil
	case len(f) == 1 && (f[0] == "help" || f[0] == "?"):
		return []string{ServeHelp, "ftpscope serve --help describes each fault; ctrl+c stops the server"}, nil
	case f[0] == "fault" && (len(f) == 2 || len(f) == 3):
		return s.controlFault(f[1], f[2:])
	}
	return nil, fmt.Errorf("%q is not something serve understands; %s", escape(line), ServeHelp)
}

// controlFault runs "fault NAME [on|off]": with on or off it switches the
// fault, alone it says whether the fault is on and how to switch it.
func (s *Server) controlFault(name string, state []string) ([]string, error) {
	if _, ok := faultInfo(name); !ok {
		return nil, &UnknownFaultError{Name: name}
	}
	switch {
	case len(state) == 0 && s.faults.has(name):
		return []string{fmt.Sprintf("fault %s is on; type fault %s off to switch it off", name, name)}, nil
	case len(state) == 0:
		return []string{fmt.Sprintf("fault %s is off; type fault %s on to switch it on", name, name)}, nil
	case state[0] == "on" || state[0] == "off":
		// SetFault logs the switch.
		return nil, s.SetFault(name, state[0] == "on")
	}
	return nil, fmt.Errorf("%q is neither on nor off; type fault %s on or fault %s off", escape(state[0]), name, name)
}
