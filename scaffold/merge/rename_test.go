package merge

import "testing"

func TestRenameSections(t *testing.T) {
	t.Parallel()
	in := "---\nkind: prd\n---\n# T\n\n## Problem\n\nText.\n\n```\n## Problem\n```\n\nSolution\n--------\n\n## problem  statement\n"
	want := "---\nkind: prd\n---\n# T\n\n## Problem statement\n\nText.\n\n```\n## Problem\n```\n\nApproach\n--------\n\n## problem  statement\n"
	got := RenameSections([]byte(in), map[string]string{"problem": "Problem statement", "Solution": "Approach"})
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if got := RenameSections([]byte(in), nil); string(got) != in {
		t.Errorf("no renames changed the document")
	}
}
