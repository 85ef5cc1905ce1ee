// Command gencatalog compiles the catalogue's YAML source (catalog/data/
// *.yaml) into catalog/data/catalog.json, which the catalog package
// embeds. Run it with go generate ./catalog after editing the YAML; the
// package tests fail while the JSON is out of date.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ftpscope/ftpscope/catalog"
)

func main() {
	// go generate runs this from the catalog folder.
	data, err := catalog.CompileYAML(os.DirFS("data"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencatalog:", err)
		os.Exit(1)
	}
	out := filepath.Join("data", "catalog.json")
	if err := os.WriteFile(out, data, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gencatalog:", err)
		os.Exit(1)
	}
}
