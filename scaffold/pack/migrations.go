package pack

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/Masterminds/semver/v3"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// Migration declares what a release of the pack renamed or split, so that
// a document (and its stored answers) rendered with an earlier version
// can be brought forward: `pmfolio upgrade` applies it, `pack update` and
// `pack lint --against` report it. It is data, never code.
//
//	migrations:
//	  - version: 1.1.0
//	    kinds:
//	      prd:
//	        rename_sections:
//	          - {from: Decision criteria, to: Success criteria}
//	        rename_questions:
//	          - {from: metric, to: primary_metric}
//	        split_questions:
//	          - {from: metrics, to: [primary_metric, guardrail_metric], answer: first}
type Migration struct {
	// Version is the release that made the changes: they apply to
	// documents of any earlier version.
	Version string `yaml:"version"`
	// Kinds holds the changes by kind id.
	Kinds map[string]*KindMigration `yaml:"kinds"`
	Line  int                       `yaml:"-"`
}

// KindMigration is what one release changed in one kind.
type KindMigration struct {
	// RenameSections maps an old `##` heading to its new one (compared
	// ignoring case, as check compares headings).
	RenameSections []Rename `yaml:"rename_sections,omitempty"`
	// RenameQuestions maps an old question name to its new one: the
	// stored answer moves to the new name.
	RenameQuestions []Rename `yaml:"rename_questions,omitempty"`
	// SplitQuestions replace one question by several.
	SplitQuestions []Split `yaml:"split_questions,omitempty"`
	Line           int     `yaml:"-"`
}

// Rename is one renamed section or question.
type Rename struct {
	From string `yaml:"from"`
	To   string `yaml:"to"`
	Line int    `yaml:"-"`
}

// Split replaces question From by the questions To; Answer says where the
// old answer goes.
type Split struct {
	From   string   `yaml:"from"`
	To     []string `yaml:"to"`
	Answer string   `yaml:"answer,omitempty"`
	Line   int      `yaml:"-"`
}

// How a split question's old answer maps to its new questions.
const (
	// SplitFirst (the default) gives the old answer to the first new
	// question; the others are asked (or take their default).
	SplitFirst = "first"
	// SplitAll gives the old answer to every new question.
	SplitAll = "all"
)

// AnswerMode is s.Answer with the default filled in.
func (s Split) AnswerMode() string {
	if s.Answer == "" {
		return SplitFirst
	}
	return s.Answer
}

var questionNameRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
})

// MigrationsBetween returns the migrations that take a document rendered
// with version from to version to: those of the releases v with
// from < v <= to, oldest first; none when from >= to. A from or to that
// is not a semantic version is an error.
func (m *Manifest) MigrationsBetween(from, to string) ([]Migration, error) {
	lo, err := semver.NewVersion(from)
	if err != nil {
		return nil, fmt.Errorf("version %q is not a semantic version", from)
	}
	hi, err := semver.NewVersion(to)
	if err != nil {
		return nil, fmt.Errorf("version %q is not a semantic version", to)
	}
	var out []Migration
	for _, mg := range m.Migrations {
		v, err := semver.NewVersion(mg.Version)
		if err != nil {
			continue // refused by ParseManifest
		}
		if v.GreaterThan(lo) && !v.GreaterThan(hi) {
			out = append(out, mg)
		}
	}
	slices.SortStableFunc(out, func(a, b Migration) int {
		va, _ := semver.NewVersion(a.Version)
		vb, _ := semver.NewVersion(b.Version)
		return va.Compare(vb)
	})
	return out, nil
}

// Kind returns the changes the migration makes to kind, nil for none.
func (mg *Migration) Kind(kind string) *KindMigration { return mg.Kinds[kind] }

// MigrateHeading is the heading a `##` section of a document of kind is
// called after ms (in order): renames chain (A -> B in 1.1, B -> C in 1.2
// make A into C). A heading no migration renames is returned as it is.
func MigrateHeading(ms []Migration, kind, heading string) string {
	for _, mg := range ms {
		km := mg.Kind(kind)
		if km == nil {
			continue
		}
		for _, r := range km.RenameSections {
			if strings.EqualFold(strings.TrimSpace(r.From), strings.TrimSpace(heading)) {
				heading = r.To
				break
			}
		}
	}
	return heading
}

// MigrateAnswers returns a copy of answers (a document's stored answers,
// by question name) with ms applied in order: a renamed question's answer
// moves to its new name, a split question's goes to its first new
// question (or to all of them). An answer already given under the new
// name is kept. Values are not copied deeply.
func MigrateAnswers(ms []Migration, kind string, answers map[string]any) map[string]any {
	out := maps.Clone(answers)
	if out == nil {
		out = map[string]any{}
	}
	for _, mg := range ms {
		km := mg.Kind(kind)
		if km == nil {
			continue
		}
		for _, r := range km.RenameQuestions {
			if v, ok := out[r.From]; ok {
				delete(out, r.From)
				if _, taken := out[r.To]; !taken {
					out[r.To] = v
				}
			}
		}
		for _, s := range km.SplitQuestions {
			v, ok := out[s.From]
			if !ok {
				continue
			}
			delete(out, s.From)
			targets := s.To
			if s.AnswerMode() == SplitFirst {
				targets = s.To[:1]
			}
			for _, t := range targets {
				if _, taken := out[t]; !taken {
					out[t] = v
				}
			}
		}
	}
	return out
}

// ComposeKind folds ms (in order) into one KindMigration for kind, as a
// person reads it: each old heading or question with the name it ends up
// with. Renames that cancel out (A -> B, then B -> A) are dropped.
func ComposeKind(ms []Migration, kind string) KindMigration {
	var out KindMigration
	compose := func(list []Rename, rs []Rename, fold bool) []Rename {
		eq := func(a, b string) bool {
			if fold {
				return strings.EqualFold(a, b)
			}
			return a == b
		}
		for _, r := range rs {
			chained := false
			for i := range list {
				if eq(list[i].To, r.From) {
					list[i].To = r.To
					chained = true
				}
			}
			if !chained {
				list = append(list, r)
			}
		}
		return slices.DeleteFunc(list, func(r Rename) bool { return eq(r.From, r.To) })
	}
	for _, mg := range ms {
		km := mg.Kind(kind)
		if km == nil {
			continue
		}
		out.RenameSections = compose(out.RenameSections, km.RenameSections, true)
		// Renames before splits, as MigrateAnswers applies them.
		// A rename of a question an earlier split made renames the
		// split's target; any other chains as usual.
		var renames []Rename
		for _, r := range km.RenameQuestions {
			target := false
			for i := range out.SplitQuestions {
				if j := slices.Index(out.SplitQuestions[i].To, r.From); j >= 0 {
					out.SplitQuestions[i].To[j] = r.To
					target = true
				}
			}
			if !target {
				renames = append(renames, r)
			}
		}
		out.RenameQuestions = compose(out.RenameQuestions, renames, false)
		for _, s := range km.SplitQuestions {
			// A question renamed earlier and split now splits from its
			// original name.
			from := s.From
			for i := 0; i < len(out.RenameQuestions); i++ {
				if out.RenameQuestions[i].To == s.From {
					from = out.RenameQuestions[i].From
					out.RenameQuestions = slices.Delete(out.RenameQuestions, i, i+1)
					break
				}
			}
			out.SplitQuestions = append(out.SplitQuestions, Split{From: from, To: slices.Clone(s.To), Answer: s.Answer, Line: s.Line})
		}
	}
	return out
}

// validateMigrations checks the migrations: versions, names and that no
// old name is renamed twice in one release. That the kinds, sections and
// questions they lead to exist is lint's to check, once the pack (and
// what it extends) is loaded.
func (m *Manifest) validateMigrations(file string) []error {
	var errs []error
	errf := func(line int, format string, args ...any) {
		errs = append(errs, yamlfile.Errorf(file, line, "migrations: "+format, args...))
	}
	cur, curErr := semver.NewVersion(m.Version)
	seen := map[string]int{}
	for _, mg := range m.Migrations {
		v, err := semver.StrictNewVersion(mg.Version)
		if err != nil {
			errf(mg.Line, "version %q is not a semantic version such as 1.1.0", mg.Version)
			continue
		}
		if line, dup := seen[v.String()]; dup {
			errf(mg.Line, "version %s is declared twice (first at line %d); put its changes in one entry", mg.Version, line)
		}
		seen[v.String()] = mg.Line
		if curErr == nil && v.GreaterThan(cur) {
			errf(mg.Line, "version %s is newer than the pack's version %s; a migration belongs to the release that makes the change", mg.Version, m.Version)
		}
		if len(mg.Kinds) == 0 {
			errf(mg.Line, "version %s changes no kind; give kinds: with what was renamed or split", mg.Version)
		}
		for _, id := range slices.Sorted(maps.Keys(mg.Kinds)) {
			km := mg.Kinds[id]
			at := fmt.Sprintf("version %s: kind %q", mg.Version, id)
			if km == nil {
				errf(mg.Line, "%s is empty", at)
				continue
			}
			if !kindIDRE().MatchString(id) {
				errf(km.Line, "%s: kind names are lower case letters, digits and -", at)
			}
			if len(km.RenameSections)+len(km.RenameQuestions)+len(km.SplitQuestions) == 0 {
				errf(km.Line, "%s changes nothing; give rename_sections, rename_questions or split_questions", at)
			}
			from := map[string]bool{}
			for _, r := range km.RenameSections {
				switch key := strings.ToLower(strings.TrimSpace(r.From)); {
				case key == "" || strings.TrimSpace(r.To) == "":
					errf(r.Line, "%s: a renamed section needs from: and to: headings", at)
				case strings.EqualFold(strings.TrimSpace(r.From), strings.TrimSpace(r.To)):
					errf(r.Line, "%s: section %q is renamed to itself", at, r.From)
				case from[key]:
					errf(r.Line, "%s: section %q is renamed twice", at, r.From)
				default:
					from[key] = true
				}
			}
			qfrom := map[string]bool{}
			question := func(line int, what, name string) bool {
				if !questionNameRE().MatchString(name) {
					errf(line, "%s: %s %q is not a question name (lower case letters, digits and _)", at, what, name)
					return false
				}
				return true
			}
			for _, r := range km.RenameQuestions {
				if !question(r.Line, "from", r.From) || !question(r.Line, "to", r.To) {
					continue
				}
				switch {
				case r.From == r.To:
					errf(r.Line, "%s: question %q is renamed to itself", at, r.From)
				case qfrom[r.From]:
					errf(r.Line, "%s: question %q is renamed or split twice", at, r.From)
				}
				qfrom[r.From] = true
			}
			for _, s := range km.SplitQuestions {
				if !question(s.Line, "from", s.From) {
					continue
				}
				if qfrom[s.From] {
					errf(s.Line, "%s: question %q is renamed or split twice", at, s.From)
				}
				qfrom[s.From] = true
				if len(s.To) == 0 {
					errf(s.Line, "%s: split of %q needs to: with the new questions", at, s.From)
				}
				for _, t := range s.To {
					question(s.Line, "to", t)
				}
				if s.Answer != "" && s.Answer != SplitFirst && s.Answer != SplitAll {
					errf(s.Line, "%s: split of %q: answer %q must be first or all", at, s.From, s.Answer)
				}
			}
		}
	}
	return errs
}
