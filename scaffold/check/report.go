package check

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
	// Suppressed are the findings a directive or the configuration turned
	// off, each with its Suppression: they do not count.
	Suppressed []Finding `json:"suppressed,omitempty"`
	// Rules are the ids of the rules that ran on the document; Disabled
	// those the configuration turned off for it.
	Rules    []string `json:"-"`
	Disabled []string `json:"-"`
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

	rules []*Rule
	// baseline is set when Apply compared the findings with a baseline.
	baseline bool
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
}

// Apply marks each finding failing or baselined under p and returns the
// counts.
func (r *Report) Apply(p Policy) Counts {
	var seen map[string]int
	if p.Baseline != nil {
		seen = map[string]int{}
	}
	r.baseline = p.Baseline != nil
	mark := func(f *Finding) {
		f.Failing = f.Severity == Error || (p.Strict && f.Severity == Warning)
		f.Baselined = false
		if seen != nil {
			k := baselineKey(f)
			if seen[k] < p.Baseline.count[k] {
				seen[k]++
				f.Baselined, f.Failing = true, false
			}
		}
	}
	for i := range r.Documents {
		for j := range r.Documents[i].Findings {
			mark(&r.Documents[i].Findings[j])
		}
	}
	for i := range r.Plan {
		mark(&r.Plan[i])
	}
	return r.Counts()
}

// Counts sums the findings as last marked by Apply.
func (r *Report) Counts() Counts {
	c := Counts{Documents: len(r.Documents), Suppressed: len(r.PlanSuppressed)}
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

// planName is the report's plan's name, "90-day plan" by default.
func (r *Report) planName() string {
	if r.PlanName == "" {
		return "90-day plan"
	}
	return r.PlanName
}
