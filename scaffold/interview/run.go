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
	// Defaults are offered as questions' defaults instead of the pack's
	// (a document's recorded answers, when it is edited); without a
	// Prompter they are taken as answers.
	Defaults map[string]any
	// Check holds an answer to what only the caller knows, such as a title
	// whose document already exists, when it is entered: at a prompt (a
	// refused answer is asked again) and for the Retry answers. asked
	// holds the answers settled before it. Answers given otherwise are the
	// caller's to judge once the interview is over.
	Check func(name string, value any, asked map[string]any) error
	// Retry names given answers (those a draft kept) that are asked again,
	// with the reason, when they are refused, rather than failing: an
	// answer that failed once would fail every resumed interview.
	Retry map[string]bool
	// Review, with a Prompter, ends the interview with a list of the
	// answers, from which the person picks any to change before the
	// document is written: how "back" works.
	Review bool
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
// so templates can use any declared name. With Review and a Prompter, the
// person then reviews the answers and changes any of them.
func Run(qs []Question, o Options) (map[string]any, error) {
	answers, settled, err := o.run(qs)
	if err != nil || !o.Review || o.Prompter == nil {
		return answers, err
	}
	return o.review(qs, answers, settled)
}

// run settles every question once; settled lists, in order, the
// questions that were asked or given (not those off the track or whose
// condition is false).
func (o *Options) run(qs []Question) (map[string]any, []string, error) {
	answers := make(map[string]any, len(qs))
	// asked holds only settled answers: conditions and defaults may use
	// earlier answers, and a reference to a later one is a pack error.
	asked := make(map[string]any, len(qs))
	var settled []string
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
				return nil, nil, err
			}
			if !ok {
				asked[q.Name] = q.Zero()
				continue
			}
		}
		v, err := o.settle(q, asked)
		if errors.Is(err, ErrInterrupted) {
			return nil, nil, err
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
		if err != nil {
			return nil, nil, err
		}
		answers[q.Name] = v
		asked[q.Name] = v
		settled = append(settled, q.Name)
		if o.OnAnswer != nil {
			if err := o.OnAnswer(q.Name, v); err != nil {
				return nil, nil, err
			}
		}
	}
	if len(errs.Missing) > 0 || len(errs.Invalid) > 0 {
		return nil, nil, errs
	}
	return answers, settled, nil
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

// defaultFor is the question's default: Defaults' answer, else the
// pack's default, expanded; ok is false when it has none.
func (o *Options) defaultFor(q *Question, asked map[string]any) (any, bool, error) {
	if d, ok := o.Defaults[q.Name]; ok && !IsEmpty(d) {
		return d, true, nil
	}
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
	note := ""
	if raw, ok := o.Given[q.Name]; ok {
		v, err := o.accept(q, raw, asked)
		if err == nil {
			return v, nil
		}
		var pe *problemError
		if !errors.As(err, &pe) || o.Prompter == nil || !o.Retry[q.Name] {
			return nil, err
		}
		// A kept answer that no longer holds: ask again, saying why.
		note = pe.msg
		if pe.missing {
			note = "an answer is required"
		}
	}
	def, hasDef, err := o.defaultFor(q, asked)
	if err != nil {
		return nil, err
	}
	if o.Prompter != nil && !(o.UseDefaults && hasDef) {
		if q.Type == Group {
			rows, _ := def.([]map[string]any)
			return o.askGroup(q, rows)
		}
		msg := q.Prompt
		if note != "" {
			msg = fmt.Sprintf("%s (%s)", q.Prompt, note)
		}
		return o.ask(q, msg, def, asked)
	}
	if hasDef {
		v, err := q.Coerce(def)
		if err != nil {
			if _, recorded := o.Defaults[q.Name]; recorded {
				return nil, &problemError{msg: err.Error()}
			}
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

// accept coerces a given answer and holds it to the question, and a Retry
// one in a terminal to Check too.
func (o *Options) accept(q *Question, raw any, asked map[string]any) (any, error) {
	v, err := q.Coerce(raw)
	if err != nil {
		return nil, &problemError{msg: err.Error()}
	}
	if q.Required && IsEmpty(v) {
		return nil, &problemError{missing: true}
	}
	if o.Prompter != nil && o.Retry[q.Name] {
		if err := o.check(q, v, asked); err != nil {
			return nil, &problemError{msg: err.Error()}
		}
	}
	return v, nil
}

// check runs Check on a settled answer.
func (o *Options) check(q *Question, v any, asked map[string]any) error {
	if o.Check == nil {
		return nil
	}
	return o.Check(q.Name, v, asked)
}

func (o *Options) ask(q *Question, message string, def any, asked map[string]any) (any, error) {
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
				message += " (paths, separated by commas, or " + NoneYet + ")"
			} else {
				message += " (a path, or " + NoneYet + ")"
			}
		} else {
			choices = append(choices[:len(choices):len(choices)], NoneYet)
		}
	}
	p := Prompt{
		Type:    typ,
		Message: message,
		Help:    strings.TrimSpace(q.Help),
		Choices: choices,
		Default: promptDefault(q, def),
		Validate: func(v any) error {
			c, err := q.Coerce(typed(typ, v))
			if err == nil && q.Required && IsEmpty(c) {
				return fmt.Errorf("an answer is required")
			}
			if err == nil && q.Type != Group && asked != nil {
				err = o.check(q, c, asked)
			}
			return err
		},
	}
	v, err := o.Prompter.Ask(p)
	if err != nil {
		return nil, err
	}
	c, err := q.Coerce(typed(typ, v))
	if err != nil {
		return nil, &problemError{msg: err.Error()}
	}
	return c, nil
}

// typed turns what a prompt of type typ returned into the answer: lines
// typed in the terminal are each meant as a line (see Paragraphs).
func typed(typ Type, v any) any {
	if s, ok := v.(string); ok && typ == Text {
		return Paragraphs(s)
	}
	return v
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
// prev are the rows the group had (an edited document's): each of their
// fields is the default, and another row is offered while there were more.
func (o *Options) askGroup(q *Question, prev []map[string]any) (any, error) {
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
				Default: len(rows) < len(prev) || (len(rows) == 0 && prev == nil),
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
			def := f.Default
			if len(rows) < len(prev) {
				if v, ok := prev[len(rows)][f.Name]; ok && !IsEmpty(v) {
					def = v
				}
			}
			v, err := o.ask(f, msg, def, nil)
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
