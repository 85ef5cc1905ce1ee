// Package catalog holds ftpscope's explanations of FTP reply codes and
// commands. The entries live in YAML files under data/, embedded in the
// binary with go:embed, so a contributor can improve an explanation without
// knowing Go. Lookups never fail: a code that is not in the catalogue is still
// explained from its digits (RFC 959 §4.2.1).
package catalog

import (
	_ "embed" // the compiled catalogue
	"sort"
	"strings"
)

//go:generate go run ./gencatalog

// compiledJSON is data/*.yaml compiled by go generate.
//
//go:embed data/catalog.json
var compiledJSON []byte

// Reply is the catalogue entry for one reply code.
type Reply struct {
	// Code is the reply code as the server sends it: three digits, or one of
	// the documented Winsock error numbers (10054 …) that Windows clients show.
	Code string `yaml:"code"`
	// Name is a short title such as "Command superfluous".
	Name string `yaml:"name"`
	// Text is the reply text the defining RFC gives, empty where it gives none.
	Text string `yaml:"text"`
	// Status is "standard", "experimental" or "non-standard".
	Status string `yaml:"status"`
	// Defined names the RFC and section that define the code.
	Defined string `yaml:"defined"`
	// Also lists other RFCs that use or redefine the code, each with a short
	// note on what they add.
	Also []string `yaml:"also"`
	// Meaning says what the reply means, for a learner.
	Meaning string `yaml:"meaning"`
	// When says which commands and situations produce the reply.
	When string `yaml:"when"`
	// Action says what to do next, or how to fix the cause.
	Action string `yaml:"action"`
	// Servers says how well-known servers use the code in practice.
	Servers string `yaml:"servers"`
	// After holds advice specific to the command that produced the reply,
	// keyed by command name (for example 350 after RNFR versus after REST).
	After map[string]string `yaml:"after"`
	// Related lists codes worth reading next; each one is in the catalogue.
	Related []string `yaml:"related"`
}

// ReplyList is the set of replies a source lists for a command, split the
// way RFC 959 §5.4 lays them out.
type ReplyList struct {
	// Source is the RFC and section that lists the replies.
	Source       string   `yaml:"source"`
	Preliminary  []string `yaml:"preliminary"`
	Intermediate []string `yaml:"intermediate"`
	Success      []string `yaml:"success"`
	Failure      []string `yaml:"failure"`
	Error        []string `yaml:"error"`
}

// All returns every code in the list, in the order preliminary,
// intermediate, success, failure, error.
func (l ReplyList) All() []string {
	var all []string
	for _, part := range [][]string{l.Preliminary, l.Intermediate, l.Success, l.Failure, l.Error} {
		all = append(all, part...)
	}
	return all
}

// Command is the catalogue entry for one FTP command.
type Command struct {
	// Name is the command verb in upper case, such as "USER".
	Name string `yaml:"name"`
	// LongName is the command's name as its RFC writes it, such as
	// "STORE UNIQUE" for STOU; "" when the RFC gives none.
	LongName string `yaml:"long_name"`
	// Syntax is the command's grammar as its RFC writes it.
	Syntax string `yaml:"syntax"`
	// Summary says in one line what the command does.
	Summary string `yaml:"summary"`
	// Description explains the command for a learner.
	Description string `yaml:"description"`
	// Argument is "yes", "no" or "optional".
	Argument string `yaml:"argument"`
	// Data reports whether the command transfers over a data connection.
	Data bool `yaml:"data"`
	// Status is "standard", "experimental", "experimental alias" or
	// "non-standard".
	Status string `yaml:"status"`
	// Defined names the RFC and section that define the command.
	Defined string `yaml:"defined"`
	// Replies lists, per defining source, the replies the RFCs name.
	Replies []ReplyList `yaml:"replies"`
	// Next says what usually follows the command.
	Next string `yaml:"next"`
	// Example is a short exchange showing the command in use.
	Example string `yaml:"example"`
	// Related lists commands worth reading next.
	Related []string `yaml:"related"`
}

// Catalog is the loaded catalogue. The zero value is empty but usable.
type Catalog struct {
	replies  map[string]*Reply
	commands map[string]*Command
}

// Load returns the catalogue embedded in the binary. It fails only when
// the embedded data is broken, which the package tests catch first.
//
// The data is edited as YAML in data/*.yaml and compiled to
// data/catalog.json by go generate (see CompileYAML): JSON decodes about
// twenty times faster, which keeps ftpscope run and explain quick to start.
func Load() (*Catalog, error) {
	return fromJSON(compiledJSON)
}

// MustLoad is Load for tests and program start-up, where a broken
// embedded catalogue is a build defect, not a run-time condition.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Reply returns the entry for code and whether the catalogue has one.
func (c *Catalog) Reply(code string) (*Reply, bool) {
	r, ok := c.replies[code]
	return r, ok
}

// Command returns the entry for the command verb name (any case) and
// whether the catalogue has one.
func (c *Catalog) Command(name string) (*Command, bool) {
	cmd, ok := c.commands[strings.ToUpper(name)]
	return cmd, ok
}

// Codes returns every reply code in the catalogue in numeric order.
func (c *Catalog) Codes() []string {
	codes := make([]string, 0, len(c.replies))
	for code := range c.replies {
		codes = append(codes, code)
	}
	sort.Slice(codes, func(i, j int) bool {
		if len(codes[i]) != len(codes[j]) {
			return len(codes[i]) < len(codes[j])
		}
		return codes[i] < codes[j]
	})
	return codes
}

// Commands returns every command name in the catalogue in alphabetical
// order. Pseudo-entries such as "(connection)", which hold the replies to
// opening a connection, are not commands and are left out.
func (c *Catalog) Commands() []string {
	names := make([]string, 0, len(c.commands))
	for name := range c.commands {
		if !strings.HasPrefix(name, "(") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}
