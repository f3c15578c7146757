package check

import "slices"

// Document is the result of checking one document.
type Document struct {
	Path  string `json:"path"`
	Kind  string `json:"kind"`
	Track string `json:"track"`
	Title string `json:"title"`
	// KindFrom says where the kind comes from: the front matter, --kind,
	// the folder, or a guess from the headings.
	KindFrom string `json:"kind_from,omitempty"`
	// Status is the front matter's status (Draft, Final, ...), for
	// `pmfolio status`; check's reports leave it out.
	Status string `json:"-"`
	// Score is 100 minus 10 per error and 2 per warning, floored at 0.
	Score    int       `json:"score"`
	Findings []Finding `json:"findings"`
	// DependsOn, in a --changed-since run, is the changed or removed
	// file that made this unchanged document worth checking again.
	DependsOn string `json:"depends_on,omitempty"`
	// Suppressed are the findings a directive or the configuration turned
	// off, each with its Suppression: they do not count.
	Suppressed []Finding `json:"suppressed,omitempty"`
	// Rules are the ids of the rules that ran on the document; Disabled
	// those the configuration turned off for it.
	Rules    []string `json:"-"`
	Disabled []string `json:"-"`
	// Filled are the headings of the kind's sections the document has
	// and fills with something of its own, when Options.Sections asks.
	Filled []string `json:"-"`
	// Starved are the rules that read a section the document lacks or
	// leaves unfilled, when Options.Sections asks: they found nothing
	// wrong because they found nothing (doc/section-missing and
	// doc/section-empty report the section once), which a grader does
	// not count as passing.
	Starved []string `json:"-"`
}

// Where a document's kind comes from, for Document.KindFrom.
const (
	KindFromFrontMatter = "front matter"
	KindFromOption      = "--kind"
	KindFromFolder      = "from the folder"
	KindFromHeadings    = "guessed from the headings"
)

// Report is the result of a check run.
type Report struct {
	Documents []Document
	// Plan holds the findings of the portfolio rules, which run when the
	// whole portfolio is checked (Whole); PlanRules are those that ran.
	Plan      []Finding
	PlanRules []string
	// PlanSuppressed are the plan's findings the configuration turned off.
	PlanSuppressed []Finding
	// PlanName names the plan the portfolio rules measured ("90-day
	// plan", "10-week plan").
	PlanName string
	// Progress is the portfolio's progress in the plan, when Whole.
	Progress *Progress
	Whole    bool
	// Score is the mean of the documents' scores (100 without any): the
	// plan is schedule, reported apart, and never lowers it.
	Score int
	// Cache says how many documents came from the findings cache.
	Cache CacheStats
	// Skipped are the files named (or found outside a portfolio) that are
	// not documents, and why.
	Skipped []Skipped
	// Partial is set when the run checked some of the portfolio's
	// documents only (--changed-since): its score is theirs.
	Partial bool
	// ConfigFile is the configuration the run followed (plan findings
	// that concern no document point at it).
	ConfigFile string

	rules []*Rule
	// baseline is set when Apply compared the findings with a baseline;
	// stale are the indexes of its entries Apply found no finding for,
	// about documents the run checked or that are gone, and renamed the
	// findings that matched an entry of a document gone, by index.
	baseline *Baseline
	stale    []int
	renamed  map[int]*Finding
}

// Skipped is a file a run did not check, and why.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Counts sums up a report.
type Counts struct {
	Documents int `json:"documents"`
	Errors    int `json:"errors"`
	Warnings  int `json:"warnings"`
	Infos     int `json:"infos"`
	// Failing findings make check exit 1; Baselined ones were in the
	// baseline and do not.
	Failing   int `json:"failing"`
	Baselined int `json:"baselined"`
	// Stale are baseline entries that no finding matches any more: fixed,
	// or their document is gone (--prune-baseline drops them).
	Stale int `json:"stale_baseline,omitempty"`
	// Skipped are files named that are not documents.
	Skipped int `json:"skipped,omitempty"`
	// Suppressed findings were turned off by a directive or the
	// configuration, and do not count.
	Suppressed int `json:"suppressed"`
}

// points is what a finding of severity s counting for units costs.
func points(s Severity, units int) int {
	units = max(units, 1)
	switch s {
	case Error:
		return 10 * units
	case Warning:
		return 2 * units
	}
	return 0
}

// scoreOf is the standard's formula: 100 less each finding's points.
func scoreOf(fs []Finding) int {
	s := 100
	for _, f := range fs {
		s -= f.Points
	}
	return max(s, 0)
}

func (r *Report) score() {
	total := 0
	for i := range r.Documents {
		d := &r.Documents[i]
		d.Score = scoreOf(d.Findings)
		total += d.Score
	}
	r.Score = 100
	if n := len(r.Documents); n > 0 {
		r.Score = (total + n/2) / n
	}
}

// Policy decides which findings fail the run.
type Policy struct {
	// Strict makes warnings fail as well as errors.
	Strict bool
	// Baseline findings do not fail.
	Baseline *Baseline
	// ScoreBaselined makes baselined findings lower their documents'
	// scores as well; by default a finding in the baseline costs nothing,
	// so that a score agrees with "nothing fails".
	ScoreBaselined bool
	// Exists reports whether a path of the report exists. A baseline
	// entry whose document is gone is stale, unless its finding turns up
	// in a document by its content fingerprint (the document was renamed
	// or moved). nil: no path is known to be gone.
	Exists func(path string) bool
}

// Apply marks each finding failing or baselined under p, scores the
// documents again, and returns the counts.
func (r *Report) Apply(p Policy) Counts {
	r.baseline, r.stale, r.renamed = p.Baseline, nil, nil
	r.each(func(f *Finding) {
		f.Failing = f.Severity == Error || (p.Strict && f.Severity == Warning)
		f.Baselined = false
		if f.cost == 0 {
			f.cost = f.Points
		}
		f.Points = f.cost
	})
	if p.Baseline != nil {
		r.matchBaseline(p)
	}
	if !p.ScoreBaselined {
		r.each(func(f *Finding) {
			if f.Baselined {
				f.Points = 0
			}
		})
	}
	r.score()
	return r.Counts()
}

// matchBaseline marks the findings the baseline holds: by path and
// fingerprint first, then, for entries whose document is gone, by content
// fingerprint; and finds the entries left stale.
func (r *Report) matchBaseline(p Policy) {
	es := p.Baseline.entries
	used := make([]bool, len(es))
	take := func(index map[string][]int, k string) (int, bool) {
		for len(index[k]) > 0 {
			i := index[k][0]
			index[k] = index[k][1:]
			if !used[i] {
				used[i] = true
				return i, true
			}
		}
		return 0, false
	}
	exact := map[string][]int{}
	for i, e := range es {
		exact[e.key()] = append(exact[e.key()], i)
	}
	var left []*Finding
	r.each(func(f *Finding) {
		if _, ok := take(exact, entryOf(f).key()); ok {
			f.Baselined, f.Failing = true, false
		} else if f.Content != "" {
			left = append(left, f)
		}
	})
	gone := func(path string) bool { return p.Exists != nil && !p.Exists(path) }
	moved := map[string][]int{}
	for i, e := range es {
		if !used[i] && e.Content != "" && gone(e.Path) {
			moved[e.moved()] = append(moved[e.moved()], i)
		}
	}
	if len(moved) > 0 {
		r.renamed = map[int]*Finding{}
		for _, f := range left {
			if i, ok := take(moved, entryOf(f).moved()); ok {
				f.Baselined, f.Failing = true, false
				r.renamed[i] = f
			}
		}
	}
	checked := map[string]bool{}
	for _, d := range r.Documents {
		checked[d.Path] = true
	}
	for i, e := range es {
		if !used[i] && (checked[e.Path] || (r.Whole && slices.Contains(r.PlanRules, e.Rule)) || gone(e.Path)) {
			r.stale = append(r.stale, i)
		}
	}
}

// Moved is how many baseline entries the last Apply matched in a
// document renamed or moved.
func (r *Report) Moved() int { return len(r.renamed) }

// Stale are the baseline's entries that the last Apply found stale.
func (r *Report) Stale() []BaselineEntry {
	var out []BaselineEntry
	for _, i := range r.stale {
		out = append(out, r.baseline.entries[i])
	}
	return out
}

// Counts sums the findings as last marked by Apply.
func (r *Report) Counts() Counts {
	c := Counts{Documents: len(r.Documents), Stale: len(r.stale), Skipped: len(r.Skipped), Suppressed: len(r.PlanSuppressed)}
	for _, d := range r.Documents {
		c.Suppressed += len(d.Suppressed)
	}
	r.each(func(f *Finding) {
		switch f.Severity {
		case Error:
			c.Errors++
		case Warning:
			c.Warnings++
		case Info:
			c.Infos++
		}
		if f.Failing {
			c.Failing++
		}
		if f.Baselined {
			c.Baselined++
		}
	})
	return c
}

// each calls fn for every finding, documents first.
func (r *Report) each(fn func(*Finding)) {
	for i := range r.Documents {
		for j := range r.Documents[i].Findings {
			fn(&r.Documents[i].Findings[j])
		}
	}
	for i := range r.Plan {
		fn(&r.Plan[i])
	}
}

// BelowScore lists the documents scoring under min, and "portfolio" when
// the portfolio does.
func (r *Report) BelowScore(min int) []string {
	var out []string
	for _, d := range r.Documents {
		if d.Score < min {
			out = append(out, d.Path)
		}
	}
	if r.Score < min {
		out = append(out, "portfolio")
	}
	return out
}

// planName is the report's plan's name, defaultPlan by default.
func (r *Report) planName() string {
	if r.PlanName == "" {
		return defaultPlan
	}
	return r.PlanName
}
