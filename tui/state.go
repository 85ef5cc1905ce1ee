package tui

import (
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/protocol"
)

// sessionState is what the status line, completion and progress bar know
// about the session, learned from final replies the way a person reading
// the transcript would.
type sessionState struct {
	// user is the logged-in user, or "" before login.
	user string
	// pendingUser is the name of the last USER, until its login ends.
	pendingUser string
	// cwd is the working directory, "" until a 257 reply or a CWD tells.
	cwd string
	// transferType is the TYPE the server accepted, "" until one is set:
	// RFC 959 makes A the default, but many servers send byte for byte,
	// and ftpscope moves the bytes unchanged until TYPE A is accepted.
	transferType string
	// dataMode is "passive" or "active" after PASV/EPSV or PORT/EPRT.
	dataMode string
	// lastRTT is the round-trip time of the newest reply.
	lastRTT time.Duration
	// tls is the control connection's TLS version and cipher, "" in clear.
	tls string
	// features are the extensions the server announced in FEAT.
	features map[string]bool
	// names are the file names of the last listing, for completion; a
	// directory's name ends in "/" when the listing said so (LIST, MLSD).
	names []string
	// sizes maps paths to sizes learned from SIZE (213) replies.
	sizes map[string]int64
	// expected is the size announced for the running download.
	expected int64
}

func newSessionState() sessionState {
	return sessionState{features: map[string]bool{}, sizes: map[string]int64{}}
}

// bytesInText finds a size such as "(1048576 bytes)" (vsftpd, ProFTPD) or
// "starting 1048576 bytes" (goftp, the sandbox) in a 150 reply, the way
// servers announce a download's size.
var bytesInText = regexp.MustCompile(`\b(\d+) bytes\b`)

// learn updates the state from a reply to command (masked line) verb.
func (st *sessionState) learn(ev protocol.Event) {
	r := ev.Reply
	_, arg, _ := strings.Cut(ev.Command, " ")
	arg = strings.TrimSpace(arg)
	if r.Class() == 1 {
		if m := bytesInText.FindStringSubmatch(r.Text()); m != nil {
			st.expected, _ = strconv.ParseInt(m[1], 10, 64)
		}
		return
	}
	st.lastRTT = ev.RTT
	ok := r.Class() == 2
	switch ev.Verb {
	case "USER":
		st.pendingUser = arg
		if r.Code == 230 {
			st.user = arg
		}
	case "PASS", "ACCT":
		if r.Code == 230 {
			st.user = st.pendingUser
		}
	case "REIN":
		if ok {
			st.user, st.cwd, st.transferType, st.dataMode = "", "", "", ""
		}
	case "PWD", "XPWD":
		if p, found := catalog.QuotedPath(r.Text()); r.Code == 257 && found {
			st.cwd = p
		}
	case "CWD", "XCWD":
		if ok {
			st.cwd = resolvePath(st.cwd, arg)
			if st.cwd == "" {
				// Some servers name the new directory ("250 Directory
				// changed to /pub"); others do not, and PWD tells.
				st.cwd = absolutePathIn(r.Text())
			}
		}
	case "CDUP", "XCUP":
		if ok && st.cwd != "" {
			st.cwd = path.Dir(st.cwd)
		}
	case "TYPE":
		if ok && arg != "" {
			st.transferType = strings.ToUpper(arg[:1])
		}
	case "PASV", "EPSV", "LPSV":
		if ok {
			st.dataMode = "passive"
		}
	case "PORT", "EPRT", "LPRT":
		if ok {
			st.dataMode = "active"
		}
	case "FEAT":
		if r.Code == 211 {
			st.features = parseFeatures(r.Lines)
		}
	case "SIZE":
		if n, err := strconv.ParseInt(strings.TrimSpace(r.Text()), 10, 64); r.Code == 213 && err == nil {
			st.sizes[arg] = n
		}
	}
	if r.Code == 530 {
		st.user = ""
	}
}

// resolvePath applies a CWD argument to the known directory; with no known
// directory only an absolute argument tells where we are.
func resolvePath(cwd, arg string) string {
	switch {
	case strings.HasPrefix(arg, "/"):
		return path.Clean(arg)
	case cwd == "":
		return ""
	default:
		return path.Join(cwd, arg)
	}
}

// absolutePathIn returns the first word of text that is an absolute path,
// without quotes or a final full stop, or "" when there is none.
func absolutePathIn(text string) string {
	for _, w := range strings.Fields(text) {
		w = strings.TrimRight(strings.Trim(w, `"'`), ".,;")
		if strings.HasPrefix(w, "/") && protocol.Escape(w) == w {
			return path.Clean(w)
		}
	}
	return ""
}

// parseFeatures reads a FEAT reply (RFC 2389 §3.2): every line between the
// first and the last starts with a space and names a feature.
func parseFeatures(lines []string) map[string]bool {
	features := map[string]bool{}
	for _, l := range lines[1:max(len(lines)-1, 1)] {
		if f := strings.Fields(l); len(f) > 0 && protocol.Escape(f[0]) == f[0] {
			features[strings.ToUpper(f[0])] = true
		}
	}
	return features
}

// listingNames extracts file names from a listing, for completion: NLST
// gives one name a line, MLSD facts then "; name" (RFC 3659 §7), and LIST
// (not standardised) usually the Unix form, whose name follows eight
// columns. Directories get a final "/" where the listing tells them
// apart: a "type=dir" fact in MLSD, a leading "d" in LIST.
func listingNames(verb string, data []byte) []string {
	var names []string
	for _, line := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		name, dir := line, false
		switch verb {
		case "MLSD":
			facts, after, found := strings.Cut(line, "; ")
			if found {
				name = after
				dir = strings.Contains(strings.ToLower(facts)+";", "type=dir;")
			}
		case "LIST":
			f := strings.Fields(line)
			if len(f) < 9 {
				continue
			}
			// The name starts after the eighth column; keep its spaces.
			idx := 0
			for i := 0; i < 8; i++ {
				idx += strings.Index(line[idx:], f[i]) + len(f[i])
			}
			name = strings.TrimLeft(line[idx:], " ")
			if i := strings.Index(name, " -> "); i >= 0 {
				name = name[:i] // a symbolic link's target
			}
			dir = strings.HasPrefix(f[0], "d")
		}
		// A name with control characters cannot be typed, and must not
		// reach the screen raw: it is left out of completion.
		if name != "." && name != ".." && protocol.Escape(name) == name {
			if dir {
				name += "/"
			}
			names = append(names, name)
		}
	}
	return names
}
