package interview

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/doc"
)

// FuzzAnswers feeds arbitrary bytes to an answers file and the interview
// that settles them: any input must end in answers or an error, never a
// panic.
func FuzzAnswers(f *testing.F) {
	files, _ := filepath.Glob("../../examples/answers/*.yaml")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{"title: x\n", "metrics: [{metric: a, target: '1'}]\n", "tags: a, b\n", "{}", "- a\n", "staged: yes\nstages: |\n  one\n", "title: &a [*a]\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g := NewGiven()
		if err := g.LoadFile("answers.yaml", data); err != nil {
			return
		}
		qs := fuzzQuestions()
		for _, track := range []string{doc.TrackCore, doc.TrackTechnical} {
			answers, err := Run(qs, Options{Track: track, Given: g.Values, Expand: plainExpander{}})
			if err == nil {
				// What was accepted must survive a round trip.
				g2 := NewGiven()
				if err := g2.LoadFile("again.yaml", MarshalAnswers(qs, answers, track, "")); err != nil {
					t.Fatalf("answers pmfolio wrote do not read back: %v", err)
				}
			}
		}
	})
}

func fuzzQuestions() []Question {
	qs := []Question{
		{Name: "title", Prompt: "Title?", Required: true},
		{Name: "slug", Prompt: "Slug?", Default: "{{ .Answers.title }}"},
		{Name: "staged", Prompt: "Staged?", Type: Confirm},
		{Name: "stages", Prompt: "Stages?", Type: Text, When: "{{ if .Answers.staged }}true{{ end }}"},
		{Name: "tags", Prompt: "Tags?", Type: MultiSelect, Choices: []string{"a", "b", "c"}, Max: 2},
		{Name: "pick", Prompt: "Pick?", Type: Select, Choices: []string{"x", "y"}},
		{Name: "links", Prompt: "Links?", Type: MultiSelect, ChoicesFrom: "interview"},
		{Name: "api", Prompt: "API?", Track: doc.TrackTechnical, Pattern: `^/`},
		{Name: "metrics", Prompt: "Metrics?", Type: Group, Max: 3, Fields: []Question{
			{Name: "metric", Prompt: "Metric?", Required: true},
			{Name: "target", Prompt: "Target?", Pattern: `\d`, PatternMessage: "include a number"},
			{Name: "done", Prompt: "Done?", Type: Confirm},
		}},
	}
	if err := ValidateSets(qs); err != nil {
		panic(err)
	}
	return qs
}
