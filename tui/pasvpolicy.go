package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// The passive-address policy says where data connections go when a 227
// (or 228) announces an address that is not the control connection's:
// "peer" connects to the control connection's address instead, as
// FileZilla does (ftpscope's default, which hides a NAT fault); "server"
// follows the announced address, as a plain client does, so the NAT
// failure is real. --pasv-address sets it at start; :pasv-address (and a
// demonstration's ":pasv-address server" line) switches it in front of
// the class, narrated so that the audience and the handout see it.

// Passive-address policies, as --pasv-address spells them.
const (
	pasvPeer   = "peer"
	pasvServer = "server"
)

// pasvUsage is :pasv-address's usage line.
const pasvUsage = "usage: :pasv-address server|peer: server follows the address a 227 announces, as a plain client does; peer connects to the control connection's address instead, as FileZilla does"

// runPassiveAddress is :pasv-address: alone it says where data
// connections go; with server or peer it switches, from the next PASV.
func runPassiveAddress(m Model, args []string) (Model, tea.Cmd) {
	if m.opts.Recording != nil {
		m.transcript.AddError(recordingNoSend)
		return m, nil
	}
	if len(args) == 0 {
		m.transcript.AddInfo(m.passivePolicyText(m.passivePolicy(), "data connections go"))
		m.transcript.AddInfo(pasvUsage)
		return m, nil
	}
	policy := strings.ToLower(args[0])
	if len(args) > 1 || (policy != pasvPeer && policy != pasvServer) {
		m.transcript.AddError(fmt.Sprintf("%q is neither server nor peer, so nothing was switched; %s", strings.Join(args, " "), pasvUsage))
		return m, nil
	}
	m.pasvPolicy = policy
	m.applyPassivePolicy()
	m.narrate(m.passivePolicyText(policy, "from the next PASV, data connections go"))
	return m, nil
}

// passivePolicy is the policy in force: the one switched with
// :pasv-address, else the session's own (--pasv-address).
func (m *Model) passivePolicy() string {
	switch {
	case m.pasvPolicy != "":
		return m.pasvPolicy
	case m.session != nil && m.session.FollowsPassiveAddress():
		return pasvServer
	}
	return pasvPeer
}

// passivePolicyText says what policy means, after lead.
func (m *Model) passivePolicyText(policy, lead string) string {
	if policy == pasvServer {
		return lead + " to the address the server announces in its 227, even when it is not the control connection's, as a plain client does (:pasv-address server)"
	}
	return lead + " to the control connection's address when the server's 227 announces another, as FileZilla does (:pasv-address peer)"
}

// applyPassivePolicy gives the current session the policy switched with
// :pasv-address, which outlives :reconnect and :connect.
func (m *Model) applyPassivePolicy() {
	if m.session != nil && m.pasvPolicy != "" {
		m.session.SetFollowPassiveAddress(m.pasvPolicy == pasvServer)
	}
}

// natHint is shown when the sandbox's nat fault is switched on while
// ftpscope works around wrong passive addresses, so that a presenter
// expecting a failure learns why the transfer still works.
const natHint = "ftpscope connects to the control connection's address when a 227 names another, as FileZilla does, so transfers still work: :pasv-address server follows the announced address, as a plain client does, and the data connection fails"
