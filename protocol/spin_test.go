package protocol

import (
	"net"
	"testing"
	"time"
)

// TestSpinGate checks when a download counts as fast enough to spin: only
// after a whole period at spinMinRate or more, and no longer after the
// first period below it.
func TestSpinGate(t *testing.T) {
	start := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return start.Add(d) }
	fastPeriod := int(spinMinRate * spinPeriod.Seconds()) // bytes in one period at spinMinRate
	type read struct {
		n    int
		at   time.Duration
		fast bool // after it
	}
	tests := []struct {
		name  string
		reads []read
	}{
		{"slow at first, however much comes at once", []read{{1 << 30, 0, false}, {1 << 30, spinPeriod / 2, false}}},
		{"fast after a whole period at the rate", []read{{fastPeriod / 2, 0, false}, {fastPeriod / 2, spinPeriod / 2, false}, {0, spinPeriod, true}}},
		{"not fast just under the rate", []read{{fastPeriod - 1, 0, false}, {0, spinPeriod, false}}},
		{"not fast after a slow period", []read{{fastPeriod, 0, false}, {1, spinPeriod, true}, {fastPeriod / 4, 2 * spinPeriod, false}}},
		{"a silence ends the speed", []read{{fastPeriod, 0, false}, {1, spinPeriod, true}, {fastPeriod, time.Second, false}}},
	}
	for _, tt := range tests {
		var g spinGate
		for i, r := range tt.reads {
			g.read(r.n, at(r.at))
			if g.fast != r.fast {
				t.Errorf("%s: after read %d (%d bytes at %v): fast %v, want %v", tt.name, i+1, r.n, r.at, g.fast, r.fast)
			}
		}
	}
}

// TestOnThisMachine: only a loopback peer shares this machine's CPUs.
func TestOnThisMachine(t *testing.T) {
	for _, tt := range []struct {
		addr net.Addr
		want bool
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 21}, true},
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 2), Port: 21}, true},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 21}, true},
		{&net.TCPAddr{IP: net.IPv4(192, 0, 2, 10), Port: 21}, false},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8::1"), Port: 21}, false},
		{&net.UnixAddr{Name: "/tmp/s", Net: "unix"}, false},
		{nil, false},
	} {
		if got := onThisMachine(tt.addr); got != tt.want {
			t.Errorf("onThisMachine(%v) = %v, want %v", tt.addr, got, tt.want)
		}
	}
}
