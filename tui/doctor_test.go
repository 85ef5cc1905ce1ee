package tui

import (
	"context"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ftpscope/ftpscope/doctor"
	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
)

// TestTeaDoctor runs :doctor against a sandbox announcing a wrong passive
// address: the checks appear as they end, the session goes on, and the
// reply behind the finding explains it at the top of the side panel.
func TestTeaDoctor(t *testing.T) {
	srv, target := startSandbox(t, sandbox.Options{TLS: true, Faults: []string{sandbox.FaultNAT}})
	m := New(Options{
		Catalog: testCatalog,
		Connect: dialWith(protocol.Config{RootCAs: srv.Cert.Pool()}),
		Target:  target,
		Doctor: func(ctx context.Context, t protocol.Target, progress func(doctor.Progress)) *doctor.Report {
			return doctor.Run(ctx, doctor.Options{
				Addr: t.Addr(), RootCAs: srv.Cert.Pool(), User: sandbox.DemoUser, Password: sandbox.DemoPassword,
				Catalog: testCatalog, ConnectTimeout: time.Second, ReplyTimeout: 5 * time.Second,
			}, progress)
		},
	})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(160, 45))
	waitForText(t, tm, "Service ready")
	typeLine(tm, ":doctor")
	waitForText(t, tm, "doctor: no problem found")
	// The session itself is untouched: it still answers.
	typeLine(tm, "NOOP")
	waitForText(t, tm, "< 200")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	for _, want := range []string{
		"doctor: checking", "doctor warning Passive mode with PASV", "227 Entering Passive Mode (127,0,0,2,",
		"announced 127.0.0.2 for the data connection", "doctor: no problem found, 1 warning",
	} {
		if _, ok := final.transcript.Search(want, -1, true); !ok {
			t.Errorf("the transcript lacks %q:\n%s", want, screen(final))
		}
	}
	if final.state.user != "" {
		t.Errorf("doctor's login leaked into the session's state: user %q", final.state.user)
	}
	// The 227 that caused the finding carries it, for the side panel.
	var found bool
	for key, fs := range final.findings.byReply {
		if r := final.transcript.eventByKey(key).Reply; r != nil && r.Code == 227 && len(fs) > 0 && fs[0].ID == "passive-address-foreign" {
			found = true
		}
	}
	if !found {
		t.Errorf("no finding is tied to the doctor's 227 reply")
	}
}
