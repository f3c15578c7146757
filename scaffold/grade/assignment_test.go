package grade

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func assignmentWith(due, zone, extra string) string {
	return fmt.Sprintf("name: A\npack: {name: default}\ndocuments:\n  - {kind: prd}\ndue: %s\ntimezone: %s\n%srubric:\n  - {id: q, points: 10, min_score: 80}\n", due, zone, extra)
}

// TestDeadlines: a deadline is the minute it names in its zone, on the
// days clocks change too (time/tzdata is embedded, so this holds on a
// machine without a zoneinfo database); a minute clocks skip or repeat is
// refused at its line; an RFC 3339 time keeps its offset.
func TestDeadlines(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		due, zone string
		want      time.Time
		err       string
	}{
		// Spring forward: 23:59 is EDT (UTC-4) that evening.
		{"2026-03-08 23:59", "America/New_York", time.Date(2026, 3, 9, 3, 59, 0, 0, time.UTC), ""},
		// Fall back: 23:59 is EST (UTC-5) that evening.
		{"2026-11-01 23:59", "America/New_York", time.Date(2026, 11, 2, 4, 59, 0, 0, time.UTC), ""},
		{"2026-03-29 23:59", "Europe/Paris", time.Date(2026, 3, 29, 21, 59, 0, 0, time.UTC), ""},
		{"2026-03-08T08:00", "Asia/Kolkata", time.Date(2026, 3, 8, 2, 30, 0, 0, time.UTC), ""},
		{"2026-03-08T23:59:00-05:00", "America/New_York", time.Date(2026, 3, 9, 4, 59, 0, 0, time.UTC), ""},
		{"2026-03-08T23:59:00Z", `""`, time.Date(2026, 3, 8, 23, 59, 0, 0, time.UTC), ""},
		{"2026-03-08 02:30", "America/New_York", time.Time{}, "a.yaml:5: due \"2026-03-08 02:30\" does not exist in America/New_York"},
		{"2026-11-01 01:30", "America/New_York", time.Time{}, "a.yaml:5: due \"2026-11-01 01:30\" happens twice in America/New_York"},
		{"2026-03-08 23:59", `""`, time.Time{}, "a.yaml:5: due \"2026-03-08 23:59\" has no offset"},
		{"2026-03-08 23:59", "Mars/Olympus", time.Time{}, "a.yaml:6: timezone \"Mars/Olympus\" is not an IANA time zone"},
		{"next friday", "UTC", time.Time{}, "a.yaml:5: due \"next friday\" is not a date and time"},
	} {
		a, err := ParseAssignment("a.yaml", []byte(assignmentWith(tc.due, tc.zone, "")))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s %s: got %v, want %q", tc.due, tc.zone, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %s: %v", tc.due, tc.zone, err)
			continue
		}
		if !a.DueTime.Equal(tc.want) {
			t.Errorf("%s %s: %s, want %s", tc.due, tc.zone, a.DueTime.UTC(), tc.want)
		}
	}
}

// TestAssignmentErrors: every problem of an assignment in one run, each
// at the line of its key, in file order.
func TestAssignmentErrors(t *testing.T) {
	t.Parallel()
	src := `name: ""
pack: {name: acme, source: https://example.com/p.git}
documents:
  - {kind: prd, count: 0, weight: -1}
due: 2026-03-08 23:59
timezone: UTC
suspicious_after: soon
late:
  grace: 5 minutes
  penalty_per_day: 150
rubric:
  - {id: q, points: 0, min_score: 80, partial_from: 90}
  - {id: q, points: 5, manual: true, rule: doc/placeholder}
  - {id: r, points: 5}
`
	_, err := ParseAssignment("a.yaml", []byte(src))
	var es *Errors
	if !errors.As(err, &es) {
		t.Fatalf("got %v", err)
	}
	want := []string{
		"a.yaml:1: name is missing",
		`a.yaml:2: pack "acme": version is missing`,
		`a.yaml:4: kind "prd": weight -1 is negative`,
		`a.yaml:7: suspicious_after "soon": not a duration`,
		`a.yaml:9: grace "5 minutes": not a duration`,
		"a.yaml:10: late: penalty_per_day 150 is not a percent from 0 to 100",
		`a.yaml:12: criterion "q": points must be above 0`,
		`a.yaml:12: criterion "q": partial_from must be a score below min_score`,
		`a.yaml:13: criterion id "q" is used twice`,
		`a.yaml:13: criterion "q": a manual criterion is a person's to grade`,
		`a.yaml:14: criterion "r": say how it is earned`,
	}
	if len(es.Errs) != len(want) {
		t.Errorf("%d errors, want %d:\n%v", len(es.Errs), len(want), err)
	}
	for i, w := range want {
		if i < len(es.Errs) && !strings.HasPrefix(es.Errs[i].Error(), w) {
			t.Errorf("error %d: %q, want %q...", i, es.Errs[i], w)
		}
	}
	if _, err := ParseAssignment("a.yaml", []byte("name: A\nrubrik: []\n")); err == nil || !strings.Contains(err.Error(), `a.yaml:2: unknown key "rubrik"; did you mean "rubric"?`) {
		t.Errorf("a misspelt key: %v", err)
	}
}

// TestRosterErrors: a roster's problems at their lines; a spreadsheet's
// byte order mark and extra columns are fine.
func TestRosterErrors(t *testing.T) {
	t.Parallel()
	r, err := ParseRoster("r.csv", []byte("\ufeffStudent,Name,Repo,Team\nana,Ana,git@github.com:ana/p.git,red\nbo,\"Bo, B\",../bo,blue\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Students) != 2 || r.Students[1].Name != "Bo, B" || r.Students[1].Line != 3 || r.Header[3] != "Team" || !isRemote(r.Students[0].Repo) || isRemote(r.Students[1].Repo) {
		t.Errorf("roster %+v", r)
	}
	_, err = ParseRoster("r.csv", []byte("student,name,repo\nana,Ana,\"unterminated\n"))
	if err == nil || !strings.Contains(err.Error(), "r.csv:2:") {
		t.Errorf("a broken quote: %v", err)
	}
	if _, err := ParseRoster("r.csv", []byte("student,name,repo\n")); err == nil || !strings.Contains(err.Error(), "r.csv:1: the roster lists no student") {
		t.Errorf("no student: %v", err)
	}
}

// TestWinnowing: two texts sharing a passage of at least W+K-1 words share
// a fingerprint whatever surrounds it, however it is wrapped, cased or
// punctuated; texts sharing only runs shorter than K words share none.
func TestWinnowing(t *testing.T) {
	t.Parallel()
	passage := "the month end close takes our two analysts three full days of matching"
	a := "Some text before. " + passage + " and then something else entirely."
	b := "Other words first, quite different ones: " + strings.ToUpper(strings.ReplaceAll(passage, " ", "\n  ")) + "! Then the end."
	shared := intersect(printSet(winnow(tokens(a)), nil), printSet(winnow(tokens(b)), nil))
	if len(shared) == 0 {
		t.Errorf("a %d-word passage was not found", len(strings.Fields(passage)))
	}
	c := "the month end close drags on while two analysts spend three full days matching by hand"
	if s := intersect(printSet(winnow(tokens(passage)), nil), printSet(winnow(tokens(c)), nil)); len(s) != 0 {
		t.Errorf("texts sharing only short runs share %d fingerprints", len(s))
	}
	// Density: about 2/(W+1) of the hashes are kept.
	long := strings.Repeat("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon ", 1)
	var words []string
	for i := 0; i < 2000; i++ {
		words = append(words, fmt.Sprintf("w%d", (i*7919)%1009))
	}
	ps := winnow(tokens(long + strings.Join(words, " ")))
	if d := float64(len(ps)) / 2000; d < 0.25 || d > 0.55 {
		t.Errorf("density %.2f, want about %.2f", d, 2.0/(winnowW+1))
	}
}

func intersect(a, b []uint64) []uint64 {
	var out []uint64
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			out = append(out, a[i])
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return out
}

// TestShards: a student's shard depends on their id only, every student
// is in exactly one shard, and shards are roughly even.
func TestShards(t *testing.T) {
	t.Parallel()
	counts := make([]int, 5)
	for i := 0; i < 1000; i++ {
		id := fmt.Sprintf("student-%d", i)
		s := ShardOf(id, 4)
		if s < 1 || s > 4 || ShardOf(id, 4) != s {
			t.Fatalf("%s: shard %d", id, s)
		}
		counts[s]++
	}
	for s := 1; s <= 4; s++ {
		if counts[s] < 200 || counts[s] > 300 {
			t.Errorf("shard %d has %d of 1000", s, counts[s])
		}
	}
}
