package tui

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ftpscope/ftpscope/protocol"
)

// sessionState is what the status line, completion and progress bar know
// about the session. The facts about the session itself (user, directory,
// TYPE, mode, TLS, features) are read from the state protocol attaches to
// each event; only what the screen alone needs is kept here.
type sessionState struct {
	// user is the logged-in user, or "" before login.
	user string
	// cwd is the working directory, "" until a 257 reply or a CWD tells.
	cwd string
	// transferType is the TYPE the server accepted, "" until one is set:
	// RFC 959 makes A the default, but many servers send byte for byte,
	// and ftpscope moves the bytes unchanged until TYPE A is accepted.
	transferType string
	// dataMode is "passive" or "active" after PASV/EPSV or PORT/EPRT.
	dataMode string
	// lastRTT is the round-trip time of the newest command: the time to
	// its first reply. A transfer's final reply comes after the data,
	// so its time is the transfer's, not a round trip; the 1xx before it
	// is the command's round trip. prelimSeq is the command that had a
	// 1xx last.
	lastRTT   time.Duration
	prelimSeq int
	// tls is the control connection's TLS version, "" in clear.
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
	// latest is the session's state after the newest event.
	latest *protocol.SessionState
	// tracker interprets events that come without a state (made by hand,
	// as tests do); a session's events arrive interpreted.
	tracker *protocol.Tracker
}

func newSessionState() sessionState {
	return sessionState{features: map[string]bool{}, sizes: map[string]int64{}, tracker: protocol.NewTracker()}
}

// interpret makes sure ev carries the session state after it.
func (st *sessionState) interpret(ev *protocol.Event) {
	if ev.State == nil {
		st.tracker.Observe(ev)
	}
}

// follow copies what the screen shows from the session's state.
func (st *sessionState) follow(s *protocol.SessionState) {
	if s == nil {
		return
	}
	st.latest = s
	st.user, st.cwd, st.transferType, st.dataMode, st.tls = s.User, s.Cwd, s.Type, s.Mode, s.TLSVersion
	if len(s.Features) != len(st.features) {
		st.features = make(map[string]bool, len(s.Features))
		for f := range s.Features {
			st.features[f] = true
		}
	}
}

// bytesInText finds a size such as "(1048576 bytes)" (vsftpd, ProFTPD) or
// "starting 1048576 bytes" (goftp, the sandbox) in a 150 reply, the way
// servers announce a download's size.
var bytesInText = regexp.MustCompile(`\b(\d+) bytes\b`)

// learn takes from a reply what only the screen needs: the size a 150
// announces, the round-trip time, and sizes from SIZE.
func (st *sessionState) learn(ev protocol.Event) {
	st.interpret(&ev)
	st.follow(ev.State)
	r := ev.Reply
	_, arg, _ := strings.Cut(ev.Command, " ")
	arg = strings.TrimSpace(arg)
	if r.Class() == 1 {
		if m := bytesInText.FindStringSubmatch(r.Text()); m != nil {
			st.expected, _ = strconv.ParseInt(m[1], 10, 64)
		}
		if ev.Seq != 0 && st.prelimSeq != ev.Seq {
			st.lastRTT, st.prelimSeq = ev.RTT, ev.Seq
		}
		return
	}
	if ev.Seq == 0 || st.prelimSeq != ev.Seq {
		st.lastRTT = ev.RTT
	}
	if n, err := strconv.ParseInt(strings.TrimSpace(r.Text()), 10, 64); ev.Verb == "SIZE" && r.Code == 213 && err == nil {
		st.sizes[arg] = n
	}
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
