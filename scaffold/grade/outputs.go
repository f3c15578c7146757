package grade

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/check"
)

// Output files of a grading, in the output folder.
const (
	CSVFile        = "grades.csv"
	JSONFile       = "grades.json"
	JUnitFile      = "junit.xml"
	ReportFile     = "report.md"
	SimilarityFile = "similarity.json"
	ResultsDir     = "results"
)

// fixedColumns are the columns of grades.csv after the roster's and the
// criteria's.
var fixedColumns = []string{"total", "late_penalty", "final", "status"}

// write writes every output into dir.
func (c *cohort) write(dir string) error {
	files := []struct {
		name string
		fn   func() ([]byte, error)
	}{
		{CSVFile, c.csv},
		{JSONFile, c.json},
		{JUnitFile, c.junit},
		{ReportFile, c.report},
		{SimilarityFile, func() ([]byte, error) { return marshalIndent(c.sim) }},
	}
	for _, f := range files {
		data, err := f.fn()
		if err != nil {
			return fmt.Errorf("grade: %s: %w", f.name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.name), data, 0o644); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, ResultsDir), 0o755); err != nil {
		return err
	}
	for _, r := range c.results {
		data, err := marshalIndent(c.gradescope(r))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, ResultsDir, r.Student+".json"), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func marshalIndent(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// csv is grades.csv, for a gradebook: the roster's columns as the roster
// has them (identifiers first), one column per criterion (manual ones
// empty, for a person), then total, late penalty, final and status.
// Numbers keep their decimals, with a point.
func (c *cohort) csv() ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	header := append([]string(nil), c.meta.Header...)
	for _, cr := range c.assign.Rubric {
		header = append(header, cr.ID)
	}
	fixed := append([]string(nil), fixedColumns...)
	if c.assign.GradebookColumn != "" {
		fixed[2] = c.assign.GradebookColumn
	}
	if err := w.Write(append(header, fixed...)); err != nil {
		return nil, err
	}
	for _, r := range c.results {
		row := append([]string(nil), r.row...)
		for _, s := range r.Criteria {
			v := ""
			if s.Points != nil {
				v = s.Points.String()
			}
			row = append(row, v)
		}
		row = append(row, r.Total.String(), r.Penalty.String(), r.Final.String(), r.Status)
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// Grades is grades.json: the whole grading (docs/grading.md documents
// it).
type Grades struct {
	Format     int           `json:"pmfolio_grades"`
	Assignment GradesHeader  `json:"assignment"`
	Summary    GradesSummary `json:"summary"`
	Students   []*Result     `json:"students"`
}

// GradesHeader says what was graded and how.
type GradesHeader struct {
	Name     string      `json:"name"`
	Pack     PackRef     `json:"pack"`
	Due      string      `json:"due"`
	Timezone string      `json:"timezone,omitempty"`
	Points   Points      `json:"points"`
	Late     *LateRules  `json:"late,omitempty"`
	Criteria []Criterion `json:"criteria"`
}

// GradesSummary counts the cohort.
type GradesSummary struct {
	Students int    `json:"students"`
	Graded   int    `json:"graded"`
	Late     int    `json:"late"`
	Missing  int    `json:"missing"`
	Errors   int    `json:"error"`
	Mean     Points `json:"mean"`
	Median   Points `json:"median"`
	// Pairs is how many pairs the similarity review lists.
	Pairs int `json:"similar_pairs"`
}

func (c *cohort) header() GradesHeader {
	a := c.assign
	p := a.Pack
	p.Version = c.meta.PackVersion
	return GradesHeader{Name: a.Name, Pack: p, Due: a.DueTime.Format("2006-01-02T15:04:05Z07:00"), Timezone: a.Timezone,
		Points: Points(a.Points()), Late: a.Late, Criteria: a.Rubric}
}

func (c *cohort) summary() GradesSummary {
	s := GradesSummary{Students: len(c.results), Pairs: len(c.sim.Pairs)}
	var finals []float64
	for _, r := range c.results {
		switch r.Status {
		case StatusGraded:
			s.Graded++
		case StatusLate:
			s.Late++
		case StatusMissing:
			s.Missing++
		default:
			s.Errors++
		}
		finals = append(finals, float64(r.Final))
	}
	s.Mean, s.Median = Points(round2(mean(finals))), Points(round2(median(finals)))
	return s
}

func (c *cohort) json() ([]byte, error) {
	return marshalIndent(Grades{Format: 1, Assignment: c.header(), Summary: c.summary(), Students: c.results})
}

// gradescope is a student's results.json in Gradescope's autograder
// format: the score (the final grade), one test per automatic criterion
// with its score, max_score, status and what it found, and the
// submission as a whole in output.
func (c *cohort) gradescope(r *Result) any {
	type test struct {
		Name     string `json:"name"`
		Number   string `json:"number"`
		Score    Points `json:"score"`
		MaxScore Points `json:"max_score"`
		Status   string `json:"status"`
		Output   string `json:"output"`
	}
	type results struct {
		Score     Points            `json:"score"`
		Output    string            `json:"output"`
		Tests     []test            `json:"tests"`
		ExtraData map[string]string `json:"extra_data"`
	}
	out := results{Score: r.Final, Output: c.summaryLine(r), Tests: []test{}, ExtraData: map[string]string{"student": r.Student, "status": r.Status}}
	for i, s := range r.Criteria {
		if s.Manual {
			continue
		}
		cr := c.assign.Rubric[i]
		t := test{Name: criterionTitle(cr), Number: fmt.Sprint(i + 1), Score: *s.Points, MaxScore: s.Max, Status: "passed",
			Output: c.criterionOutput(r, cr)}
		if *s.Points < s.Max {
			t.Status = "failed"
		}
		out.Tests = append(out.Tests, t)
	}
	return out
}

func criterionTitle(cr Criterion) string {
	if cr.Name != "" {
		return cr.Name
	}
	return cr.ID
}

// summaryLine says, in a sentence or two, what was graded and how it came
// out.
func (c *cohort) summaryLine(r *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s of %s points", c.assign.Name, r.Final, Points(c.assign.Points()))
	switch {
	case r.Error != "":
		fmt.Fprintf(&b, " (%s: %s)", r.Status, r.Error)
	case r.Commit != nil:
		fmt.Fprintf(&b, ", graded at commit %.12s of %s (%s)", r.Commit.Hash, r.Branch, r.Commit.Date)
	}
	if r.Late != nil && r.Late.Used {
		fmt.Fprintf(&b, "; %d day(s) late, less %s points", r.Late.Days, r.Penalty)
	}
	b.WriteString(".")
	for _, m := range r.Missing {
		fmt.Fprintf(&b, " %d of %d %s document(s).", m.Have, m.Want, m.Kind)
	}
	for _, n := range r.Notes {
		b.WriteString(" " + n + ".")
	}
	return b.String()
}

// criterionOutput says, per document a criterion looked at, what it
// found.
func (c *cohort) criterionOutput(r *Result, cr Criterion) string {
	kinds := c.meta.Kinds[cr.ID]
	var lines []string
	for _, d := range r.Documents {
		if !contains(kinds, d.Kind) {
			continue
		}
		var found []string
		for _, f := range d.Findings {
			if contains(cr.allRules(), f.Rule) && (f.Severity == "error" || f.Severity == "warning") {
				found = append(found, fmt.Sprintf("  %s:%d: %s (%s)", d.Path, f.Line, f.Message, f.Rule))
			}
		}
		for _, id := range d.Unjudged {
			if contains(cr.allRules(), id) {
				found = append(found, fmt.Sprintf("  %s: nothing to judge, the section it reads is missing or empty", id))
			}
		}
		credit := d.Credit[cr.ID]
		switch {
		case len(found) > 0:
			lines = append(lines, fmt.Sprintf("%s: %s of the credit", d.Path, percent(credit)))
			lines = append(lines, found...)
		case len(cr.allRules()) > 0:
			lines = append(lines, d.Path+": passes")
		case cr.Section != "" && credit == 1:
			lines = append(lines, fmt.Sprintf("%s: %q is there and filled", d.Path, cr.Section))
		case cr.Section != "":
			lines = append(lines, fmt.Sprintf("%s: %q is missing or empty", d.Path, cr.Section))
		case cr.MinScore != nil:
			lines = append(lines, fmt.Sprintf("%s: score %d (full credit from %d): %s of the credit", d.Path, d.Score, *cr.MinScore, percent(credit)))
		}
	}
	for _, m := range r.Missing {
		if contains(kinds, m.Kind) {
			lines = append(lines, fmt.Sprintf("%d %s document(s) missing: %d of %d", m.Want-m.Have, m.Kind, m.Have, m.Want))
		}
	}
	if r.Error != "" {
		lines = append(lines, r.Error)
	}
	return strings.Join(lines, "\n")
}

func percent(p Points) string { return fmt.Sprintf("%d%%", int(float64(p)*100+0.5)) }

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// JUnit XML, in the Apache Ant schema GitLab and Jenkins read (check's
// types): a test suite per student, a test case per criterion, failing
// when it did not earn its points (an error when the student could not be
// graded), and skipped when a person grades it. check's JUnitWriter
// writes it, as check's own reports.
func (c *cohort) junit() ([]byte, error) {
	// The schema wants a timestamp: the deadline, so that the file is the
	// same whenever it is made.
	stamp := c.assign.DueTime.UTC().Format("2006-01-02T15:04:05")
	var b bytes.Buffer
	w := check.NewJUnitWriter(&b)
	for i, r := range c.results {
		s := check.JUnitSuite{Package: c.assign.Name, ID: i, Name: r.Student, Timestamp: stamp, Hostname: "pmfolio", Time: "0",
			Properties: []check.JUnitProperty{{Name: "status", Value: r.Status}, {Name: "final", Value: r.Final.String()},
				{Name: "points", Value: Points(c.assign.Points()).String()}},
			SystemOut: c.summaryLine(r)}
		for j, sc := range r.Criteria {
			cr := c.assign.Rubric[j]
			tc := check.JUnitCase{Name: cr.ID, Classname: r.Student, Time: "0"}
			switch {
			case sc.Manual:
				tc.Skipped = &check.JUnitMessage{Message: "graded by a person"}
				s.Skipped++
			case r.Status == StatusError:
				tc.Error = &check.JUnitFailure{Message: r.Error, Type: "error", Text: r.Error}
				s.Errors++
			case *sc.Points < sc.Max:
				tc.Failure = &check.JUnitFailure{Message: fmt.Sprintf("%s of %s points", sc.Points, sc.Max), Type: "points", Text: c.criterionOutput(r, cr)}
				s.Failures++
			}
			s.Tests++
			s.Cases = append(s.Cases, tc)
		}
		w.Write(&s)
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
