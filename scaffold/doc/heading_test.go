package doc

import "testing"

func TestHeadingKey(t *testing.T) {
	for in, want := range map[string]string{
		"## Goals":                      "goals",
		"1. Goals":                      "goals",
		"1) Goals":                      "goals",
		"4.1 Goals":                     "goals",
		"Step 2: Goals":                 "goals",
		"IV. Goals":                     "goals",
		"A. Goals":                      "goals",
		"A":                             "a",
		"🎯 Goals?":                      "goals",
		"Goals:":                        "goals",
		"Risks & Assumptions":           "risks and assumptions",
		"What’s next":                   "whats next",
		"What's next":                   "whats next",
		"User Stories (Optional)":       "user stories",
		"Notes/Constraints/Caveats":     "notes constraints caveats",
		"Rollout, Upgrade and Rollback": "rollout upgrade and rollback",
		"Step by step":                  "step by step",
	} {
		if got := HeadingKey(in); got != want {
			t.Errorf("HeadingKey(%q) = %q, want %q", in, got, want)
		}
	}
}
