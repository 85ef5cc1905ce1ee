package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
)

// compiled is the catalogue as stored in data/catalog.json.
type compiled struct {
	Replies  []Reply   `json:"replies"`
	Commands []Command `json:"commands"`
}

// yamlFile is the shape of one YAML data file.
type yamlFile struct {
	Replies  []Reply   `yaml:"replies"`
	Commands []Command `yaml:"commands"`
}

// CompileYAML reads every *.yaml file of fsys (the catalogue's source, as
// contributors edit it), checks it (no unknown field, no entry defined
// twice), normalises names (commands and advice keys in upper case), and
// returns the catalogue as indented JSON, entries in a stable order, ready
// to embed. go generate runs it through catalog/gencatalog.
func CompileYAML(fsys fs.FS) ([]byte, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list catalogue files: %w", err)
	}
	sort.Strings(names)
	var out compiled
	seenReply, seenCommand := map[string]string{}, map[string]string{}
	for _, name := range names {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		var f yamlFile
		if err := yaml.NewDecoder(bytes.NewReader(raw), yaml.DisallowUnknownField()).Decode(&f); err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		for _, r := range f.Replies {
			if first, dup := seenReply[r.Code]; dup {
				return nil, fmt.Errorf("%s: reply %s is defined twice (first in %s)", name, r.Code, first)
			}
			seenReply[r.Code] = name
			after := make(map[string]string, len(r.After))
			for verb, advice := range r.After {
				after[strings.ToUpper(verb)] = advice
			}
			r.After = after
			out.Replies = append(out.Replies, r)
		}
		for _, c := range f.Commands {
			c.Name = strings.ToUpper(c.Name)
			if first, dup := seenCommand[c.Name]; dup {
				return nil, fmt.Errorf("%s: command %s is defined twice (first in %s)", name, c.Name, first)
			}
			seenCommand[c.Name] = name
			out.Commands = append(out.Commands, c)
		}
	}
	sort.Slice(out.Replies, func(i, j int) bool { return codeLess(out.Replies[i].Code, out.Replies[j].Code) })
	sort.Slice(out.Commands, func(i, j int) bool { return out.Commands[i].Name < out.Commands[j].Name })
	data, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		return nil, fmt.Errorf("encode the catalogue: %w", err)
	}
	return append(data, '\n'), nil
}

// fromJSON builds a catalogue from CompileYAML's output.
func fromJSON(data []byte) (*Catalog, error) {
	var in compiled
	if err := json.Unmarshal(data, &in); err != nil {
		return nil, fmt.Errorf("decode the embedded catalogue: %w", err)
	}
	c := &Catalog{replies: make(map[string]*Reply, len(in.Replies)), commands: make(map[string]*Command, len(in.Commands))}
	for i := range in.Replies {
		c.replies[in.Replies[i].Code] = &in.Replies[i]
	}
	for i := range in.Commands {
		c.commands[in.Commands[i].Name] = &in.Commands[i]
	}
	return c, nil
}

// codeLess orders reply codes numerically: shorter codes first.
func codeLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}
