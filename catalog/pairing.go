package catalog

import "slices"

// The pairing check (does an RFC list this reply for this command?) reads
// the per-command lists exactly as RFC 959 §5.4 and the later RFCs print
// them. A few replies are right after a command although its list leaves
// them out; these rules accept them, each with the reason and where it is
// written, so the side panel never calls a correct reply non-standard.

// pairingRule accepts replies a command's own list leaves out.
type pairingRule struct {
	// codes the rule accepts; empty means those of sameAs.
	codes []string
	// verbs the rule applies to; empty means every command.
	verbs []string
	// sameAs names a command whose replies verbs share.
	sameAs string
	// reason says why the reply is right, and source where it is written.
	reason, source string
}

// pairingRules are the exceptions to the per-command lists.
func pairingRules() []pairingRule {
	return []pairingRule{
		{
			codes:  []string{"421"},
			reason: "421 may answer any command: the server is closing the session (shutting down, or idle too long)",
			source: "RFC 959 §4.2.1 and §5.4",
		},
		{
			codes:  []string{"631", "632", "633"},
			reason: "once a security mechanism protects the session, any reply may come wrapped in a 631, 632 or 633",
			source: "RFC 2228 §5.2 and §9",
		},
		{
			verbs: []string{"CDUP", "XCUP"}, sameAs: "CWD",
			reason: "CDUP's replies are CWD's: RFC 959 says so in CDUP's definition, although §5.4 prints a shorter list",
			source: "RFC 959 §4.1.1",
		},
		{
			codes: []string{"550"}, verbs: []string{"STOR", "STOU", "APPE"},
			reason: "not in RFC 959's list for uploads, but servers commonly refuse an upload with 550 (permission denied, no such directory), as RFC 959 does for the other file commands",
			source: "RFC 959 §5.4 (550 for RETR, DELE, RNFR …)",
		},
	}
}

// exception returns the rule that accepts code after verb, if any.
func (c *Catalog) exception(code, verb string) (pairingRule, bool) {
	for _, r := range pairingRules() {
		if len(r.verbs) > 0 && !slices.Contains(r.verbs, verb) {
			continue
		}
		codes := r.codes
		if r.sameAs != "" {
			if cmd, ok := c.Command(r.sameAs); ok {
				for _, list := range cmd.Replies {
					codes = append(codes, list.All()...)
				}
			}
		}
		if slices.Contains(codes, code) {
			return r, true
		}
	}
	return pairingRule{}, false
}
