package protocol

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ftpscope/ftpscope/internal/badserver"
)

// openFiles counts this process's file descriptors open on path (Linux).
func openFiles(t *testing.T, path string) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd on this system")
	}
	n := 0
	for _, fd := range fds {
		if target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name())); err == nil && target == path {
			n++
		}
	}
	return n
}

// TestSendRacingCloseLosesNothing sends commands, uploads among them,
// while the session closes, many times over. Every command Send accepted
// must be reported, as sent or as refused, before the EventClose, and no
// upload's file may stay open. Run it with -race.
func TestSendRacingCloseLosesNothing(t *testing.T) {
	srv := badserver.Start(t, func(c *badserver.Conn) { badserver.Greet(c); badserver.Serve(c, nil) })
	local := filepath.Join(t.TempDir(), "upload.txt")
	if err := os.WriteFile(local, []byte("data\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	iterations := 300
	if testing.Short() {
		iterations = 50
	}
	for i := 0; i < iterations; i++ {
		s := Dial(Config{Addr: srv.Addr})
		c := &collector{t: t, s: s}
		c.reply(GreetingVerb)
		accepted := 0
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			for j := 0; j < 8; j++ {
				line := "NOOP"
				if j%2 == 1 {
					line = "STOR up.txt < " + local
				}
				if s.Send(line) == nil {
					accepted++
				}
			}
		}()
		go func() {
			defer wg.Done()
			s.Close()
		}()
		wg.Wait()
		<-s.Done()
		c.events = append(c.events, s.Events().Drain()...)
		reported, closed := 0, false
		for _, ev := range c.events {
			switch {
			case closed:
				t.Fatalf("iteration %d: an event after the close: %s %s", i, ev.Kind, ev.Line)
			case ev.Kind == EventClose:
				closed = true
			case ev.Kind == EventSend, ev.Kind == EventError && ev.Refused:
				reported++
			}
		}
		if reported != accepted {
			t.Fatalf("iteration %d: Send accepted %d commands, %d were reported sent or refused:\n%s", i, accepted, reported, dump(c.events))
		}
		if n := openFiles(t, local); n != 0 {
			t.Fatalf("iteration %d: %d descriptors still open on the upload's file", i, n)
		}
	}
}
