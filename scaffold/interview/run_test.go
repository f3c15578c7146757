package interview

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/doc"
)

// plainExpander evaluates the two template forms the tests use without the
// render package: a literal, or "{{ .Answers.NAME }}".
type plainExpander struct{}

func (plainExpander) Expand(_, text string, answers map[string]any) (string, error) {
	if strings.HasPrefix(text, "{{ .Answers.") {
		name := strings.TrimSuffix(strings.TrimPrefix(text, "{{ .Answers."), " }}")
		v, ok := answers[name]
		if !ok {
			return "", errors.New("map has no entry for key " + name)
		}
		return toStringOrEmpty(v), nil
	}
	if strings.HasPrefix(text, "{{ if .Answers.") {
		name := strings.TrimSuffix(strings.TrimPrefix(text, "{{ if .Answers."), " }}true{{ end }}")
		if b, _ := answers[name].(bool); b {
			return "true", nil
		}
		return "", nil
	}
	return text, nil
}

func toStringOrEmpty(v any) string {
	s, _ := v.(string)
	return s
}

func questions(t *testing.T) []Question {
	t.Helper()
	qs := []Question{
		{Name: "title", Prompt: "Title?", Required: true},
		{Name: "slug", Prompt: "Slug?", Default: "{{ .Answers.title }}"},
		{Name: "staged", Prompt: "Staged?", Type: Confirm},
		{Name: "stages", Prompt: "Stages?", Type: Text, When: "{{ if .Answers.staged }}true{{ end }}", Required: true},
		{Name: "tags", Prompt: "Tags?", Type: MultiSelect, Choices: []string{"a", "b", "c"}},
		{Name: "api", Prompt: "API?", Track: doc.TrackTechnical, Required: true},
		{Name: "metrics", Prompt: "Metrics?", Type: Group, Min: 1, Fields: []Question{
			{Name: "metric", Prompt: "Metric?", Required: true},
			{Name: "target", Prompt: "Target?", Pattern: `\d`, PatternMessage: "include a number"},
		}},
	}
	if err := ValidateSets(qs); err != nil {
		t.Fatal(err)
	}
	return qs
}

func TestRunFromGivenAnswers(t *testing.T) {
	qs := questions(t)
	got, err := Run(qs, Options{Track: doc.TrackCore, Expand: plainExpander{}, Given: map[string]any{
		"title":   "Checkout",
		"tags":    []any{"a", "c"},
		"api":     "ignored on the core track",
		"metrics": []any{map[string]any{"metric": "Conversion", "target": "18%"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"title":   "Checkout",
		"slug":    "Checkout", // default from an earlier answer
		"staged":  false,
		"stages":  "", // when is false: zero value, not asked
		"tags":    []string{"a", "c"},
		"api":     "", // other track: zero value
		"metrics": []map[string]any{{"metric": "Conversion", "target": "18%"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
}

func TestRunReportsEveryProblemAtOnce(t *testing.T) {
	qs := questions(t)
	_, err := Run(qs, Options{Track: doc.TrackTechnical, Expand: plainExpander{}, Given: map[string]any{
		"staged":  "yes",
		"tags":    []any{"a", "zzz"},
		"metrics": []any{map[string]any{"metric": "Conversion", "target": "soon"}},
	}})
	var ae *AnswersError
	if !errors.As(err, &ae) {
		t.Fatalf("got %v, want an AnswersError", err)
	}
	if !reflect.DeepEqual(ae.Missing, []string{"title", "stages", "api"}) {
		t.Errorf("missing %v", ae.Missing)
	}
	if len(ae.Invalid) != 2 || ae.Invalid[0].Name != "tags" || !strings.Contains(ae.Invalid[0].Msg, `"zzz" is not one of: a, b, c`) ||
		ae.Invalid[1].Name != "metrics" || ae.Invalid[1].Msg != "row 1: target: include a number" {
		t.Errorf("invalid %+v", ae.Invalid)
	}
}

// scripted answers prompts from a queue, checking each answer with the
// prompt's validator the way survey does, and records what was asked.
type scripted struct {
	answers []any
	asked   []string
	errors  []string
}

func (s *scripted) Ask(p Prompt) (any, error) {
	for len(s.answers) > 0 {
		a := s.answers[0]
		s.answers = s.answers[1:]
		s.asked = append(s.asked, p.Message)
		if p.Validate != nil {
			if err := p.Validate(a); err != nil {
				s.errors = append(s.errors, err.Error())
				continue
			}
		}
		return a, nil
	}
	return nil, ErrInterrupted
}

func TestRunAsksWhatIsNotGiven(t *testing.T) {
	qs := questions(t)
	p := &scripted{answers: []any{
		"",         // title: required, re-asked
		"Checkout", // title
		"",         // slug: empty keeps nothing (defaults are the prompter's job)
		true,       // staged
		"canary, then 100%",
		[]string{"b"},
		"Conversion", "soon", "18%", // metric row 1, target retried
		false, // no more rows
	}}
	var saved []string
	got, err := Run(qs, Options{Track: doc.TrackCore, Expand: plainExpander{}, Prompter: p, Given: map[string]any{},
		OnAnswer: func(name string, _ any) error { saved = append(saved, name); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if got["stages"] != "canary, then 100%" || got["title"] != "Checkout" {
		t.Errorf("got %#v", got)
	}
	if !reflect.DeepEqual(p.errors, []string{"an answer is required", "include a number"}) {
		t.Errorf("validation errors %v", p.errors)
	}
	if want := "metric 1: Target?"; !contains(p.asked, want) {
		t.Errorf("asked %v, want %q among them", p.asked, want)
	}
	if !reflect.DeepEqual(saved, []string{"title", "slug", "staged", "stages", "tags", "metrics"}) {
		t.Errorf("OnAnswer saw %v", saved)
	}
}

func TestRunInterrupted(t *testing.T) {
	_, err := Run(questions(t), Options{Track: doc.TrackCore, Prompter: &scripted{}, Given: map[string]any{}})
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("got %v", err)
	}
}

func TestDeclarationErrors(t *testing.T) {
	for name, q := range map[string]Question{
		"bad name":     {Name: "Bad-Name", Prompt: "x"},
		"bad type":     {Name: "a", Prompt: "x", Type: "slider"},
		"no prompt":    {Name: "a"},
		"no choices":   {Name: "a", Prompt: "x", Type: Select},
		"bad pattern":  {Name: "a", Prompt: "x", Pattern: "("},
		"nested group": {Name: "a", Prompt: "x", Type: Group, Fields: []Question{{Name: "b", Prompt: "y", Type: Group, Fields: []Question{{Name: "c", Prompt: "z"}}}}},
		"bad track":    {Name: "a", Prompt: "x", Track: "sales"},
		"bad range":    {Name: "a", Prompt: "x", Type: Group, Min: 3, Max: 1, Fields: []Question{{Name: "b", Prompt: "y"}}},
	} {
		if err := q.Validate(false); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if err := ValidateSets([]Question{{Name: "a", Prompt: "x"}, {Name: "a", Prompt: "y"}}); err == nil || !strings.Contains(err.Error(), "declared twice") {
		t.Errorf("duplicate: %v", err)
	}
}

func TestCoerce(t *testing.T) {
	in := Question{Name: "a", Prompt: "x"}
	in.Validate(false)
	for _, bad := range []any{"two\nlines", strings.Repeat("x", MaxAnswerBytes+1), "nul\x00byte", "\xff\xfe", map[string]any{}} {
		if _, err := in.Coerce(bad); err == nil {
			t.Errorf("input accepted %q", bad)
		}
	}
	conf := Question{Name: "b", Prompt: "x", Type: Confirm}
	for raw, want := range map[any]bool{"yes": true, "n": false, true: true, "FALSE": false} {
		if got, err := conf.Coerce(raw); err != nil || got != want {
			t.Errorf("confirm %v: %v %v", raw, got, err)
		}
	}
	from := Question{Name: "c", Prompt: "x", Type: MultiSelect, ChoicesFrom: "interview"}
	from.Validate(false)
	if _, err := from.Coerce([]any{"interview/2026-01-01-a.md"}); err != nil {
		t.Error(err)
	}
	if _, err := from.Coerce([]any{"../../etc/passwd.md"}); err == nil {
		t.Error("accepted a path leaving the portfolio")
	}
}

func TestMarshalAnswersRoundTrip(t *testing.T) {
	qs := questions(t)
	answers := map[string]any{
		"title": "Checkout: the \"fast\" one", "slug": "", "staged": true, "stages": "line one\nline two",
		"tags": []string{"a"}, "api": "", "metrics": []map[string]any{{"metric": "Conv", "target": "18%"}},
	}
	data := MarshalAnswers(qs, answers, doc.TrackCore, "header line")
	if !strings.HasPrefix(string(data), "# header line\ntitle:") {
		t.Errorf("marshalled:\n%s", data)
	}
	g := NewGiven()
	if err := g.LoadFile("x.yaml", data); err != nil {
		t.Fatal(err)
	}
	got, err := Run(qs, Options{Track: doc.TrackCore, Expand: plainExpander{}, Given: g.Values})
	if err != nil {
		t.Fatal(err)
	}
	answers["slug"] = answers["title"] // its default
	if !reflect.DeepEqual(got, answers) {
		t.Errorf("round trip:\n got %#v\nwant %#v", got, answers)
	}
}

func TestGivenSetAndLines(t *testing.T) {
	g := NewGiven()
	if err := g.LoadFile("a.yaml", []byte("# c\ntitle: x\ntags: [a]\n")); err != nil {
		t.Fatal(err)
	}
	if err := g.Set("metrics=[{metric: M, target: 1%}]"); err != nil {
		t.Fatal(err)
	}
	if g.Where["tags"] != "a.yaml:3" || g.Where["metrics"] != "--set metrics" {
		t.Errorf("where %v", g.Where)
	}
	if _, ok := g.Values["metrics"].([]any); !ok {
		t.Errorf("--set with flow YAML gave %T", g.Values["metrics"])
	}
	for _, bad := range []string{"novalue", "=x", "a=[unclosed"} {
		if err := g.Set(bad); err == nil {
			t.Errorf("Set(%q) accepted", bad)
		}
	}
	if err := g.LoadFile("b.yaml", []byte("- a\n- b\n")); err == nil || !strings.Contains(err.Error(), "b.yaml:1:") {
		t.Errorf("a list as answers file: %v", err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
