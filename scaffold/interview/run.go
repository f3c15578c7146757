package interview

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Prompt is one question put to a person.
type Prompt struct {
	Type    Type // never Group: groups are asked field by field
	Message string
	Help    string
	Choices []string
	// Default is a string, []string or bool, matching Type; nil for none.
	Default any
	// Validate checks a typed answer; a Prompter re-asks while it fails,
	// showing the error.
	Validate func(any) error
}

// Prompter asks a person one question at a time. The survey adapter is the
// real one; tests use scripted ones.
type Prompter interface {
	// Ask returns a string, []string or bool according to p.Type.
	Ask(p Prompt) (any, error)
}

// ErrInterrupted is returned when the person interrupts the interview
// (Ctrl-C, or end of input at a prompt).
var ErrInterrupted = errors.New("interview interrupted")

// Expander renders a question's default or condition template with the
// answers given so far.
type Expander interface {
	Expand(name, text string, answers map[string]any) (string, error)
}

// Options controls one interview.
type Options struct {
	// Track selects the questions for "core" or "technical".
	Track string
	// Given holds raw answers from answers files and --set, by name.
	Given map[string]any
	// UseDefaults takes a question's default instead of asking it.
	UseDefaults bool
	// Prompter asks the questions Given does not answer; nil never prompts.
	Prompter Prompter
	// Expand renders default and when templates.
	Expand Expander
	// OnAnswer, when set, is called after each question is settled, so an
	// interrupted interview can be resumed.
	OnAnswer func(name string, value any) error
	// Documents lists the portfolio's documents of a kind, offered as the
	// choices of a choices_from question.
	Documents func(kind string) []string
	// Editor asks multi-line (text) questions in $EDITOR instead of in the
	// terminal, for people who write long answers better there.
	Editor bool
}

// Problem is one answer that could not be accepted.
type Problem struct {
	Name string
	Msg  string
}

// AnswersError lists every missing and every invalid answer at once, so a
// script's author fixes them in one go.
type AnswersError struct {
	Missing []string
	Invalid []Problem
}

func (e *AnswersError) Error() string {
	var parts []string
	if len(e.Missing) > 0 {
		parts = append(parts, fmt.Sprintf("missing required answers: %s", strings.Join(e.Missing, ", ")))
	}
	for _, p := range e.Invalid {
		parts = append(parts, fmt.Sprintf("%s: %s", p.Name, p.Msg))
	}
	return strings.Join(parts, "; ")
}

// Unknown returns the names in given that are not questions in qs, sorted.
func Unknown(qs []Question, given map[string]any) []string {
	known := map[string]bool{}
	for _, q := range qs {
		known[q.Name] = true
	}
	var out []string
	for k := range given {
		if !known[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Run settles every question in order and returns an answer for each one:
// questions off the track or whose condition is false get their zero value,
// so templates can use any declared name.
func Run(qs []Question, o Options) (map[string]any, error) {
	answers := make(map[string]any, len(qs))
	// asked holds only settled answers: conditions and defaults may use
	// earlier answers, and a reference to a later one is a pack error.
	asked := make(map[string]any, len(qs))
	errs := &AnswersError{}
	for i := range qs {
		q := &qs[i]
		answers[q.Name] = q.Zero()
		if !q.OnTrack(o.Track) {
			continue
		}
		if q.When != "" {
			ok, err := o.condition(q, asked)
			if err != nil {
				return nil, err
			}
			if !ok {
				asked[q.Name] = q.Zero()
				continue
			}
		}
		v, err := o.settle(q, asked)
		if errors.Is(err, ErrInterrupted) {
			return nil, err
		}
		var pe *problemError
		if errors.As(err, &pe) {
			// Keep going, so that one run reports every problem; later
			// conditions see the question as unanswered.
			asked[q.Name] = q.Zero()
			if pe.missing {
				errs.Missing = append(errs.Missing, q.Name)
			} else {
				errs.Invalid = append(errs.Invalid, Problem{q.Name, pe.msg})
			}
			continue
		}
		switch {
		case err != nil:
			return nil, err
		}
		answers[q.Name] = v
		asked[q.Name] = v
		if o.OnAnswer != nil {
			if err := o.OnAnswer(q.Name, v); err != nil {
				return nil, err
			}
		}
	}
	if len(errs.Missing) > 0 || len(errs.Invalid) > 0 {
		return nil, errs
	}
	return answers, nil
}

type problemError struct {
	missing bool
	msg     string
}

func (e *problemError) Error() string { return e.msg }

func (o *Options) condition(q *Question, asked map[string]any) (bool, error) {
	if o.Expand == nil {
		return true, nil
	}
	s, err := o.Expand.Expand(q.Name+".when", q.When, asked)
	if err != nil {
		return false, fmt.Errorf("question %q: when: %w", q.Name, err)
	}
	return truthy(s), nil
}

func truthy(s string) bool {
	switch strings.TrimSpace(s) {
	case "", "false", "0", "<no value>":
		return false
	}
	return true
}

// defaultFor expands the question's default; ok is false when it has none.
func (o *Options) defaultFor(q *Question, asked map[string]any) (any, bool, error) {
	switch d := q.Default.(type) {
	case nil:
		return nil, false, nil
	case string:
		if o.Expand != nil && strings.Contains(d, "{{") {
			s, err := o.Expand.Expand(q.Name+".default", d, asked)
			if err != nil {
				return nil, false, fmt.Errorf("question %q: default: %w", q.Name, err)
			}
			return s, s != "", nil
		}
		return d, true, nil
	default:
		return d, true, nil
	}
}

func (o *Options) settle(q *Question, asked map[string]any) (any, error) {
	if raw, ok := o.Given[q.Name]; ok {
		v, err := q.Coerce(raw)
		if err != nil {
			return nil, &problemError{msg: err.Error()}
		}
		if q.Required && IsEmpty(v) {
			return nil, &problemError{missing: true}
		}
		return v, nil
	}
	def, hasDef, err := o.defaultFor(q, asked)
	if err != nil {
		return nil, err
	}
	if o.Prompter != nil && !(o.UseDefaults && hasDef) {
		if q.Type == Group {
			return o.askGroup(q)
		}
		return o.ask(q, q.Prompt, def)
	}
	if hasDef {
		v, err := q.Coerce(def)
		if err != nil {
			return nil, fmt.Errorf("question %q: default %v: %w", q.Name, def, err)
		}
		if !(q.Required && IsEmpty(v)) {
			return v, nil
		}
	}
	if q.Required || (q.Type == Group && q.Min > 0) {
		return nil, &problemError{missing: true}
	}
	return q.Zero(), nil
}

func (o *Options) ask(q *Question, message string, def any) (any, error) {
	typ, choices := q.Type, q.Choices
	if typ == Text && o.Editor {
		typ = Editor
	}
	if q.ChoicesFrom != "" {
		if o.Documents != nil {
			choices = o.Documents(q.ChoicesFrom)
		}
		if len(choices) == 0 {
			// Nothing to pick from yet: type the paths.
			typ = Input
			if q.Type == MultiSelect {
				message += " (paths, separated by commas)"
			}
		}
	}
	p := Prompt{
		Type:    typ,
		Message: message,
		Help:    strings.TrimSpace(q.Help),
		Choices: choices,
		Default: promptDefault(q, def),
		Validate: func(v any) error {
			c, err := q.Coerce(v)
			if err == nil && q.Required && IsEmpty(c) {
				return fmt.Errorf("an answer is required")
			}
			return err
		},
	}
	v, err := o.Prompter.Ask(p)
	if err != nil {
		return nil, err
	}
	c, err := q.Coerce(v)
	if err != nil {
		return nil, &problemError{msg: err.Error()}
	}
	return c, nil
}

func promptDefault(q *Question, def any) any {
	switch q.Type {
	case Confirm:
		if b, ok := def.(bool); ok {
			return b
		}
		if s, ok := def.(string); ok {
			v, err := q.Coerce(s)
			if err == nil {
				return v
			}
		}
		return false
	case MultiSelect:
		v, err := q.Coerce(def)
		if err == nil {
			return v
		}
		return nil
	}
	if def == nil {
		return nil
	}
	s, err := toString(def)
	if err != nil || s == "" {
		return nil
	}
	return s
}

// askGroup collects rows one field at a time, then offers another row until
// the group's max; the group's min is enforced by asking until it is met.
func (o *Options) askGroup(q *Question) (any, error) {
	var rows []map[string]any
	label := singular(q)
	for {
		if q.Max > 0 && len(rows) >= q.Max {
			break
		}
		need := len(rows) < q.Min || (q.Required && len(rows) == 0)
		if !need {
			more, err := o.Prompter.Ask(Prompt{
				Type:    Confirm,
				Message: fmt.Sprintf("Add %s %s?", article(len(rows)), label),
				Help:    strings.TrimSpace(q.Help),
				Default: len(rows) == 0,
			})
			if err != nil {
				return nil, err
			}
			if b, _ := more.(bool); !b {
				break
			}
		}
		row := map[string]any{}
		for fi := range q.Fields {
			f := &q.Fields[fi]
			msg := fmt.Sprintf("%s %d: %s", label, len(rows)+1, f.Prompt)
			v, err := o.ask(f, msg, f.Default)
			if err != nil {
				return nil, err
			}
			row[f.Name] = v
		}
		rows = append(rows, row)
	}
	if rows == nil {
		rows = []map[string]any{}
	}
	return rows, nil
}

func article(n int) string {
	if n == 0 {
		return "a"
	}
	return "another"
}

// singular names one row of a group in prompts: its prompt's first words
// are unreliable, so use the name, "success_metrics" -> "success metric".
func singular(q *Question) string {
	s := strings.ReplaceAll(q.Name, "_", " ")
	if strings.HasSuffix(s, "ies") {
		return strings.TrimSuffix(s, "ies") + "y"
	}
	if strings.HasSuffix(s, "s") && !strings.HasSuffix(s, "ss") {
		return strings.TrimSuffix(s, "s")
	}
	return s
}
