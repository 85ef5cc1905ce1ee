package main

import (
	"strings"
	"testing"
)

// TestRunJSONWarningsCarryTheirCommand checks that the warning before a
// transfer in clear text on a protected connection (no PROT P) carries
// the seq of the transfer it is about.
func TestRunJSONWarningsCarryTheirCommand(t *testing.T) {
	script := "USER demo\nPASS demo\nEPSV\nLIST\nQUIT\n"
	res := runInProcess(t, script, "--json", "--tls", "--allow-failures", "--sandbox")
	objs := decodeJSONLines(t, res.stdout)
	listSeq := -1.0
	for _, o := range ofKind(objs, "send") {
		if o["line"] == "LIST" {
			listSeq, _ = o["seq"].(float64)
		}
	}
	var found bool
	for _, o := range ofKind(objs, "warning") {
		line, _ := o["line"].(string)
		if !strings.Contains(line, "PROT P was not sent") {
			continue
		}
		found = true
		if seq, _ := o["seq"].(float64); seq != listSeq || seq <= 0 {
			t.Errorf("the PROT P warning has seq %v, want LIST's %v", o["seq"], listSeq)
		}
	}
	if !found {
		t.Fatalf("no warning about PROT P:\n%s", res.stdout)
	}
}
