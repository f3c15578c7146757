package pack

import (
	"strings"
	"testing"
	"time"
)

const planManifest = `name: course
version: 1.0.0
extends: default
plan:
  length: 10 weeks
  milestones:
    - {name: Discovery, due: 3 weeks, documents: {interview: 5, brief: 1}}
    - {due: week 6, documents: {prd: 1, interview: 6}}
    - {name: Interviews, due: 10 weeks, documents: {story: 5, teardown: 1, retro: 1}}
`

// TestPlan: a pack's plan of weeks; the 90-day plan of the default pack's
// months; one API (Plan, Due, Target, DueDate) for check, the README index
// and status.
func TestPlan(t *testing.T) {
	p, err := Load(MemFS([]File{{Path: ManifestFile, Data: []byte(planManifest)}}), "course")
	if err != nil {
		t.Fatal(err)
	}
	pl := p.Plan()
	if pl.Name != "10-week plan" || pl.Length.Days() != 70 || len(pl.Milestones) != 3 {
		t.Fatalf("plan: %+v", pl)
	}
	if m, n := pl.Due("interview"); m == nil || m.Name != "Discovery" || n != 5 {
		t.Errorf("interviews due: %+v %d", m, n)
	}
	if m, _ := pl.Due("prd"); m == nil || m.Name != "week 6" || m.Due.Days() != 42 {
		t.Errorf("prd due: %+v", m)
	}
	if pl.Target("interview") != 6 || pl.Target("decision") != 0 {
		t.Errorf("targets: %d %d", pl.Target("interview"), pl.Target("decision"))
	}
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	if d := pl.Milestones[0].DueDate(start); d.Format("2006-01-02") != "2026-01-26" {
		t.Errorf("due date %s", d)
	}
	def, _ := Default()
	dp := def.Plan()
	if dp.Name != "90-day plan" || len(dp.Milestones) != 3 || dp.Milestones[0].Name != "month 1" || dp.Milestones[2].Due.Days() != 90 {
		t.Errorf("the default plan: %+v", dp)
	}
	if m, n := dp.Due("story"); m == nil || m.Name != "month 3" || n != 5 {
		t.Errorf("stories due: %+v %d", m, n)
	}
	// A pack that extends one with a plan inherits it.
	child, err := LoadWith(MemFS([]File{{Path: ManifestFile, Data: []byte("name: child\nversion: 1.0.0\nextends: course\n")}}), "child",
		&Registry{Open: func(string, *Registry) (*Pack, error) { return p, nil }})
	if err != nil || child.Plan().Name != "10-week plan" {
		t.Errorf("inherited plan: %v", err)
	}
}

func TestPlanValidation(t *testing.T) {
	head := "name: course\nversion: 1.0.0\nextends: default\nplan:\n"
	for name, tc := range map[string]struct{ yaml, err string }{
		"bad span":      {"  length: ten weeks\n  milestones: [{due: 1 week, documents: {prd: 1}}]\n", `"ten weeks" is not a span of the plan`},
		"out of order":  {"  length: 10 weeks\n  milestones:\n    - {name: B, due: 4 weeks, documents: {prd: 1}}\n    - {name: A, due: 2 weeks, documents: {prd: 1}}\n", `pack.yaml:8: plan: milestone "A" is due 2 weeks, not after the one before it`},
		"too late":      {"  length: 2 months\n  milestones: [{name: A, due: 10 weeks, documents: {prd: 1}}]\n", `milestone "A" is due 10 weeks, after the plan's length (2 months)`},
		"no documents":  {"  length: 2 months\n  milestones: [{name: A, due: 1 week, documents: {}}]\n", `milestone "A" expects no documents`},
		"bad count":     {"  length: 2 months\n  milestones: [{name: A, due: 1 week, documents: {prd: lots}}]\n", `prd: "lots" is not a count of documents`},
		"no milestones": {"  length: 2 months\n", "plan: no milestones"},
	} {
		_, err := ParseManifest(ManifestFile, []byte(head+tc.yaml))
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: got %v, want %q", name, err, tc.err)
		}
	}
	_, msgs := lintFiles(t, []File{{Path: ManifestFile, Data: []byte(head + "  length: 4 weeks\n  milestones: [{name: A, due: 1 week, documents: {memo: 1}}]\nkinds:\n  prd:\n    month: 2\n")}}, nil)
	got := msgText(msgs)
	for _, want := range []string{
		`[ERROR] pack.yaml:6: plan: milestone "A" expects documents of kind "memo", which the pack does not have`,
		`[WARNING] pack.yaml:9: kind "prd": month and target are not used: the pack's plan: says when documents are due and how many`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %s in\n%s", want, got)
		}
	}
}

func TestComparePlans(t *testing.T) {
	old, err := Load(MemFS([]File{{Path: ManifestFile, Data: []byte(planManifest)}}), "course")
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(strings.Replace(planManifest, "due: week 6, documents: {prd: 1, interview: 6}", "due: week 7, documents: {prd: 1, interview: 6}", 1),
		"    - {name: Interviews, due: 10 weeks, documents: {story: 5, teardown: 1, retro: 1}}\n", "    - {name: Stories, due: 10 weeks, documents: {story: 6}}\n", 1)
	changed = strings.Replace(changed, "{interview: 5, brief: 1}", "{interview: 4, brief: 1}", 1)
	new, err := Load(MemFS([]File{{Path: ManifestFile, Data: []byte(changed)}}), "course")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(comparePlans(old.Plan(), new.Plan()), "\n")
	want := `milestone "Discovery" expects 4 interview, 1 brief (was 5 interview, 1 brief)
new milestone "week 7", due week 7: 1 prd, 6 interview
new milestone "Stories", due week 10: 6 story
milestone "week 6" removed
milestone "Interviews" removed`
	if got != want {
		t.Errorf("plan changes:\n%s\nwant:\n%s", got, want)
	}
}
