package export

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"math"
	"strings"
	"time"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/diagnose"
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
	// Client names, on a connect object, the program that connected
	// when it was not ftpscope (a recording's: "curl", "client", …).
	Client string `json:"client,omitempty"`
	// Cause and Detail, for an error that ended the session, are its
	// kind (diagnose.ErrorKind) and the system's own words for it.
	Cause  string `json:"cause,omitempty"`
	Detail string `json:"detail,omitempty"`
	// Certificate describes, on an error object, the certificate that
	// did not verify and was refused without asking (no --insecure), so
	// that its fingerprint can be compared.
	Certificate *jsonCert `json:"certificate,omitempty"`
}

// jsonSend is a command sent.
type jsonSend struct {
	jsonHead
	Seq  int    `json:"seq"`
	Line string `json:"line"`
	Note string `json:"note,omitempty"`
	// Raw is the bytes exactly as sent (line ending included, password
	// masked), base64-encoded; for an event that does not keep them (a
	// recording from a log), the line without its ending.
	Raw string `json:"raw,omitempty"`
}

// jsonReply is a reply received, explained from the catalogue.
type jsonReply struct {
	jsonHead
	Seq   int      `json:"seq"`
	Code  int      `json:"code"`
	Lines []string `json:"lines"`
	// Raw holds each line's bytes exactly as received (protocol.Reply.Raw:
	// line ending included), base64-encoded (standard encoding), so that
	// a reply that is not UTF-8 survives a round trip; Lines are escaped
	// for reading and cannot be reversed. A reply that does not keep its
	// bytes (a recording from a log) gives each line without its ending.
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
	// Bytes is left out when the recording does not count them
	// (DataInfo.Uncounted: "size not recorded").
	Bytes     *int64 `json:"bytes,omitempty"`
	Local     string `json:"local,omitempty"`
	Remote    string `json:"remote"`
	Protected bool   `json:"protected"`
	LocalFile string `json:"local_file,omitempty"`
	// Kept is set on phase "saved": whether local_file now holds the
	// download (complete when there is no error).
	Kept      *bool   `json:"kept,omitempty"`
	ElapsedMs float64 `json:"elapsed_ms,omitempty"`
	// OpenMs is the time opening the connection took, FirstByteMs the
	// wait for the first byte after it (downloads), when known.
	OpenMs      float64 `json:"open_ms,omitempty"`
	FirstByteMs float64 `json:"first_byte_ms,omitempty"`
	Error       string  `json:"error,omitempty"`
	Line        string  `json:"line"`
	// Listing holds, on the close of a LIST, NLST or MLSD, the lines of
	// the listing received (up to protocol.PreviewSize bytes), escaped.
	Listing []string `json:"listing,omitempty"`
	// ListingRaw is the same listing's bytes exactly as received
	// (base64), for a reader that needs them unescaped: ftpscope open
	// finds file names that are not UTF-8 in them.
	ListingRaw []byte `json:"listing_raw,omitempty"`
}

// jsonTLS is a finished TLS handshake.
type jsonTLS struct {
	jsonHead
	Seq        int    `json:"seq,omitempty"`
	Connection string `json:"connection"`
	Version    string `json:"version"`
	Cipher     string `json:"cipher"`
	Resumed    bool   `json:"resumed"`
	Trusted    bool   `json:"trusted"`
	// AcceptedBy says who accepted a certificate that did not verify:
	// "insecure" (the --insecure flag) or "user" (asked, they said yes).
	AcceptedBy  string   `json:"accepted_by,omitempty"`
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
func (p *jsonSink) event(ev protocol.Event, findings []diagnose.Finding) {
	defer p.findings(ev, findings)
	h := head(ev.Kind, ev.Time)
	switch ev.Kind {
	case protocol.EventSend:
		p.put(jsonSend{jsonHead: h, Seq: ev.Seq, Line: protocol.Escape(ev.Line), Note: protocol.Escape(ev.Note), Raw: rawSent(ev)})
	case protocol.EventReply:
		p.reply(h, ev)
	case protocol.EventData:
		if ev.Data == nil || ev.Data.Phase == protocol.DataProgress {
			return
		}
		d := ev.Data
		obj := jsonData{
			jsonHead: h, Seq: ev.Seq, Phase: d.Phase, Verb: d.Verb, Direction: d.Direction, Bytes: &d.Bytes,
			Local: d.Local, Remote: d.Remote, Protected: d.Protected, LocalFile: protocol.Escape(d.LocalFile),
			ElapsedMs: milliseconds(d.Elapsed), Line: protocol.Escape(ev.Line),
			OpenMs: milliseconds(d.OpenTime), FirstByteMs: milliseconds(d.FirstByte),
		}
		if d.Uncounted {
			obj.Bytes = nil
		}
		if d.Err != nil {
			obj.Error = protocol.Escape(d.Err.Error())
		}
		if d.Phase == protocol.DataSaved {
			obj.Kept = &d.Saved
		}
		obj.Listing, _ = listingUpTo(d, math.MaxInt)
		if len(obj.Listing) > 0 {
			obj.ListingRaw = d.Preview
		}
		p.put(obj)
	case protocol.EventTLS:
		p.tls(h, ev)
	default: // connect, warning, error, close
		if ev.Kind == protocol.EventClose {
			p.timing(ev)
		}
		obj := jsonLine{jsonHead: h, Seq: ev.Seq, Line: protocol.Escape(ev.Line)}
		if ev.Kind == protocol.EventConnect && ev.Connect != nil {
			obj.Client = protocol.Escape(ev.Connect.Client)
		}
		if ev.Err != nil && !ev.Refused && (ev.Kind == protocol.EventError || ev.Kind == protocol.EventClose) {
			plain := diagnose.Describe(ev.Err)
			obj.Cause, obj.Detail = string(plain.Kind), plain.Detail
		}
		if cert, ok := unverifiedCertificate(ev); ok {
			c := certJSON(cert)
			obj.Certificate = &c
		}
		p.put(obj)
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
		if i < len(r.Raw) && r.Raw[i] != nil {
			obj.Raw[i] = base64.StdEncoding.EncodeToString(r.Raw[i])
		}
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
		switch {
		case i.Trusted || i.NeedsDecision || i.Cert.Problem == "":
			// Verified, not decided yet, or a recording that does not
			// know whether the certificate verified.
		case i.Insecure:
			obj.AcceptedBy = "insecure"
		default:
			obj.AcceptedBy = "user"
		}
		obj.Certificate = certJSON(i.Cert)
	}
	p.put(obj)
}

// certJSON describes a certificate, every field from the server escaped.
func certJSON(c protocol.CertInfo) jsonCert {
	out := jsonCert{
		Subject: protocol.Escape(c.Subject), Issuer: protocol.Escape(c.Issuer),
		NotBefore: c.NotBefore.UTC().Format(time.RFC3339), NotAfter: c.NotAfter.UTC().Format(time.RFC3339),
		SHA256: c.SHA256, Problem: protocol.Escape(c.Problem),
	}
	for _, n := range c.Names {
		out.Names = append(out.Names, protocol.Escape(n))
	}
	return out
}

// jsonTiming is the timing breakdown of a connection, written before its
// close: name lookup, TCP connect, TLS handshake, greeting, and each data
// connection's open and first byte, in milliseconds (0: did not happen).
type jsonTiming struct {
	jsonHead
	LookupMs   float64          `json:"lookup_ms"`
	ConnectMs  float64          `json:"connect_ms"`
	TLSMs      float64          `json:"tls_ms"`
	GreetingMs float64          `json:"greeting_ms"`
	Addresses  []string         `json:"addresses,omitempty"`
	Data       []jsonDataTiming `json:"data,omitempty"`
}

// jsonDataTiming is one data connection's timing.
type jsonDataTiming struct {
	Seq         int     `json:"seq"`
	Verb        string  `json:"verb"`
	OpenMs      float64 `json:"open_ms"`
	TLSMs       float64 `json:"tls_ms"`
	FirstByteMs float64 `json:"first_byte_ms"`
	TotalMs     float64 `json:"total_ms"`
	Bytes       int64   `json:"bytes"`
}

// timing writes the timing breakdown of the connection that closes, when
// there was one.
func (p *jsonSink) timing(ev protocol.Event) {
	st := ev.State
	if st == nil || st.ConnectedAt.IsZero() {
		return
	}
	t := st.Timing
	obj := jsonTiming{
		jsonHead: head("timing", ev.Time), LookupMs: milliseconds(t.Lookup), ConnectMs: milliseconds(t.Connect),
		TLSMs: milliseconds(t.TLS), GreetingMs: milliseconds(t.Greeting), Addresses: t.Addresses,
	}
	for _, d := range t.Data {
		obj.Data = append(obj.Data, jsonDataTiming{
			Seq: d.Seq, Verb: d.Verb, OpenMs: milliseconds(d.Open), TLSMs: milliseconds(d.TLS),
			FirstByteMs: milliseconds(d.FirstByte), TotalMs: milliseconds(d.Total), Bytes: d.Bytes,
		})
	}
	p.put(obj)
}

// jsonFinding is what diagnose concluded from an event.
type jsonFinding struct {
	jsonHead
	Seq      int    `json:"seq"`
	ID       string `json:"id"`
	Severity string `json:"severity"`
	Cause    string `json:"cause"`
	Fixes    struct {
		Client string            `json:"client,omitempty"`
		Server map[string]string `json:"server,omitempty"`
	} `json:"fixes"`
	// Server is the software answering, when known.
	Server string `json:"server,omitempty"`
	Source string `json:"source"`
	// Evidence are the command numbers of the lines the finding rests on,
	// and EvidenceLines those lines, escaped.
	Evidence      []int    `json:"evidence"`
	EvidenceLines []string `json:"evidence_lines"`
	// RepeatOf is, for a finding the same rule gave before on this
	// connection, the command that first one was about (0 for the
	// connection itself), and Repeat says so: the finding is whole, and
	// a reader may show it as a reminder as the text formats do.
	Repeat   bool `json:"repeat,omitempty"`
	RepeatOf int  `json:"repeat_of,omitempty"`
}

// findings encodes the findings of an event, after it.
func (p *jsonSink) findings(ev protocol.Event, findings []diagnose.Finding) {
	for _, f := range findings {
		obj := jsonFinding{
			jsonHead: head("finding", ev.Time), Seq: f.Seq, ID: f.ID, Severity: string(f.Severity),
			Cause: f.Cause, Server: f.Server, Source: f.Source, Evidence: f.Seqs(),
			Repeat: f.Repeat, RepeatOf: f.FirstSeq,
		}
		obj.Fixes.Client = f.ClientFix
		for _, s := range f.ServerFixes {
			if obj.Fixes.Server == nil {
				obj.Fixes.Server = map[string]string{}
			}
			obj.Fixes.Server[s.Server] = s.Fix
		}
		for _, e := range f.Evidence {
			obj.EvidenceLines = append(obj.EvidenceLines, e.Line)
		}
		p.put(obj)
	}
}

// narrate leaves comments out: JSON carries only what happened.
func (p *jsonSink) narrate(string, time.Time) {}

// info leaves ftpscope's own notes out, for the same reason.
func (p *jsonSink) info(string, time.Time) {}

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

// rawSent encodes the bytes of a command sent: as written, or the masked
// line when the event does not keep them. PASS and ACCT are always the
// masked line (with the line ending written), whatever Raw holds.
func rawSent(ev protocol.Event) string {
	switch {
	case len(ev.Raw) == 0:
		return rawBytes(ev.Line)
	case strings.HasPrefix(ev.Line, "PASS ") || strings.HasPrefix(ev.Line, "ACCT "):
		raw := string(ev.Raw)
		return rawBytes(ev.Line + raw[len(strings.TrimRight(raw, "\r\n")):])
	}
	return base64.StdEncoding.EncodeToString(ev.Raw)
}

// milliseconds converts d to fractional milliseconds, to the microsecond.
func milliseconds(d time.Duration) float64 {
	return float64(d.Round(time.Microsecond)) / float64(time.Millisecond)
}
