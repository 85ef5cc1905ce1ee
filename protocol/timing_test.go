package protocol

import (
	"errors"
	"net"
	"strconv"
	"testing"
	"time"
)

// greeter listens on 127.0.0.1 and greets each connection with 220.
func greeter(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Write([]byte("220 timing test\r\n"))
			t.Cleanup(func() { c.Close() })
		}
	}()
	return l.Addr().(*net.TCPAddr).Port
}

// TestConnectTimingByName checks that a host name is really looked up,
// and timed, before the connect: with "localhost" the lookup is measured
// and lists the addresses tried; with an address literal there is none.
func TestConnectTimingByName(t *testing.T) {
	port := strconv.Itoa(greeter(t))
	for _, tt := range []struct {
		host       string
		wantLookup bool
	}{{"localhost", true}, {"127.0.0.1", false}} {
		s := Dial(Config{Addr: net.JoinHostPort(tt.host, port), ReplyTimeout: 5 * time.Second})
		var connect *ConnectInfo
		var state *SessionState
		deadline := time.After(10 * time.Second)
	wait:
		for {
			select {
			case <-s.Events().Ready():
			case <-deadline:
				t.Fatalf("%s: no greeting", tt.host)
			}
			for _, ev := range s.Events().Drain() {
				if ev.Kind == EventConnect {
					connect = ev.Connect
				}
				if ev.Kind == EventReply && ev.Verb == GreetingVerb {
					state = ev.State
					break wait
				}
			}
		}
		s.Close()
		if connect == nil {
			t.Fatalf("%s: the connect event carries no ConnectInfo", tt.host)
		}
		if (connect.Lookup > 0) != tt.wantLookup || connect.Connect <= 0 || connect.Remote == "" {
			t.Errorf("%s: lookup %v, connect %v, remote %q; want a lookup: %v, a connect time and the remote address", tt.host, connect.Lookup, connect.Connect, connect.Remote, tt.wantLookup)
		}
		if tt.wantLookup && len(connect.Addresses) == 0 {
			t.Errorf("%s: no resolved address listed", tt.host)
		}
		if state.Timing.Connect != connect.Connect || state.Timing.Greeting <= 0 || state.Peer != connect.Remote {
			t.Errorf("%s: state timing %+v, peer %q; want the connect time, a greeting time and the peer", tt.host, state.Timing, state.Peer)
		}
	}
}

// TestDialTimedUnknownName checks that a name that does not resolve keeps
// the resolver's typed error, with the lookup still timed.
func TestDialTimedUnknownName(t *testing.T) {
	_, info, err := dialTimed(t.Context(), "no-such-host.invalid:21")
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) {
		t.Fatalf("error %v, want a *net.DNSError", err)
	}
	if info == nil || info.Lookup <= 0 {
		t.Errorf("lookup not timed: %+v", info)
	}
}

// TestDataTimingString checks the one-line timing of a data connection,
// also of one whose command a recording does not show (command 0).
func TestDataTimingString(t *testing.T) {
	tests := []struct {
		d    DataTiming
		want string
	}{
		{DataTiming{Seq: 6, Verb: "LIST", Open: 6 * time.Microsecond, Bytes: 257, Total: 208 * time.Microsecond},
			"LIST (command 6): open 6µs, 257 bytes in 208µs"},
		{DataTiming{Verb: "data", Open: 7 * time.Microsecond, Bytes: 1944, Total: 202 * time.Millisecond},
			"a transfer whose command is not known: open 7µs, 1944 bytes in 202ms"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}
