package protocol

import (
	"bytes"
	"slices"
	"strings"
)

// minSecretLength is the shortest password that is masked where a server
// repeats it in a reply. Shorter ones would mask ordinary words and
// letters; they are still never shown where ftpscope sends them.
const minSecretLength = 4

// maxSecrets bounds the passwords remembered in one session.
const maxSecrets = 8

// rememberSecret keeps the argument of PASS or ACCT, so that a reply that
// repeats it (some servers echo what they were sent) is masked too, and
// the last USER's name. Callers hold s.mu.
func (s *Session) rememberSecret(cmd Command) {
	if cmd.Verb == "USER" {
		s.lastUser = cmd.Arg
		return
	}
	if (cmd.Verb != "PASS" && cmd.Verb != "ACCT") || len(cmd.Arg) < minSecretLength {
		return
	}
	for _, known := range s.secrets {
		if known == cmd.Arg {
			return
		}
	}
	if len(s.secrets) == maxSecrets {
		s.secrets = s.secrets[1:]
	}
	s.secrets = append(s.secrets, cmd.Arg)
}

// masked returns r as it may be shown: a copy with every password this
// session sent that its lines repeat replaced by "****", and a problem
// noting it, or r itself when there is nothing to mask. r, from which the
// session learns (an EPSV port, a path), is left as it came. Callers hold
// s.mu.
func (s *Session) masked(r *Reply) *Reply {
	var shown *Reply
	for i, line := range r.Lines {
		for _, secret := range s.secrets {
			// A password equal to the user name (demo/demo) is no secret
			// once USER was shown; masking it would only hide the name.
			if secret == s.lastUser || !strings.Contains(line, secret) {
				continue
			}
			if shown == nil {
				shown = &Reply{Code: r.Code, Lines: slices.Clone(r.Lines), Raw: slices.Clone(r.Raw), Problems: slices.Clone(r.Problems)}
			}
			line = strings.ReplaceAll(line, secret, "****")
			shown.Lines[i] = line
			if i < len(shown.Raw) {
				// On the wire a 0xFF in the password came doubled.
				raw := bytes.ReplaceAll(shown.Raw[i], []byte(secret), []byte("****"))
				shown.Raw[i] = bytes.ReplaceAll(raw, telnetDouble([]byte(secret)), []byte("****"))
			}
		}
	}
	if shown == nil {
		return r
	}
	shown.note("the reply repeats a password ftpscope sent; it is shown as ****")
	return shown
}
