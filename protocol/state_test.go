package protocol

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// reply builds a final or preliminary reply event to command line cmd.
func replyEvent(seq int, cmd string, lines ...string) Event {
	verb, _, _ := strings.Cut(cmd, " ")
	r := &Reply{Lines: lines}
	if len(lines[0]) >= 3 {
		for _, c := range lines[0][:3] {
			r.Code = r.Code*10 + int(c-'0')
		}
	}
	if cmd != GreetingVerb {
		verb = strings.ToUpper(verb)
	}
	return Event{Kind: EventReply, Seq: seq, Command: cmd, Verb: verb, Reply: r}
}

// TestReplyEffect checks the one sentence each state-changing reply gets,
// and that replies changing nothing get none.
func TestReplyEffect(t *testing.T) {
	tests := []struct {
		cmd, line string
		kind      EffectKind
		value     string
		want      string
	}{
		{"PASS ****", "230 Login successful.", EffectLogin, "", "logged in"},
		{"USER anonymous", "230 Anonymous access granted", EffectLogin, "anonymous", "logged in"},
		{"PASS ****", "530 Login incorrect.", EffectLogout, "", "not logged in"},
		{"AUTH TLS", "234 Proceed with negotiation.", EffectTLS, "TLS", "switches to TLS"},
		{"AUTH tls-c", "234 AUTH TLS-C successful", EffectTLS, "TLS-C", "switches to TLS"},
		{"AUTH TLSX", "234 ok", "", "", ""},
		{"AUTH GSSAPI", "334 ADAT=", "", "", ""},
		{"PROT C", "200 PROT now Clear.", EffectProt, "C", "clear text"},
		{"PROT S", "200 PROT now Safe.", EffectProt, "S", "signed but not encrypted"},
		{"PROT P", "200 PROT now Private.", EffectProt, "P", "encrypted"},
		{"PROT S", `200 Protection level S not understood. Fallback to "private"`, EffectProt, "P", "falls back to P"},
		{"TYPE E", "200 ok", EffectType, "E", "EBCDIC"},
		{"TYPE I", "200 Switching to Binary mode.", EffectType, "I", "unchanged"},
		{"TYPE A N", "200 Switching to ASCII mode.", EffectType, "A", "CRLF"},
		{"TYPE I", "504 no", "", "", ""},
		{"CWD /pub", "250 ok", EffectCwd, "/pub", "now /pub;"},
		{`PWD`, `257 "/pub/a ""quoted"" dir" is the current directory`, EffectCwd, `/pub/a "quoted" dir`, `/pub/a "quoted" dir`},
		{"REST 1000", "350 Restart position accepted (1000).", EffectRestart, "1000", "byte 1000"},
		{"RNFR old.txt", "350 Ready for RNTO.", EffectRename, "old.txt", "RNTO"},
		{"EPSV ALL", "200 EPSV ALL ok.", EffectPassive, "ALL", "EPSV ALL"},
		{"EPSV ALL", "220 Other commands other than EPSV are now disabled.", EffectPassive, "ALL", "EPSV ALL"},
		{"OPTS UTF8 ON", "200 Always in UTF8 mode.", EffectUTF8, "ON", "UTF-8"},
		{"NOOP", "200 NOOP ok.", "", "", ""},
		{"LIST", "150 Here comes the directory listing.", "", "", ""},
	}
	for _, tt := range tests {
		ev := replyEvent(1, tt.cmd, tt.line)
		verb, arg, _ := strings.Cut(tt.cmd, " ")
		e, ok := ReplyEffect(strings.ToUpper(verb), arg, ev.Reply)
		if ok != (tt.kind != "") || e.Kind != tt.kind || e.Value != tt.value || !strings.Contains(e.Text, tt.want) {
			t.Errorf("%s → %q: effect %q %q %q, want %q %q containing %q", tt.cmd, tt.line, e.Kind, e.Value, e.Text, tt.kind, tt.value, tt.want)
		}
	}
}

// TestTrackerSession follows a whole session and checks the state after
// each step, and that a state attached to an earlier event never changes.
func TestTrackerSession(t *testing.T) {
	tr := NewTracker()
	steps := []struct {
		ev    Event
		check func(*SessionState) string
	}{
		{Event{Kind: EventConnect}, func(s *SessionState) string { return want(s.Connected, "connected") }},
		{replyEvent(0, GreetingVerb, "220 (vsFTPd 3.0.3)"), func(s *SessionState) string {
			return want(s.Server.Software == ServerVsftpd && s.Server.Version == "3.0.3" && s.Server.From == "greeting", "vsftpd 3.0.3 from the greeting")
		}},
		{replyEvent(1, "AUTH TLS", "234 Proceed with negotiation."), nil},
		{Event{Kind: EventTLS, TLS: &TLSInfo{Version: "TLS 1.3"}}, func(s *SessionState) string {
			return want(s.ControlTLS && s.TLSVersion == "TLS 1.3", "control TLS 1.3")
		}},
		{replyEvent(2, "USER alice", "331 Please specify the password."), func(s *SessionState) string { return want(!s.LoggedIn && s.PendingUser == "alice", "alice pending") }},
		{replyEvent(3, "PASS ****", "230 Login successful."), func(s *SessionState) string { return want(s.LoggedIn && s.User == "alice", "alice logged in") }},
		{replyEvent(4, "FEAT", "211-Features:", " EPSV", " REST STREAM", " UTF8", "211 End"), func(s *SessionState) string {
			return want(s.Features["REST"] == "STREAM" && len(s.Features) == 3, "three features")
		}},
		{replyEvent(5, "PWD", `257 "/home/alice" is the current directory`), func(s *SessionState) string { return want(s.Cwd == "/home/alice", "cwd /home/alice") }},
		{replyEvent(6, "CWD pub", "250 Directory successfully changed."), func(s *SessionState) string { return want(s.Cwd == "/home/alice/pub", "cwd pub") }},
		{replyEvent(7, "CDUP", "250 Directory successfully changed."), func(s *SessionState) string { return want(s.Cwd == "/home/alice", "cwd after CDUP") }},
		{replyEvent(8, "TYPE A", "200 Switching to ASCII mode."), func(s *SessionState) string { return want(s.Type == "A", "TYPE A") }},
		{replyEvent(9, "PROT P", "200 PROT now Private."), func(s *SessionState) string { return want(s.Prot == "P", "PROT P") }},
		{replyEvent(10, "PASV", "227 Entering Passive Mode (10,0,0,5,156,64)."), func(s *SessionState) string {
			return want(s.Mode == ModePassive && s.Announced == "10.0.0.5", "passive, 10.0.0.5 announced")
		}},
		{replyEvent(10, "EPSV", "229 Entering Extended Passive Mode (|||40001|)"), func(s *SessionState) string {
			return want(s.Mode == ModePassive && s.Announced == "", "passive, no address announced")
		}},
		{Event{Kind: EventSend, Seq: 11, Line: "LIST", Transfer: true}, func(s *SessionState) string { return want(s.Data.Seq == 11 && s.Data.Verb == "LIST", "LIST transfer") }},
		{Event{Kind: EventData, Seq: 11, Data: &DataInfo{Phase: DataOpened, Verb: "LIST"}}, func(s *SessionState) string { return want(s.Data.Opened, "data opened") }},
		{replyEvent(11, "LIST", "150 Here comes the directory listing."), func(s *SessionState) string {
			return want(s.Transfer == 11 && s.Data.Preliminary == 150, "150 waiting")
		}},
		{Event{Kind: EventData, Seq: 11, Data: &DataInfo{Phase: DataClosed, Verb: "LIST", Bytes: 10, Err: errors.New("reset")}}, func(s *SessionState) string {
			return want(s.Data.Closed && s.Data.Bytes == 10 && s.Data.Err != nil, "data closed with an error")
		}},
		{replyEvent(11, "LIST", "426 Failure writing network stream."), func(s *SessionState) string {
			return want(s.Transfer == 0 && s.Data.Final == 426, "426 final")
		}},
		{replyEvent(12, "REIN", "220 ready"), func(s *SessionState) string {
			return want(!s.LoggedIn && s.Type == "" && s.Prot == "" && s.ControlTLS, "reset but still TLS")
		}},
		{Event{Kind: EventClose}, func(s *SessionState) string { return want(!s.Connected && !s.ControlTLS, "closed") }},
	}
	var kept []*SessionState
	for i, st := range steps {
		ev := st.ev
		tr.Observe(&ev)
		if ev.State == nil {
			t.Fatalf("step %d: no state attached", i)
		}
		if st.check != nil {
			if msg := st.check(ev.State); msg != "" {
				t.Errorf("step %d (%s %s): state %+v is not %s", i, ev.Kind, ev.Command+ev.Line, *ev.State, msg)
			}
		}
		kept = append(kept, ev.State)
	}
	if kept[5].User != "alice" || kept[5].Type != "" {
		t.Errorf("the state after PASS was changed by later events: %+v", *kept[5])
	}
}

func want(ok bool, what string) string {
	if ok {
		return ""
	}
	return what
}

// TestTrackerCWD checks the directory a successful CWD leaves: resolved
// against a known directory, or an absolute path the reply names.
func TestTrackerCWD(t *testing.T) {
	tests := []struct {
		cwd, arg, text, want string
	}{
		{"/", "pub", "250 Directory successfully changed.", "/pub"},
		{"", "pub", "250 Directory changed to /pub", "/pub"},
		{"", "pub", `250 "/pub" is the current directory.`, "/pub"},
		{"", "pub", "250 Directory successfully changed.", ""},
		{"", "/srv/ftp/", "250 OK", "/srv/ftp"},
	}
	for _, tt := range tests {
		tr := NewTracker()
		tr.state.Cwd = tt.cwd
		ev := replyEvent(1, "CWD "+tt.arg, tt.text)
		tr.Observe(&ev)
		if ev.State.Cwd != tt.want {
			t.Errorf("in %q, CWD %s answered %q: directory %q, want %q", tt.cwd, tt.arg, tt.text, ev.State.Cwd, tt.want)
		}
	}
}

// TestTrackerRefusedModes checks which replies to a data-mode command
// count as refusing the mode: the advice after them turns to another
// mode, so a refusal for another reason (no login yet, the wrong order,
// the server closing) must not count.
func TestTrackerRefusedModes(t *testing.T) {
	tests := []struct {
		replies [][2]string // command, reply, in order
		want    []string
	}{
		{[][2]string{{"EPSV", "500 'EPSV': command not understood"}}, []string{"EPSV"}},
		{[][2]string{{"PASV", "550 Permission denied."}, {"EPSV", "502 Command not implemented."}}, []string{"PASV", "EPSV"}},
		{[][2]string{{"PASV", "425 Can't open passive connection."}, {"PASV", "425 Can't open passive connection."}}, []string{"PASV"}},
		{[][2]string{{"PORT 127,0,0,1,200,10", "500 Illegal PORT command."}}, []string{"PORT"}},
		{[][2]string{{"EPSV", "530 Please login with USER and PASS."}}, nil},
		{[][2]string{{"PASV", "530 Please login with USER and PASS."}, {"EPSV", "530 Please login with USER and PASS."}}, nil},
		{[][2]string{{"PORT 127,0,0,1,200,10", "503 Bad sequence of commands."}}, nil},
		{[][2]string{{"PASV", "421 Timeout."}}, nil},
		{[][2]string{{"EPSV", "500 no"}, {"PASV", "227 Entering Passive Mode (127,0,0,1,200,10)."}}, nil},
		{[][2]string{{"EPSV", "500 no"}, {"PASV", "530 Please login with USER and PASS."}}, []string{"EPSV"}},
	}
	for _, tt := range tests {
		tr := NewTracker()
		var st *SessionState
		for i, r := range tt.replies {
			ev := replyEvent(i+1, r[0], r[1])
			tr.Observe(&ev)
			st = ev.State
		}
		if !slices.Equal(st.RefusedModes, tt.want) {
			t.Errorf("after %q: refused modes %q, want %q", tt.replies, st.RefusedModes, tt.want)
		}
	}
}

// TestIdentify checks that the servers are recognised from their own
// greetings, SYST replies and wording.
func TestIdentify(t *testing.T) {
	tests := []struct {
		verb  string
		lines []string
		want  string
	}{
		{GreetingVerb, []string{"220 (vsFTPd 3.0.3)"}, ServerVsftpd},
		{GreetingVerb, []string{"220 ProFTPD 1.3.8 Server (Debian) [::ffff:127.0.0.1]"}, ServerProFTPD},
		{GreetingVerb, []string{"220---------- Welcome to Pure-FTPd [privsep] [TLS] ----------", "220-You are user number 1 of 50 allowed.", "220 You will be disconnected after 15 minutes of inactivity."}, ServerPureFTPd},
		{GreetingVerb, []string{"220 pyftpdlib 1.5.7 ready."}, ServerPyftpdlib},
		{GreetingVerb, []string{"220-FileZilla Server 1.8.0", "220 Please visit https://filezilla-project.org/"}, ServerFileZilla},
		{GreetingVerb, []string{"220 Microsoft FTP Service"}, ServerIIS},
		{GreetingVerb, []string{"220 Welcome to example.org"}, ""},
		{"SYST", []string{"215 UNIX emulated by FileZilla"}, ServerFileZilla},
		{"SYST", []string{"215 UNIX Type: L8"}, ""},
		{"USER", []string{"500 OOPS: vsftpd: refusing to run with writable root inside chroot()"}, ServerVsftpd},
		{"USER", []string{"530 Non-anonymous sessions must use encryption."}, ServerVsftpd},
		{GreetingVerb, []string{"421 There are too many connections from your internet address."}, ServerVsftpd},
		{"USER", []string{"421 Sorry, cleartext sessions and weak ciphers are not accepted on this server."}, ServerPureFTPd},
	}
	for _, tt := range tests {
		ev := replyEvent(1, tt.verb, tt.lines...)
		ev.Verb = tt.verb
		got := identify(ServerIdentity{}, tt.verb, ev.Reply)
		if got.Software != tt.want {
			t.Errorf("%s %q: identified %q, want %q", tt.verb, tt.lines, got.Software, tt.want)
		}
	}
}

// FuzzTracker feeds the tracker replies with any text to any command:
// whatever a server sends, interpreting it never panics, and states
// attached to events stay as they were.
func FuzzTracker(f *testing.F) {
	f.Add("PWD", `257 "/a ""b""" is here`)
	f.Add("FEAT", "211-Features:\n UTF8\n REST STREAM\n211 End")
	f.Add("TYPE A", "200 ok")
	f.Add("PROT S", `200 Protection level S not understood. Fallback to "private"`)
	f.Add("CWD ../..", "250 Directory changed to /")
	f.Add("(connection)", "220 (vsFTPd 3.0.3)")
	f.Add("REST -5", "350 ok")
	f.Fuzz(func(t *testing.T, command, text string) {
		tr := NewTracker()
		first := Event{Kind: EventConnect}
		tr.Observe(&first)
		before := *first.State
		lines := strings.Split(text, "\n")
		r := &Reply{Lines: lines}
		if len(lines[0]) >= 3 {
			for _, c := range lines[0][:3] {
				if c < '0' || c > '9' {
					r.Code = 0
					break
				}
				r.Code = r.Code*10 + int(c-'0')
			}
		}
		verb, _, _ := strings.Cut(command, " ")
		for seq, kind := range []EventKind{EventSend, EventReply, EventData, EventTLS, EventClose} {
			ev := Event{Kind: kind, Seq: seq, Command: command, Verb: strings.ToUpper(verb), Line: command, Reply: r, Transfer: true}
			if kind == EventData {
				ev.Data = &DataInfo{Phase: DataClosed, Verb: verb, Preview: []byte(text)}
			}
			if kind == EventTLS {
				ev.TLS = &TLSInfo{Version: text}
			}
			tr.Observe(&ev)
			if ev.State == nil {
				t.Fatal("no state attached")
			}
		}
		if first.State.Cwd != before.Cwd || first.State.User != before.User || first.State.Type != before.Type {
			t.Fatalf("the first event's state changed: %+v, was %+v", *first.State, before)
		}
	})
}
