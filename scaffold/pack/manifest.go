// Package pack loads template packs: a pack.yaml manifest declaring kinds
// (template, output path, questions, sections, rules) plus the template
// files it names. The default pack is embedded; bootcamps write their own.
package pack

import (
	"fmt"
	"regexp"
	"regexp/syntax"
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
	Name        string           `yaml:"name"`
	Version     string           `yaml:"version"`
	Description string           `yaml:"description,omitempty"`
	MinPmfolio  string           `yaml:"min_pmfolio,omitempty"`
	Extends     string           `yaml:"extends,omitempty"`
	Init        *Init            `yaml:"init,omitempty"`
	Kinds       map[string]*Kind `yaml:"kinds,omitempty"`
	// Migrations declare what each release renamed or split, for the
	// documents of earlier versions (see Migration).
	Migrations []Migration `yaml:"migrations,omitempty"`

	// KindOrder lists the kinds in the order the manifest declares them.
	KindOrder []string `yaml:"-"`
	Line      int      `yaml:"-"`
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
	Sections  []Section            `yaml:"sections,omitempty"`
	Rules     []Rule               `yaml:"rules,omitempty"`

	// ID is the kind's key in the manifest, e.g. "prd".
	ID   string `yaml:"-"`
	Line int    `yaml:"-"`

	// samples are the kind's sample answers (see SampleAnswers).
	samples []SampleFile
}

// SampleFile is one file of sample answers.
type SampleFile struct {
	File string
	Data []byte
}

// Section is a `##` section a document of the kind must (or may) have.
type Section struct {
	Heading  string `yaml:"heading"`
	Required bool   `yaml:"required,omitempty"`
	MinWords int    `yaml:"min_words,omitempty"`
	MaxWords int    `yaml:"max_words,omitempty"`
	Track    string `yaml:"track,omitempty"`
	Hint     string `yaml:"hint,omitempty"`
	Line     int    `yaml:"-"`
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
	Line      int    `yaml:"-"`
}

var (
	packNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`) })
	kindIDRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`) })
	ruleIDRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9-]+/[a-z0-9-]+$`) })
)

// ParseManifest decodes and validates pack.yaml; file names it in errors.
// It does not look at template files: see Pack.Validate.
func ParseManifest(file string, data []byte) (*Manifest, error) {
	root, err := yamlfile.Parse(file, data)
	if err != nil {
		return nil, err
	}
	m := &Manifest{}
	if err := yamlfile.DecodeNode(file, root, m); err != nil {
		return nil, err
	}
	// Kind order: the mapping's key order, which Go maps lose.
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "kinds" {
			continue
		}
		kinds := root.Content[i+1]
		for j := 0; j+1 < len(kinds.Content); j += 2 {
			m.KindOrder = append(m.KindOrder, kinds.Content[j].Value)
		}
	}
	for id, k := range m.Kinds {
		if k == nil {
			return nil, yamlfile.Errorf(file, m.Line, "kind %q is empty", id)
		}
		k.ID = id
	}
	if err := m.validate(file); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *Manifest) validate(file string) error {
	errf := func(line int, format string, args ...any) error {
		return yamlfile.Errorf(file, line, format, args...)
	}
	if !packNameRE().MatchString(m.Name) {
		return errf(m.Line, "name %q must be lower case letters, digits and -", m.Name)
	}
	if _, err := semver.StrictNewVersion(m.Version); err != nil {
		return errf(m.Line, "version %q is not a semantic version such as 1.0.0", m.Version)
	}
	if m.MinPmfolio != "" {
		if _, err := semver.NewVersion(m.MinPmfolio); err != nil {
			return errf(m.Line, "min_pmfolio %q is not a version such as 0.1.0", m.MinPmfolio)
		}
	}
	if m.Extends != "" && !packNameRE().MatchString(m.Extends) {
		return errf(m.Line, "extends %q is not a pack name", m.Extends)
	}
	if len(m.Kinds) == 0 && m.Extends == "" {
		return errf(m.Line, "the pack declares no kinds")
	}
	if m.Init != nil {
		if err := validateQuestions(m.Init.Questions); err != nil {
			return errf(lineOf(m.Init.Questions, err, m.Init.Line), "init: %v", err)
		}
	}
	if errs := m.validateMigrations(file); len(errs) > 0 {
		return errs[0]
	}
	// A pack that extends another may give only the keys it overrides;
	// the merged kinds are validated in full once the base is known.
	for _, id := range m.KindOrder {
		if err := m.Kinds[id].validate(file, m.Extends != ""); err != nil {
			return err
		}
	}
	return nil
}

// validateKinds checks every kind in full.
func (m *Manifest) validateKinds(file string) error {
	for _, id := range m.KindOrder {
		if err := m.Kinds[id].validate(file, false); err != nil {
			return err
		}
	}
	return nil
}

// validate checks a kind's declaration; partial skips the keys an
// overriding kind may leave to its base.
func (k *Kind) validate(file string, partial bool) error {
	errf := func(line int, format string, args ...any) error {
		return yamlfile.Errorf(file, line, "kind %q: "+format, append([]any{k.ID}, args...)...)
	}
	if !kindIDRE().MatchString(k.ID) {
		return errf(k.Line, "kind names are lower case letters, digits and -")
	}
	for _, kv := range [][2]string{{"name", k.Name}, {"template", k.Template}, {"title", k.Title}, {"output", k.Output}} {
		if !partial && strings.TrimSpace(kv[1]) == "" {
			return errf(k.Line, "%s is empty", kv[0])
		}
	}
	if k.Month < 0 || k.Month > 3 {
		return errf(k.Line, "month %d is not a month of the 90-day plan (1, 2 or 3)", k.Month)
	}
	if err := validateQuestions(k.Questions); err != nil {
		return errf(lineOf(k.Questions, err, k.Line), "%v", err)
	}
	seen := map[string]bool{}
	for _, s := range k.Sections {
		if strings.TrimSpace(s.Heading) == "" {
			return errf(s.Line, "a section has no heading")
		}
		h := strings.ToLower(s.Heading)
		if seen[h] {
			return errf(s.Line, "section %q is declared twice", s.Heading)
		}
		seen[h] = true
		if err := validTrack(s.Track); err != nil {
			return errf(s.Line, "section %q: %v", s.Heading, err)
		}
		if s.MinWords < 0 || s.MaxWords < 0 || (s.MaxWords > 0 && s.MinWords > s.MaxWords) {
			return errf(s.Line, "section %q: min_words and max_words must be positive, the minimum not above the maximum", s.Heading)
		}
	}
	ids := map[string]bool{}
	for _, r := range k.Rules {
		if !ruleIDRE().MatchString(r.ID) {
			return errf(r.Line, "rule id %q must look like kind/rule-name", r.ID)
		}
		if ids[r.ID] {
			return errf(r.Line, "rule %q is declared twice", r.ID)
		}
		ids[r.ID] = true
		if _, err := doc.ParseRuleSeverity(r.Severity); err != nil {
			return errf(r.Line, "rule %q: %v", r.ID, err)
		}
		if strings.TrimSpace(r.Message) == "" {
			return errf(r.Line, "rule %q has no message", r.ID)
		}
		if r.Require == "" && r.Forbid == "" && r.MinWords == 0 && r.MaxWords == 0 && r.MinItems == 0 && r.MaxItems == 0 {
			return errf(r.Line, "rule %q needs require, forbid, min_words, max_words, min_items or max_items", r.ID)
		}
		if r.MinWords < 0 || r.MaxWords < 0 || r.MinItems < 0 || r.MaxItems < 0 {
			return errf(r.Line, "rule %q: word and item bounds cannot be negative", r.ID)
		}
		if (r.MaxWords > 0 && r.MinWords > r.MaxWords) || (r.MaxItems > 0 && r.MinItems > r.MaxItems) {
			return errf(r.Line, "rule %q: a minimum is above its maximum", r.ID)
		}
		if r.Section != "" && !seen[strings.ToLower(r.Section)] {
			return errf(r.Line, "rule %q: section %q is not one of the kind's sections", r.ID, r.Section)
		}
		// Parsed, not compiled: check compiles the rules it runs, and a
		// pack loads on every command.
		for _, re := range []string{r.Require, r.Forbid} {
			if _, err := syntax.Parse(re, syntax.Perl); err != nil {
				return errf(r.Line, "rule %q: %v", r.ID, err)
			}
		}
		if err := validTrack(r.Track); err != nil {
			return errf(r.Line, "rule %q: %v", r.ID, err)
		}
	}
	return nil
}

// validTrack checks the track of a section or rule: empty (both) or one
// doc.ValidateTrack accepts.
func validTrack(t string) error {
	if t == "" {
		return nil
	}
	return doc.ValidateTrack(t, true)
}

func validateQuestions(qs []interview.Question) error {
	return interview.ValidateSets(qs)
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
