package check_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/check"
)

// baselineOf writes rep's baseline and reads it back, with the bytes.
func baselineOf(t *testing.T, rep *check.Report) (*check.Baseline, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := rep.WriteBaseline(&buf); err != nil {
		t.Fatal(err)
	}
	bl, err := check.ReadBaseline("baseline.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return bl, buf.Bytes()
}

func docScore(rep *check.Report, path string) int {
	for _, d := range rep.Documents {
		if d.Path == path {
			return d.Score
		}
	}
	return -1
}

// TestBaselinedFindingsCostNothing: with a baseline, the findings in it
// do not fail and do not lower the score, so that --min-score agrees
// with "nothing fails"; ScoreBaselined (--score-baselined) counts them.
func TestBaselinedFindingsCostNothing(t *testing.T) {
	p := examplePortfolio(t, "core")
	story := brokenStory(t, p)
	rep := run(t, p)
	before := docScore(rep, story)
	if before == 100 {
		t.Fatal("the broken story scores 100")
	}
	bl, _ := baselineOf(t, rep)
	c := rep.Apply(check.Policy{Strict: true, Baseline: bl})
	if c.Failing != 0 || docScore(rep, story) != 100 || len(rep.BelowScore(100)) != 0 {
		t.Errorf("baselined: %+v, score %d, below 100: %v", c, docScore(rep, story), rep.BelowScore(100))
	}
	for _, f := range findings(rep, story) {
		if !f.Baselined || f.Points != 0 {
			t.Errorf("%s: baselined %v, %d points", f.Rule, f.Baselined, f.Points)
		}
	}
	rep.Apply(check.Policy{Strict: true, Baseline: bl, ScoreBaselined: true})
	if got := docScore(rep, story); got != before {
		t.Errorf("score counting the baselined findings: %d, want %d", got, before)
	}
	// Applied again without a baseline, every finding costs its points.
	rep.Apply(check.Policy{})
	if got := docScore(rep, story); got != before {
		t.Errorf("score without a baseline: %d, want %d", got, before)
	}
}

// TestBaselineFollowsRenames: a document renamed or moved keeps its
// recorded findings, matched by their content fingerprint once its old
// path is gone; its entries are not stale, and pruning moves them to the
// new path. While the old path still exists (a copy), the findings of the
// new one are new.
func TestBaselineFollowsRenames(t *testing.T) {
	p := examplePortfolio(t, "core")
	story := brokenStory(t, p)
	bl, _ := baselineOf(t, run(t, p))
	moved := "story/archive/2026-03-16-spike.md"
	p[moved] = p[story]
	delete(p, story)
	rep := run(t, p)
	exists := func(path string) bool { _, ok := p[path]; return ok }
	c := rep.Apply(check.Policy{Strict: true, Baseline: bl, Exists: exists})
	if c.Failing != 0 || c.Baselined != 2 || c.Stale != 0 {
		t.Errorf("after a move: %+v", c)
	}
	var buf bytes.Buffer
	if err := rep.WritePruned(&buf, bl); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), story) || strings.Count(buf.String(), moved) != 2 {
		t.Errorf("pruned baseline:\n%s", buf.String())
	}

	// A copy: the old document is there, the new one's findings are new.
	p[story] = p[moved]
	rep = run(t, p)
	c = rep.Apply(check.Policy{Strict: true, Baseline: bl, Exists: exists})
	if c.Failing != 2 || c.Baselined != 2 {
		t.Errorf("after a copy: %+v", c)
	}
}

// TestStaleBaselineEntries: an entry no finding matches is stale when the
// run checked its document (the finding was fixed) or the document is
// gone; an entry of a document the run did not check says nothing.
// Pruning drops the stale entries and keeps the rest.
func TestStaleBaselineEntries(t *testing.T) {
	p := examplePortfolio(t, "core")
	story := brokenStory(t, p)
	bl, _ := baselineOf(t, run(t, p))
	exists := func(path string) bool { _, ok := p[path]; return ok }

	// The weasel word fixed.
	p[story] = []byte(replace(t, string(p[story]), "significantly better", "better"))
	rep := run(t, p)
	c := rep.Apply(check.Policy{Baseline: bl, Exists: exists})
	stale := rep.Stale()
	if c.Stale != 1 || len(stale) != 1 || stale[0].Rule != "doc/weasel-words" || stale[0].Path != story {
		t.Errorf("fixed: %+v, stale %+v", c, stale)
	}
	var buf bytes.Buffer
	if err := rep.WritePruned(&buf, bl); err != nil {
		t.Fatal(err)
	}
	pruned, err := check.ReadBaseline("b.json", buf.Bytes())
	if err != nil || pruned.Len() != 1 || strings.Contains(buf.String(), "weasel") {
		t.Errorf("pruned (%v):\n%s", err, buf.String())
	}

	// A run that did not check the story says nothing about its entries.
	var other []check.Input
	for path := range p {
		if strings.HasPrefix(path, "prd/") {
			other = append(other, check.Input{Path: path, Explicit: true})
		}
	}
	rep, err = newChecker(t, p).Run(check.Inputs(other), false)
	if err != nil {
		t.Fatal(err)
	}
	if c := rep.Apply(check.Policy{Baseline: bl, Exists: exists}); c.Stale != 0 {
		t.Errorf("a partial run: %+v", c)
	}

	// The story deleted: its entries are stale, whatever the run checked.
	delete(p, story)
	rep, err = newChecker(t, p).Run(check.Inputs(other), false)
	if err != nil {
		t.Fatal(err)
	}
	if c := rep.Apply(check.Policy{Baseline: bl, Exists: exists}); c.Stale != 2 {
		t.Errorf("a deleted document: %+v", c)
	}
}

// TestBaselineFileIsStable: the file does not change when the portfolio
// changes in ways that change none of its findings: lines added above
// them, a section moved, a count in a message ("has 12 words") changed.
// It holds no line and no message, and is sorted by path, rule and
// fingerprint.
func TestBaselineFileIsStable(t *testing.T) {
	p := examplePortfolio(t, "core")
	story := brokenStory(t, p)
	var brief string
	for path := range p {
		if strings.HasPrefix(path, "brief/") {
			brief = path
		}
	}
	p[brief] = []byte(setSection(t, string(p[brief]), "Customer and segment", "Clerks."))
	_, first := baselineOf(t, run(t, p))
	if !strings.Contains(string(first), "doc/min-words") {
		t.Fatalf("no finding whose message counts words:\n%s", first)
	}
	p[brief] = []byte(replace(t, string(p[brief]), "Clerks.", "Clerks.\n\nAnd accountants."))
	d := string(p[story])
	d = replace(t, d, "## Headline\n", "## Headline\n\n\n")
	// Move the Competency section to the end.
	i, j := strings.Index(d, "## Competency"), strings.Index(d, "## Situation")
	d = d[:i] + d[j:] + "\n" + d[i:j]
	p[story] = []byte(d)
	rep := run(t, p)
	_, second := baselineOf(t, rep)
	if !bytes.Equal(first, second) {
		t.Errorf("the baseline changed:\n%s\nthen\n%s", first, second)
	}
	var bf struct {
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal(second, &bf); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, e := range bf.Findings {
		for k := range e {
			if !slices.Contains([]string{"rule", "path", "section", "fingerprint", "content"}, k) {
				t.Errorf("entry holds %q", k)
			}
		}
		keys = append(keys, e["path"].(string)+" "+e["rule"].(string)+" "+e["fingerprint"].(string))
	}
	if !slices.IsSorted(keys) {
		t.Errorf("entries not sorted: %v", keys)
	}
}
