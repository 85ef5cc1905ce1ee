// Command genfindings compiles the findings' YAML source (diagnose/data/
// *.yaml) into diagnose/data/findings.json, which the diagnose package
// embeds, and writes the list of findings in docs/FINDINGS.md. Run it with go generate ./diagnose after editing the YAML; the
// package tests fail while the JSON is out of date.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ftpscope/ftpscope/diagnose"
)

func main() {
	// go generate runs this from the diagnose folder.
	data, err := diagnose.CompileYAML(os.DirFS("data"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "genfindings:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(filepath.Join("data", "findings.json"), data, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "genfindings:", err)
		os.Exit(1)
	}
	rules, err := diagnose.ParseRules(os.DirFS("data"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "genfindings:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(filepath.Join("..", "docs", "FINDINGS.md"), []byte(rules.Markdown()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "genfindings:", err)
		os.Exit(1)
	}
}
