package doc

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/yuin/goldmark/text"
)

// FuzzParse: no input makes Parse panic, what it returns points inside
// the input, and parseMarkdown's shortcuts (parserFor's parsers,
// plainTree) build the full parser's tree.
func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte(structured))
	f.Add([]byte("---\nkind: x\n---\n# T\n\n## A\n\n| a | b |\n|---|\n| 1 |\n\n<!-- c --> [l](x.md) ![i](y.png) <https://z>\n"))
	seeds, _ := filepath.Glob("../check/testdata/report/*/*.md")
	docs, _ := filepath.Glob("../../examples/documents/*/*.md")
	seeds = append(seeds, docs...)
	for _, s := range []string{"---\n", "---\n- a\n---\n", "# T\nS\n===\n## B\n", "\xef\xbb\xbf---\r\nkind: a\r\n---\r\n"} {
		f.Add([]byte(s))
	}
	for _, bodies := range []map[string]string{plainBodies, nearPlainBodies} {
		for _, b := range bodies {
			f.Add([]byte("---\nkind: prd\n---\n" + b))
		}
	}
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse("x.md", data)
		if err != nil {
			return
		}
		full := dumpRuns(md().Parser().Parse(text.NewReader(d.Body)), d.Body)
		if p := parserFor(d.Body); p != md() {
			if short := dumpRuns(p.Parser().Parse(text.NewReader(d.Body)), d.Body); short != full {
				t.Fatalf("the shortcut's tree differs\nfull parser:\n%s\nshortcut:\n%s", full, short)
			}
		}
		if root, ok := plainTree(d.Body); ok {
			if plain := dumpRuns(root, d.Body); plain != full {
				t.Fatalf("plainTree's tree differs\nfull parser:\n%s\nplainTree:\n%s", full, plain)
			}
		}
		last := d.BodyLine + bytes.Count(d.Body, []byte("\n"))
		inRange := func(what string, line int) {
			if line < d.BodyLine || line > last {
				t.Fatalf("%s at line %d, outside %d..%d", what, line, d.BodyLine, last)
			}
		}
		for _, s := range d.Sections {
			inRange("section "+s.Heading, s.Line)
			inRange("section end", s.EndLine)
			if s.Start > s.End || s.End > len(d.Body) || d.BodyText[s.Start:s.End] != s.Body {
				t.Fatalf("section %q spans %d..%d of %d", s.Heading, s.Start, s.End, len(d.Body))
			}
			for _, l := range s.Lists() {
				for _, it := range l.Items {
					inRange("item", it.Line)
				}
			}
			for _, tb := range s.Tables() {
				for _, r := range tb.Rows {
					inRange("row", r.Line)
				}
			}
		}
		for _, l := range d.Links {
			inRange("link", l.Line)
		}
		for _, c := range d.Comments {
			inRange("comment", c.Line)
			if c.Start >= c.End || c.End > len(d.Body) {
				t.Fatalf("comment spans %d..%d of %d", c.Start, c.End, len(d.Body))
			}
		}
	})
}
