package tui

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/doctor"
	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
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

// TestDoctorFindingSeverityMatchesItsCheck: a server without TLS, checked
// without --tls, is a warning in doctor's report; the terminal UI's
// :doctor shows its finding as a warning too, in the transcript and at
// the top of the side panel (the panel showed the rule's raw "error").
func TestDoctorFindingSeverityMatchesItsCheck(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Options{Faults: []string{sandbox.FaultNoAuthTLS}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	r := doctor.Run(context.Background(), doctor.Options{Addr: srv.Addr, User: sandbox.DemoUser, Password: sandbox.DemoPassword,
		Catalog: testCatalog, ConnectTimeout: time.Second, ReplyTimeout: 5 * time.Second}, nil)
	var tls *doctor.Check
	for _, c := range r.Checks {
		if len(c.Findings) > 0 && c.Findings[0].ID == "auth-tls-not-offered" {
			tls = c
		}
	}
	if tls == nil || tls.Verdict != doctor.Warning {
		var b strings.Builder
		r.WriteText(&b)
		t.Fatalf("no TLS check ended as a warning with auth-tls-not-offered:\n%s", b.String())
	}
	m := newTestModel(160, 45)
	m.showDoctorCheck(tls)
	pane := strings.Join(m.paneLines(), "\n")
	if !strings.Contains(pane, "warning: The server does not offer TLS") || strings.Contains(pane, "error: The server does not offer TLS") {
		t.Errorf("the transcript should show the finding as the check's warning:\n%s", pane)
	}
	var panel []string
	for _, fs := range m.findings.byReply {
		panel = append(panel, renderFindings(fs, 60, m.styles)...)
	}
	text := ansi.Strip(strings.Join(panel, "\n"))
	if !strings.Contains(text, "? warning: ") || strings.Contains(text, "? error: ") {
		t.Errorf("the side panel should show the finding as the check's warning:\n%s", text)
	}
}

// TestErrorDetailsApart: an error whose plain words leave out Go's (here
// a read error ftpscope does not recognise) reads in plain words, with
// Go's on a "details" line of its own, never glued in.
func TestErrorDetailsApart(t *testing.T) {
	err := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("message too long")}
	m := apply(newTestModel(160, 45), append(loginSession(), protocol.Event{Kind: protocol.EventError, Line: err.Error(), Err: err})...)
	pane := strings.Join(m.paneLines(), "\n")
	if !strings.Contains(pane, "reading from the server failed: check the network connection and connect again\n") {
		t.Errorf("the error line should be in plain words alone:\n%s", pane)
	}
	if !strings.Contains(pane, "details: read tcp: message too long") {
		t.Errorf("Go's words should follow on a details line:\n%s", pane)
	}
}
