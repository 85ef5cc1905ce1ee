package catalog

import (
	"bytes"
	"os"
	"testing"
	"testing/fstest"
)

// TestCompiledCatalogIsCurrent fails when data/catalog.json was not
// regenerated after an edit of the YAML source.
func TestCompiledCatalogIsCurrent(t *testing.T) {
	fresh, err := CompileYAML(os.DirFS("data"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, compiledJSON) {
		t.Fatal("data/catalog.json is out of date with data/*.yaml: run go generate ./catalog")
	}
}

func TestCompileYAMLRejectsBadData(t *testing.T) {
	tests := []struct {
		name  string
		files fstest.MapFS
		want  string
	}{
		{"unknown field", fstest.MapFS{"a.yaml": {Data: []byte("replies:\n  - code: \"200\"\n    colour: red\n")}}, "colour"},
		{"reply twice", fstest.MapFS{
			"a.yaml": {Data: []byte("replies:\n  - code: \"200\"\n")},
			"b.yaml": {Data: []byte("replies:\n  - code: \"200\"\n")},
		}, "defined twice"},
		{"command twice, any case", fstest.MapFS{"a.yaml": {Data: []byte("commands:\n  - name: noop\n  - name: NOOP\n")}}, "defined twice"},
		{"not YAML", fstest.MapFS{"a.yaml": {Data: []byte("replies: [\n")}}, "parse a.yaml"},
	}
	for _, tt := range tests {
		_, err := CompileYAML(tt.files)
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tt.want)) {
			t.Errorf("%s: error %v, want one mentioning %q", tt.name, err, tt.want)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}
