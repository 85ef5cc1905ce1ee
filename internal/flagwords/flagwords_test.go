package flagwords

import (
	"errors"
	"io"
	"testing"

	"github.com/spf13/pflag"
)

// TestPlain checks each of pflag's mistakes in plain words, and that an
// error that is not pflag's is left alone.
func TestPlain(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--after"}, "--after needs a value: type it as --after COMMAND"},
		{[]string{"--width"}, "--width needs a value: type it as --width int"},
		{[]string{"--width", "wide"}, `--width "wide": give a whole number`},
		{[]string{"--width", "99999999999999999999"}, `--width "99999999999999999999": the number is out of range`},
		{[]string{"--json=maybe"}, `--json "maybe": give true or false`},
		{[]string{"--bogus"}, "there is no flag --bogus"},
	}
	for _, tt := range tests {
		flags := pflag.NewFlagSet("test", pflag.ContinueOnError)
		flags.SetOutput(io.Discard)
		flags.String("after", "", "explain codes as replies to `COMMAND`")
		flags.Int("width", 0, "the width")
		flags.Bool("json", false, "JSON")
		err := flags.Parse(tt.args)
		if err == nil {
			t.Fatalf("%v: no error", tt.args)
		}
		got := Plain(err)
		if got.Error() != tt.want {
			t.Errorf("%v: %q, want %q (pflag said %q)", tt.args, got, tt.want, err)
		}
		if !errors.Is(got, err) {
			t.Errorf("%v: the plain error does not wrap pflag's", tt.args)
		}
	}
	other := errors.New("other")
	if Plain(other) != other {
		t.Error("an error that is not pflag's changed")
	}
}
