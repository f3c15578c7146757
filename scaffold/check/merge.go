package check

import "sort"

// Rebase rewrites every path of the report with to: a run over several
// portfolios names each document relative to the folder it ran in, not to
// its own portfolio.
func (r *Report) Rebase(to func(string) string) {
	rebase := func(fs []Finding) {
		for i := range fs {
			fs[i].Path = to(fs[i].Path)
			if s := fs[i].Suppression; s != nil {
				moved := *s
				moved.File = to(s.File)
				fs[i].Suppression = &moved
			}
		}
	}
	for i := range r.Documents {
		d := &r.Documents[i]
		d.Path = to(d.Path)
		if d.DependsOn != "" {
			d.DependsOn = to(d.DependsOn)
		}
		rebase(d.Findings)
		rebase(d.Suppressed)
	}
	rebase(r.Plan)
	rebase(r.PlanSuppressed)
	for i := range r.Skipped {
		r.Skipped[i].Path = to(r.Skipped[i].Path)
	}
	if r.ConfigFile != "" {
		r.ConfigFile = to(r.ConfigFile)
	}
}

// Merge combines the reports of one run over several portfolios (their
// paths rebased apart) into one: every document, every portfolio's plan
// findings, and the score over them all.
func Merge(reports ...*Report) *Report {
	if len(reports) == 1 {
		return reports[0]
	}
	out := &Report{}
	seen := map[string]bool{}
	ran := map[string]bool{}
	for _, r := range reports {
		out.Documents = append(out.Documents, r.Documents...)
		out.Plan = append(out.Plan, r.Plan...)
		out.PlanSuppressed = append(out.PlanSuppressed, r.PlanSuppressed...)
		out.Skipped = append(out.Skipped, r.Skipped...)
		if out.ConfigFile == "" || (r.Whole && !out.Whole) {
			out.ConfigFile = r.ConfigFile
		}
		out.Whole = out.Whole || r.Whole
		out.Partial = out.Partial || r.Partial
		out.Cache.Hits += r.Cache.Hits
		out.Cache.Misses += r.Cache.Misses
		if out.PlanName == "" {
			out.PlanName = r.PlanName
		}
		for _, id := range r.PlanRules {
			if !ran[id] {
				ran[id] = true
				out.PlanRules = append(out.PlanRules, id)
			}
		}
		for _, rule := range r.rules {
			if !seen[rule.ID] {
				seen[rule.ID] = true
				out.rules = append(out.rules, rule)
			}
		}
	}
	sort.SliceStable(out.Documents, func(i, j int) bool { return out.Documents[i].Path < out.Documents[j].Path })
	sort.SliceStable(out.Skipped, func(i, j int) bool { return out.Skipped[i].Path < out.Skipped[j].Path })
	sort.Slice(out.rules, func(i, j int) bool { return out.rules[i].ID < out.rules[j].ID })
	out.score()
	return out
}
