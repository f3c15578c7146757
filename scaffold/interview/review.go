package interview

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// WriteChoice is the review's first choice: done, write the document.
const WriteChoice = "Write the document"

// review lists the answers and asks the person to pick one to change, or
// to write the document. A changed answer can make other questions apply
// (or stop applying): the interview runs again from the answers so far,
// asking only what is new.
func (o *Options) review(qs []Question, answers map[string]any, settled []string) (map[string]any, error) {
	for {
		q, err := o.pick(qs, answers, settled)
		if err != nil || q == nil {
			return answers, err
		}
		// The current answer is the default; the pack's expanded one when
		// there is none.
		again := *o
		again.Defaults = map[string]any{q.Name: answers[q.Name]}
		if IsEmpty(answers[q.Name]) {
			again.Defaults = nil
		}
		asked := make(map[string]any, len(settled))
		for _, name := range settled {
			asked[name] = answers[name]
		}
		v, err := again.askOne(q, asked)
		if err != nil {
			return nil, err
		}
		given := make(map[string]any, len(settled))
		for _, name := range settled {
			given[name] = answers[name]
		}
		given[q.Name] = v
		rerun := *o
		rerun.Given, rerun.Defaults, rerun.Retry = given, nil, nil
		// Answers already given were checked when they were given; a
		// changed one was checked at its prompt.
		rerun.Check = nil
		if answers, settled, err = rerun.run(qs); err != nil {
			return nil, err
		}
	}
}

// askOne asks q again, whatever its type.
func (o *Options) askOne(q *Question, asked map[string]any) (any, error) {
	def, _, err := o.defaultFor(q, asked)
	if err != nil {
		return nil, err
	}
	if q.Type == Group {
		rows, _ := def.([]map[string]any)
		return o.askGroup(q, rows)
	}
	return o.ask(q, q.Prompt, def, asked)
}

// pick shows the review and returns the question picked, nil to write.
func (o *Options) pick(qs []Question, answers map[string]any, settled []string) (*Question, error) {
	choices := []string{WriteChoice}
	byChoice := map[string]*Question{}
	for _, name := range settled {
		q := find(qs, name)
		c := fmt.Sprintf("%s: %s", name, Summary(answers[name]))
		choices = append(choices, c)
		byChoice[c] = q
		byChoice[name] = q
	}
	v, err := o.Prompter.Ask(Prompt{
		Type:    Select,
		Message: "Review your answers: pick one to change, or write the document",
		Help:    "Each answer is listed after its question's name. Pick one to answer that question again (its answer is the default); the others stay as they are.",
		Choices: choices,
		Default: WriteChoice,
	})
	if err != nil {
		return nil, err
	}
	s, _ := v.(string)
	if s == WriteChoice {
		return nil, nil
	}
	if q, ok := byChoice[s]; ok {
		return q, nil
	}
	return nil, fmt.Errorf("%q is not one of the answers", s)
}

func find(qs []Question, name string) *Question {
	for i := range qs {
		if qs[i].Name == name {
			return &qs[i]
		}
	}
	return nil
}

// Summary is an answer in one short line, for lists such as the review
// and `pmfolio drafts`.
func Summary(v any) string {
	var s string
	switch x := v.(type) {
	case nil:
	case string:
		s = x
	case bool:
		s = "no"
		if x {
			s = "yes"
		}
	case []string:
		s = strings.Join(x, ", ")
	case []map[string]any:
		s = fmt.Sprintf("%d rows", len(x))
		if len(x) == 1 {
			s = "1 row"
		}
	default:
		s = fmt.Sprint(x)
	}
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "(no answer)"
	}
	if utf8.RuneCountInString(s) > 60 {
		r := []rune(s)
		s = strings.TrimSpace(string(r[:57])) + "..."
	}
	return s
}
