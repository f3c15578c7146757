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

// TestNoDefinitionsParserSameTree holds parseMarkdown's first shortcut to
// its promise: on a body without "]:", the parser without the link
// reference definition transformer builds the tree the full one builds.
func TestNoDefinitionsParserSameTree(t *testing.T) {
	for name, body := range shortcutBodies(t) {
		src := []byte(body)
		full := dumpTree(md().Parser().Parse(text.NewReader(src)), src)
		short := dumpTree(mdNoDefs().Parser().Parse(text.NewReader(src)), src)
		if full != short {
			t.Errorf("%s: trees differ\nfull parser:\n%s\nwithout definitions:\n%s", name, full, short)
		}
	}
}

// TestNoLinksParserSameTree holds parseMarkdown's other shortcut to its
// promise: on a body with neither "]:" nor "](", the parser without the
// link parser builds the tree the full one builds, but for where a run of
// text is cut. The same bodies, each with its links undone too, and
// brackets beside emphasis, code, images, escapes and line ends, where
// the link parser's bookkeeping meets the other inline parsers'.
func TestNoLinksParserSameTree(t *testing.T) {
	bodies := shortcutBodies(t)
	for name, body := range bodies {
		bodies[name] = strings.ReplaceAll(body, "](", "] (")
	}
	for name, body := range map[string]string{
		"emphasis across":   "*foo [bar* baz]\n\n_[a_ b]_ and **[x** y] z**\n\n[*a*] [**b**] [_c_]\n",
		"nested brackets":   "[[a]] [a [b] c] ]] [[ [\n\n- [ ] [x] [[y]]\n",
		"images":            "![alt] ![ ![[a]] !\n\n! [b] !![c]\n",
		"code":              "`[a` b] `[c]` [`d]` e`\n\n``[x]`` [y `]` z]\n",
		"escapes":           "\\[a\\] \\\\[b] [c\\] \\![d]\n",
		"line ends":         "[a\nb] [c\n\n[d]  \n[e]\\\n[f]\n",
		"autolinks, html":   "[<https://a.example>] [<b>c</b>] [<!-- d -->]\n",
		"strikethrough":     "~~[a~~ b] [~~c~~]\n",
		"table":             "| [a] | *[b* |\n| --- | --- |\n| [c] | `[d]` |\n",
		"heading, setext":   "# [Your Name]\n\n[Title]\n===\n\n## [x] *[y]*\n",
		"unfilled template": "## Summary\n\n_Describe this section._\n\n- TBD\n- [Your Name], [MM/DD/YYYY]\n",
	} {
		bodies[name] = body
	}
	for name, body := range bodies {
		src := []byte(body)
		if bytes.Contains(src, []byte("]:")) || bytes.Contains(src, []byte("](")) {
			t.Fatalf("%s: holds a definition or a link", name)
		}
		if got := parserFor(src); got != mdNoLinks() {
			t.Fatalf("%s: parseMarkdown does not take the shortcut", name)
		}
		full := dumpRuns(md().Parser().Parse(text.NewReader(src)), src)
		short := dumpRuns(mdNoLinks().Parser().Parse(text.NewReader(src)), src)
		if full != short {
			t.Errorf("%s: trees differ\nfull parser:\n%s\nwithout links:\n%s", name, full, short)
		}
	}
}

// shortcutBodies are the hand-written documents of check's corpus and the
// default pack's templates (each with its definitions, if any, undone)
// and a few made to look like definitions.
func shortcutBodies(t *testing.T) map[string]string {
	t.Helper()
	bodies := map[string]string{
		"brackets":        "# T\n\n[Your Name], [MM/DD/YYYY]\n\n- [ ] task\n- [Owner] [date]\n",
		"colon after":     "[label] : /url\n\n[label]\n: /url\n",
		"refs unresolved": "See [the spec][spec] and [spec].\n\n[spec] /nowhere\n",
		"empty paragraph": "[]\n\n[\n]\n\n  [a]  \n",
		"table":           "| [a] | b |\n| --- | --- |\n| [c] | d |\n",
		"nested":          "> [quote]\n>\n> - [item]\n>   [more]\n",
	}
	n := 0
	for _, root := range []string{"../check/testdata/corpus", "../../templates", "../../examples/documents"} {
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
		if strings.Contains(body, "]:") {
			t.Fatalf("%s: holds a definition", name)
		}
	}
	return bodies
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

// dumpRuns is dumpTree, with what doc reads of blocks besides (where
// they start, their kind's attributes) and each run of texts that follow one another in
// the source on one line (no line break between them) written as one
// text: where the parser cut the run is the one thing a shortcut may
// change.
func dumpRuns(root ast.Node, src []byte) string {
	var b strings.Builder
	var dump func(n ast.Node, depth int)
	dump = func(n ast.Node, depth int) {
		fmt.Fprintf(&b, "%s%s", strings.Repeat(" ", depth), n.Kind())
		if n.Type() == ast.TypeBlock {
			fmt.Fprintf(&b, " pos=%d blank=%v", n.Pos(), n.HasBlankPreviousLines())
			for i := 0; i < n.Lines().Len(); i++ {
				s := n.Lines().At(i)
				fmt.Fprintf(&b, " [%d:%d+%d]", s.Start, s.Stop, s.Padding)
			}
		}
		switch v := n.(type) {
		case *ast.Link:
			fmt.Fprintf(&b, " -> %q", v.Destination)
		case *ast.Heading:
			fmt.Fprintf(&b, " level=%d", v.Level)
		case *ast.List:
			fmt.Fprintf(&b, " marker=%q start=%d tight=%v", v.Marker, v.Start, v.IsTight)
		case *ast.ListItem:
			fmt.Fprintf(&b, " offset=%d", v.Offset)
		case *ast.Emphasis:
			fmt.Fprintf(&b, " level=%d", v.Level)
		}
		b.WriteByte('\n')
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			tx, ok := c.(*ast.Text)
			if !ok || tx.IsRaw() {
				dump(c, depth+1)
				continue
			}
			seg := tx.Segment
			for {
				next, ok := c.NextSibling().(*ast.Text)
				if !ok || next.IsRaw() || tx.SoftLineBreak() || tx.HardLineBreak() || next.Segment.Start != seg.Stop {
					break
				}
				c, tx, seg.Stop = next, next, next.Segment.Stop
			}
			fmt.Fprintf(&b, "%sText %q soft=%v hard=%v\n", strings.Repeat(" ", depth+1), seg.Value(src), tx.SoftLineBreak(), tx.HardLineBreak())
		}
	}
	dump(root, 0)
	return b.String()
}
