package grade

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// validate checks the assignment against its pack: kinds the pack has,
// rules that exist and run on a covered kind, sections a covered kind
// has; and settles the kinds each criterion applies to. Every problem is
// reported, each at its line.
func (g *grader) validate() error {
	a := g.assign
	var errs []*yamlfile.Error
	bad := func(path, format string, args ...any) { errs = append(errs, a.errAt(path, format, args...)) }
	for i, d := range a.Documents {
		if _, err := g.pack.Kind(d.Kind); err != nil {
			bad(fmt.Sprintf("documents.%d.kind", i), "pack %q has no kind %q%s (kinds: %s)", g.pack.Name, d.Kind,
				dym(yamlfile.Similar(d.Kind, g.pack.KindOrder)), strings.Join(g.pack.KindOrder, ", "))
		}
	}
	// The course's rules only: no directive in a document turns one off,
	// and no student's configuration is read. Each commit's documents
	// are checked one after the other: the students are graded in
	// parallel.
	proto, err := check.New(g.spec, check.Options{Workers: 1, NoInlineConfig: true, Sections: true})
	if err != nil {
		return err
	}
	g.checker = proto
	for _, r := range proto.Rules() {
		g.rules[r.ID] = r
	}
	covered := func(c *Criterion) []string {
		if len(c.Kinds) > 0 {
			return c.Kinds
		}
		var ks []string
		for _, d := range a.Documents {
			ks = append(ks, d.Kind)
		}
		return ks
	}
	for i := range a.Rubric {
		c := &a.Rubric[i]
		at := fmt.Sprintf("rubric.%d", i)
		var kinds []string
		switch {
		case c.Manual:
		case len(c.allRules()) > 0:
			for j, id := range c.allRules() {
				path := at + ".rule"
				if c.Rule == "" || j > 0 {
					path = fmt.Sprintf("%s.rules.%d", at, j-boolInt(c.Rule != ""))
				}
				r, err := proto.Lookup(id)
				var ue *check.UnknownRuleError
				if errors.As(err, &ue) {
					bad(path, "criterion %q: no rule %q%s", c.ID, id, dym(ue.Similar))
					continue
				}
				if r.Portfolio {
					bad(path, "criterion %q: rule %q is about the whole portfolio's plan, not a document; grade documents' rules", c.ID, id)
					continue
				}
				for _, k := range covered(c) {
					if (r.Kind == "" || r.Kind == k) && !slices.Contains(kinds, k) {
						kinds = append(kinds, k)
					}
				}
			}
			if len(kinds) == 0 && len(errs) == 0 {
				bad(at, "criterion %q: its rules run on none of the kinds it covers (%s)", c.ID, strings.Join(covered(c), ", "))
			}
		case c.Section != "":
			var all []string
			for _, k := range covered(c) {
				ki := slices.IndexFunc(g.spec.Kinds, func(x check.Kind) bool { return x.ID == k })
				if ki < 0 {
					continue
				}
				for _, s := range g.spec.Kinds[ki].Sections {
					all = append(all, s.Heading)
					if sameHeading(s.Heading, c.Section) {
						kinds = append(kinds, k)
						c.Section = s.Heading
						break
					}
				}
			}
			if len(kinds) == 0 {
				bad(at+".section", "criterion %q: no kind it covers (%s) has a section %q%s", c.ID, strings.Join(covered(c), ", "), c.Section, dym(yamlfile.Similar(c.Section, all)))
			}
		default:
			kinds = covered(c)
		}
		g.kinds[c.ID] = kinds
	}
	if len(errs) > 0 {
		return &Errors{Errs: errs}
	}
	return nil
}

// sameHeading compares headings as check matches them: case, numbering
// and punctuation aside.
func sameHeading(a, b string) bool { return doc.HeadingKey(a) == doc.HeadingKey(b) }

func dym(similar []string) string {
	if s := yamlfile.DidYouMean(similar); s != "" {
		return "; " + s
	}
	return ""
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
