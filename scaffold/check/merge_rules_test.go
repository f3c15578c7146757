package check_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/check"
)

// TestConflictMarkersInFrontMatter: markers a merge left in the front
// matter break its YAML; check names the markers, not only the YAML.
func TestConflictMarkersInFrontMatter(t *testing.T) {
	t.Parallel()
	p := examplePortfolio(t, "core")
	s := p.only("story")
	p[s] = []byte(strings.Replace(string(p[s]), "status: Draft\n", "<<<<<<< yours\nstatus: Ready\n||||||| base (pack v1.0.0)\nstatus: Draft\n=======\nstatus: Rehearsed\n>>>>>>> pack v1.1.0\n", 1))
	fs := findings(run(t, p), s)
	if got := rules(fs); !slices.Contains(got, "doc/conflict-markers=error") || !slices.Contains(got, "doc/front-matter=error") {
		t.Fatalf("findings: %s", describeFindings(fs))
	}
	for _, f := range fs {
		if f.Rule == "doc/conflict-markers" && f.Line != 6 {
			t.Errorf("the markers are reported at line %d, want 6", f.Line)
		}
	}
}

// TestLinkToCome: a document whose template says a link is to come (a
// question that links another document answered "none yet") gets
// warnings, not errors, from the rules that ask for that link.
func TestLinkToCome(t *testing.T) {
	t.Parallel()
	p := examplePortfolio(t, "core")
	r := p.only("retro")
	withoutLink := strings.NewReplacer("Goals as set in the PRD, [", "Goals as set in the PRD, *to come*<!-- "+check.LinkToCome+" --> [", "](../prd/", "](../nowhere/").Replace(string(p[r]))
	if withoutLink == string(p[r]) {
		t.Fatal("the retro does not link its PRD as expected")
	}
	q := p.clone()
	q[r] = []byte(strings.Replace(withoutLink, "<!-- "+check.LinkToCome+" -->", "", 1))
	if got := rules(findings(run(t, q), r)); !slices.Contains(got, "retro/links-prd=error") {
		t.Fatalf("without the link: %v", got)
	}
	q[r] = []byte(withoutLink)
	fs := findings(run(t, q), r)
	if got := rules(fs); !slices.Contains(got, "retro/links-prd=warning") || slices.Contains(got, "retro/links-prd=error") {
		t.Errorf("with the link to come: %s", describeFindings(fs))
	}
}
