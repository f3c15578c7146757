// Package packcheck tells the checker what a template pack declares: its
// kinds, their sections and their data rules. It keeps package check free
// of the pack loader and its dependencies.
package packcheck

import (
	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/pack"
)

// Spec is what check needs to know of p. Sections and rules convert field
// for field: check declares the same shapes, so a field added to one
// without the other fails to compile here rather than being dropped.
func Spec(p *pack.Pack) check.Spec {
	s := check.Spec{Pack: p.Name, Version: p.Version}
	for _, k := range p.OrderedKinds() {
		ck := check.Kind{ID: k.ID, Name: k.Name, Folder: k.Folder(), Month: k.Month, Target: k.Target}
		for _, sec := range k.Sections {
			ck.Sections = append(ck.Sections, check.Section(sec))
		}
		for _, r := range k.Rules {
			ck.Rules = append(ck.Rules, check.Pattern(r))
		}
		s.Kinds = append(s.Kinds, ck)
	}
	return s
}
