package check_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/check"
)

// FuzzCheck: no document makes a rule panic, and every finding names a
// rule and a line of the document.
func FuzzCheck(f *testing.F) {
	for _, doc := range examplePortfolio(f, "technical") {
		f.Add(doc)
	}
	seeds, _ := filepath.Glob("testdata/report/*/*.md")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("---\nkind: retro\ntrack: technical\n---\n# R\n\n## Metrics vs target\n\n| Metric | Target |\n|---|\n| x |\n\n## Action items\n\n- \n"))
	// One checker for every input: the portfolio it reads is the input,
	// under each name, so a retro's linked PRD is the input too.
	p := portfolio{}
	c := newChecker(f, p)
	f.Fuzz(func(t *testing.T, input []byte) {
		for _, name := range []string{"prd/x.md", "story/x.md", "retro/x.md", "notes/x.md"} {
			p[name] = input
		}
		for _, name := range []string{"prd/x.md", "story/x.md", "retro/x.md", "notes/x.md"} {
			d, _, err := c.Document(check.Input{Path: name, Explicit: true})
			if err != nil {
				t.Fatal(err)
			}
			if d == nil {
				// Nothing says it is a document: skipped.
				continue
			}
			lines := bytes.Count(input, []byte("\n")) + 1
			for _, fd := range d.Findings {
				if fd.Rule == "" || fd.Line < 0 || fd.Line > lines || fd.Message == "" || fd.Severity == check.Off {
					t.Fatalf("%s: bad finding %+v (%d lines)", name, fd, lines)
				}
				if _, err := c.Lookup(fd.Rule); err != nil {
					t.Fatalf("finding of an unknown rule %q", fd.Rule)
				}
			}
		}
	})
}
