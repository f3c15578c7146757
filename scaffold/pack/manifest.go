// Package pack loads template packs: a pack.yaml manifest declaring kinds
// (template, output path, questions, sections, rules) plus the template
// files it names. The default pack is embedded; bootcamps write their own.
package pack

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/Masterminds/semver/v3"
	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// ManifestFile is the name of a pack's manifest.
const ManifestFile = "pack.yaml"

// Manifest is a parsed pack.yaml.
type Manifest struct {
	Name        string  `yaml:"name"`
	Version     string  `yaml:"version"`
	Description string  `yaml:"description,omitempty"`
	MinPmfolio  string  `yaml:"min_pmfolio,omitempty"`
	Extends     BaseRef `yaml:"extends,omitempty"`
	Init        *Init   `yaml:"init,omitempty"`
	// PlanDecl is the course's plan (length and milestones); nil keeps the
	// base's, or the 90-day plan of the kinds' months (see Plan).
	PlanDecl *PlanDecl        `yaml:"plan,omitempty"`
	Kinds    map[string]*Kind `yaml:"kinds,omitempty"`
	// Migrations declare what each release renamed or split, for the
	// documents of earlier versions (see Migration).
	Migrations []Migration `yaml:"migrations,omitempty"`
	// Changes are the release notes, by version (see ReleaseNotes).
	Changes []ChangeEntry `yaml:"changes,omitempty"`

	// KindOrder lists the kinds in the order the manifest declares them.
	KindOrder []string `yaml:"-"`
	Line      int      `yaml:"-"`
	// keyLines are the lines of the top-level keys.
	keyLines map[string]int
}

// Init declares the questions `pmfolio init` asks.
type Init struct {
	Questions []interview.Question `yaml:"questions"`
	Line      int                  `yaml:"-"`
}

// Kind is one document kind: how to interview for it, render it, and check it.
type Kind struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description,omitempty"`
	Month       int    `yaml:"month,omitempty"`
	// Target is how many documents of the kind the 90-day plan expects.
	Target   int    `yaml:"target,omitempty"`
	Template string `yaml:"template"`
	Title    string `yaml:"title"`
	Output   string `yaml:"output"`
	// Date, when given, is a template for the document's date (e.g. the
	// day an interview took place, from an answer): the front matter's
	// date and the .Date of the title, body and output path. Without it a
	// document is dated the day it is written (--date).
	Date      string               `yaml:"date,omitempty"`
	Status    string               `yaml:"status,omitempty"`
	Sample    string               `yaml:"sample,omitempty"`
	Questions []interview.Question `yaml:"questions"`
	// DropQuestions, in a kind that overrides its base's, removes
	// inherited questions the override's template does not use.
	DropQuestions []string  `yaml:"drop_questions,omitempty"`
	Sections      []Section `yaml:"sections,omitempty"`
	Rules         []Rule    `yaml:"rules,omitempty"`

	// Summary is the heading of the section whose first paragraph sums a
	// document up, in one line on the portfolio's front page and site;
	// empty: the first paragraph of prose.
	Summary string `yaml:"summary,omitempty"`
	// Visibility is whether `pmfolio publish` shows the kind's documents
	// by default: public (the default) or private (user interview notes
	// hold real people's words). A document's own front matter wins.
	Visibility string `yaml:"visibility,omitempty"`

	// ID is the kind's key in the manifest, e.g. "prd".
	ID   string `yaml:"-"`
	Line int    `yaml:"-"`

	// samples are the kind's sample answers (see SampleAnswers).
	samples []SampleFile
	// inherited names the questions the kind has from the pack it
	// extends and does not declare itself; dropped those it removed.
	inherited map[string]bool
	dropped   []string
	// inheritedSections is set when an override keeps its base's sections.
	inheritedSections bool
	// base is the kind this one overrides, and override the pack's own
	// declaration of it; both nil for a kind of the pack's own or one it
	// inherits whole.
	base, override *Kind
}

// Inherited reports whether the question called name comes from the pack
// the kind's pack extends, undeclared by the kind itself.
func (k *Kind) Inherited(name string) bool { return k.inherited[name] }

// SampleFile is one file of sample answers.
type SampleFile struct {
	File string
	Data []byte
}

// Section is a `##` section a document of the kind must (or may) have.
type Section struct {
	Heading string `yaml:"heading"`
	// Aliases are other headings that count as this section: what people
	// call it in documents written by hand ("Lessons learned" for
	// "Learnings"). Matching ignores case, level, numbering, emoji and
	// punctuation.
	Aliases  []string `yaml:"aliases,omitempty"`
	Required bool     `yaml:"required,omitempty"`
	MinWords int      `yaml:"min_words,omitempty"`
	MaxWords int      `yaml:"max_words,omitempty"`
	Track    string   `yaml:"track,omitempty"`
	Hint     string   `yaml:"hint,omitempty"`
	Line     int      `yaml:"-"`
}

// OnTrack reports whether the section applies to a document on track.
func (s *Section) OnTrack(track string) bool {
	return s.Track == "" || s.Track == doc.TrackBoth || s.Track == track
}

// Rule is a check rule declared as data about a section (or, without
// section, the whole document): a pattern it must or must not match, and
// bounds on its words and list items. Every condition given must hold.
type Rule struct {
	ID       string `yaml:"id"`
	Severity string `yaml:"severity,omitempty"`
	Message  string `yaml:"message"`
	Section  string `yaml:"section,omitempty"`
	// Require and Forbid are Go regular expressions matched against the
	// Markdown source, HTML comments blanked out.
	Require string `yaml:"require,omitempty"`
	Forbid  string `yaml:"forbid,omitempty"`
	// MinWords and MaxWords bound the words; MinItems and MaxItems the
	// items of the outermost lists.
	MinWords  int    `yaml:"min_words,omitempty"`
	MaxWords  int    `yaml:"max_words,omitempty"`
	MinItems  int    `yaml:"min_items,omitempty"`
	MaxItems  int    `yaml:"max_items,omitempty"`
	Track     string `yaml:"track,omitempty"`
	Framework string `yaml:"framework,omitempty"`
	Explain   string `yaml:"explain,omitempty"`
	// Suppressible false keeps students from turning the rule off or
	// re-grading it, inline or in their pmfolio.yaml (default: true).
	Suppressible *bool `yaml:"suppressible,omitempty"`
	Line         int   `yaml:"-"`
}

var (
	packNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`) })
	kindIDRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`) })
	ruleIDRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9-]+/[a-z0-9-]+$`) })
)

// ManifestError is every problem found in a pack.yaml, in file order, so
// that an author fixes them in one run.
type ManifestError struct {
	Errs []*yamlfile.Error
}

func (e *ManifestError) Error() string {
	lines := make([]string, len(e.Errs))
	for i, err := range e.Errs {
		lines[i] = err.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap gives errors.As the first problem, a *yamlfile.Error, and the rest.
func (e *ManifestError) Unwrap() []error {
	out := make([]error, len(e.Errs))
	for i, err := range e.Errs {
		out[i] = err
	}
	return out
}

// manifestErr is nil without problems, a *ManifestError with them.
func manifestErr(errs []*yamlfile.Error) error {
	if len(errs) == 0 {
		return nil
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
	return &ManifestError{Errs: errs}
}

// problems collects a manifest's problems.
type problems struct {
	file string
	errs []*yamlfile.Error
}

func (p *problems) add(line int, format string, args ...any) {
	p.errs = append(p.errs, yamlfile.Errorf(p.file, line, format, args...))
}

// ParseManifest decodes and validates pack.yaml; file names it in errors.
// Every problem is reported, in a *ManifestError. It does not look at
// template files: see Pack.Validate.
func ParseManifest(file string, data []byte) (*Manifest, error) {
	root, err := yamlfile.Parse(file, data)
	if err != nil {
		return nil, err
	}
	m := &Manifest{}
	if errs := yamlfile.DecodeNodeAll(file, root, m); len(errs) > 0 {
		return nil, manifestErr(errs)
	}
	// Kind order: the mapping's key order, which Go maps lose.
	m.keyLines = map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		m.keyLines[root.Content[i].Value] = root.Content[i].Line
		if root.Content[i].Value == "kinds" {
			kinds := root.Content[i+1]
			for j := 0; j+1 < len(kinds.Content); j += 2 {
				m.KindOrder = append(m.KindOrder, kinds.Content[j].Value)
			}
		}
	}
	pr := &problems{file: file}
	for _, id := range m.KindOrder {
		if m.Kinds[id] == nil {
			pr.add(m.KeyLine("kinds"), "kind %q is empty", id)
			delete(m.Kinds, id)
			continue
		}
		m.Kinds[id].ID = id
	}
	m.KindOrder = slices.DeleteFunc(m.KindOrder, func(id string) bool { return m.Kinds[id] == nil })
	m.validate(pr)
	if err := manifestErr(pr.errs); err != nil {
		return nil, err
	}
	return m, nil
}

// KeyLine is the line of a top-level key of pack.yaml, else the line the
// manifest starts on.
func (m *Manifest) KeyLine(key string) int {
	if l, ok := m.keyLines[key]; ok {
		return l
	}
	return m.Line
}

func (m *Manifest) validate(pr *problems) {
	if !packNameRE().MatchString(m.Name) {
		pr.add(m.KeyLine("name"), "name %q must be lower case letters, digits and -", m.Name)
	}
	if _, err := semver.StrictNewVersion(m.Version); err != nil {
		pr.add(m.KeyLine("version"), "version %q is not a semantic version such as 1.0.0", m.Version)
	}
	if m.MinPmfolio != "" {
		if _, err := semver.NewVersion(m.MinPmfolio); err != nil {
			pr.add(m.KeyLine("min_pmfolio"), "min_pmfolio %q is not a version such as 0.1.0", m.MinPmfolio)
		}
	}
	if m.Extends.Name != "" && !packNameRE().MatchString(m.Extends.Name) {
		pr.add(m.KeyLine("extends"), "extends %q is not a pack name", m.Extends.Name)
	}
	if m.Extends.Ref != "" && m.Extends.Source == "" {
		pr.add(m.KeyLine("extends"), "extends: ref %q needs the source it is a ref of", m.Extends.Ref)
	}
	if len(m.Kinds) == 0 && m.Extends.Name == "" {
		pr.add(m.Line, "the pack declares no kinds")
	}
	if m.Init != nil {
		validateQuestions(pr, m.Init.Questions, m.Init.Line, "init: ")
	}
	m.validatePlan(pr)
	seenNotes := map[string]bool{}
	for _, c := range m.Changes {
		v, err := semver.StrictNewVersion(c.Version)
		switch {
		case err != nil:
			pr.add(c.Line, "changes: version %q is not a semantic version such as 1.1.0", c.Version)
		case seenNotes[v.String()]:
			pr.add(c.Line, "changes: version %s is declared twice", c.Version)
		case strings.TrimSpace(c.Notes) == "":
			pr.add(c.Line, "changes: version %s has no notes", c.Version)
		}
		if err == nil {
			seenNotes[v.String()] = true
		}
	}
	for _, err := range m.validateMigrations(pr.file) {
		var ye *yamlfile.Error
		if errors.As(err, &ye) {
			pr.errs = append(pr.errs, ye)
		}
	}
	// A pack that extends another may give only the keys it overrides;
	// the merged kinds are validated in full once the base is known.
	for _, id := range m.KindOrder {
		m.Kinds[id].validate(pr, m.Extends.Name != "")
	}
}

// validateKinds checks every kind in full.
func (m *Manifest) validateKinds(file string) error {
	pr := &problems{file: file}
	for _, id := range m.KindOrder {
		m.Kinds[id].validate(pr, false)
	}
	return manifestErr(pr.errs)
}

// validate checks a kind's declaration; partial skips the keys an
// overriding kind may leave to its base.
func (k *Kind) validate(pr *problems, partial bool) {
	errf := func(line int, format string, args ...any) {
		pr.add(line, "kind %q: "+format, append([]any{k.ID}, args...)...)
	}
	if !kindIDRE().MatchString(k.ID) {
		errf(k.Line, "kind names are lower case letters, digits and -")
	}
	for _, kv := range [][2]string{{"name", k.Name}, {"template", k.Template}, {"title", k.Title}, {"output", k.Output}} {
		if !partial && strings.TrimSpace(kv[1]) == "" {
			errf(k.Line, "%s is empty", kv[0])
		}
	}
	if k.Month < 0 || k.Month > 3 {
		errf(k.Line, "month %d is not a month of the 90-day plan (1, 2 or 3)", k.Month)
	}
	validateQuestions(pr, k.Questions, k.Line, fmt.Sprintf("kind %q: ", k.ID))
	if len(k.DropQuestions) > 0 && !partial {
		errf(k.Line, "drop_questions removes questions a kind inherits; kind %q inherits none (it is not a kind of the pack it extends)", k.ID)
	}
	if err := doc.ValidateVisibility(k.Visibility); err != nil {
		errf(k.Line, "%v", err)
	}
	seen := map[string]bool{}
	// names are the headings and aliases of the kind's sections, as check
	// compares them: one name cannot stand for two sections.
	names := map[string]string{}
	for _, s := range k.Sections {
		if strings.TrimSpace(s.Heading) == "" {
			errf(s.Line, "a section has no heading")
			continue
		}
		for _, name := range append([]string{s.Heading}, s.Aliases...) {
			n := doc.HeadingKey(name)
			if n == "" {
				errf(s.Line, "section %q: alias %q has no letters or digits", s.Heading, name)
				continue
			}
			if other, dup := names[n]; dup && other != s.Heading {
				errf(s.Line, "section %q: %q is already a heading or an alias of section %q; an alias names one section", s.Heading, name, other)
			}
			names[n] = s.Heading
		}
		h := strings.ToLower(s.Heading)
		if seen[h] {
			errf(s.Line, "section %q is declared twice", s.Heading)
		}
		seen[h] = true
		if err := validTrack(s.Track); err != nil {
			errf(s.Line, "section %q: %v", s.Heading, err)
		}
		if s.MinWords < 0 || s.MaxWords < 0 || (s.MaxWords > 0 && s.MinWords > s.MaxWords) {
			errf(s.Line, "section %q: min_words and max_words must be positive, the minimum not above the maximum", s.Heading)
		}
	}
	if k.Summary != "" && len(k.Sections) > 0 && !seen[strings.ToLower(k.Summary)] {
		errf(k.Line, "summary %q is not one of the kind's sections", k.Summary)
	}
	ids := map[string]bool{}
	for _, r := range k.Rules {
		k.validateRule(r, seen, ids, errf)
	}
}

// validateRule checks one data rule of the kind; sections are the kind's
// section headings in lower case, ids the rule ids seen so far.
func (k *Kind) validateRule(r Rule, sections, ids map[string]bool, errf func(int, string, ...any)) {
	if !ruleIDRE().MatchString(r.ID) {
		errf(r.Line, "rule id %q must look like kind/rule-name", r.ID)
		return
	}
	if prefix, _, _ := strings.Cut(r.ID, "/"); prefix != k.ID {
		errf(r.Line, "rule id %q starts with %q, another kind's prefix; a rule of kind %q is named %s/%s", r.ID, prefix, k.ID, k.ID, strings.SplitN(r.ID, "/", 2)[1])
	}
	if ids[r.ID] {
		errf(r.Line, "rule %q is declared twice", r.ID)
	}
	ids[r.ID] = true
	if _, err := doc.ParseRuleSeverity(r.Severity); err != nil {
		errf(r.Line, "rule %q: %v", r.ID, err)
	}
	if strings.TrimSpace(r.Message) == "" {
		errf(r.Line, "rule %q has no message", r.ID)
	}
	if r.Require == "" && r.Forbid == "" && r.MinWords == 0 && r.MaxWords == 0 && r.MinItems == 0 && r.MaxItems == 0 {
		errf(r.Line, "rule %q needs require, forbid, min_words, max_words, min_items or max_items", r.ID)
	}
	if r.MinWords < 0 || r.MaxWords < 0 || r.MinItems < 0 || r.MaxItems < 0 {
		errf(r.Line, "rule %q: word and item bounds cannot be negative", r.ID)
	}
	if (r.MaxWords > 0 && r.MinWords > r.MaxWords) || (r.MaxItems > 0 && r.MinItems > r.MaxItems) {
		errf(r.Line, "rule %q: a minimum is above its maximum", r.ID)
	}
	if r.Section != "" && !sections[strings.ToLower(r.Section)] {
		errf(r.Line, "rule %q: section %q is not one of the kind's sections", r.ID, r.Section)
	}
	// Parsed, not compiled: check compiles the rules it runs, and a pack
	// loads on every command.
	for _, re := range []string{r.Require, r.Forbid} {
		if _, err := syntax.Parse(re, syntax.Perl); err != nil {
			errf(r.Line, "rule %q: %v", r.ID, err)
		}
	}
	if err := validTrack(r.Track); err != nil {
		errf(r.Line, "rule %q: %v", r.ID, err)
	}
}

// validTrack checks the track of a section or rule: empty (both) or one
// doc.ValidateTrack accepts.
func validTrack(t string) error {
	if t == "" {
		return nil
	}
	return doc.ValidateTrack(t, true)
}

// validateQuestions checks each question of a list, and that names are
// unique, reporting every problem at its question's line.
func validateQuestions(pr *problems, qs []interview.Question, fallback int, prefix string) {
	seen := map[string]bool{}
	for i := range qs {
		q := &qs[i]
		if err := q.Validate(false); err != nil {
			pr.add(lineOf(qs[i:i+1], err, max(q.Line, fallback)), "%s%v", prefix, err)
			continue
		}
		if seen[q.Name] {
			pr.add(max(q.Line, fallback), "%squestion %q is declared twice", prefix, q.Name)
		}
		seen[q.Name] = true
	}
}

// lineOf finds the line of the question an error names, so that a pack
// author lands on it; fallback is the enclosing block's line.
func lineOf(qs []interview.Question, err error, fallback int) int {
	msg := err.Error()
	for _, q := range qs {
		if strings.Contains(msg, fmt.Sprintf("%q", q.Name)) {
			for _, f := range q.Fields {
				if strings.Contains(msg, fmt.Sprintf("field %q", f.Name)) || strings.Contains(msg, fmt.Sprintf("question %q", f.Name)) {
					return f.Line
				}
			}
			return q.Line
		}
	}
	return fallback
}
