package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/protocol"
)

// newRecordingModel opens a recording of two sessions, as ftpscope open
// does, at a fixed size.
func newRecordingModel(t *testing.T, width, height int) Model {
	t.Helper()
	at := time.Date(2026, 12, 6, 21, 8, 0, 0, time.UTC)
	stamp := func(evs []protocol.Event) []protocol.Event {
		for i := range evs {
			evs[i].Time = at.Add(time.Duration(i) * time.Millisecond)
		}
		return evs
	}
	failed := stamp([]protocol.Event{
		{Kind: protocol.EventConnect, Line: "client 192.0.2.9 connected"},
		reply(protocol.GreetingVerb, 0, "220 (vsFTPd 3.0.3)"),
		sent("USER ann"), reply("USER ann", time.Millisecond, "331 Please specify the password."),
		sent("PASS ****"), reply("PASS ****", 2*time.Second, "530 Login incorrect."),
	})
	m := New(Options{
		Catalog: testCatalog,
		Recording: &Recording{File: "vsftpd.log", Format: "vsftpd", Sessions: []RecordedSession{
			{Label: "vsftpd pid 1, user demo, 3 commands", Events: stamp(loginSession())},
			{Label: "vsftpd pid 2, user ann, 2 commands, last reply 530", Events: failed},
		}},
		Now: func() time.Time { return at },
	})
	next, _ := m.Update(tea.WindowSizeMsg{Width: width, Height: height})
	m = next.(Model)
	next, _ = m.Update(connectMsg{}) // what Init sends
	return next.(Model)
}

// TestRecordingOpensAtOnce checks that a recording is shown whole at
// start, with the list of its sessions and a status line naming the file
// and format, and that nothing can be sent.
func TestRecordingOpensAtOnce(t *testing.T) {
	m := newRecordingModel(t, 120, 30)
	s := screen(m)
	for _, want := range []string{
		"2 sessions in this file (:session N shows another):",
		"2. vsftpd pid 2, user ann, 2 commands, last reply 530",
		"── session 1 of 2: vsftpd pid 1",
		"▶ recording vsftpd.log (vsftpd) · session 1 of 2",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("no %q on the screen:\n%s", want, s)
		}
	}
	if m.session != nil {
		t.Error("a recording opened a session")
	}
	if strings.Contains(s, inputPlaceholder) || !strings.Contains(s, recordingPlaceholder) {
		t.Errorf("the input line invites FTP commands in a recording, want %q:\n%s", recordingPlaceholder, s)
	}
	refused := recordingNoSend[:40]
	m.input.SetValue("NOOP")
	next, _ := m.Update(keyPress("enter"))
	m = next.(Model)
	if s := screen(m); strings.Count(s, refused) != 1 {
		t.Errorf("a command typed in a recording was not refused:\n%s", s)
	}
	m.input.SetValue(":reconnect")
	next, _ = m.Update(keyPress("enter"))
	if s := screen(next.(Model)); strings.Count(s, refused) != 2 {
		t.Errorf(":reconnect in a recording was not refused:\n%s", s)
	}
}

// TestRecordingSessionSwitch switches to the second session with
// :session 2 and selects its 530, which the side panel explains.
func TestRecordingSessionSwitch(t *testing.T) {
	m := newRecordingModel(t, 120, 30)
	m.input.SetValue(":session 2")
	next, _ := m.Update(keyPress("enter"))
	m = next.(Model)
	s := screen(m)
	for _, want := range []string{"── session 2 of 2: vsftpd pid 2", "530 Login incorrect.", "session 2 of 2"} {
		if !strings.Contains(s, want) {
			t.Errorf("no %q on the screen:\n%s", want, s)
		}
	}
	ev, _, ok := m.transcript.Reply()
	if !ok || ev.Reply.Code != 530 {
		t.Fatalf("selected %v, want the 530 (the newest reply)", ev.Reply)
	}
	m.input.SetValue(":session 3")
	next, _ = m.Update(keyPress("enter"))
	if s := screen(next.(Model)); !strings.Contains(s, "no session 3: this file holds sessions 1 to 2") {
		t.Errorf(":session 3 was not refused:\n%s", s)
	}
}

// TestRecordingGolden is the screen of a recording, for review.
func TestRecordingGolden(t *testing.T) {
	golden(t, "recording-120x30", screen(newRecordingModel(t, 120, 30)))
}

// TestRecordingSelectedSession opens the session --session chose.
func TestRecordingSelectedSession(t *testing.T) {
	m := New(Options{Catalog: testCatalog, Recording: &Recording{File: "x.pcap", Format: "pcap", Selected: 1, Sessions: []RecordedSession{
		{Label: "first", Events: loginSession()},
		{Label: "second", Events: []protocol.Event{reply(protocol.GreetingVerb, 0, "421 Too many users")}},
	}}})
	next, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	next, _ = next.(Model).Update(connectMsg{})
	s := screen(next.(Model))
	if !strings.Contains(s, "── session 2 of 2: second ──") || strings.Contains(s, "── session 1 of 2") || !strings.Contains(s, "421 Too many users") {
		t.Errorf("session 2 is not the one shown:\n%s", s)
	}
}

// TestRecordingUncountedData checks a data connection whose size the
// recording does not give (lftp's log): the transcript says so, the data
// view does not open on nothing, and f2 says the size is not recorded
// rather than 0 bytes.
func TestRecordingUncountedData(t *testing.T) {
	m := newTestModel(120, 30)
	m = apply(m, sent("LIST"),
		protocol.Event{Kind: protocol.EventData, Seq: 1, Line: "data connection open: lftp connected to 127.0.0.1:2394 (passive mode)",
			Data: &protocol.DataInfo{Phase: protocol.DataOpened, Verb: "LIST", Direction: "download", Remote: "127.0.0.1:2394"}},
		reply("LIST", time.Millisecond, "150 Here comes the directory listing."),
		protocol.Event{Kind: protocol.EventData, Seq: 1, Line: "data connection closed: the server ended the data; size not recorded (lftp's log does not count the bytes)",
			Data: &protocol.DataInfo{Phase: protocol.DataClosed, Verb: "LIST", Direction: "download", Remote: "127.0.0.1:2394", Uncounted: true}},
		reply("LIST", time.Millisecond, "226 Directory send OK."))
	if m.showData {
		t.Errorf("the data view opened on a listing the recording does not hold:\n%s", screen(m))
	}
	m = pressKeys(m, "f2")
	got := screen(m)
	if !strings.Contains(got, "size not recorded") || strings.Contains(got, "0 bytes received") {
		t.Errorf("f2 does not say the size is not recorded:\n%s", got)
	}
}
