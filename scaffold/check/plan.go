package check

import (
	"fmt"
	"strings"
	"time"
)

// The 90-day plan: month 1, five interview notes and a brief that links
// them; month 2, a PRD and a retro that links it and reports its metric by
// name; month 3, a teardown and five STAR stories across several
// competencies, one about a failure. The plan is schedule, not quality: its
// findings are warnings (info for a month that has not ended yet), apart
// from the documents' and never in a score, unless Options.StrictPlan
// makes the gaps of the months that have ended errors.

const planFramework = "pmfolio 90-day plan"

// defaultPlan is the name of the plan the default pack's months make.
const defaultPlan = "90-day plan"

// minCompetencies is how many competencies "several" means.
const minCompetencies = 3

func planRules() []*Rule {
	return []*Rule{
		{
			ID: "plan/documents", Portfolio: true, Severity: Warning, Framework: planFramework,
			Message: "the portfolio has the documents the 90-day plan expects of each month",
			Explain: `The plan: month 1, five user interview notes and an opportunity brief; month 2,
a PRD and its launch retrospective; month 3, a teardown and five STAR stories.
Each kind's target comes from the pack. A month that has not ended yet (by
'start' in pmfolio.yaml and today's date) is reported as info.

Fix: write the missing documents with 'pmfolio new KIND'.`,
			plan: planDocuments,
		},
		{
			ID: "plan/brief-links-interviews", Portfolio: true, Severity: Warning, Framework: planFramework + "; Teresa Torres' continuous discovery",
			Message: "a brief links the interview notes of month 1",
			Explain: `The brief is the synthesis of month 1's conversations: it must link the
interview notes of the portfolio it is built on, so that a reader can follow
each claim back to a conversation.

Fix: link each interview note from the brief's Evidence section.`,
			plan: planBrief,
		},
		{
			ID: "plan/retro-follows-prd", Portfolio: true, Severity: Warning, Framework: planFramework + "; SRE postmortem",
			Message: "a retro links the PRD and reports its metric by name",
			Explain: `Month 2 closes the loop: the retrospective links the PRD of the feature and
reports the PRD's success metric, by the same name, against its target.

Fix: link the PRD from the retro's Goals and name the PRD's metrics in the
retro's metrics table.`,
			plan: planRetro,
		},
		{
			ID: "plan/story-competencies", Portfolio: true, Severity: Warning, Framework: planFramework + "; STAR method",
			Message: "the stories cover several competencies",
			Explain: `Interviewers ask about leadership and influence, a challenge, a failure, a
success, teamwork, or their company's principles. Five stories about the
same competency leave the other questions unanswered.

Fix: write stories for at least three different competencies (the
Competency section's first word names it).`,
			plan: planCompetencies,
		},
		{
			ID: "plan/failure-story", Portfolio: true, Severity: Warning, Framework: planFramework + "; STAR method",
			Message: "one story is about a failure",
			Explain: `"Tell me about a time you failed" is asked in almost every PM interview;
a prepared story with its learning shows self-awareness.

Fix: write a story with competency Failure.`,
			plan: planFailure,
		},
	}
}

type planCtx struct {
	c      *Checker
	byKind map[string][]*summary
	byPath map[string]*summary
	rule   *Rule
	out    []Finding
}

// plan runs the portfolio rules over the documents' summaries. A rule the
// configuration turns off still runs: its findings are kept, with what
// turned them off, as suppressed.
func (c *Checker) plan(sums []*summary) (kept, suppressed []Finding, ran []string) {
	p := &planCtx{c: c, byKind: map[string][]*summary{}, byPath: map[string]*summary{}}
	for _, s := range sums {
		p.byKind[s.kind] = append(p.byKind[s.kind], s)
		p.byPath[s.path] = s
	}
	for _, r := range c.rules {
		if !r.Portfolio {
			continue
		}
		if c.severity(r.ID, r.Severity, c.opts.ConfigFile) != Off {
			ran = append(ran, r.ID)
		}
		p.rule = r
		r.plan(p)
	}
	for _, f := range p.out {
		o, by := c.severityBy(f.Rule, f.Severity, f.Path)
		if o == Off {
			f.Suppression = c.configSuppression(by)
			suppressed = append(suppressed, f)
			continue
		}
		if f.Severity == p.c.byID[f.Rule].Severity || (c.opts.StrictPlan && f.Severity == Error) {
			// A finding the plan lowered to info (not due yet) stays info.
			f.Severity = o
		}
		kept = append(kept, f)
	}
	return kept, suppressed, ran
}

// due says whether a milestone has come, and when it falls.
func (p *planCtx) due(m *Milestone) (bool, time.Time) {
	start := p.c.opts.Start
	if start.IsZero() || m == nil {
		return true, time.Time{}
	}
	end := start.AddDate(0, 0, m.Days)
	return !p.c.opts.Today.Before(end), end
}

// report records a finding for a milestone's documents (m nil: none) at
// file (the configuration file when empty). key tells findings of one
// rule apart in baselines: the message has counts that change as
// documents are written.
func (p *planCtx) report(m *Milestone, file, key string, format string, args ...any) {
	isDue, end := p.due(m)
	sev := p.rule.Severity
	msg := fmt.Sprintf(format, args...)
	if m != nil {
		where := fmt.Sprintf("%s of the %s", m.Name, p.planName())
		switch {
		case end.IsZero():
			msg += fmt.Sprintf(" (%s)", where)
		case !isDue:
			sev = Info
			msg += fmt.Sprintf(" (%s, due %s)", where, end.Format("2006-01-02"))
		case p.c.opts.StrictPlan:
			sev = Error
			msg += fmt.Sprintf(" (%s, due %s)", where, end.Format("2006-01-02"))
		default:
			msg += fmt.Sprintf(" (%s, due %s)", where, end.Format("2006-01-02"))
		}
	}
	if m == nil && p.c.opts.StrictPlan {
		sev = Error
	}
	if file == "" {
		file = p.c.opts.ConfigFile
	}
	framework := p.rule.Framework
	if name := p.planName(); name != defaultPlan {
		// A course's plan is the course's, not pmfolio's.
		framework = strings.Replace(framework, planFramework, fmt.Sprintf("pack %q %s", p.c.spec.Pack, name), 1)
	}
	fp, content := fingerprint(p.rule.ID, file, "90-day plan", key, 0)
	p.out = append(p.out, Finding{Rule: p.rule.ID, Severity: sev, Path: file, Message: msg, Framework: framework,
		Fingerprint: fp, Content: content, Section: p.planName()})
}

func (p *planCtx) planName() string {
	if p.c.spec.Plan == nil {
		return defaultPlan
	}
	return p.c.spec.Plan.Name
}

// milestone is the first milestone that expects documents of kind, nil
// when the plan expects none.
func (p *planCtx) milestone(kind string) *Milestone {
	if p.c.spec.Plan == nil {
		return nil
	}
	for i := range p.c.spec.Plan.Milestones {
		for _, d := range p.c.spec.Plan.Milestones[i].Documents {
			if d.Kind == kind {
				return &p.c.spec.Plan.Milestones[i]
			}
		}
	}
	return nil
}

func (p *planCtx) target(kind string, def int) int {
	if k := p.c.spec.kind(kind); k != nil && k.Target > 0 {
		return k.Target
	}
	return def
}

// planDocuments reports, for each kind, the first milestone whose count
// the portfolio has not reached.
func planDocuments(p *planCtx) {
	if p.c.spec.Plan == nil {
		return
	}
	reported := map[string]bool{}
	for i := range p.c.spec.Plan.Milestones {
		m := &p.c.spec.Plan.Milestones[i]
		for _, d := range m.Documents {
			k := p.c.spec.kind(d.Kind)
			if k == nil || reported[d.Kind] {
				continue
			}
			if n := len(p.byKind[d.Kind]); n < d.Count {
				reported[d.Kind] = true
				p.report(m, "", d.Kind, "%d of the %d %s documents the plan expects (%s)", n, d.Count, d.Kind, k.Name)
			}
		}
	}
}

// linked counts the documents of kind that s links and the portfolio has.
func (p *planCtx) linked(s *summary, kind string) []*summary {
	seen := map[string]bool{}
	var out []*summary
	for _, l := range s.links {
		if d := p.byPath[l]; d != nil && d.kind == kind && !seen[l] {
			seen[l] = true
			out = append(out, d)
		}
	}
	return out
}

func planBrief(p *planCtx) {
	briefs := p.byKind["brief"]
	if len(briefs) == 0 {
		return
	}
	need := p.target("interview", 5)
	best, bestN := briefs[0], -1
	for _, b := range briefs {
		if n := len(p.linked(b, "interview")); n > bestN {
			best, bestN = b, n
		}
	}
	if bestN < need {
		p.report(p.milestone("brief"), best.path, "", "no brief links %d interview notes of the portfolio; %s links %d", need, best.path, bestN)
	}
}

func planRetro(p *planCtx) {
	retros := p.byKind["retro"]
	if len(retros) == 0 {
		return
	}
	var problem string
	var where string
	for _, r := range retros {
		prds := p.linked(r, "prd")
		if len(prds) == 0 {
			if problem == "" {
				problem, where = r.path+" links no PRD of the portfolio", r.path
			}
			continue
		}
		for _, prd := range prds {
			for _, m := range r.metrics {
				if m != "" && strings.Contains(prd.metricsText, m) {
					return
				}
			}
		}
		problem, where = fmt.Sprintf("%s reports none of the success metrics of %s by name", r.path, prds[0].path), r.path
	}
	p.report(p.milestone("retro"), where, "", "%s", problem)
}

func (p *planCtx) competencies() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range p.byKind["story"] {
		if c := s.competency; c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

func planCompetencies(p *planCtx) {
	if len(p.byKind["story"]) == 0 {
		return
	}
	cs := p.competencies()
	if len(cs) < minCompetencies {
		p.report(p.milestone("story"), "", "", "the stories cover %s (%s); cover at least %d", describe(len(cs), "competency", "competencies"), strings.Join(cs, ", "), minCompetencies)
	}
}

func planFailure(p *planCtx) {
	if len(p.byKind["story"]) == 0 {
		return
	}
	for _, c := range p.competencies() {
		if strings.Contains(c, "failure") {
			return
		}
	}
	p.report(p.milestone("story"), "", "", "no story is about a failure")
}

// Progress is where the portfolio stands in its plan, milestone by
// milestone (month by month in the 90-day plan): what is written, what is
// due and the command that writes it.
type Progress struct {
	// Plan names the plan: "90-day plan", "10-week plan".
	Plan   string          `json:"plan"`
	Start  string          `json:"start,omitempty"`
	Today  string          `json:"today"`
	Months []MonthProgress `json:"months"`
	// Next is the command that writes the next document the plan needs,
	// and NextKind that document's kind (for `pmfolio status`).
	Next     string `json:"next,omitempty"`
	NextKind string `json:"-"`
}

// MonthProgress is one milestone of the plan: a month of the 90-day plan.
type MonthProgress struct {
	// Name is the milestone's name ("month 1", "Discovery"); Month its
	// number when it is a month of the plan, else 0.
	Name  string `json:"name"`
	Month int    `json:"month,omitempty"`
	// Due is the milestone's day; empty when the plan has no start.
	Due string `json:"due,omitempty"`
	// State is "done", "due" (passed with gaps), "current" or "upcoming".
	State string         `json:"state"`
	Kinds []KindProgress `json:"kinds"`
}

// KindProgress counts a kind's documents against the plan's target.
type KindProgress struct {
	Kind   string `json:"kind"`
	Have   int    `json:"have"`
	Target int    `json:"target"`
}

// progress measures the documents' summaries against the plan.
func (c *Checker) progress(sums []*summary) *Progress {
	have := map[string]int{}
	for _, s := range sums {
		have[s.kind]++
	}
	p := &planCtx{c: c}
	pr := &Progress{Plan: p.planName(), Today: c.opts.Today.Format("2006-01-02")}
	if !c.opts.Start.IsZero() {
		pr.Start = c.opts.Start.Format("2006-01-02")
	}
	if c.spec.Plan == nil {
		return pr
	}
	prev := c.opts.Start
	for i := range c.spec.Plan.Milestones {
		m := &c.spec.Plan.Milestones[i]
		mp := MonthProgress{Name: m.Name, State: "done"}
		if n, ok := strings.CutPrefix(m.Name, "month "); ok && m.Days%30 == 0 && n == fmt.Sprint(m.Days/30) {
			mp.Month = m.Days / 30
		}
		isDue, end := p.due(m)
		if !end.IsZero() {
			mp.Due = end.Format("2006-01-02")
		}
		for _, d := range m.Documents {
			mp.Kinds = append(mp.Kinds, KindProgress{Kind: d.Kind, Have: have[d.Kind], Target: d.Count})
			if have[d.Kind] >= d.Count {
				continue
			}
			if pr.Next == "" {
				pr.Next, pr.NextKind = "pmfolio new "+d.Kind, d.Kind
			}
			switch {
			case isDue:
				mp.State = "due"
			case !end.IsZero() && !c.opts.Today.Before(prev):
				mp.State = "current"
			default:
				mp.State = "upcoming"
			}
		}
		if !end.IsZero() {
			prev = end
		}
		if len(mp.Kinds) > 0 {
			pr.Months = append(pr.Months, mp)
		}
	}
	return pr
}
