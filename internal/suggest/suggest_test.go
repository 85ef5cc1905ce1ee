package suggest

import (
	"slices"
	"testing"
)

// faults are the sandbox's fault names, the longest list Unknown words.
var faults = []string{"no-pasv", "nat", "refuse-data", "drop-data", "abort-transfer", "silent-transfer",
	"unanswered-pasv-port", "slow", "max-connections", "require-tls", "require-tls-reuse", "no-auth-tls",
	"expired-cert", "untrusted-cert", "disk-full", "quota-exceeded", "file-busy", "idle-timeout"}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"nat", "nat", 0},
		{"NAT", "nat", 0},
		{"natt", "nat", 1},
		{"hlep", "help", 1}, // two neighbours swapped
		{"retrr", "RETR", 1},
		{"", "abc", 3},
		{"abc", "", 3},
		{"kitten", "sitting", 3},
		{"ca", "abc", 3}, // optimal string alignment: no edit of a swapped pair
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (the other way round)", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestClose(t *testing.T) {
	tests := []struct {
		word       string
		candidates []string
		want       []string
	}{
		{"natt", faults, []string{"nat"}},
		{"requre-tls", faults, []string{"require-tls"}},
		{"require-tls-resue", faults, []string{"require-tls-reuse"}},
		{"expired", faults, []string{"expired-cert"}}, // the one name it begins
		{"require", faults, nil},                      // begins two
		{"nosuch", faults, nil},                       // close to nothing
		{"x", faults, nil},                            // too short to begin a name
		{"slwo", faults, []string{"slow"}},            // swapped
		{"logn", []string{"login", "where", "listing"}, []string{"login"}},
		{":hlep", []string{":help", ":hint"}, []string{":help"}},
		{":lesson", []string{":help", ":log", ":save"}, nil},
		{"ab", []string{"ac", "ad", "ae"}, []string{"ac", "ad"}}, // ties: two at most
	}
	for _, tt := range tests {
		if got := Close(tt.word, tt.candidates); !slices.Equal(got, tt.want) {
			t.Errorf("Close(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestUnknown(t *testing.T) {
	tests := []struct {
		kind, name, list string
		want             string
	}{
		{"fault", "natt", ":fault alone lists them", `there is no fault named "natt" (did you mean nat?); :fault alone lists them`},
		{"fault", "nosuch", ":fault alone lists them", `there is no fault named "nosuch"; :fault alone lists them`},
		{"fault", "no\x1b[2Jsuch", "", `there is no fault named "no\x1b[2Jsuch"`},
	}
	for _, tt := range tests {
		if got := Unknown(tt.kind, tt.name, faults, tt.list); got != tt.want {
			t.Errorf("Unknown(%q, %q)\n got %s\nwant %s", tt.kind, tt.name, got, tt.want)
		}
	}
}

func TestNearest(t *testing.T) {
	got := Nearest("retrr", []string{"USER", "RETR", "REST", "STOR"}, 2)
	if want := []string{"RETR", "REST"}; !slices.Equal(got, want) {
		t.Errorf("Nearest(retrr) = %q, want %q", got, want)
	}
}
