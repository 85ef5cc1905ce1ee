package main

import (
	"errors"
	"strconv"
)

// splitFlag is --split: the side panel's share of a wide screen, in
// percent, or 0 to hide it. Unset, the remembered layout applies, so the
// flag has no default of its own to show in --help (an int flag would show
// the sentinel it needs to tell "not given" apart).
type splitFlag struct {
	percent int
	set     bool
}

// String is the value given, or "" when none was: --help shows no default.
func (s *splitFlag) String() string {
	if !s.set {
		return ""
	}
	return strconv.Itoa(s.percent)
}

// Set takes a percent; the range is checked with the other flags, so that
// its mistake reads like theirs.
func (s *splitFlag) Set(v string) error {
	n, err := strconv.Atoi(v)
	if err != nil {
		return errors.New("give a whole number of percent, from 20 to 75, or 0 to hide the panel")
	}
	s.percent, s.set = n, true
	return nil
}

// Type names the value in pflag's messages.
func (s *splitFlag) Type() string { return "int" }
