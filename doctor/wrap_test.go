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
		{"a fingerprint breaks after its colons, each pair whole",
			"         · SHA-256 AB:FC:2A:66:6F:5C:BE:1A:E1:CA:79:C2:FC\n", 30,
			"         · SHA-256 AB:FC:2A:\n           66:6F:5C:BE:1A:E1:\n           CA:79:C2:FC\n"},
		{"a whole fingerprint at 80 columns",
			"    SHA-256 98:CD:59:71:74:D5:F0:7B:AF:A9:D7:11:88:E2:93:14:95:8F:F9:34:4B:09:1E:BC:EF:94:6E:7F:16:78:E2:29\n", 80,
			"    SHA-256 98:CD:59:71:74:D5:F0:7B:AF:A9:D7:11:88:E2:93:14:95:8F:F9:34:4B:09:\n    1E:BC:EF:94:6E:7F:16:78:E2:29\n"},
		{"a long word without colons is cut",
			"         · ABCDEFGHIJKLMNOPQRSTUVWXYZ\n", 30,
			"         ·\n           ABCDEFGHIJKLMNOPQRS\n           TUVWXYZ\n"},
		{"a finding's fix continues under its text",
			"?   fix: connect to 127.0.0.1 instead, as FileZilla does\n", 40,
			"?   fix: connect to 127.0.0.1 instead,\n    as FileZilla does\n"},
		{"an error continues after its mark",
			"✗ the connection to 127.0.0.1:2121 was refused: nothing is listening there\n", 40,
			"✗ the connection to 127.0.0.1:2121 was\n  refused: nothing is listening there\n"},
		{"the header warning", "! the password will be sent in clear text over the network\n", 30,
			"! the password will be sent in\n  clear text over the network\n"},
		{"a sentence continues at its own indent",
			"All finished. Play one again with ftpscope learn NAME or NUMBER.\n", 40,
			"All finished. Play one again with\nftpscope learn NAME or NUMBER.\n"},
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

func TestWrapCommand(t *testing.T) {
	curl := "      curl --ssl-reqd --cacert /tmp/ftpscope-serve-3411096356.pem ftp://127.0.0.1:43029/"
	tests := []struct {
		name, in string
		width    int
		want     string
	}{
		{"a short command stays", "  ftpscope 127.0.0.1:2121", 80, "  ftpscope 127.0.0.1:2121"},
		{"a long one continues as a shell continues it", curl, 80,
			"      curl --ssl-reqd --cacert /tmp/ftpscope-serve-3411096356.pem \\\n        ftp://127.0.0.1:43029/"},
		{"narrower", curl, 40,
			"      curl --ssl-reqd --cacert \\\n        /tmp/ftpscope-serve-3411096356.pem \\\n        ftp://127.0.0.1:43029/"},
		{"a word longer than the width stays whole", "  ls /a/very/long/path/that/does/not/fit", 20,
			"  ls \\\n    /a/very/long/path/that/does/not/fit"},
		{"too narrow to wrap", curl, 10, curl},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := WrapCommand(tt.in, tt.width)
			if got != tt.want {
				t.Errorf("WrapCommand(%d):\n%s\nwant:\n%s", tt.width, got, tt.want)
			}
			// Joined as a shell joins continued lines, it is the command.
			joined := strings.Join(strings.Fields(strings.ReplaceAll(got, "\\\n", " ")), " ")
			if joined != strings.Join(strings.Fields(tt.in), " ") {
				t.Errorf("the wrapped command runs as %q", joined)
			}
		})
	}
}
