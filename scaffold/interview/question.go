// Package interview turns a list of questions (data, declared in a pack)
// into answers, asking a Prompter when a terminal is available and taking
// answers files, --set values and defaults otherwise.
package interview

import (
	"fmt"
	"github.com/pmfolio/pmfolio/scaffold/doc"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
)

// Type is the kind of answer a question takes.
type Type string

// The question types a pack may declare.
const (
	Input       Type = "input"       // one line
	Date        Type = "date"        // a day of the calendar, YYYY-MM-DD
	Text        Type = "text"        // several lines, typed in the terminal
	Editor      Type = "editor"      // several lines, written in $EDITOR
	Select      Type = "select"      // one of Choices
	MultiSelect Type = "multiselect" // any of Choices
	Confirm     Type = "confirm"     // yes or no
	Group       Type = "group"       // repeatable rows of Fields
)

// Types lists every valid question type in the order the reference documents them.
var Types = []Type{Input, Date, Text, Editor, Select, MultiSelect, Confirm, Group}

// Question is one question as a pack declares it.
type Question struct {
	Name           string   `yaml:"name" json:"name"`
	Prompt         string   `yaml:"prompt" json:"prompt"`
	Help           string   `yaml:"help,omitempty" json:"help,omitempty"`
	Type           Type     `yaml:"type" json:"type"`
	Default        any      `yaml:"default,omitempty" json:"default,omitempty"`
	Required       bool     `yaml:"required,omitempty" json:"required"`
	Pattern        string   `yaml:"pattern,omitempty" json:"pattern,omitempty"`
	PatternMessage string   `yaml:"pattern_message,omitempty" json:"pattern_message,omitempty"`
	Choices        []string `yaml:"choices,omitempty" json:"choices,omitempty"`
	// ChoicesFrom names a document kind: the choices are the portfolio's
	// documents of that kind (their paths), e.g. the interviews a brief
	// links. Given answers need not exist yet; check reports broken links.
	ChoicesFrom string `yaml:"choices_from,omitempty" json:"choices_from,omitempty"`
	When        string `yaml:"when,omitempty" json:"when,omitempty"`
	Track       string `yaml:"track,omitempty" json:"track,omitempty"`
	// Anonymous refuses answers holding an e-mail address or a phone
	// number: a question that asks for a role or a description.
	Anonymous bool       `yaml:"anonymous,omitempty" json:"anonymous,omitempty"`
	Min       int        `yaml:"min,omitempty" json:"min,omitempty"`
	Max       int        `yaml:"max,omitempty" json:"max,omitempty"`
	Fields    []Question `yaml:"fields,omitempty" json:"fields,omitempty"`

	// Line is where the question is declared, for error messages.
	Line int `yaml:"-" json:"-"`
}

var nameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z0-9_]*$`) })

// Validate checks one question's declaration; where names it in errors.
func (q *Question) Validate(inGroup bool) error {
	if !nameRE().MatchString(q.Name) {
		return fmt.Errorf("question name %q must be lower case letters, digits and _ and start with a letter", q.Name)
	}
	if q.Type == "" {
		q.Type = Input
	}
	if !slices.Contains(Types, q.Type) {
		return fmt.Errorf("question %q: unknown type %q (want one of %s)", q.Name, q.Type, joinTypes())
	}
	if strings.TrimSpace(q.Prompt) == "" {
		return fmt.Errorf("question %q: prompt is empty", q.Name)
	}
	if q.Track == "" {
		q.Track = doc.TrackBoth
	}
	if err := doc.ValidateTrack(q.Track, true); err != nil {
		return fmt.Errorf("question %q: %v", q.Name, err)
	}
	if q.Pattern != "" {
		// Parsed, not compiled: a pack declares dozens of patterns, an
		// interview checks a few answers, and checkString compiles those.
		if _, err := syntax.Parse(q.Pattern, syntax.Perl); err != nil {
			return fmt.Errorf("question %q: pattern: %v", q.Name, err)
		}
	}
	switch q.Type {
	case Select, MultiSelect:
		if len(q.Choices) == 0 && q.ChoicesFrom == "" {
			return fmt.Errorf("question %q: a %s needs choices or choices_from", q.Name, q.Type)
		}
		if len(q.Choices) > 0 && q.ChoicesFrom != "" {
			return fmt.Errorf("question %q: give choices or choices_from, not both", q.Name)
		}
	default:
		if len(q.Choices) > 0 || q.ChoicesFrom != "" {
			return fmt.Errorf("question %q: choices only apply to select and multiselect", q.Name)
		}
	}
	if q.Type == Group {
		if inGroup {
			return fmt.Errorf("question %q: groups cannot be nested", q.Name)
		}
		if len(q.Fields) == 0 {
			return fmt.Errorf("question %q: a group needs fields", q.Name)
		}
		seen := map[string]bool{}
		for i := range q.Fields {
			f := &q.Fields[i]
			if err := f.Validate(true); err != nil {
				return fmt.Errorf("group %q: %w", q.Name, err)
			}
			if f.When != "" {
				return fmt.Errorf("group %q: field %q: fields cannot have a when condition", q.Name, f.Name)
			}
			if seen[f.Name] {
				return fmt.Errorf("group %q: field %q is declared twice", q.Name, f.Name)
			}
			seen[f.Name] = true
		}
	} else if len(q.Fields) > 0 {
		return fmt.Errorf("question %q: fields only apply to groups", q.Name)
	}
	if q.Min < 0 || (q.Max > 0 && q.Max < q.Min) {
		return fmt.Errorf("question %q: min %d and max %d do not make a range", q.Name, q.Min, q.Max)
	}
	return nil
}

func joinTypes() string {
	s := make([]string, len(Types))
	for i, t := range Types {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// OnTrack reports whether the question is asked on track.
func (q *Question) OnTrack(track string) bool {
	return q.Track == "" || q.Track == doc.TrackBoth || q.Track == track
}

// Zero is the value a question has when it was not asked or not answered;
// templates always see every question, so they never hit a missing key.
func (q *Question) Zero() any {
	switch q.Type {
	case MultiSelect:
		return []string{}
	case Confirm:
		return false
	case Group:
		return []map[string]any{}
	default:
		return ""
	}
}

// ValidateSets checks a whole question list: each question, and unique names.
func ValidateSets(qs []Question) error {
	seen := map[string]bool{}
	for i := range qs {
		if err := qs[i].Validate(false); err != nil {
			return err
		}
		if seen[qs[i].Name] {
			return fmt.Errorf("question %q is declared twice", qs[i].Name)
		}
		seen[qs[i].Name] = true
	}
	return nil
}
