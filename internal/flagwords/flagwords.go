// Package flagwords words pflag's parse errors like ftpscope's other
// usage mistakes: one sentence saying what was wrong and what to type,
// for the subcommands and for the terminal UI's local commands, which
// parse the same flags (pflag's own "flag needs an argument: --after"
// reads like Go, not like ftpscope).
package flagwords

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/spf13/pflag"
)

// plainError is a pflag error in plain words; it wraps pflag's error, so
// errors.As still finds it.
type plainError struct {
	text string
	err  error
}

func (e *plainError) Error() string { return e.text }
func (e *plainError) Unwrap() error { return e.err }

// Plain returns err in plain words when it is one of pflag's parse
// errors, and err unchanged otherwise.
func Plain(err error) error {
	var (
		required *pflag.ValueRequiredError
		invalid  *pflag.InvalidValueError
		unknown  *pflag.NotExistError
	)
	switch {
	case errors.As(err, &required) && required.GetFlag() != nil:
		f := required.GetFlag()
		return &plainError{text: fmt.Sprintf("--%s needs a value: type it as --%s %s", f.Name, f.Name, valueName(f)), err: err}
	case errors.As(err, &invalid) && invalid.GetFlag() != nil:
		f := invalid.GetFlag()
		return &plainError{text: fmt.Sprintf("--%s %q: %s", f.Name, invalid.GetValue(), why(invalid)), err: err}
	case errors.As(err, &unknown) && unknown.GetSpecifiedShortnames() == "":
		return &plainError{text: fmt.Sprintf("there is no flag --%s", unknown.GetSpecifiedName()), err: err}
	}
	return err
}

// why says why a value was refused: a number's mistake in words (pflag
// passes on strconv's "strconv.ParseInt: parsing …"), else the flag's own.
func why(invalid *pflag.InvalidValueError) string {
	var num *strconv.NumError
	switch {
	case invalid.GetFlag().Value.Type() == "bool":
		return "give true or false"
	case errors.As(invalid, &num) && errors.Is(num.Err, strconv.ErrRange):
		return "the number is out of range"
	case errors.As(invalid, &num):
		return "give a whole number"
	case errors.Unwrap(invalid) != nil:
		return errors.Unwrap(invalid).Error()
	}
	return "not a valid value"
}

// valueName is what a flag's value is called in its help: the `NAME` of
// its usage text, else its type.
func valueName(f *pflag.Flag) string {
	if name, _ := pflag.UnquoteUsage(f); name != "" {
		return name
	}
	return "VALUE"
}
