package packstore_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
)

// TestIndexInPlanOrder: what the README front page orders kinds by is
// the plan's milestone (its month in the 90-day plan): a course's kind of
// month 1 is among the month 1 kinds; a pack's own plan numbers its
// milestones.
func TestIndexInPlanOrder(t *testing.T) {
	t.Parallel()
	load := func(extra string) *pack.Pack {
		t.Helper()
		manifest := "name: course\nversion: 1.0.0\nextends: default\n" + extra + "kinds:\n  warmup:\n    name: Warm-up\n    template: w.md.tmpl\n    title: x\n    output: 'warmup/x.md'\n    month: 1\n    target: 2\n    questions: []\n"
		pk, err := pack.Load(pack.MemFS([]pack.File{{Path: pack.ManifestFile, Data: []byte(manifest)}, {Path: "w.md.tmpl", Data: []byte("# x\n")}}), "course")
		if err != nil {
			t.Fatal(err)
		}
		return pk
	}
	rows := func(pk *pack.Pack) string {
		var out []string
		for _, k := range packstore.KindInfos(pk) {
			out = append(out, fmt.Sprintf("%s:%d/%d", k.ID, k.Month, k.Target))
		}
		return strings.Join(out, " ")
	}
	if got, want := rows(load("")), "interview:1/5 brief:1/1 prd:2/1 retro:2/1 teardown:3/1 story:3/5 warmup:1/2"; got != want {
		t.Errorf("the 90-day plan: %s, want %s", got, want)
	}
	plan := "plan:\n  length: 10 weeks\n  milestones:\n    - {name: Warm-up week, due: 1 week, documents: {warmup: 1}}\n    - {name: Discovery, due: 3 weeks, documents: {interview: 5}}\n    - {name: End, due: 10 weeks, documents: {story: 6, warmup: 3}}\n"
	if got, want := rows(load(plan)), "interview:2/5 brief:0/0 prd:0/0 retro:0/0 teardown:0/0 story:3/6 warmup:1/3"; got != want {
		t.Errorf("a course's plan: %s, want %s", got, want)
	}
}
