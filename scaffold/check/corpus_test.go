package check_test

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/check"
)

// The corpus: real documents people wrote by hand (KEPs and Rust RFCs as
// technical PRDs, Rust project goals as briefs, incident postmortems) with
// pmfolio front matter added, documents written in the shapes people use
// (release retros, teardowns, STAR answers, interview snapshots), the
// empty templates of each, and loose/ documents with no pmfolio front
// matter. testdata/corpus/SOURCES.md says where each comes from.

const corpusDir = "testdata/corpus"

func readCorpus(t testing.TB) portfolio {
	t.Helper()
	p := portfolio{}
	err := filepath.WalkDir(corpusDir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(name) != ".md" || d.Name() == "SOURCES.md" {
			return err
		}
		data, err := os.ReadFile(name)
		rel, _ := filepath.Rel(corpusDir, name)
		p[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// checkCorpus checks every document of the corpus on its own, as `pmfolio
// check FILE...` would: links are not followed (the corpus holds documents
// cut from their repositories) and the 90-day plan is not measured.
func checkCorpus(t testing.TB, p portfolio) *check.Report {
	t.Helper()
	c := aloneChecker(t, p)
	var in []check.Input
	for k := range p {
		in = append(in, check.Input{Path: k, Explicit: true})
	}
	sort.Slice(in, func(i, j int) bool { return in[i].Path < in[j].Path })
	rep, err := c.Run(check.Inputs(in), false)
	if err != nil {
		t.Fatal(err)
	}
	rep.Apply(check.Policy{})
	return rep
}

func isTemplate(p string) bool { return strings.HasPrefix(path.Base(p), "template-") }

// corpusStats are the figures the issue asks about.
type corpusStats struct {
	findings, missing int
	// scores of finished documents and of templates, by kind.
	finished, templates map[string][]int
}

func statsOf(rep *check.Report) corpusStats {
	s := corpusStats{finished: map[string][]int{}, templates: map[string][]int{}}
	for _, d := range rep.Documents {
		if isTemplate(d.Path) {
			s.templates[d.Kind] = append(s.templates[d.Kind], d.Score)
			continue
		}
		s.finished[d.Kind] = append(s.finished[d.Kind], d.Score)
		for _, f := range d.Findings {
			s.findings++
			if f.Rule == "doc/section-missing" {
				s.missing++
			}
		}
	}
	return s
}

func (s corpusStats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "findings on finished documents: %d, of which doc/section-missing: %d (%.0f%%)\n", s.findings, s.missing, 100*float64(s.missing)/float64(max(s.findings, 1)))
	var kinds []string
	for k := range s.finished {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(&b, "%-10s finished %v, templates %v\n", k, s.finished[k], s.templates[k])
	}
	return b.String()
}

// TestCorpus checks the corpus against testdata/golden/corpus.txt (the
// expected score and findings of every document; -update rewrites it).
func TestCorpus(t *testing.T) {
	rep := checkCorpus(t, readCorpus(t))
	var b strings.Builder
	for _, d := range rep.Documents {
		kind := d.Kind
		if d.KindFrom != check.KindFromFrontMatter {
			kind += " (" + d.KindFrom + ")"
		}
		fmt.Fprintf(&b, "%s  %s · score %d\n", d.Path, kind, d.Score)
		for _, f := range d.Findings {
			fmt.Fprintf(&b, "  %d %s %s: %s\n", f.Line, f.Severity, f.Rule, f.Message)
		}
	}
	s := statsOf(rep)
	t.Logf("\n%s", s)
	// Most findings on finished documents are about what they say, not
	// about headings.
	if 4*s.missing > s.findings {
		t.Errorf("%d of %d findings on finished documents are doc/section-missing", s.missing, s.findings)
	}
	// Every template scores below every finished document of its kind.
	for kind, ts := range s.templates {
		if len(s.finished[kind]) == 0 {
			continue
		}
		if worst, best := slices.Min(s.finished[kind]), slices.Max(ts); best >= worst {
			t.Errorf("%s: a template scores %d, a finished document %d", kind, best, worst)
		}
	}
	golden(t, "corpus.txt", []byte(b.String()))
}
