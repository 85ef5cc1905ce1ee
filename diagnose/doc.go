// Package diagnose says what went wrong in an FTP session and how to fix
// it, once, for every user interface: the findings (rules.go, engine.go,
// facts.go and the data in data/*.yaml) and the plain-language
// wording of network and TLS errors (errors.go, Describe). It sits between
// protocol and catalog below and the terminal UI, ftpscope run and the
// exports above; it reads the session state protocol attaches to each
// event (protocol.SessionState, protocol.Effect) and never interprets a
// reply on its own.
//
// # Findings
//
// A finding is a rule over a session's events and state that concludes,
// from a reply, an error or a data connection's end in its context, a
// cause in one sentence, the evidence (the transcript lines), the fix on
// the client's side, the fix on the server's side with the setting's
// name for the software answering (vsftpd, ProFTPD, Pure-FTPd, FileZilla
// Server, pyftpdlib), a severity and a source.
//
// # Using it
//
// Every consumer feeds the events of a session, in order, to its own
// Engine and shows what comes back:
//
//	eng := diagnose.New() // the findings built into ftpscope
//	for _, ev := range events {
//		for _, f := range eng.Observe(ev) {
//			fmt.Println("?", f.Summary()) // or f.Cause, f.ClientFix, f.ServerFixes …
//		}
//	}
//
// Observe returns the findings an event completes (most often none), most
// serious first, each once per rule and command. Engine.Line then words
// the event's own line so that advice is given once: an error a finding
// explains (now, or earlier for the same command) says only what
// happened, and EventDetail gives Go's words of an error apart, for a
// "details" line. Severity.Label and Finding.Headline word a finding's
// first line the same in every front end. A finding's Seq is the
// command it is about; its Evidence lines carry their command numbers,
// which is how the terminal UI ties a finding to a reply in the
// transcript, and JSON exports list them. Events from a protocol.Session
// carry their interpretation (protocol.SessionState, protocol.Effect);
// events built by hand are interpreted on the way in, by the same
// protocol.Tracker, so a recording gets the same findings as a live
// session.
//
// # The data
//
// The findings are data, in diagnose/data/*.yaml (embedded), so a
// contributor adds one without touching code. A rule fires when all its
// conditions hold:
//
//	on         reply (default), error, data (a data connection's end), tls or close
//	verbs      the command answered, such as [PASS]; "(connection)" is the greeting
//	command    regular expressions on the command line, such as ^OPTS +UTF8
//	codes      reply codes or classes: ["530", "4xx"]
//	text       regular expressions on the reply's text (any must match; case is ignored)
//	not_text   regular expressions that must not match
//	errors     error kinds the event's error must all have (see errorNames in facts.go:
//	           refused, timeout, data-dial, not-tls, cert-expired, reply-timeout …);
//	           on a tls event, the certificate's error when it was accepted unverified
//	facts      facts of the session that must all hold (see factNames in facts.go:
//	           control-tls, prot-p, passive, ipv6, transfer-waiting, passive-foreign …)
//	not_facts  facts that must not hold
//	min_rtt    the least round-trip time of the reply, such as 1s
//	servers    only for these servers (as identified from greeting, SYST or wording)
//
// A rule marked ends_session: true finds that the server ended the
// session (vsftpd's OOPS); a connection error after it then says only
// what happened, without advice of its own (see Engine.Line).
//
// and concludes with cause, client_fix, server_fix (a map from server to
// setting), source and severity (error, warning, info). Sentences may
// name {command}, {verb}, {code}, {server}, {peer}, {announced} and {rtt}.
// An error or a warning takes the place of the reply code's generic
// advice in run's transcript; an info finding does so only with
// replaces_advice: true, for a reply that does not mean what its code
// says in general (vsftpd's second OOPS is a 500, and no unknown command).
//
// Key rules on meaning, not one server's sentence: list each server's
// wording in text, and each as an example. examples are real servers'
// replies (server, command, reply lines, facts, rtt) that must fire the
// rule and no other error or warning; counter are replies that must not
// fire it. After an edit, go generate ./diagnose checks the data (unknown
// fields, facts, error kinds and servers are refused) and compiles it to
// data/findings.json, which the binary reads; the package's tests play
// the examples and fail while the JSON is out of date.
package diagnose
