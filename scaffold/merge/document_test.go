package merge

import (
	"slices"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/doc"
)

var labels = Labels{Yours: "yours", Base: "base (pack v1.0.0)", Theirs: "pack v1.1.0"}

// page builds a document from a front matter status and sections given as
// heading, body pairs, as pmfolio renders them: one blank line between
// blocks, one newline at the end.
func page(status string, sections ...string) string {
	var b strings.Builder
	b.WriteString("---\nkind: prd\ntitle: Checkout\nstatus: " + status + "\n---\n# Checkout\n")
	for i := 0; i+1 < len(sections); i += 2 {
		b.WriteString("\n## " + sections[i] + "\n\n" + sections[i+1] + "\n")
	}
	return b.String()
}

// TestSectionCases covers each case of the section-aware merge.
func TestSectionCases(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                string
		base, yours, theirs string
		want                string
		conflicts           []Conflict
		kept                []string
	}{
		{
			name:   "a section you did not touch takes the new text",
			base:   page("Draft", "Goals", "Ship it.", "Risks", "None."),
			yours:  page("Draft", "Goals", "Ship it by June.", "Risks", "None."),
			theirs: page("Draft", "Goals", "Ship it.", "Risks", "Churn."),
			want:   page("Draft", "Goals", "Ship it by June.", "Risks", "Churn."),
		},
		{
			name:   "a section the render did not change keeps yours",
			base:   page("Draft", "Goals", "Ship it.", "Risks", "None."),
			yours:  page("Draft", "Goals", "Ship it.\n\nA second paragraph of mine.", "Risks", "None."),
			theirs: page("Draft", "Goals", "Ship it.", "Risks", "None."),
			want:   page("Draft", "Goals", "Ship it.\n\nA second paragraph of mine.", "Risks", "None."),
		},
		{
			name:   "both changed other lines of a section: merged line by line",
			base:   page("Draft", "Goals", "- one\n- two\n- three\n- four"),
			yours:  page("Draft", "Goals", "- one, done\n- two\n- three\n- four"),
			theirs: page("Draft", "Goals", "- one\n- two\n- three\n- four, new"),
			want:   page("Draft", "Goals", "- one, done\n- two\n- three\n- four, new"),
		},
		{
			name:   "both changed the same lines: a conflict inside the section",
			base:   page("Draft", "Goals", "Ship it.", "Risks", "None."),
			yours:  page("Draft", "Goals", "Ship it by June.", "Risks", "None."),
			theirs: page("Draft", "Goals", "Ship it by May.", "Risks", "None."),
			want: page("Draft", "Goals", "<<<<<<< yours\nShip it by June.\n||||||| base (pack v1.0.0)\nShip it.\n=======\nShip it by May.\n>>>>>>> pack v1.1.0",
				"Risks", "None."),
			conflicts: []Conflict{{Section: "Goals", Line: 10}},
		},
		{
			name:   "edits either side of a section boundary are two merges, not one conflict",
			base:   page("Draft", "Goals", "Ship it.", "Risks", "None."),
			yours:  page("Draft", "Goals", "Ship it soon.", "Risks", "None."),
			theirs: page("Draft", "Goals", "Ship it.", "Risks", "None at all."),
			want:   page("Draft", "Goals", "Ship it soon.", "Risks", "None at all."),
		},
		{
			name:   "a ## inside a code fence is not a section",
			base:   page("Draft", "Design", "Text.", "Risks", "None."),
			yours:  page("Draft", "Design", "Text.\n\n```md\n## Risks\n\nnot a heading\n```", "Risks", "None."),
			theirs: page("Draft", "Design", "Text.", "Risks", "Churn."),
			want:   page("Draft", "Design", "Text.\n\n```md\n## Risks\n\nnot a heading\n```", "Risks", "Churn."),
		},
		{
			name:   "front matter merged key by key",
			base:   "---\nkind: prd\ntitle: Checkout\nstatus: Draft\npack:\n  name: default\n  version: 1.0.0\n---\n# Checkout\n",
			yours:  "---\nkind: prd\ntitle: Checkout\nstatus: Launched\nreviewer: Sam\npack:\n  name: default\n  version: 1.0.0\n---\n# Checkout\n",
			theirs: "---\nkind: prd\ntitle: Checkout v2\nstatus: Draft\npack:\n  name: default\n  version: 1.1.0\n---\n# Checkout\n",
			want:   "---\nkind: prd\ntitle: Checkout v2\nstatus: Launched\nreviewer: Sam\npack:\n  name: default\n  version: 1.1.0\n---\n# Checkout\n",
		},
		{
			name:      "a front matter key both changed: markers around that key",
			base:      page("Draft"),
			yours:     page("Launched"),
			theirs:    page("Solution review"),
			want:      "---\nkind: prd\ntitle: Checkout\n<<<<<<< yours\nstatus: Launched\n||||||| base (pack v1.0.0)\nstatus: Draft\n=======\nstatus: Solution review\n>>>>>>> pack v1.1.0\n---\n# Checkout\n",
			conflicts: []Conflict{{Section: FrontMatter, Line: 4}},
		},
		{
			name:   "a section you added stays where you put it",
			base:   page("Draft", "Goals", "Ship it.", "Risks", "None."),
			yours:  page("Draft", "Goals", "Ship it.", "Mentor notes", "Tighten the goals.", "Risks", "None."),
			theirs: page("Draft", "Goals", "Ship it now.", "Risks", "Churn."),
			want:   page("Draft", "Goals", "Ship it now.", "Mentor notes", "Tighten the goals.", "Risks", "Churn."),
		},
		{
			name:   "a section the new version dropped goes when you did not touch it",
			base:   page("Draft", "Goals", "Ship it.", "Appendix", "Links.", "Risks", "None."),
			yours:  page("Draft", "Goals", "Ship it.", "Appendix", "Links.", "Risks", "None."),
			theirs: page("Draft", "Goals", "Ship it.", "Risks", "None."),
			want:   page("Draft", "Goals", "Ship it.", "Risks", "None."),
		},
		{
			name:   "a section the new version dropped that holds your text is kept and reported",
			base:   page("Draft", "Goals", "Ship it.", "Appendix", "Links.", "Risks", "None."),
			yours:  page("Draft", "Goals", "Ship it.", "Appendix", "Links, and my research notes.", "Risks", "None."),
			theirs: page("Draft", "Goals", "Ship it.", "Risks", "None."),
			want:   page("Draft", "Goals", "Ship it.", "Appendix", "Links, and my research notes.", "Risks", "None."),
			kept:   []string{"Appendix"},
		},
		{
			name:   "a new section goes after the section that precedes it in the template",
			base:   page("Draft", "Goals", "Ship it.", "Risks", "None."),
			yours:  page("Draft", "Goals", "Ship it.", "Risks", "None, mine."),
			theirs: page("Draft", "Goals", "Ship it.", "Non-goals", "Not payments.", "Risks", "None."),
			want:   page("Draft", "Goals", "Ship it.", "Non-goals", "Not payments.", "Risks", "None, mine."),
		},
		{
			name:   "a section you added stays with the section it follows, before a new one there",
			base:   page("Draft", "Goals", "Ship it.", "Risks", "None."),
			yours:  page("Draft", "Goals", "Ship it.", "Mine", "My text.", "Risks", "None."),
			theirs: page("Draft", "Goals", "Ship it.", "Non-goals", "Not payments.", "Risks", "None."),
			want:   page("Draft", "Goals", "Ship it.", "Mine", "My text.", "Non-goals", "Not payments.", "Risks", "None."),
		},
		{
			name:   "a new last section",
			base:   page("Draft", "Goals", "Ship it."),
			yours:  page("Draft", "Goals", "Ship it, mine."),
			theirs: page("Draft", "Goals", "Ship it.", "Rollout", "10% first."),
			want:   page("Draft", "Goals", "Ship it, mine.", "Rollout", "10% first."),
		},
		{
			name:   "a section you deleted stays deleted",
			base:   page("Draft", "Goals", "Ship it.", "Appendix", "Links.", "Risks", "None."),
			yours:  page("Draft", "Goals", "Ship it.", "Risks", "None."),
			theirs: page("Draft", "Goals", "Ship it!", "Appendix", "Links.", "Risks", "None."),
			want:   page("Draft", "Goals", "Ship it!", "Risks", "None."),
		},
		{
			name:   "a section you deleted that the new version changed is a conflict",
			base:   page("Draft", "Goals", "Ship it.", "Appendix", "Links.", "Risks", "None."),
			yours:  page("Draft", "Goals", "Ship it.", "Risks", "None."),
			theirs: page("Draft", "Goals", "Ship it.", "Appendix", "More links.", "Risks", "None."),
			want: page("Draft", "Goals", "Ship it.") + "\n<<<<<<< yours\n||||||| base (pack v1.0.0)\n## Appendix\n\nLinks.\n=======\n## Appendix\n\nMore links.\n>>>>>>> pack v1.1.0\n" +
				"\n## Risks\n\nNone.\n",
			conflicts: []Conflict{{Section: "Appendix", Line: 12}},
		},
		{
			name:      "both added the same section with different text",
			base:      page("Draft", "Goals", "Ship it."),
			yours:     page("Draft", "Goals", "Ship it.", "Rollout", "All at once."),
			theirs:    page("Draft", "Goals", "Ship it.", "Rollout", "10% first."),
			want:      page("Draft", "Goals", "Ship it.") + "\n<<<<<<< yours\n## Rollout\n\nAll at once.\n||||||| base (pack v1.0.0)\n=======\n## Rollout\n\n10% first.\n>>>>>>> pack v1.1.0\n",
			conflicts: []Conflict{{Section: "Rollout", Line: 12}},
		},
		{
			name:   "headings match whatever their case and spacing",
			base:   page("Draft", "Success metrics", "- 10%"),
			yours:  page("Draft", "Success  Metrics", "- 10%"),
			theirs: page("Draft", "Success metrics", "- 12%"),
			want:   page("Draft", "Success  Metrics", "- 12%"),
		},
		{
			name:   "the template reordered sections you kept in order: its order",
			base:   page("Draft", "A", "a", "B", "b", "C", "c"),
			yours:  page("Draft", "A", "a, mine", "B", "b", "C", "c"),
			theirs: page("Draft", "A", "a", "C", "c", "B", "b"),
			want:   page("Draft", "A", "a, mine", "C", "c", "B", "b"),
		},
		{
			name:   "you reordered sections: your order",
			base:   page("Draft", "A", "a", "B", "b", "C", "c"),
			yours:  page("Draft", "C", "c", "A", "a", "B", "b"),
			theirs: page("Draft", "A", "a2", "B", "b", "C", "c2"),
			want:   page("Draft", "C", "c2", "A", "a2", "B", "b"),
		},
		{
			name:   "a changed title is the same title",
			base:   page("Draft", "A", "a"),
			yours:  page("Draft", "A", "a, mine"),
			theirs: strings.Replace(page("Draft", "A", "a"), "# Checkout\n", "# Checkout, again\n", 1),
			want:   strings.Replace(page("Draft", "A", "a, mine"), "# Checkout\n", "# Checkout, again\n", 1),
		},
		{
			name:   "a note right under a title the new version changed: a conflict, as in git",
			base:   page("Draft", "A", "a"),
			yours:  strings.Replace(page("Draft", "A", "a"), "# Checkout\n", "# Checkout\n> Reviewed by my mentor.\n", 1),
			theirs: strings.Replace(page("Draft", "A", "a"), "# Checkout\n", "# Checkout, again\n", 1),
			want: strings.Replace(page("Draft", "A", "a"), "# Checkout\n",
				"<<<<<<< yours\n# Checkout\n> Reviewed by my mentor.\n||||||| base (pack v1.0.0)\n# Checkout\n=======\n# Checkout, again\n>>>>>>> pack v1.1.0\n", 1),
			conflicts: []Conflict{{Section: "Checkout", Line: 6}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := Documents([]byte(tc.base), []byte(tc.yours), []byte(tc.theirs), labels)
			if got := string(res.Content); got != tc.want {
				t.Errorf("merged:\n%s\nwant:\n%s", got, tc.want)
			}
			if !slices.Equal(res.Conflicts, tc.conflicts) {
				t.Errorf("conflicts %+v, want %+v", res.Conflicts, tc.conflicts)
			}
			if !slices.Equal(res.Kept, tc.kept) {
				t.Errorf("kept %q, want %q", res.Kept, tc.kept)
			}
			checkMarkers(t, res)
		})
	}
}

// checkMarkers: every conflict the result reports is where the markers
// are, and no set of markers spans two sections.
func checkMarkers(t *testing.T, res *Result) {
	t.Helper()
	var at []int
	for _, c := range res.Conflicts {
		at = append(at, c.Line)
	}
	if got := doc.ConflictMarkers(res.Content); !slices.Equal(got, at) {
		t.Errorf("markers at lines %v, result says %v", got, at)
	}
	lines := strings.Split(string(res.Content), "\n")
	for _, c := range res.Conflicts {
		headings := 0
		for _, l := range lines[c.Line-1:] {
			if strings.HasPrefix(l, "## ") && c.Section != FrontMatter {
				headings++
			}
			if strings.HasPrefix(l, ">>>>>>>") {
				break
			}
		}
		// A conflict over a whole section holds its heading once per side.
		if headings > 2 {
			t.Errorf("the conflict at line %d spans %d headings", c.Line, headings)
		}
	}
}
