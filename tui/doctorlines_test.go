package tui

import (
	"net"
	"strings"
	"testing"

	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/doctor"
	"github.com/ftpscope/ftpscope/protocol"
)

// TestDoctorCheckLinesSayEachThingOnce shows a failed doctor check whose
// data connection was refused: its line is in plain words (it was Go's
// "dial tcp …"), and says only what happened, since the check's finding,
// shown under it, gives the fix.
func TestDoctorCheckLinesSayEachThingOnce(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, dialErr := net.Dial("tcp", addr)
	data := &protocol.DataError{Verb: "LIST", Op: protocol.DataDial, Addr: addr, Err: dialErr}
	failed := protocol.Event{Kind: protocol.EventData, Seq: 3, Line: "data connection for LIST failed: " + data.Error(),
		Data: &protocol.DataInfo{Phase: protocol.DataClosed, Verb: "LIST", Err: data}}
	finding := diagnose.Finding{ID: "passive-port-refused", Severity: diagnose.SeverityError, Seq: 3,
		Cause: "Nothing accepted the connection to the passive port.", ClientFix: "Try active mode."}
	m := newTestModel(160, 45)
	m.showDoctorCheck(&doctor.Check{Verdict: doctor.Problem, Title: "Passive mode", Summary: "failed",
		Events: []protocol.Event{failed}, Findings: []diagnose.Finding{finding}})
	pane := strings.Join(m.paneLines(), "\n")
	if strings.Contains(pane, "dial tcp") {
		t.Errorf("Go's error text reached the transcript:\n%s", pane)
	}
	if want := "data connection for LIST failed: the data connection to " + addr + " was refused\n"; !strings.Contains(pane+"\n", want) {
		t.Errorf("the transcript lacks %q, the failure without a fix of its own:\n%s", want, pane)
	}
	if n := strings.Count(pane, "active mode"); n != 1 {
		t.Errorf("the fix is given %d times, want once (by the finding):\n%s", n, pane)
	}
}
