package doc

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/yuin/goldmark/text"
)

func BenchmarkZZParse(b *testing.B) {
	files, _ := filepath.Glob("/tmp/bdocs/*.md")
	var docs [][]byte
	for _, f := range files {
		d, _ := os.ReadFile(f)
		docs = append(docs, d)
	}
	b.Run("full", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, d := range docs {
				Parse("x.md", d)
			}
		}
	})
	b.Run("goldmark", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, d := range docs {
				_, body, _, _ := SplitFrontMatter(d)
				md.Parser().Parse(text.NewReader(body))
			}
		}
	})
	b.Run("frontmatter", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, d := range docs {
				ParseFrontMatter(d)
			}
		}
	})
}
