package export

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"math"
	"time"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/protocol"
)

// jsonSink writes the transcript as JSON Lines, one object per event.
type jsonSink struct {
	enc *json.Encoder
	cat *catalog.Catalog
}

// newJSONSink returns a sink that encodes to w.
func newJSONSink(w io.Writer, cat *catalog.Catalog) *jsonSink {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // keep "<" and ">" readable in reply lines
	return &jsonSink{enc: enc, cat: cat}
}

// jsonHead is what every object has.
type jsonHead struct {
	Kind string `json:"kind"`
	// Time is left out for an event without one, as in a recording of a
	// tool that logs no times (ftpscope open).
	Time string `json:"time,omitempty"`
}

// jsonLine is a connect, warning, error or close object.
type jsonLine struct {
	jsonHead
	Seq  int    `json:"seq,omitempty"`
	Line string `json:"line"`
}

// jsonSend is a command sent.
type jsonSend struct {
	jsonHead
	Seq  int    `json:"seq"`
	Line string `json:"line"`
	Note string `json:"note,omitempty"`
	// Raw is the line's bytes exactly as sent (password masked), base64.
	Raw string `json:"raw,omitempty"`
}

// jsonReply is a reply received, explained from the catalogue.
type jsonReply struct {
	jsonHead
	Seq   int      `json:"seq"`
	Code  int      `json:"code"`
	Lines []string `json:"lines"`
	// Raw holds each line's bytes exactly as received, base64-encoded
	// (standard encoding), so that a reply that is not UTF-8 survives a
	// round trip; Lines are escaped for reading and cannot be reversed.
	Raw      []string `json:"raw"`
	Name     string   `json:"name"`
	Class    string   `json:"class,omitempty"`
	Command  string   `json:"command"`
	RTTms    float64  `json:"rtt_ms"`
	Note     string   `json:"note,omitempty"`
	Listed   *bool    `json:"listed,omitempty"`
	Expected []string `json:"expected,omitempty"`
}

// jsonData is a data connection opening or closing.
type jsonData struct {
	jsonHead
	Seq       int    `json:"seq"`
	Phase     string `json:"phase"`
	Verb      string `json:"verb"`
	Direction string `json:"direction"`
	Bytes     int64  `json:"bytes"`
	Local     string `json:"local,omitempty"`
	Remote    string `json:"remote"`
	Protected bool   `json:"protected"`
	LocalFile string `json:"local_file,omitempty"`
	// Kept is set on phase "saved": whether local_file now holds the
	// download (complete when there is no error).
	Kept      *bool   `json:"kept,omitempty"`
	ElapsedMs float64 `json:"elapsed_ms,omitempty"`
	Error     string  `json:"error,omitempty"`
	Line      string  `json:"line"`
	// Listing holds, on the close of a LIST, NLST or MLSD, the lines of
	// the listing received (up to protocol.PreviewSize bytes), escaped.
	Listing []string `json:"listing,omitempty"`
}

// jsonTLS is a finished TLS handshake.
type jsonTLS struct {
	jsonHead
	Seq         int      `json:"seq,omitempty"`
	Connection  string   `json:"connection"`
	Version     string   `json:"version"`
	Cipher      string   `json:"cipher"`
	Resumed     bool     `json:"resumed"`
	Trusted     bool     `json:"trusted"`
	Certificate jsonCert `json:"certificate"`
	Line        string   `json:"line"`
}

// jsonCert describes the server's certificate.
type jsonCert struct {
	Subject   string   `json:"subject"`
	Issuer    string   `json:"issuer"`
	NotBefore string   `json:"not_before"`
	NotAfter  string   `json:"not_after"`
	SHA256    string   `json:"sha256"`
	Names     []string `json:"names,omitempty"`
	Problem   string   `json:"problem,omitempty"`
}

// head returns the common fields of an object; an event without a time
// has none.
func head(kind protocol.EventKind, t time.Time) jsonHead {
	if t.IsZero() {
		return jsonHead{Kind: string(kind)}
	}
	return jsonHead{Kind: string(kind), Time: t.UTC().Format(time.RFC3339Nano)}
}

// event encodes one session event; data progress is left out. Every string
// from the network is escaped with protocol.Escape.
func (p *jsonSink) event(ev protocol.Event) {
	h := head(ev.Kind, ev.Time)
	switch ev.Kind {
	case protocol.EventSend:
		p.put(jsonSend{jsonHead: h, Seq: ev.Seq, Line: protocol.Escape(ev.Line), Note: protocol.Escape(ev.Note), Raw: rawBytes(ev.Line)})
	case protocol.EventReply:
		p.reply(h, ev)
	case protocol.EventData:
		if ev.Data == nil || ev.Data.Phase == protocol.DataProgress {
			return
		}
		d := ev.Data
		obj := jsonData{
			jsonHead: h, Seq: ev.Seq, Phase: d.Phase, Verb: d.Verb, Direction: d.Direction, Bytes: d.Bytes,
			Local: d.Local, Remote: d.Remote, Protected: d.Protected, LocalFile: protocol.Escape(d.LocalFile),
			ElapsedMs: milliseconds(d.Elapsed), Line: protocol.Escape(ev.Line),
		}
		if d.Err != nil {
			obj.Error = protocol.Escape(d.Err.Error())
		}
		if d.Phase == protocol.DataSaved {
			obj.Kept = &d.Saved
		}
		obj.Listing, _ = listingUpTo(d, math.MaxInt)
		p.put(obj)
	case protocol.EventTLS:
		p.tls(h, ev)
	default: // connect, warning, error, close
		p.put(jsonLine{jsonHead: h, Seq: ev.Seq, Line: protocol.Escape(ev.Line)})
	}
}

// reply encodes a reply, then its problems and warnings as warning objects.
func (p *jsonSink) reply(h jsonHead, ev protocol.Event) {
	r := ev.Reply
	obj := jsonReply{
		jsonHead: h, Seq: ev.Seq, Code: r.Code, Lines: make([]string, len(r.Lines)),
		Command: protocol.Escape(ev.Command), RTTms: milliseconds(ev.RTT), Note: protocol.Escape(ev.Note),
		Raw: make([]string, len(r.Lines)),
	}
	for i, l := range r.Lines {
		obj.Lines[i] = protocol.Escape(l)
		obj.Raw[i] = rawBytes(l)
	}
	if r.Malformed() {
		obj.Name, obj.Class = "Malformed reply", "malformed"
	} else {
		e := p.cat.Explain(r.CodeString(), ev.Verb)
		obj.Name = e.Reply.Name
		if e.DigitsOK {
			obj.Class = e.Class.Name
		}
		if e.Listing.Checked {
			listed := e.Listing.Listed
			obj.Listed, obj.Expected = &listed, e.Listing.Expected
		}
	}
	p.put(obj)
	for _, w := range replyWarnings(ev) {
		p.put(jsonLine{jsonHead: head(protocol.EventWarning, ev.Time), Seq: ev.Seq, Line: protocol.Escape(w)})
	}
}

// tls encodes a TLS handshake and the certificate it checked.
func (p *jsonSink) tls(h jsonHead, ev protocol.Event) {
	obj := jsonTLS{jsonHead: h, Seq: ev.Seq, Connection: "control", Line: protocol.Escape(ev.Line)}
	if i := ev.TLS; i != nil {
		if i.Data {
			obj.Connection = "data"
		}
		obj.Version, obj.Cipher, obj.Resumed, obj.Trusted = i.Version, i.Cipher, i.Resumed, i.Trusted
		c := i.Cert
		obj.Certificate = jsonCert{
			Subject: protocol.Escape(c.Subject), Issuer: protocol.Escape(c.Issuer),
			NotBefore: c.NotBefore.UTC().Format(time.RFC3339), NotAfter: c.NotAfter.UTC().Format(time.RFC3339),
			SHA256: c.SHA256, Problem: protocol.Escape(c.Problem),
		}
		for _, n := range c.Names {
			obj.Certificate.Names = append(obj.Certificate.Names, protocol.Escape(n))
		}
	}
	p.put(obj)
}

// narrate leaves comments out: JSON carries only what happened.
func (p *jsonSink) narrate(string) {}

// info leaves ftpscope's own notes out, for the same reason.
func (p *jsonSink) info(string) {}

// close has nothing to flush: every object is written as it comes.
func (p *jsonSink) close() {}

// put encodes one object on its own line. A write error is kept by the
// stickyWriter underneath and reported by Close.
func (p *jsonSink) put(v any) {
	_ = p.enc.Encode(v)
}

// rawBytes encodes the bytes of a line losslessly, for the "raw" fields.
func rawBytes(line string) string {
	return base64.StdEncoding.EncodeToString([]byte(line))
}

// milliseconds converts d to fractional milliseconds, to the microsecond.
func milliseconds(d time.Duration) float64 {
	return float64(d.Round(time.Microsecond)) / float64(time.Millisecond)
}
