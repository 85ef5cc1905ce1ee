package doctor

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/ftpscope/ftpscope/diagnose"
	"github.com/ftpscope/ftpscope/export"
	"github.com/ftpscope/ftpscope/protocol"
)

// Warnings returns what a report says before any check: a password that
// will travel in clear text. An anonymous login's password is no secret
// (protocol.IsAnonymousUser), so it gets no warning.
func Warnings(opts Options) []string {
	if opts.User == "" || protocol.IsAnonymousUser(opts.User) || opts.TLS || opts.ImplicitTLS {
		return nil
	}
	if loopbackAddr(opts.Addr) {
		return []string{"the password will be sent in clear text (no --tls, not ftps://): harmless over loopback, as here, but anyone on a network path could read it"}
	}
	return []string{"the URL's credentials will be sent in clear text (no --tls, not ftps://): anyone on the network path can read the password"}
}

// loopbackAddr reports whether host:port names this machine.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Mark is the word a report shows for a verdict.
func (v Verdict) Mark() string {
	switch v {
	case OK:
		return "ok"
	case Warning:
		return "warning"
	case Problem:
		return "PROBLEM"
	default:
		return "skipped"
	}
}

// Conclusion sums the report up in one sentence.
func (r *Report) Conclusion() string {
	p, w := r.Problems(), r.Count(Warning)
	switch {
	case r.Interrupted:
		return fmt.Sprintf("interrupted after %s: %d %s and %d %s found in the checks that ran", protocol.ShortDuration(r.Elapsed), p, plural(p, "problem", "problems"), w, plural(w, "warning", "warnings"))
	case p == 0 && w == 0:
		return fmt.Sprintf("no problem found: %d checks passed in %s", r.Count(OK), protocol.ShortDuration(r.Elapsed))
	case p == 0:
		return fmt.Sprintf("no problem found, %d %s to look at (%s)", w, plural(w, "warning", "warnings"), protocol.ShortDuration(r.Elapsed))
	default:
		return fmt.Sprintf("%d %s and %d %s found (%s)", p, plural(p, "problem", "problems"), w, plural(w, "warning", "warnings"), protocol.ShortDuration(r.Elapsed))
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// WriteText writes the report as plain text: a line per check with its
// verdict, then what was found, the findings with their fixes, and the
// catalogue's explanation of the replies behind the verdict. Everything
// from the server is escaped.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	b.WriteString(TextHeader(r.Server, r.Warnings))
	var prev *Check
	for _, c := range r.Checks {
		b.WriteString(CheckTextAfter(prev, c))
		prev = c
	}
	fmt.Fprintf(&b, "%s\n", r.Conclusion())
	_, err := io.WriteString(w, b.String())
	return err
}

// TextHeader is the text report's first lines: the server, and the
// warnings said before any check.
func TextHeader(server string, warnings []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "ftpscope doctor: %s\n", server)
	for _, warn := range warnings {
		fmt.Fprintf(&b, "! %s\n", warn)
	}
	b.WriteString("\n")
	return b.String()
}

// CheckText is one check in the text report: its verdict line, then its
// details, findings and explained replies, indented.
func CheckText(c *Check) string {
	var b strings.Builder
	writeCheckText(&b, c)
	return b.String()
}

// CheckTextAfter is CheckText for a check printed after prev: a check
// skipped for the same reason as the one before it says "likewise"
// instead of repeating the reason.
func CheckTextAfter(prev, c *Check) string {
	if prev != nil && c.Verdict == Skipped && prev.Verdict == Skipped && c.Summary == prev.Summary {
		return fmt.Sprintf("%-8s %s: likewise\n", c.Verdict.Mark(), c.Title)
	}
	return CheckText(c)
}

// CheckLine is a check's verdict line: "ok       Login (12ms): logged in as demo".
func CheckLine(c *Check) string {
	if c.Verdict == Skipped {
		// A check that did not run took no time worth showing.
		return fmt.Sprintf("%-8s %s: %s", c.Verdict.Mark(), c.Title, c.Summary)
	}
	return fmt.Sprintf("%-8s %s (%s): %s", c.Verdict.Mark(), c.Title, protocol.ShortDuration(c.Elapsed), c.Summary)
}

func writeCheckText(b *strings.Builder, c *Check) {
	b.WriteString(CheckLine(c) + "\n")
	for _, d := range c.Details {
		fmt.Fprintf(b, "         · %s\n", d)
	}
	for _, f := range c.Findings {
		fmt.Fprintf(b, "         ? %s\n", f.Headline())
		if f.ClientFix != "" {
			fmt.Fprintf(b, "             fix: %s\n", f.ClientFix)
		}
		for _, s := range f.ServerFixes {
			fmt.Fprintf(b, "             on the server (%s): %s\n", protocol.ServerName(s.Server), s.Fix)
		}
		if f.Source != "" {
			fmt.Fprintf(b, "             source: %s\n", f.Source)
		}
	}
	if c.Fix != "" && len(c.Findings) == 0 {
		fmt.Fprintf(b, "         → %s\n", c.Fix)
	}
	for _, e := range c.Replies {
		fmt.Fprintf(b, "         < %s\n", e.Line)
		if e.Meaning == "" {
			fmt.Fprintf(b, "           %s\n", e.Name) // a finding above says why
			continue
		}
		fmt.Fprintf(b, "           %s: %s\n", e.Name, firstSentence(e.Meaning))
	}
}

// findingSeverity is the severity of a finding of check c, as every
// rendering of the report shows it (text, Markdown, JSON, the terminal
// UI's :doctor): no graver than the check's verdict, which doctor caps
// where the finding's "error" stops nothing (no TLS offered without
// --tls, active mode), so that "warning" is not followed by "error".
func findingSeverity(c *Check, s diagnose.Severity) diagnose.Severity {
	if c.Verdict == Warning {
		return s.AtMost(diagnose.SeverityWarning)
	}
	return s
}

// firstSentence keeps the first sentence of a catalogue paragraph.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

// WriteMarkdown writes the report as a Markdown document for a support
// ticket: a summary table, then a section per check with its findings,
// the explanations and its transcript. Passwords are masked as in every
// transcript ftpscope writes.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# FTP server check: `%s`\n\n", mdCode(r.Server))
	fmt.Fprintf(&b, "Checked by ftpscope doctor on %s", r.Started.UTC().Format("2006-01-02 15:04 MST"))
	if r.Software != "" {
		fmt.Fprintf(&b, "; the server identifies as %s", protocol.ServerName(r.Software))
	}
	fmt.Fprintf(&b, ".\n\n**%s.**\n\n", capitalise(r.Conclusion()))
	for _, warn := range r.Warnings {
		fmt.Fprintf(&b, "> **Warning:** %s\n\n", mdEscape(warn))
	}
	b.WriteString("| check | verdict | time | found |\n| --- | --- | --- | --- |\n")
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", mdEscape(c.Title), c.Verdict.Mark(), protocol.ShortDuration(c.Elapsed), mdCell(c.Summary))
	}
	b.WriteString("\n")
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "## %s: %s\n\n%s\n\n", mdEscape(c.Title), c.Verdict.Mark(), mdEscape(capitalise(c.Summary)))
		for _, d := range c.Details {
			fmt.Fprintf(&b, "- %s\n", mdEscape(d))
		}
		if len(c.Details) > 0 {
			b.WriteString("\n")
		}
		for _, f := range c.Findings {
			fmt.Fprintf(&b, "> **Finding (%s):** %s\n", f.Severity.Label(), mdEscape(f.Cause))
			if f.ClientFix != "" {
				fmt.Fprintf(&b, "> - **Fix:** %s\n", mdEscape(f.ClientFix))
			}
			for _, s := range f.ServerFixes {
				fmt.Fprintf(&b, "> - **On the server (%s):** %s\n", protocol.ServerName(s.Server), mdEscape(s.Fix))
			}
			if f.Source != "" {
				fmt.Fprintf(&b, "> - Source: %s\n", mdEscape(f.Source))
			}
			b.WriteString("\n")
		}
		if c.Fix != "" && len(c.Findings) == 0 {
			fmt.Fprintf(&b, "**What to change:** %s\n\n", mdEscape(c.Fix))
		}
		for _, e := range c.Replies {
			if e.Meaning == "" {
				fmt.Fprintf(&b, "- `%s` — **%s.**\n", mdCode(e.Line), mdEscape(e.Name)) // a finding above says why
				continue
			}
			fmt.Fprintf(&b, "- `%s` — **%s.** %s %s\n", mdCode(e.Line), mdEscape(e.Name), mdEscape(e.Meaning), mdEscape(e.Action))
		}
		if len(c.Replies) > 0 {
			b.WriteString("\n")
		}
		if len(c.Events) > 0 {
			var t bytes.Buffer
			tw := export.NewText(&t, r.catalog)
			for _, ev := range c.Events {
				tw.Event(ev)
			}
			tw.Close()
			fence := "```"
			for strings.Contains(t.String(), fence) {
				fence += "`"
			}
			fmt.Fprintf(&b, "<details><summary>Transcript</summary>\n\n%stext\n%s%s\n\n</details>\n\n", fence, t.String(), fence)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// mdEscape keeps server text from acting as Markdown or HTML.
func mdEscape(s string) string { return export.MarkdownText(s) }

// mdCell is mdEscape for a table cell, on one line.
func mdCell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(mdEscape(s), `\|`, "|"), "|", `\|`)
}

// mdCode makes s safe inside a one-backtick code span.
func mdCode(s string) string { return strings.ReplaceAll(protocol.Escape(s), "`", "'") }

// jsonReport is the report as --json prints it.
type jsonReport struct {
	Server    string    `json:"server"`
	Software  string    `json:"software,omitempty"`
	Started   time.Time `json:"started"`
	ElapsedMS float64   `json:"elapsed_ms"`
	Problems  int       `json:"problems"`
	// Interrupted is set when ctrl+c stopped the run before every check.
	Interrupted bool        `json:"interrupted,omitempty"`
	Warnings    []string    `json:"warnings,omitempty"`
	Conclusion  string      `json:"conclusion"`
	Checks      []jsonCheck `json:"checks"`
}

type jsonCheck struct {
	ID        string         `json:"id"`
	Title     string         `json:"title"`
	Verdict   Verdict        `json:"verdict"`
	Summary   string         `json:"summary"`
	Details   []string       `json:"details,omitempty"`
	Fix       string         `json:"fix,omitempty"`
	ElapsedMS float64        `json:"elapsed_ms"`
	Replies   []jsonReply    `json:"replies,omitempty"`
	Findings  []jsonRawEvent `json:"findings,omitempty"`
	// Transcript holds the check's events as ftpscope run --json prints
	// them, findings included.
	Transcript []jsonRawEvent `json:"transcript"`
}

type jsonReply struct {
	Seq     int    `json:"seq"`
	Command string `json:"command"`
	Line    string `json:"line"`
	Name    string `json:"name"`
	// Meaning is the catalogue's, left out for a reply a finding of the
	// report explains.
	Meaning string `json:"meaning,omitempty"`
}

// jsonRawEvent is one object of a run --json transcript, kept as it is.
type jsonRawEvent = json.RawMessage

// WriteJSON writes the report as one JSON document. Each check's
// transcript is the JSON Lines of ftpscope run --json, so one parser
// reads both; its finding objects are also listed on the check.
func (r *Report) WriteJSON(w io.Writer) error {
	out := jsonReport{
		Server: r.Server, Software: r.Software, Started: r.Started.UTC(),
		ElapsedMS: ms(r.Elapsed), Problems: r.Problems(), Interrupted: r.Interrupted, Warnings: r.Warnings, Conclusion: r.Conclusion(),
	}
	for _, c := range r.Checks {
		jc := jsonCheck{ID: c.ID, Title: c.Title, Verdict: c.Verdict, Summary: c.Summary, Details: c.Details, Fix: c.Fix, ElapsedMS: ms(c.Elapsed)}
		for _, e := range c.Replies {
			jc.Replies = append(jc.Replies, jsonReply{Seq: e.Seq, Command: e.Verb, Line: e.Line, Name: e.Name, Meaning: e.Meaning})
		}
		var lines bytes.Buffer
		jw := export.NewJSON(&lines, r.catalog)
		for _, ev := range c.Events {
			jw.Event(ev)
		}
		if err := jw.Close(); err != nil {
			return err
		}
		jc.Transcript = []jsonRawEvent{}
		for _, line := range bytes.Split(bytes.TrimSpace(lines.Bytes()), []byte("\n")) {
			if len(line) == 0 {
				continue
			}
			obj := jsonRawEvent(bytes.Clone(line))
			var head struct {
				Kind     string            `json:"kind"`
				Severity diagnose.Severity `json:"severity"`
			}
			if json.Unmarshal(line, &head) == nil && head.Kind == "finding" {
				// The severity the text report shows, not the session's
				// alone: the check's verdict caps it.
				if s := findingSeverity(c, head.Severity); s != head.Severity {
					obj = bytes.Replace(obj, []byte(`"severity":"`+string(head.Severity)+`"`), []byte(`"severity":"`+string(s)+`"`), 1)
				}
				jc.Findings = append(jc.Findings, obj)
			}
			jc.Transcript = append(jc.Transcript, obj)
		}
		out.Checks = append(out.Checks, jc)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
