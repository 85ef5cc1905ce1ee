package recording

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/ftpscope/ftpscope/protocol"
)

// ftpscope's own JSON Lines, as `ftpscope run --json` prints and :save
// writes: one object per event, with "kind" and "time". Reply lines are
// read from "raw" (base64, the bytes exactly as received); a file written
// before "raw" existed has only the escaped "lines", which are kept as
// they are.

func jsonFormat() Format {
	return Format{
		Name:        "json",
		Description: "ftpscope JSON Lines (run --json, :save file.jsonl)",
		detect: func(head []byte) int {
			return scoreLines(head, 1, func(l string) bool {
				return bytes.HasPrefix([]byte(l), []byte(`{"kind":"`))
			})
		},
		parse: parseJSONLines,
	}
}

// jsonEvent holds the fields of every kind of object ftpscope writes.
type jsonEvent struct {
	Kind      string   `json:"kind"`
	Time      string   `json:"time"`
	Seq       int      `json:"seq"`
	Line      string   `json:"line"`
	Raw       any      `json:"raw"`
	Code      int      `json:"code"`
	Lines     []string `json:"lines"`
	Phase     string   `json:"phase"`
	Verb      string   `json:"verb"`
	Direction string   `json:"direction"`
	Bytes     *int64   `json:"bytes"`
	Local     string   `json:"local"`
	Remote    string   `json:"remote"`
	Protected bool     `json:"protected"`
	ElapsedMs float64  `json:"elapsed_ms"`
	Error     string   `json:"error"`
	Conn      string   `json:"connection"`
	Version   string   `json:"version"`
	Cipher    string   `json:"cipher"`
	Listing   []string `json:"listing"`
	// ListingRaw is the listing's bytes as received, when the file has
	// them (escaped lines cannot be turned back into bytes).
	ListingRaw []byte `json:"listing_raw"`
	// The timing breakdown: a data connection's, and the session's in
	// the object of kind "timing" written before each close.
	OpenMs      float64  `json:"open_ms"`
	FirstByteMs float64  `json:"first_byte_ms"`
	LookupMs    float64  `json:"lookup_ms"`
	ConnectMs   float64  `json:"connect_ms"`
	Addresses   []string `json:"addresses"`
	// Client names the program of a connect object, when not ftpscope.
	Client string `json:"client"`
}

// deref returns *n, or 0 for nil.
func deref(n *int64) int64 {
	if n == nil {
		return 0
	}
	return *n
}

// ms turns milliseconds as written into a duration.
func ms(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }

func parseJSONLines(r io.Reader, c *collector) error {
	lines := newLineReader(r)
	n := 1
	b := c.session("json 1")
	for {
		l, err := lines.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if len(bytes.TrimSpace([]byte(l))) == 0 {
			continue
		}
		var o jsonEvent
		if err := json.Unmarshal([]byte(l), &o); err != nil || o.Kind == "" {
			return &StopError{Line: lines.n, Reason: "is not one of ftpscope's JSON objects"}
		}
		t, _ := time.Parse(time.RFC3339Nano, o.Time)
		if o.Kind == string(protocol.EventConnect) && len(b.events) > 0 && b.events[len(b.events)-1].Kind == protocol.EventClose {
			n++
			b = c.session("json " + itoa(n))
		}
		switch protocol.EventKind(o.Kind) {
		case protocol.EventSend:
			line := o.Line
			var raw []byte
			if s, ok := o.Raw.(string); ok {
				if r, err := base64.StdEncoding.DecodeString(s); err == nil {
					raw, line = r, strings.TrimRight(string(r), "\r\n")
				}
			}
			b.send(t, line)
			if raw != nil {
				b.events[len(b.events)-1].Raw = maskedRaw(raw)
			}
		case protocol.EventReply:
			b.flush()
			r := &protocol.Reply{Code: o.Code, Lines: o.Lines}
			if raws, ok := o.Raw.([]any); ok && len(raws) == len(o.Lines) {
				r.Lines, r.Raw = make([]string, len(raws)), make([][]byte, len(raws))
				for i, v := range raws {
					s, _ := v.(string)
					raw, err := base64.StdEncoding.DecodeString(s)
					if err != nil {
						raw = []byte(o.Lines[i])
					}
					r.Raw[i] = raw
					r.Lines[i] = strings.TrimSuffix(strings.TrimSuffix(string(raw), "\n"), "\r")
				}
			}
			if len(r.Lines) == 0 {
				continue
			}
			b.reply(t, r)
		case protocol.EventData:
			b.add(protocol.Event{Kind: protocol.EventData, Time: t, Seq: o.Seq, Line: o.Line, Data: &protocol.DataInfo{
				Phase: o.Phase, Verb: o.Verb, Direction: o.Direction, Bytes: deref(o.Bytes), Local: o.Local, Remote: o.Remote,
				Uncounted: o.Bytes == nil && o.Phase == protocol.DataClosed,
				Protected: o.Protected, Elapsed: ms(o.ElapsedMs), Err: errorOrNil(o.Error),
				OpenTime: ms(o.OpenMs), FirstByte: ms(o.FirstByteMs),
				Preview: previewOf(o.ListingRaw, o.Listing),
			}})
		case protocol.EventTLS:
			b.add(protocol.Event{Kind: protocol.EventTLS, Time: t, Seq: o.Seq, Line: o.Line,
				TLS: &protocol.TLSInfo{Version: o.Version, Cipher: o.Cipher, Data: o.Conn == "data", Trusted: true}})
			if o.Conn != "data" {
				b.tls = true
			}
		case protocol.EventConnect:
			b.connect(t, o.Line)
			if o.Client != "" {
				b.events[len(b.events)-1].Connect = &protocol.ConnectInfo{Client: o.Client}
			}
		case protocol.EventWarning:
			if n := len(b.events); n > 0 && b.events[n-1].Kind == protocol.EventSend &&
				(strings.HasPrefix(b.events[n-1].Line, "PASS ") || strings.HasPrefix(b.events[n-1].Line, "ACCT ")) {
				// The clear-text warning every format writes after a PASS
				// sent without TLS: the outputs write it again.
				continue
			}
			b.warn(t, o.Line)
		case protocol.EventError:
			b.fail(t, o.Line)
		case protocol.EventClose:
			b.close(t, o.Line)
		case "timing":
			// The connection's timing, known when it was live: the
			// outputs show the breakdown again, with the same numbers.
			timedConnect(b, ms(o.LookupMs), ms(o.ConnectMs), o.Addresses)
		}
	}
}

// maskedRaw returns the bytes of a command as sent, or for PASS and ACCT
// (in any case, parsed or not) the masked line with the line ending sent.
func maskedRaw(raw []byte) []byte {
	s := string(raw)
	line := strings.TrimRight(s, "\r\n")
	if masked := protocol.MaskLine(line); masked != line {
		return []byte(masked + s[len(line):])
	}
	return raw
}

func errorOrNil(s string) error {
	if s == "" {
		return nil
	}
	return recordedError(s)
}

// previewOf is a listing's bytes: as received when the file has them,
// else rebuilt from its escaped lines.
func previewOf(raw []byte, lines []string) []byte {
	if len(raw) > 0 {
		return raw
	}
	return listingBytes(lines)
}

// listingBytes rebuilds a listing's preview from its escaped lines.
func listingBytes(lines []string) []byte {
	var out []byte
	for _, l := range lines {
		out = append(out, l...)
		out = append(out, '\r', '\n')
	}
	return out
}

// timedConnect gives the session's connection event the lookup and
// connect times a "timing" object records, so that its timing breakdown
// is known.
func timedConnect(b *builder, lookup, connect time.Duration, addresses []string) {
	for i := range b.events {
		ev := &b.events[i]
		if ev.Kind != protocol.EventConnect {
			continue
		}
		info := protocol.ConnectInfo{Addresses: addresses, Lookup: lookup, Connect: connect}
		if ev.Connect != nil {
			info.Host, info.Remote, info.Local, info.Client = ev.Connect.Host, ev.Connect.Remote, ev.Connect.Local, ev.Connect.Client
		}
		ev.Connect = &info
		b.timed = true
		return
	}
}
