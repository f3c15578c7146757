package interview

import (
	"strings"
	"testing"
)

// TestDateQuestions: a date question takes a real day of the calendar as
// YYYY-MM-DD, wherever the answer comes from, and says why it refuses one.
func TestDateQuestions(t *testing.T) {
	t.Parallel()
	q := Question{Name: "start", Prompt: "When?", Type: Date, Required: true}
	if err := q.Validate(false); err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"2024-02-29":   "2024-02-29",
		" 2026-01-05 ": "2026-01-05",
	} {
		if got, err := q.Coerce(in); err != nil || got != want {
			t.Errorf("%q: %v, %v", in, got, err)
		}
	}
	for in, msg := range map[string]string{
		"2026-02-30":             `"2026-02-30" is not a day of the calendar`,
		"2025-02-29":             `"2025-02-29" is not a day of the calendar`,
		"2026-13-01":             `"2026-13-01" is not a day of the calendar`,
		"2026-1-5":               `"2026-1-5" is not a date: use YYYY-MM-DD`,
		"5 January":              `"5 January" is not a date`,
		"":                       "an answer is required",
		"2026-01-05\n2026-01-06": "want a single line",
	} {
		if _, err := q.Coerce(in); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: %v, want %q", in, err, msg)
		}
	}
	q.Required = false
	if got, err := q.Coerce(""); err != nil || got != "" {
		t.Errorf("an optional date left empty: %v, %v", got, err)
	}
}

// TestDateQuestionReasked: at the prompt, a date that is no day of the
// calendar is refused with its reason and asked again.
func TestDateQuestionReasked(t *testing.T) {
	t.Parallel()
	qs := []Question{{Name: "ship_date", Prompt: "Shipped on?", Type: Date, Required: true}}
	if err := ValidateSets(qs); err != nil {
		t.Fatal(err)
	}
	s := NewScript("2026-02-30", "2026-02-28")
	got, err := Run(qs, Options{Prompter: s})
	if err != nil {
		t.Fatal(err)
	}
	if got["ship_date"] != "2026-02-28" || len(s.Asked) != 2 || len(s.Refused) != 1 || !strings.Contains(s.Refused[0], "not a day of the calendar") {
		t.Errorf("answers %v, asked %q, refused %q", got, s.Asked, s.Refused)
	}
}
