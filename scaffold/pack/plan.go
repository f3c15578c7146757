package pack

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"
)

// PlanDecl is pack.yaml's plan: the course's length and its milestones,
// each due a number of days, weeks or months after the portfolio's start
// and holding the documents due by then.
//
//	plan:
//	  length: 10 weeks
//	  milestones:
//	    - {name: Discovery, due: 3 weeks, documents: {interview: 5, brief: 1}}
//	    - {name: Build, due: 6 weeks, documents: {prd: 1, decision: 1}}
//	    - {name: Launch and interviews, due: 10 weeks, documents: {retro: 1, story: 5}}
type PlanDecl struct {
	Length     Span            `yaml:"length"`
	Milestones []MilestoneDecl `yaml:"milestones"`
	Line       int             `yaml:"-"`
}

// MilestoneDecl is one milestone as pack.yaml declares it. Documents are
// how many documents of each kind the portfolio has by the milestone, in
// all (not only since the one before).
type MilestoneDecl struct {
	Name      string     `yaml:"name,omitempty"`
	Due       Span       `yaml:"due"`
	Documents KindCounts `yaml:"documents"`
	Line      int        `yaml:"-"`
}

// KindCounts are document counts by kind, in the order pack.yaml gives
// them.
type KindCounts []KindCount

// KindCount is how many documents of a kind.
type KindCount struct {
	Kind  string
	Count int
}

// UnmarshalYAML reads a mapping of kind to count, keeping its order.
func (kc *KindCounts) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: documents is a mapping of kind to how many, e.g. {interview: 5, brief: 1}", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		count, err := strconv.Atoi(v.Value)
		if v.Kind != yaml.ScalarNode || err != nil || count < 1 {
			return fmt.Errorf("line %d: documents: %s: %q is not a count of documents (1 or more)", v.Line, k.Value, v.Value)
		}
		*kc = append(*kc, KindCount{Kind: k.Value, Count: count})
	}
	return nil
}

// Span is a length of time in a plan: days, weeks or months, a month of a
// plan being 30 days (three months make the 90-day plan).
type Span struct {
	N    int
	Unit string // "day", "week" or "month"
}

// Days is the span in days.
func (s Span) Days() int {
	switch s.Unit {
	case "week":
		return 7 * s.N
	case "month":
		return 30 * s.N
	}
	return s.N
}

func (s Span) String() string {
	if s.N == 1 {
		return "1 " + s.Unit
	}
	return fmt.Sprintf("%d %ss", s.N, s.Unit)
}

// Ordinal names the span as a point of the plan: "week 3", "month 1".
func (s Span) Ordinal() string { return fmt.Sprintf("%s %d", s.Unit, s.N) }

var spanRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\s*(?:(\d+)\s*(day|week|month)s?|(day|week|month)\s+(\d+))\s*$`)
})

// ParseSpan reads "10 weeks", "3 months", "90 days", "week 3".
func ParseSpan(s string) (Span, error) {
	m := spanRE().FindStringSubmatch(strings.ToLower(s))
	if m == nil {
		return Span{}, fmt.Errorf("%q is not a span of the plan such as 10 weeks, 3 months or week 3", s)
	}
	n, unit := m[1], m[2]
	if n == "" {
		n, unit = m[4], m[3]
	}
	v, _ := strconv.Atoi(n)
	if v < 1 {
		return Span{}, fmt.Errorf("%q is not a span of the plan: it must be 1 or more", s)
	}
	return Span{N: v, Unit: unit}, nil
}

// UnmarshalYAML reads a span from text.
func (s *Span) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: a span of the plan is text such as 10 weeks", n.Line)
	}
	v, err := ParseSpan(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %v", n.Line, err)
	}
	*s = v
	return nil
}

// MarshalYAML writes a span as text.
func (s Span) MarshalYAML() (any, error) { return s.String(), nil }

// Plan is the plan a portfolio follows with a pack: from the pack's plan:
// when it (or a pack it extends) declares one, else the 90-day plan its
// kinds' month and target keys make. check's plan rules, the README index
// and status read it from here.
type Plan struct {
	// Name is what messages call it: "10-week plan", "90-day plan".
	Name string
	// Length is the whole plan; Milestones come in order of due date.
	Length     Span
	Milestones []Milestone
}

// Milestone is one milestone of a plan.
type Milestone struct {
	// Name is the milestone's name, else where it falls: "month 1".
	Name string
	// Due is when it falls, after the plan's start.
	Due Span
	// Documents are how many documents of each kind the portfolio has
	// by then, in all.
	Documents KindCounts
}

// DueDate is the day the milestone falls on for a plan started on start.
func (m *Milestone) DueDate(start time.Time) time.Time { return start.AddDate(0, 0, m.Due.Days()) }

// Plan returns the pack's plan.
func (p *Pack) Plan() *Plan {
	if p.PlanDecl != nil {
		pl := &Plan{Length: p.PlanDecl.Length, Name: fmt.Sprintf("%d-%s plan", p.PlanDecl.Length.N, p.PlanDecl.Length.Unit)}
		for _, md := range p.PlanDecl.Milestones {
			name := md.Name
			if name == "" {
				name = md.Due.Ordinal()
			}
			pl.Milestones = append(pl.Milestones, Milestone{Name: name, Due: md.Due, Documents: md.Documents})
		}
		return pl
	}
	// The kinds' months make the 90-day plan: one milestone a month.
	pl := &Plan{Name: "90-day plan", Length: Span{N: 90, Unit: "day"}}
	for month := 1; month <= 3; month++ {
		m := Milestone{Name: fmt.Sprintf("month %d", month), Due: Span{N: month, Unit: "month"}}
		for _, k := range p.OrderedKinds() {
			if k.Month == month && k.Target > 0 {
				m.Documents = append(m.Documents, KindCount{Kind: k.ID, Count: k.Target})
			}
		}
		if len(m.Documents) > 0 {
			pl.Milestones = append(pl.Milestones, m)
		}
	}
	return pl
}

// Due returns the first milestone that expects documents of kind, and how
// many; nil when the plan expects none.
func (pl *Plan) Due(kind string) (*Milestone, int) {
	for i := range pl.Milestones {
		for _, kc := range pl.Milestones[i].Documents {
			if kc.Kind == kind {
				return &pl.Milestones[i], kc.Count
			}
		}
	}
	return nil, 0
}

// Target is how many documents of kind the plan expects by its end.
func (pl *Plan) Target(kind string) int {
	n := 0
	for _, m := range pl.Milestones {
		for _, kc := range m.Documents {
			if kc.Kind == kind {
				n = kc.Count
			}
		}
	}
	return n
}

// validatePlan checks a declared plan: milestones in order of due date,
// within the plan's length. That their kinds exist is checked once the
// pack (and what it extends) is loaded.
func (m *Manifest) validatePlan(pr *problems) {
	pl := m.PlanDecl
	if pl == nil {
		return
	}
	if pl.Length.N == 0 {
		pr.add(pl.Line, "plan: length is missing; give the course's length, e.g. length: 10 weeks")
	}
	if len(pl.Milestones) == 0 {
		pr.add(pl.Line, "plan: no milestones; give each with its due date and the documents due by then")
	}
	prev := 0
	for _, ms := range pl.Milestones {
		days := ms.Due.Days()
		switch {
		case ms.Due.N == 0:
			pr.add(ms.Line, "plan: a milestone has no due: (e.g. due: 3 weeks)")
		case days <= prev:
			pr.add(ms.Line, "plan: milestone %q is due %s, not after the one before it; list milestones in order", ms.Name, ms.Due)
		case pl.Length.N > 0 && days > pl.Length.Days():
			pr.add(ms.Line, "plan: milestone %q is due %s, after the plan's length (%s)", ms.Name, ms.Due, pl.Length)
		}
		prev = max(prev, days)
		if len(ms.Documents) == 0 {
			pr.add(ms.Line, "plan: milestone %q expects no documents; give documents: {KIND: COUNT}", ms.Name)
		}
	}
}
