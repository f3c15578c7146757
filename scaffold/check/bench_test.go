package check_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packcheck"
)

func BenchmarkDocumentTmp(b *testing.B) {
	pk, err := pack.Default()
	if err != nil {
		b.Fatal(err)
	}
	files, _ := filepath.Glob("/tmp/bdocs/*.md")
	data := map[string][]byte{}
	for _, f := range files {
		d, _ := os.ReadFile(f)
		data[filepath.Base(f)] = d
	}
	c, err := check.New(packcheck.Spec(pk), check.Options{Read: func(p string) ([]byte, error) { return data[p], nil }, Exists: func(string) bool { return true }, Workers: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for name := range data {
			if _, _, err := c.Document(check.Input{Path: name, Explicit: true}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
