package doc

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse: any document parses or fails with a located error, never a
// panic, and line numbers stay inside the file.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../../examples/documents/core/*.md")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{"---\nkind: x\n---\n# T\n## A\ntext\n", "---\n", "---\n- a\n---\n", "# T\nS\n===\n## B\n", "\xef\xbb\xbf---\r\nkind: a\r\n---\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse("doc.md", data)
		if err != nil {
			return
		}
		lines := 1
		for _, b := range data {
			if b == '\n' {
				lines++
			}
		}
		for _, s := range d.Sections {
			if s.Line < 1 || s.Line > lines || s.BodyLine < 1 || s.BodyLine > lines+1 {
				t.Fatalf("section %q at line %d (body %d) in a file of %d lines", s.Heading, s.Line, s.BodyLine, lines)
			}
		}
	})
}
