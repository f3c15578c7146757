package doc

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// TestNoDefinitionsParserSameTree holds parseMarkdown's shortcut to its
// promise: on a body without "]:", the parser without the link reference
// definition transformer builds the tree the full one builds. The bodies
// are the hand-written documents of check's corpus and the default pack's
// templates (each with its definitions, if any, undone) and a few made to
// look like definitions.
func TestNoDefinitionsParserSameTree(t *testing.T) {
	bodies := map[string]string{
		"brackets":        "# T\n\n[Your Name], [MM/DD/YYYY]\n\n- [ ] task\n- [Owner] [date]\n",
		"colon after":     "[label] : /url\n\n[label]\n: /url\n",
		"refs unresolved": "See [the spec][spec] and [spec].\n\n[spec] /nowhere\n",
		"empty paragraph": "[]\n\n[\n]\n\n  [a]  \n",
		"table":           "| [a] | b |\n| --- | --- |\n| [c] | d |\n",
		"nested":          "> [quote]\n>\n> - [item]\n>   [more]\n",
	}
	n := 0
	for _, root := range []string{"../check/testdata/corpus", "../../templates"} {
		_ = filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.Contains(e.Name(), ".md") {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			bodies[path] = strings.ReplaceAll(string(b), "]:", "] :")
			n++
			return nil
		})
	}
	if n < 20 {
		t.Fatalf("found %d documents in the corpus and the templates, want at least 20", n)
	}
	for name, body := range bodies {
		src := []byte(body)
		if bytes.Contains(src, []byte("]:")) {
			t.Fatalf("%s: holds a definition", name)
		}
		full := dumpTree(md().Parser().Parse(text.NewReader(src)), src)
		short := dumpTree(mdNoDefs().Parser().Parse(text.NewReader(src)), src)
		if full != short {
			t.Errorf("%s: trees differ\nfull parser:\n%s\nwithout definitions:\n%s", name, full, short)
		}
	}
}

// TestParseKeepsDefinitions: a body with a definition still has it read,
// and the reference link it defines is a link.
func TestParseKeepsDefinitions(t *testing.T) {
	d, err := Parse("a.md", []byte("See [the spec].\n\n[the spec]: https://example.com/spec\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Links) != 1 || d.Links[0].Dest != "https://example.com/spec" {
		t.Fatalf("links = %+v, want the defined one", d.Links)
	}
}

// dumpTree writes a tree as its kinds, the source ranges of its blocks'
// lines, its texts' segments and its links' destinations, one node a line.
func dumpTree(root ast.Node, src []byte) string {
	var b strings.Builder
	depth := 0
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			depth--
			return ast.WalkContinue, nil
		}
		depth++
		fmt.Fprintf(&b, "%s%s", strings.Repeat(" ", depth), n.Kind())
		if n.Type() == ast.TypeBlock {
			for i := 0; i < n.Lines().Len(); i++ {
				s := n.Lines().At(i)
				fmt.Fprintf(&b, " [%d:%d]", s.Start, s.Stop)
			}
		}
		switch v := n.(type) {
		case *ast.Text:
			fmt.Fprintf(&b, " %q soft=%v", v.Segment.Value(src), v.SoftLineBreak())
		case *ast.Link:
			fmt.Fprintf(&b, " -> %q", v.Destination)
		}
		b.WriteByte('\n')
		return ast.WalkContinue, nil
	})
	return b.String()
}
