package grade

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
	"gopkg.in/yaml.v3"
)

// Assignment is a parsed assignment file (docs/grading.md documents its
// keys): what the students hand in, by when, and how it is scored.
type Assignment struct {
	Name string `yaml:"name" json:"name"`
	// Pack is the pack, at the version, the course grades with.
	Pack PackRef `yaml:"pack" json:"pack"`
	// Documents are the documents the assignment covers, by kind.
	Documents []Required `yaml:"documents" json:"documents"`
	// Due is the deadline, "2026-03-08 23:59" in Timezone (an IANA
	// name), or an RFC 3339 time with its offset.
	Due      string     `yaml:"due" json:"due"`
	Timezone string     `yaml:"timezone,omitempty" json:"timezone,omitempty"`
	Late     *LateRules `yaml:"late,omitempty" json:"late,omitempty"`
	// SuspiciousAfter is how long after the deadline a commit dated
	// before it may first be seen before it is flagged (default 24h).
	SuspiciousAfter string      `yaml:"suspicious_after,omitempty" json:"suspicious_after,omitempty"`
	Rubric          []Criterion `yaml:"rubric" json:"rubric"`
	Similarity      Similarity  `yaml:"similarity,omitempty" json:"similarity"`
	// GradebookColumn names the final grade's column in grades.csv, as
	// the LMS calls the assignment ("Discovery (4821)"); default "final".
	GradebookColumn string `yaml:"gradebook_column,omitempty" json:"gradebook_column,omitempty"`

	// DueTime is Due in its zone; Grace, Suspicious the durations.
	DueTime    time.Time     `yaml:"-" json:"-"`
	Grace      time.Duration `yaml:"-" json:"-"`
	Suspicious time.Duration `yaml:"-" json:"-"`
	// File is the file the assignment was read from, for messages.
	File string `yaml:"-" json:"-"`
	// lines are the lines of its keys, by path ("late.grace",
	// "rubric.2.rule").
	lines map[string]int
}

// PackRef names a pack at a release: the default pack (no source), or a
// course's from its git repository.
type PackRef struct {
	Name    string `yaml:"name" json:"name"`
	Source  string `yaml:"source,omitempty" json:"source,omitempty"`
	Subdir  string `yaml:"subdir,omitempty" json:"subdir,omitempty"`
	Version string `yaml:"version,omitempty" json:"version,omitempty"`
}

// Required is how many documents of a kind the assignment covers, and
// how much the kind weighs in each criterion.
type Required struct {
	Kind   string  `yaml:"kind" json:"kind"`
	Count  int     `yaml:"count,omitempty" json:"count"`
	Weight float64 `yaml:"weight,omitempty" json:"weight"`
}

// LateRules is the late policy. Days late are counted in whole days (a
// part of one counts) from the deadline plus the grace period.
type LateRules struct {
	Grace string `yaml:"grace,omitempty" json:"grace,omitempty"`
	// PenaltyPerDay and MaxPenalty are percents of the assignment's
	// points.
	PenaltyPerDay float64 `yaml:"penalty_per_day,omitempty" json:"penalty_per_day,omitempty"`
	MaxPenalty    float64 `yaml:"max_penalty,omitempty" json:"max_penalty,omitempty"`
	// NoCredit: late work earns nothing; only the state at the deadline
	// counts. It is also what an assignment without late: means.
	NoCredit bool `yaml:"no_credit,omitempty" json:"no_credit,omitempty"`
}

// Criterion is one line of the rubric: points earned from check's results
// on the covered documents, or left to a person (Manual).
type Criterion struct {
	ID     string  `yaml:"id" json:"id"`
	Name   string  `yaml:"name,omitempty" json:"name,omitempty"`
	Points float64 `yaml:"points" json:"points"`
	// Kinds limits the criterion to some of the covered kinds; by default
	// it applies to every covered kind it can.
	Kinds []string `yaml:"kinds,omitempty" json:"kinds,omitempty"`
	// Rules pass on a document with no error or warning of theirs (each
	// rule a share of the credit); Rule is one of them.
	Rule  string   `yaml:"rule,omitempty" json:"rule,omitempty"`
	Rules []string `yaml:"rules,omitempty" json:"rules,omitempty"`
	// Section passes on a document that has the section and fills it.
	Section string `yaml:"section,omitempty" json:"section,omitempty"`
	// MinScore passes on a document scoring at least that much; from
	// PartialFrom (which scores nothing) up to it, credit grows evenly.
	MinScore    *int `yaml:"min_score,omitempty" json:"min_score,omitempty"`
	PartialFrom *int `yaml:"partial_from,omitempty" json:"partial_from,omitempty"`
	// Manual criteria are a person's to fill in: empty columns.
	Manual bool `yaml:"manual,omitempty" json:"manual,omitempty"`
}

// Similarity sets what the similarity review lists.
type Similarity struct {
	// Off turns the review off.
	Off bool `yaml:"off,omitempty" json:"off,omitempty"`
	// Threshold is the share (0 to 1) of the smaller document's
	// fingerprints the other must hold for a pair to be listed
	// (default 0.15); MinShared how many they must share at least
	// (default 8).
	Threshold float64 `yaml:"threshold,omitempty" json:"threshold"`
	MinShared int     `yaml:"min_shared,omitempty" json:"min_shared"`
	// IgnoreCommon drops fingerprints that more than this share of the
	// cohort has (default 0.2): text everybody has is not similarity.
	IgnoreCommon float64 `yaml:"ignore_common,omitempty" json:"ignore_common"`
}

// allRules are the rules a criterion names, Rule first.
func (c *Criterion) allRules() []string {
	if c.Rule == "" {
		return c.Rules
	}
	return append([]string{c.Rule}, c.Rules...)
}

// Points is the total the automatic criteria can give.
func (a *Assignment) Points() float64 {
	total := 0.0
	for _, c := range a.Rubric {
		if !c.Manual {
			total += c.Points
		}
	}
	return total
}

// required is the requirement of kind, or nil.
func (a *Assignment) required(kind string) *Required {
	for i := range a.Documents {
		if a.Documents[i].Kind == kind {
			return &a.Documents[i]
		}
	}
	return nil
}

// Digest identifies the assignment's content, so that merging shards of
// two different assignments is refused.
func (a *Assignment) digest(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:8])
}

// line is the line of the key at path, else of its nearest parent.
func (a *Assignment) line(path string) int {
	for p := path; p != ""; {
		if l, ok := a.lines[p]; ok {
			return l
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return 0
}

// errAt is a problem at the key at path.
func (a *Assignment) errAt(path, format string, args ...any) *yamlfile.Error {
	return yamlfile.Errorf(a.File, a.line(path), format, args...)
}

var idRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,39}$`) })

// ParseAssignment reads an assignment file and checks what it can without
// the pack: every problem in one run, each at its line, as a
// *yamlfile.Error or an *Errors. Rules and sections are checked against
// the pack by Validate.
func ParseAssignment(file string, data []byte) (*Assignment, error) {
	n, err := yamlfile.Parse(file, data)
	if err != nil {
		return nil, err
	}
	a := &Assignment{File: file, lines: map[string]int{}}
	if errs := yamlfile.DecodeNodeAll(file, n, a); len(errs) > 0 {
		return nil, &Errors{Errs: errs}
	}
	keyLines(n, "", a.lines)
	var errs []*yamlfile.Error
	bad := func(path, format string, args ...any) { errs = append(errs, a.errAt(path, format, args...)) }
	if strings.TrimSpace(a.Name) == "" {
		bad("name", "name is missing: the assignment's name, as the report titles it")
	}
	switch {
	case a.Pack.Name == "":
		bad("pack", "pack: is missing: {name: default} or {name: NAME, source: URL, version: X.Y.Z}")
	case a.Pack.Source != "" && a.Pack.Version == "":
		bad("pack.version", "pack %q: version is missing: the release the course grades with (its tag vX.Y.Z)", a.Pack.Name)
	}
	if len(a.Documents) == 0 {
		bad("documents", "documents: is missing: the kinds the assignment covers, e.g. - {kind: prd, count: 1}")
	}
	seen := map[string]bool{}
	for i := range a.Documents {
		d := &a.Documents[i]
		at := fmt.Sprintf("documents.%d", i)
		switch {
		case d.Kind == "":
			bad(at, "a document without kind:")
		case seen[d.Kind]:
			bad(at+".kind", "kind %q is listed twice", d.Kind)
		}
		seen[d.Kind] = true
		if d.Count == 0 {
			d.Count = 1
		}
		if d.Weight == 0 {
			d.Weight = 1
		}
		if d.Count < 0 || d.Count > 100 {
			bad(at+".count", "kind %q: count %d is not between 1 and 100", d.Kind, d.Count)
		}
		if d.Weight < 0 {
			bad(at+".weight", "kind %q: weight %v is negative", d.Kind, d.Weight)
		}
	}
	if err := a.parseDue(); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, a.parseDurations()...)
	errs = append(errs, a.checkRubric()...)
	s := &a.Similarity
	if s.Threshold < 0 || s.Threshold > 1 || s.IgnoreCommon < 0 || s.IgnoreCommon > 1 || s.MinShared < 0 {
		bad("similarity", "similarity: threshold and ignore_common are shares from 0 to 1, min_shared a count")
	}
	if s.Threshold == 0 {
		s.Threshold = 0.15
	}
	if s.MinShared == 0 {
		s.MinShared = 8
	}
	if s.IgnoreCommon == 0 {
		s.IgnoreCommon = 0.2
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(x, y *yamlfile.Error) int { return x.Line - y.Line })
		return nil, &Errors{Errs: errs}
	}
	return a, nil
}

// checkRubric checks the rubric's own shape: ids, points, one way to earn
// each criterion.
func (a *Assignment) checkRubric() []*yamlfile.Error {
	var errs []*yamlfile.Error
	bad := func(path, format string, args ...any) { errs = append(errs, a.errAt(path, format, args...)) }
	if len(a.Rubric) == 0 {
		bad("rubric", "rubric: is missing: the criteria, each with points and how it is earned")
	}
	ids := map[string]bool{}
	for i := range a.Rubric {
		c := &a.Rubric[i]
		at := fmt.Sprintf("rubric.%d", i)
		switch {
		case !idRE().MatchString(c.ID):
			bad(at+".id", "criterion id %q: lower case letters, digits, - and _ (it names a column of grades.csv)", c.ID)
		case ids[c.ID] || slices.Contains(fixedColumns, c.ID):
			bad(at+".id", "criterion id %q is used twice (or by a column of grades.csv)", c.ID)
		}
		ids[c.ID] = true
		if c.Points <= 0 || c.Points > 10000 {
			bad(at+".points", "criterion %q: points must be above 0", c.ID)
		}
		ways := 0
		if len(c.allRules()) > 0 {
			ways++
		}
		if c.Section != "" {
			ways++
		}
		if c.MinScore != nil {
			ways++
			if *c.MinScore < 1 || *c.MinScore > 100 {
				bad(at+".min_score", "criterion %q: min_score %d is not a score from 1 to 100", c.ID, *c.MinScore)
			}
		}
		if c.PartialFrom != nil && (c.MinScore == nil || *c.PartialFrom < 0 || *c.PartialFrom >= *c.MinScore) {
			bad(at+".partial_from", "criterion %q: partial_from must be a score below min_score", c.ID)
		}
		switch {
		case c.Manual && ways > 0:
			bad(at, "criterion %q: a manual criterion is a person's to grade; it takes no rule, section or min_score", c.ID)
		case !c.Manual && ways == 0:
			bad(at, "criterion %q: say how it is earned: rule:, rules:, section:, min_score: (or manual: true)", c.ID)
		case ways > 1:
			bad(at, "criterion %q: give one of rule/rules, section and min_score; make two criteria for two", c.ID)
		}
		for j, k := range c.Kinds {
			if a.required(k) == nil {
				bad(fmt.Sprintf("%s.kinds.%d", at, j), "criterion %q: kind %q is not one of the assignment's documents", c.ID, k)
			}
		}
	}
	return errs
}

// dueLayouts are the forms a due date-time takes without an offset.
var dueLayouts = []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05"}

// parseDue reads the deadline: a local date-time in the assignment's IANA
// zone, on whatever day clocks change, or a time with its offset. A local
// time that does not exist (clocks jump over it) or happens twice
// (clocks fall back over it) is refused: nobody can say which minute it
// means.
func (a *Assignment) parseDue() *yamlfile.Error {
	if a.Due == "" {
		return a.errAt("due", "due: is missing: the deadline, e.g. due: 2026-03-08 23:59 with timezone: America/New_York")
	}
	var loc *time.Location
	if a.Timezone != "" {
		l, err := time.LoadLocation(a.Timezone)
		if err != nil || strings.EqualFold(a.Timezone, "local") {
			return a.errAt("timezone", "timezone %q is not an IANA time zone (e.g. America/New_York, Europe/Paris, UTC)", a.Timezone)
		}
		loc = l
	}
	if t, err := time.Parse(time.RFC3339, a.Due); err == nil {
		if loc != nil {
			t = t.In(loc)
		}
		a.DueTime = t
		return nil
	}
	if loc == nil {
		return a.errAt("due", "due %q has no offset: add timezone: (an IANA zone such as America/New_York), so that the deadline is the same minute on every machine", a.Due)
	}
	for _, layout := range dueLayouts {
		t, err := time.ParseInLocation(layout, a.Due, loc)
		if err != nil {
			continue
		}
		wall := func(t time.Time) string { return t.Format("2006-01-02 15:04:05") }
		want := strings.Replace(a.Due, "T", " ", 1)
		if len(want) == len("2006-01-02 15:04") {
			want += ":00"
		}
		if wall(t) != want {
			return a.errAt("due", "due %q does not exist in %s: the clocks move forward over it that day; choose another time", a.Due, a.Timezone)
		}
		for _, shift := range []time.Duration{-time.Hour, time.Hour} {
			if wall(t.Add(shift)) == want {
				return a.errAt("due", "due %q happens twice in %s: the clocks move back over it that day; choose another time, or give the offset (RFC 3339)", a.Due, a.Timezone)
			}
		}
		a.DueTime = t
		return nil
	}
	return a.errAt("due", "due %q is not a date and time: use YYYY-MM-DD HH:MM (e.g. 2026-03-08 23:59) or RFC 3339", a.Due)
}

// parseDurations reads the grace period and the suspicious-date
// threshold, and checks the late policy.
func (a *Assignment) parseDurations() []*yamlfile.Error {
	var errs []*yamlfile.Error
	a.Suspicious = 24 * time.Hour
	if a.SuspiciousAfter != "" {
		d, err := parseDuration(a.SuspiciousAfter)
		if err != nil {
			errs = append(errs, a.errAt("suspicious_after", "suspicious_after %q: %v", a.SuspiciousAfter, err))
		}
		a.Suspicious = d
	}
	l := a.Late
	if l == nil {
		return errs
	}
	if l.Grace != "" {
		d, err := parseDuration(l.Grace)
		if err != nil {
			errs = append(errs, a.errAt("late.grace", "grace %q: %v", l.Grace, err))
		}
		a.Grace = d
	}
	for key, v := range map[string]float64{"penalty_per_day": l.PenaltyPerDay, "max_penalty": l.MaxPenalty} {
		if v < 0 || v > 100 {
			errs = append(errs, a.errAt("late."+key, "late: %s %v is not a percent from 0 to 100 (of the assignment's points)", key, v))
		}
	}
	if l.NoCredit && (l.PenaltyPerDay > 0 || l.MaxPenalty > 0) {
		errs = append(errs, a.errAt("late.no_credit", "late: no_credit gives late work nothing; it takes no penalty_per_day or max_penalty"))
	}
	if l.MaxPenalty == 0 && !l.NoCredit {
		l.MaxPenalty = 100
	}
	return errs
}

// parseDuration reads a Go duration (15m, 48h) or whole days (2d).
func parseDuration(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		if days, err := strconv.Atoi(n); err == nil && days >= 0 {
			return time.Duration(days) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("not a duration: use minutes, hours or days, e.g. 15m, 48h, 2d")
	}
	return d, nil
}

// keyLines records the line of every key below n by its dotted path;
// list items by their index.
func keyLines(n *yaml.Node, prefix string, out map[string]int) {
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := join(n.Content[i].Value)
			out[p] = n.Content[i].Line
			keyLines(n.Content[i+1], p, out)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := join(strconv.Itoa(i))
			out[p] = c.Line
			keyLines(c, p, out)
		}
	}
}

// Errors are every problem of an input file, in file order.
type Errors struct {
	Errs []*yamlfile.Error
}

func (e *Errors) Error() string {
	var b strings.Builder
	for i, err := range e.Errs {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(err.Error())
	}
	return b.String()
}

// Unwrap gives errors.As the first problem, with its file and line.
func (e *Errors) Unwrap() error { return e.Errs[0] }
