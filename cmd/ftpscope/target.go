package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/ftpscope/ftpscope/protocol"
)

// serverChoice is what run and doctor are told to talk to: a URL, or
// --sandbox, with the TLS and timeout flags that go with it.
type serverChoice struct {
	// command names the subcommand in messages ("run", "doctor").
	command string
	url     string
	sandbox bool
	tls     bool
	// connectTimeout and replyTimeout must be positive.
	connectTimeout, replyTimeout time.Duration
}

// target checks the choice and parses the URL. With --sandbox it returns
// the zero Target. Every error is a usageError, found before connecting.
func (c serverChoice) target() (protocol.Target, error) {
	var target protocol.Target
	switch {
	case c.sandbox && c.url != "":
		return target, usageError{errors.New("give either a URL or --sandbox, not both")}
	case !c.sandbox && c.url == "":
		return target, usageError{fmt.Errorf("%s needs a server: give a URL such as ftp://127.0.0.1:2121, or --sandbox for the embedded one", c.command)}
	case c.connectTimeout <= 0 || c.replyTimeout <= 0:
		return target, usageError{errors.New("--connect-timeout and --reply-timeout take a positive duration, such as 10s or 1m")}
	case c.sandbox:
		return target, nil
	}
	target, err := protocol.ParseTarget(c.url)
	if err != nil {
		return target, usageError{err}
	}
	if c.tls && target.ImplicitTLS {
		return target, usageError{errTLSWithFTPS}
	}
	return target, nil
}

// errTLSWithFTPS refuses --tls with an ftps:// URL, which would otherwise
// ignore --tls.
var errTLSWithFTPS = errors.New("--tls asks for explicit TLS (AUTH TLS) but ftps:// already means implicit TLS: use one of them")
