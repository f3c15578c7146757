package grade

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// report is report.md, for the instructor: how the cohort did, what to
// teach next, who needs following up, whose commit dates to look at, and
// the pairs of documents to review for similarity.
func (c *cohort) report() ([]byte, error) {
	a := c.assign
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	h := c.header()
	p("# Grades: %s\n\n", a.Name)
	p("Due %s (%s); graded with pack %s %s, the course's rules only; %d students, %s points each",
		a.DueTime.Format("2006-01-02 15:04 MST"), cmp.Or(a.Timezone, "its offset"), h.Pack.Name, h.Pack.Version, len(c.results), h.Points)
	if manual := c.manualPoints(); manual > 0 {
		p(" (and %s more graded by a person)", Points(manual))
	}
	p(".\n\n")
	c.distribution(&b)
	c.teachNext(&b)
	c.followUp(&b)
	c.dates(&b)
	c.similarity(&b)
	return []byte(b.String()), nil
}

func (c *cohort) manualPoints() float64 {
	m := 0.0
	for _, cr := range c.assign.Rubric {
		if cr.Manual {
			m += cr.Points
		}
	}
	return m
}

// distribution is a histogram of the final grades, in tenths of the
// points.
func (c *cohort) distribution(b *strings.Builder) {
	total := c.assign.Points()
	s := c.summary()
	fmt.Fprintf(b, "## Distribution\n\n")
	fmt.Fprintf(b, "Final grades (missing work and errors count 0): mean %s, median %s of %s.\n\n", s.Mean, s.Median, Points(total))
	fmt.Fprintf(b, "| final | students | |\n|---|---:|---|\n")
	buckets := make([]int, 10)
	for _, r := range c.results {
		i := 0
		if total > 0 {
			i = int(float64(r.Final) / total * 10)
		}
		buckets[min(max(i, 0), 9)]++
	}
	for i := 9; i >= 0; i-- {
		label := fmt.Sprintf("%d–%d%%", i*10, i*10+9)
		if i == 9 {
			label = "90–100%"
		}
		fmt.Fprintf(b, "| %s | %d | %s |\n", label, buckets[i], strings.Repeat("█", buckets[i]))
	}
	fmt.Fprintf(b, "\n| status | students |\n|---|---:|\n| graded | %d |\n| late | %d |\n| missing | %d |\n| error | %d |\n\n", s.Graded, s.Late, s.Missing, s.Errors)
}

// teachNext lists the findings most students have in the graded
// documents: what the cohort has not learnt yet.
func (c *cohort) teachNext(b *strings.Builder) {
	type count struct {
		rule               string
		students, findings int
	}
	by := map[string]*count{}
	for _, r := range c.results {
		seen := map[string]bool{}
		for _, d := range r.Documents {
			for _, f := range d.Findings {
				if f.Severity != "error" && f.Severity != "warning" {
					continue
				}
				n := by[f.Rule]
				if n == nil {
					n = &count{rule: f.Rule}
					by[f.Rule] = n
				}
				n.findings++
				if !seen[f.Rule] {
					seen[f.Rule] = true
					n.students++
				}
			}
		}
	}
	var counts []*count
	for _, n := range by {
		counts = append(counts, n)
	}
	sort.Slice(counts, func(i, j int) bool {
		x, y := counts[i], counts[j]
		return cmp.Or(cmp.Compare(y.students, x.students), cmp.Compare(y.findings, x.findings), strings.Compare(x.rule, y.rule)) < 0
	})
	fmt.Fprintf(b, "## What to teach next\n\n")
	if len(counts) == 0 {
		fmt.Fprintf(b, "No graded document has an error or a warning.\n\n")
		return
	}
	fmt.Fprintf(b, "The findings most students have in the documents graded (`pmfolio check --explain RULE` says why each matters and how to fix it):\n\n")
	fmt.Fprintf(b, "| rule | students | findings | the standard asks |\n|---|---:|---:|---|\n")
	for _, n := range counts[:min(len(counts), 10)] {
		fmt.Fprintf(b, "| `%s` | %d of %d | %d | %s |\n", n.rule, n.students, len(c.results), n.findings, cell(c.meta.Rules[n.rule]))
	}
	b.WriteString("\n")
}

// followUp lists the students who could not be graded, whose work is
// missing or short, and who were late.
func (c *cohort) followUp(b *strings.Builder) {
	fmt.Fprintf(b, "## Students to follow up\n\n")
	listed := false
	section := func(title string, lines []string) {
		if len(lines) == 0 {
			return
		}
		listed = true
		fmt.Fprintf(b, "### %s\n\n", title)
		for _, l := range lines {
			fmt.Fprintf(b, "- %s\n", l)
		}
		b.WriteString("\n")
	}
	var errs, missing, short, late []string
	for _, r := range c.results {
		who := fmt.Sprintf("%s (`%s`)", cell(r.Name), r.Student)
		switch r.Status {
		case StatusError:
			errs = append(errs, fmt.Sprintf("%s: %s", who, r.Error))
		case StatusMissing:
			missing = append(missing, fmt.Sprintf("%s: %s", who, r.Error))
		}
		var gaps []string
		for _, m := range r.Missing {
			gaps = append(gaps, fmt.Sprintf("%d of %d %s", m.Have, m.Want, m.Kind))
		}
		if len(gaps) > 0 && (r.Status == StatusGraded || r.Status == StatusLate) {
			short = append(short, fmt.Sprintf("%s: %s", who, strings.Join(gaps, ", ")))
		}
		if r.Late != nil {
			what := "not graded (the late policy gives late work nothing)"
			switch {
			case r.Late.Used:
				what = fmt.Sprintf("graded late: %s less a penalty of %s", r.Late.Total, r.Late.Penalty)
			case c.assign.Late != nil && !c.assign.Late.NoCredit:
				what = fmt.Sprintf("the state at the deadline earned more than the late one (%s less %s)", r.Late.Total, r.Late.Penalty)
			}
			late = append(late, fmt.Sprintf("%s: %d commit(s) after the deadline, the last on %s (%d day(s) late); %s", who, r.Late.Commits, r.Late.Last, r.Late.Days, what))
		}
	}
	section("Could not be graded", errs)
	section("Missing work", missing)
	section("Documents short of the assignment", short)
	section("Late", late)
	if !listed {
		b.WriteString("Everybody handed in everything on time.\n\n")
	}
}

// dates says which commit dates the grade trusted, and which to look at.
func (c *cohort) dates(b *strings.Builder) {
	n := map[string]int{}
	var flagged []string
	for _, r := range c.results {
		ci := r.Commit
		if r.OnTime != nil {
			ci = r.OnTime
		}
		if ci == nil || ci.Trust == "" {
			continue
		}
		n[ci.Trust]++
		if ci.Trust == TrustSuspicious {
			for _, note := range r.Notes {
				if strings.Contains(note, "first saw it") {
					flagged = append(flagged, fmt.Sprintf("%s (`%s`): %s", cell(r.Name), r.Student, note))
				}
			}
		}
	}
	a := c.assign
	fmt.Fprintf(b, "## Commit dates\n\n")
	fmt.Fprintf(b, "A commit's date is set by the student's machine. pmfolio records when it first sees each commit; the grade takes the last commit dated at or before the deadline, and of those commits:\n\n")
	fmt.Fprintf(b, "- %d were seen by pmfolio by %s after the deadline: their dates are verified;\n", n[TrustVerified], a.SuspiciousAfterText())
	fmt.Fprintf(b, "- %d were first seen later, on pmfolio's first look at the repository: their dates are trusted as committed (grade on a schedule, before the deadline, to verify them);\n", n[TrustTrusted])
	fmt.Fprintf(b, "- %d were first seen more than %s after the deadline although pmfolio had looked at the repository before: flagged for review.\n\n", n[TrustSuspicious], a.SuspiciousAfterText())
	for _, f := range flagged {
		fmt.Fprintf(b, "- %s\n", f)
	}
	if len(flagged) > 0 {
		b.WriteString("\n")
	}
}

// SuspiciousAfterText is the threshold as the report says it.
func (a *Assignment) SuspiciousAfterText() string {
	if a.SuspiciousAfter != "" {
		return a.SuspiciousAfter
	}
	return "24h"
}

// similarity lists the pairs to review.
func (c *cohort) similarity(b *strings.Builder) {
	fmt.Fprintf(b, "## Similarity to review\n\n")
	if c.assign.Similarity.Off {
		b.WriteString("The review is turned off for this assignment.\n")
		return
	}
	fmt.Fprintf(b, "%s Details in similarity.json.\n\n", similarityNote)
	if len(c.sim.Pairs) == 0 {
		fmt.Fprintf(b, "No pair shares more than %d%% of its text.\n", int(c.assign.Similarity.Threshold*100))
		return
	}
	fmt.Fprintf(b, "| student | document | student | document | similarity | shared fingerprints |\n|---|---|---|---|---:|---:|\n")
	for _, p := range c.sim.Pairs {
		fmt.Fprintf(b, "| `%s` | %s | `%s` | %s | %d%% | %d |\n", p.A.Student, cell(p.A.Path), p.B.Student, cell(p.B.Path), int(float64(p.Similarity)*100+0.5), p.Shared)
	}
	b.WriteString("\n")
	for _, p := range c.sim.Pairs {
		fmt.Fprintf(b, "### `%s` %s and `%s` %s\n\n", p.A.Student, p.A.Path, p.B.Student, p.B.Path)
		for _, ps := range p.Passages {
			fmt.Fprintf(b, "- line %d, and line %d of the other: %q\n", ps.ALine, ps.BLine, ps.Text)
		}
		b.WriteString("\n")
	}
}

// cell makes text safe in a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
