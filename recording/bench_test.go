package recording

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkRead reads each fixture, to compare the parsers' costs.
func BenchmarkRead(b *testing.B) {
	for name := range fixtures {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(name), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Read(bytes.NewReader(data), ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
