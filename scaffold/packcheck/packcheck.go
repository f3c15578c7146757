// Package packcheck tells the checker what a template pack declares: its
// kinds, their sections and their data rules. It keeps package check free
// of the pack loader and its dependencies.
package packcheck

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/pack"
)

// Spec is what check needs to know of p.
func Spec(p *pack.Pack) check.Spec {
	s := check.Spec{Pack: p.Name, Version: p.Version}
	pl := p.Plan()
	for _, k := range p.OrderedKinds() {
		ck := kind(k)
		ck.Target = pl.Target(k.ID)
		s.Kinds = append(s.Kinds, ck)
	}
	s.Plan = &check.Plan{Name: pl.Name}
	for _, m := range pl.Milestones {
		cm := check.Milestone{Name: m.Name, Days: m.Due.Days()}
		for _, d := range m.Documents {
			cm.Documents = append(cm.Documents, check.Due{Kind: d.Kind, Count: d.Count})
		}
		s.Plan.Milestones = append(s.Plan.Milestones, cm)
	}
	return s
}

// kind converts one kind. Sections and rules convert field for field: check
// declares the same shapes, so a field added to one without the other fails
// to compile here rather than being dropped.
func kind(k *pack.Kind) check.Kind {
	ck := check.Kind{ID: k.ID, Name: k.Name, Folder: k.Folder(), Target: k.Target}
	for _, sec := range k.Sections {
		ck.Sections = append(ck.Sections, check.Section(sec))
	}
	for _, r := range k.Rules {
		ck.Rules = append(ck.Rules, check.Pattern(r))
	}
	return ck
}

// Lint returns the checker `pack lint` applies to each rendered sample:
// every rule check would apply to that document in a portfolio, pmfolio's
// own and the pack's, with date as today. Links are not followed: a sample
// stands alone, without the documents it links to.
func Lint(date time.Time) pack.Checker {
	return func(k *pack.Kind, track, path string, content []byte, d *doc.Document) []pack.Message {
		c, err := check.New(check.Spec{Pack: "lint", Kinds: []check.Kind{kind(k)}}, check.Options{
			Read: func(p string) ([]byte, error) {
				if p == path {
					return content, nil
				}
				return nil, fs.ErrNotExist
			},
			Track: track,
			Today: date,
		})
		if err != nil {
			return []pack.Message{{Severity: doc.Error, File: pack.ManifestFile, Line: k.Line, Text: fmt.Sprintf("kind %q: %v", k.ID, err)}}
		}
		res, _, err := c.Document(check.Input{Path: path, Explicit: true})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return []pack.Message{{Severity: doc.Error, File: pack.ManifestFile, Line: k.Line, Text: fmt.Sprintf("kind %q: check the sample: %v", k.ID, err)}}
		}
		if res == nil {
			return nil
		}
		// Required sections are reported at their own line of pack.yaml;
		// a finding of a rule the pack declares, at the rule's line.
		out := pack.CheckSections(k, track, path, content, d)
		ruleLine := map[string]int{}
		for _, r := range k.Rules {
			ruleLine[r.ID] = r.Line
		}
		for _, f := range res.Findings {
			if f.Rule == "doc/section-missing" || f.Rule == "doc/section-empty" {
				continue
			}
			line := k.Line
			if l, ok := ruleLine[f.Rule]; ok {
				line = l
			}
			if f.Severity == doc.Off {
				continue
			}
			out = append(out, pack.Message{Severity: f.Severity, File: pack.ManifestFile, Line: line,
				Text: fmt.Sprintf("kind %q: the sample on the %s track fails %s at line %d of the rendered document: %s", k.ID, track, f.Rule, f.Line, f.Message)})
		}
		return out
	}
}
