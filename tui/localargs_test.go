package tui

import (
	"strings"
	"testing"
)

// TestLocalCommandsTakeTheSubcommandsArguments checks that :explain and
// :compare take what ftpscope explain and ftpscope compare take (the
// same cases are in cmd/ftpscope's TestSubcommandsTakeTheLocalArguments).
func TestLocalCommandsTakeTheSubcommandsArguments(t *testing.T) {
	tests := []struct {
		line  string
		panel string // the panel's document, when the line works
		err   string // in the newest transcript line, when it does not
	}{
		{line: ":explain 550 --after CWD", panel: "550 after CWD"},
		{line: ":explain --after=cwd 550", panel: "550 after CWD"},
		{line: ":explain USER PASV", panel: "USER PASV"},
		{line: ":explain 331 --width 60", panel: "331"},
		{line: ":explain AUTH TLS", panel: "AUTH TLS"},
		{line: ":explain 550 --after NOPE", err: `"NOPE" is neither a reply code nor a command`},
		{line: ":explain 550 --bogus", err: "there is no flag --bogus"},
		{line: ":explain --after CWD", err: "usage: :explain CODE|COMMAND... [--after COMMAND]"},
		{line: ":compare 10060 421", panel: "compare 10060 421"},
		{line: ":compare 450 550 --width 60", panel: "compare 450 550"},
		{line: ":compare 4 5", err: `"4" is not a reply code`},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			m := newTestModel(160, 45)
			before := m.transcript.Len()
			m = press(m, "type:"+tt.line, "enter")
			if tt.err != "" {
				if got := lastLine(m); !strings.Contains(got, tt.err) {
					t.Errorf("last line %q, want it to contain %q", got, tt.err)
				}
				return
			}
			if m.transcript.Len() != before {
				t.Errorf("the line added %q", lastLine(m))
			}
			if m.panel.docName != tt.panel {
				t.Errorf("the panel shows %q, want %q", m.panel.docName, tt.panel)
			}
		})
	}
}

// TestExplainSeveralNames checks that :explain shows several entries one
// after the other.
func TestExplainSeveralNames(t *testing.T) {
	m := press(newTestModel(160, 45), "type::explain 202 331", "enter")
	panel := screen(m)
	for _, want := range []string{"202 Command superfluous", "331 User name okay, need password"} {
		if !strings.Contains(panel, want) {
			t.Errorf("the panel lacks %q:\n%s", want, panel)
		}
	}
}

// TestConnectSaysFlagsAreTheProgramsOwn checks that :connect --tls URL
// says why the flag is not taken, instead of a bare usage line.
func TestConnectSaysFlagsAreTheProgramsOwn(t *testing.T) {
	m := press(newTestModel(160, 45), "type::connect --tls ftp://127.0.0.1:2121", "enter")
	if got := lastLine(m); !strings.Contains(got, "--tls is a flag of ftpscope itself, given when it starts") {
		t.Errorf("last line %q", got)
	}
}
