package doctor

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		name, in string
		width    int
		want     string
	}{
		{"short lines stay", "ok       Login (1ms): logged in\n", 40, "ok       Login (1ms): logged in\n"},
		{"a verdict line continues under its text",
			"PROBLEM  Passive mode (5s): the data connection was never answered\n", 40,
			"PROBLEM  Passive mode (5s): the data\n         connection was never answered\n"},
		{"a detail continues after its mark",
			"         · data connection 127.0.0.1:1 → 127.0.0.1:2: opened in 1ms\n", 40,
			"         · data connection 127.0.0.1:1 →\n           127.0.0.1:2: opened in 1ms\n"},
		{"a fix line keeps its indent",
			"             fix: use passive mode instead of active mode here\n", 40,
			"             fix: use passive mode\n             instead of active mode here\n"},
		{"a long word is cut",
			"         · SHA-256 AB:FC:2A:66:6F:5C:BE:1A:E1:CA:79:C2:FC\n", 30,
			"         · SHA-256\n           AB:FC:2A:66:6F:5C:B\n           E:1A:E1:CA:79:C2:FC\n"},
		{"the header warning", "! the password will be sent in clear text over the network\n", 30,
			"! the password will be sent in\n  clear text over the network\n"},
		{"too narrow to wrap", "ok       Login: logged in as someone\n", 10, "ok       Login: logged in as someone\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Wrap(tt.in, tt.width)
			if got != tt.want {
				t.Errorf("Wrap(%d):\n%s\nwant:\n%s", tt.width, got, tt.want)
			}
			if tt.width >= 20 {
				for _, line := range strings.Split(got, "\n") {
					if ansi.StringWidth(line) > tt.width {
						t.Errorf("line wider than %d: %q", tt.width, line)
					}
				}
			}
		})
	}
}
