package protocol

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ftpscope/ftpscope/internal/badserver"
)

// TestStallPastThePreview: a server that sends a few MiB and then
// nothing. The bytes past the preview move by other means than reads on
// Linux (bulk.go); the stall must be declared, and every byte counted
// and saved, as on the ordinary path.
func TestStallPastThePreview(t *testing.T) {
	const sent = 3<<20 + 12345
	for _, save := range []bool{false, true} {
		t.Run(fmt.Sprintf("saved=%v", save), func(t *testing.T) {
			c, events := hostile(t, badserver.SendThenStall(sent), Config{ReplyTimeout: 300 * time.Millisecond})
			if _, err := c.Greeting(context.Background()); err != nil {
				t.Fatal(err)
			}
			expect(t, c, "PASV", 227)
			line, local := "RETR big.bin", ""
			if save {
				local = filepath.Join(t.TempDir(), "big.bin")
				line += " > " + local
			}
			x, err := c.Do(context.Background(), line)
			if err != nil || x.Final == nil || x.Final.Code != 426 {
				t.Fatalf("RETR: %v, want the server's 426", err)
			}
			if x.Data == nil || x.Data.Bytes != sent || !isStall(x.Data.Err) {
				t.Fatalf("the data connection ended with %+v, want %d bytes and a stall", x.Data, sent)
			}
			want := badserver.Pattern(sent)
			if string(x.Data.Preview) != string(want[:PreviewSize]) {
				t.Errorf("the preview is not the first %d bytes sent", PreviewSize)
			}
			if !save {
				return
			}
			// Nothing was there before, so the incomplete file is kept
			// for resuming, and says how long it is.
			checkFile(t, local, want)
			if x.Saved == nil || !x.Saved.Saved || !strings.Contains(x.Saved.Err.Error(), "no data moved") {
				t.Errorf("the saved report is %+v, want the incomplete file kept", x.Saved)
			}
			// The REST it advises must be the file's true length.
			said := ""
			for _, ev := range *events {
				if ev.Data != nil && ev.Data.Phase == DataSaved {
					said = ev.Line
				}
			}
			if wantRest := fmt.Sprintf("send REST %d,", sent); !strings.Contains(said, wantRest) {
				t.Errorf("the saved event says %q, want %q in it", said, wantRest)
			}
		})
	}
}
