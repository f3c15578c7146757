package packstore_test

import (
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
)

// TestIndexInPlanOrder: the README's plan table lists the kinds month by
// month (milestone by milestone), a course's kind of month 1 among the
// month 1 kinds, not after month 3.
func TestIndexInPlanOrder(t *testing.T) {
	t.Parallel()
	manifest := "name: course\nversion: 1.0.0\nextends: default\nkinds:\n  warmup:\n    name: Warm-up\n    template: w.md.tmpl\n    title: x\n    output: 'warmup/x.md'\n    month: 1\n    target: 2\n    questions: []\n"
	pk, err := pack.Load(pack.MemFS([]pack.File{{Path: pack.ManifestFile, Data: []byte(manifest)}, {Path: "w.md.tmpl", Data: []byte("# x\n")}}), "course")
	if err != nil {
		t.Fatal(err)
	}
	idx := packstore.KindInfos(pk)
	var rows []string
	for _, k := range idx.Kinds {
		rows = append(rows, k.Due+" "+k.ID)
	}
	if got, want := strings.Join(rows, ", "), "1 interview, 1 brief, 1 warmup, 2 prd, 2 retro, 3 teardown, 3 story"; got != want {
		t.Errorf("rows %s, want %s", got, want)
	}
	if idx.Plan != "90-day plan" || idx.DueHeader != "Month" {
		t.Errorf("plan %q, header %q", idx.Plan, idx.DueHeader)
	}
}
