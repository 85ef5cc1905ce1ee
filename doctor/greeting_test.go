package doctor

import (
	"context"
	"slices"
	"testing"

	"github.com/ftpscope/ftpscope/sandbox"
)

// TestImplicitTLSOnAPlainPortIsOneProblem runs doctor with ftps://
// against the sandbox's plain FTP port: the connection works, so
// reachability is OK with no finding; the greeting that came in clear
// text is the problem, and its finding is reported once, there (it was
// reported under both, reachability marked PROBLEM).
func TestImplicitTLSOnAPlainPortIsOneProblem(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatalf("start the sandbox: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	opts, _ := startSandbox(t)
	opts.Addr, opts.ImplicitTLS = srv.Addr, true
	r := Run(context.Background(), opts, nil)
	reach, greet := check(r, checkConnect), check(r, checkGreeting)
	if reach == nil || greet == nil {
		t.Fatalf("checks %v, want reachability and greeting", verdicts(r))
	}
	if reach.Verdict != OK || len(reach.Findings) != 0 {
		t.Errorf("reachability: %s with findings %v, want ok with none\n%s", reach.Verdict, findingIDs(reach), text(t, r))
	}
	if greet.Verdict != Problem || !slices.Equal(findingIDs(greet), []string{"implicit-tls-on-explicit-port"}) {
		t.Errorf("greeting: %s with findings %v, want a problem with implicit-tls-on-explicit-port\n%s", greet.Verdict, findingIDs(greet), text(t, r))
	}
	if r.Problems() != 1 {
		t.Errorf("%d problems counted, want 1: %s", r.Problems(), r.Conclusion())
	}
}
