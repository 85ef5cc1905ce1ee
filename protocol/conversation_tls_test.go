package protocol

import (
	"context"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/internal/badserver"
)

// TestAUTHWithoutTLSDoesNotWaitForAHandshake: a 334 to AUTH GSSAPI asks
// for ADAT, it starts no TLS; Do returns with the reply instead of waiting
// for a handshake that never comes (the Effect decides, as everywhere).
func TestAUTHWithoutTLSDoesNotWaitForAHandshake(t *testing.T) {
	c, _ := hostile(t, func(c *badserver.Conn) {
		badserver.Greet(c)
		badserver.Serve(c, badserver.Handlers{"AUTH": func(c *badserver.Conn, _ string) { c.Lines("334 ADAT=Y29udGludWU=") }})
	}, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Greeting(ctx); err != nil {
		t.Fatal(err)
	}
	x, err := c.Do(ctx, "AUTH GSSAPI")
	if err != nil || x.Final == nil || x.Final.Code != 334 {
		t.Fatalf("AUTH GSSAPI: %v, final %v; want the 334 at once", err, x.Final)
	}
	if x.startsTLS() {
		t.Error("a 334 to AUTH GSSAPI is read as starting TLS")
	}
}
