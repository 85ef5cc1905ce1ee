package protocol

// Where the time goes when a connection opens: the name lookup, the TCP
// connect, the TLS handshake and the wait for the greeting, and for each
// data connection the time to open it and to its first byte. A slow login
// is a slow name server as often as a slow FTP server; this says which.

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// ConnectInfo describes an opened control connection, on an EventConnect.
type ConnectInfo struct {
	// Host is the host as given (a name or an address literal).
	Host string
	// Addresses are the addresses the name resolved to, in the order
	// tried; just the literal for an address.
	Addresses []string
	// Remote and Local are the connection's two ends.
	Remote, Local string
	// Lookup is the time the name lookup took (0 for an address literal),
	// and Connect the TCP handshake with the address that answered.
	Lookup, Connect time.Duration
	// Client names the program that opened the connection when it was
	// not ftpscope: the tool a recording comes from ("curl", "lftp",
	// "FileZilla"), or "client" when the recording (a server's log, a
	// capture) does not say which. Empty for ftpscope's own connections.
	Client string
}

// Timing is the timing breakdown of a session so far, kept in
// SessionState.Timing. A zero duration means "did not happen (yet)".
type Timing struct {
	// Lookup, Connect: as in ConnectInfo.
	Lookup, Connect time.Duration
	// TLS is the control connection's handshake (implicit, or after 234).
	TLS time.Duration
	// Greeting is the time from the TCP connection to the greeting's
	// last line (it includes an implicit TLS handshake).
	Greeting time.Duration
	// Addresses are the addresses the name resolved to.
	Addresses []string
	// Data holds, per data connection, the newest last.
	Data []DataTiming
}

// DataTiming is the timing of one data connection.
type DataTiming struct {
	// Seq and Verb name the transfer command.
	Seq  int
	Verb string
	// Open is the time to open the connection: the TCP connect in passive
	// mode, the wait for the server's connection in active mode.
	Open time.Duration
	// TLS is the data connection's TLS handshake, 0 in clear.
	TLS time.Duration
	// FirstByte is the time from the connection's opening to the first
	// byte received (downloads), 0 when none came.
	FirstByte time.Duration
	// Total is the connection's whole life, once closed.
	Total time.Duration
	// Bytes moved, once closed.
	Bytes int64
}

// String is the breakdown in one line, such as "lookup 1.2ms, connect
// 0.3ms, TLS 4ms, greeting 2ms".
func (t Timing) String() string {
	s := "no name lookup"
	if t.Lookup > 0 {
		s = "lookup " + ShortDuration(t.Lookup)
	}
	s += ", connect " + ShortDuration(t.Connect)
	if t.TLS > 0 {
		s += ", TLS " + ShortDuration(t.TLS)
	}
	if t.Greeting > 0 {
		s += ", greeting " + ShortDuration(t.Greeting)
	}
	return s
}

// String is one data connection's timing in one line.
func (d DataTiming) String() string {
	name := fmt.Sprintf("%s (command %d)", d.Verb, d.Seq)
	if d.Seq == 0 {
		// A recording can show a data connection without the command
		// that opened it (sent on an encrypted control connection).
		name = "a transfer whose command is not known"
	}
	s := name + ": open " + ShortDuration(d.Open)
	if d.TLS > 0 {
		s += ", TLS " + ShortDuration(d.TLS)
	}
	if d.FirstByte > 0 {
		s += ", first byte " + ShortDuration(d.FirstByte)
	}
	if d.Total > 0 {
		s += fmt.Sprintf(", %d bytes in %s", d.Bytes, ShortDuration(d.Total))
	}
	return s
}

// ShortDuration writes d with three significant digits: "1.25ms", "312µs".
func ShortDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0"
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case d < time.Second:
		return d.Round(10 * time.Microsecond).String()
	default:
		return d.Round(time.Millisecond).String()
	}
}

// dialTimed opens a TCP connection to addr (host:port), timing the name
// lookup and the connect apart. A name is looked up first, then each
// address is tried in turn until one answers, as net.Dial does; errors
// keep their types (*net.DNSError, *net.OpError).
func dialTimed(ctx context.Context, addr string) (net.Conn, *ConnectInfo, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, nil, err
	}
	info := &ConnectInfo{Host: host}
	var ips []net.IP
	if ip := net.ParseIP(host); ip != nil {
		ips = []net.IP{ip}
	} else {
		start := time.Now()
		found, err := net.DefaultResolver.LookupIPAddr(ctx, host)
		info.Lookup = time.Since(start)
		if err != nil {
			return nil, info, err
		}
		for _, a := range found {
			ips = append(ips, a.IP)
		}
	}
	var d net.Dialer
	var errs []error
	for _, ip := range ips {
		target := net.JoinHostPort(ip.String(), port)
		info.Addresses = append(info.Addresses, target)
		start := time.Now()
		conn, err := d.DialContext(ctx, "tcp", target)
		if err != nil {
			errs = append(errs, err)
			if ctx.Err() != nil {
				break
			}
			continue
		}
		info.Connect = time.Since(start)
		info.Remote, info.Local = conn.RemoteAddr().String(), conn.LocalAddr().String()
		return conn, info, nil
	}
	if len(errs) == 0 {
		return nil, info, &net.DNSError{Err: "no address found", Name: host, IsNotFound: true}
	}
	if len(errs) == 1 {
		return nil, info, errs[0]
	}
	return nil, info, errors.Join(errs...)
}

// observeTiming adds what an event tells about timing to st.
func (st *SessionState) observeTiming(ev *Event, connectedAt time.Time) {
	t := &st.Timing
	switch ev.Kind {
	case EventConnect:
		if ev.Connect != nil {
			t.Lookup, t.Connect, t.Addresses = ev.Connect.Lookup, ev.Connect.Connect, ev.Connect.Addresses
		}
	case EventTLS:
		if ev.TLS == nil || ev.TLS.NeedsDecision {
			return
		}
		if !ev.TLS.Data {
			t.TLS = ev.TLS.Handshake
			return
		}
		if d := st.dataTiming(ev.Seq, ""); d != nil {
			d.TLS = ev.TLS.Handshake
		}
	case EventReply:
		if ev.Verb == GreetingVerb && t.Greeting == 0 && !connectedAt.IsZero() && ev.Reply != nil && ev.Reply.Class() != 1 {
			t.Greeting = ev.Time.Sub(connectedAt)
		}
	case EventData:
		if ev.Data == nil {
			return
		}
		d := st.dataTiming(ev.Seq, cmp.Or(ev.Data.Verb, "data"))
		switch ev.Data.Phase {
		case DataOpened:
			d.Open = ev.Data.OpenTime
		case DataClosed:
			if d.Open == 0 {
				d.Open = ev.Data.OpenTime
			}
			d.FirstByte, d.Total, d.Bytes = ev.Data.FirstByte, ev.Data.Elapsed, ev.Data.Bytes
		}
	}
}

// dataTiming returns the timing of transfer seq, adding it when new.
// The slice is copied first: states attached to earlier events share it.
func (st *SessionState) dataTiming(seq int, verb string) *DataTiming {
	data := append([]DataTiming(nil), st.Timing.Data...)
	st.Timing.Data = data
	for i := range data {
		if data[i].Seq == seq {
			return &data[i]
		}
	}
	if verb == "" {
		return nil
	}
	const keep = 32 // the newest transfers are the ones asked about
	if len(data) >= keep {
		data = append(data[:0:0], data[len(data)-keep+1:]...)
	}
	st.Timing.Data = append(data, DataTiming{Seq: seq, Verb: verb})
	return &st.Timing.Data[len(st.Timing.Data)-1]
}
