// Package goldentest compares test output with golden files in testdata/,
// for rendered screens and transcripts. Run the tests with -update to
// rewrite the files, then review the diff like code.
package goldentest

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Updating reports whether the test binary runs with -update. The flag is
// defined by the test package (or by teatest's golden package, which
// packages using teatest link), and looked up here rather than defined
// twice.
func Updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// Check compares got with testdata/name, or rewrites that file when the
// test runs with -update. On a difference it names the first line that
// differs and shows both versions of it.
func Check(t testing.TB, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if Updating() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read the golden file %s (run the tests with -update to create it): %v", path, err)
	}
	if got == string(want) {
		return
	}
	g, w := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Errorf("output differs from %s at line %d (run the tests with -update and review the diff)\n got: %q\nwant: %q\nwhole output:\n%s", path, i+1, gl, wl, got)
			return
		}
	}
}
