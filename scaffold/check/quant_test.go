package check

import "testing"

func TestQuantify(t *testing.T) {
	for _, tc := range []struct {
		in                string
		numbers           int
		timeframe, change bool
	}{
		{"from 12% to 18% within 30 days", 2, true, true},
		{"Auto-match rate: 75% within 30 days", 1, true, false},
		{"from 62% to 75% within 30 days of 100% rollout", 3, true, true},
		{"Share of payments matched, from 62% to 80% by 2026-06-30", 2, true, true},
		{"up a lot, soon after launch", 0, false, false},
		{"conversion 3.5x by Q3", 1, true, false},
		{"in Q3 2026 we reach 40 users", 1, true, false},
		{"a 30-day window, 2 people", 1, true, false},
		{"by March, $10k saved", 1, true, false},
		{"before the end of June", 0, true, false},
		{"closed on 2 January 2026 and Jan 5, 2026", 0, true, false},
		{"the median close went from 3.0 to 1.8 days", 2, false, true},
		{"62% → 71% after launch", 2, false, true},
		{"3.0 -> 1.8 days", 2, false, true},
		{"p95 latency and H1 planning", 0, true, false},
		{"p95 latency under 300 ms", 1, false, false},
		{"over 2 working days, 1,500 payments", 1, true, false},
		{"in the first 3 sprints", 0, true, false},
		{"AIP-180 in spirit", 1, false, false},
		{"", 0, false, false},
	} {
		q := quantify(tc.in)
		if q.numbers != tc.numbers || q.timeframe != tc.timeframe || q.change != tc.change {
			t.Errorf("quantify(%q) = %+v, want numbers %d timeframe %v change %v", tc.in, q, tc.numbers, tc.timeframe, tc.change)
		}
	}
}

func TestHasDate(t *testing.T) {
	for in, want := range map[string]bool{
		"due 2026-04-03":       true,
		"on 3 April 2026":      true,
		"April 3rd, 2026":      true,
		"in March 2026":        true,
		"soon":                 false,
		"within 30 days":       false,
		"2026-4-3":             false,
		"version 1.2.3":        false,
		"Jan 2026 close, ship": true,
	} {
		if got := hasDate(in); got != want {
			t.Errorf("hasDate(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestCountWords(t *testing.T) {
	for in, want := range map[string]int{
		"":                                    0,
		"one two  three":                      3,
		"| Metric | Target |\n|---|---|":      2,
		"- **Owner:** Ada — see [x](../a.md)": 4,
		"café naïve 12%":                      3,
	} {
		if got := countWords(in); got != want {
			t.Errorf("countWords(%q) = %d, want %d", in, got, want)
		}
	}
}
