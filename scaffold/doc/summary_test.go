package doc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSummaryOfTheExamples: the summary of each example document is the
// first sentence of prose of its kind's summary section, as plain text.
func TestSummaryOfTheExamples(t *testing.T) {
	t.Parallel()
	cases := []struct{ file, heading, want string }{
		{"prd.md", "Summary", "For every payment in the Unmatched queue, suggest the most likely invoice, or set of invoices, ranked by a confidence score built from amount, customer name and date, so that an AR specialist confirms a match in one click instead of searching e-mail."},
		{"brief.md", "Summary and recommendation", "Mid-market finance teams on our product spend about 22 hours at every month-end matching the 38% of incoming payments our exact-reference rule misses."},
		{"story.md", "Headline", "I shipped a threshold tuned on one customer's data, caught the spike within 2 days, and cut wrong matches from 9% to 1.4%."},
		{"teardown.md", "", "Learn how Stripe gets a bank-transfer payment applied to the right invoice without a person matching it, and what our suggested-matches feature can borrow for the payments it still cannot match."},
		// No section of that name: the first paragraph of prose.
		{"interview.md", "Missing", "Learn how the December close went for the person who clears unmatched customer payments: what she did, step by step, with which tools, and what it cost her."},
	}
	for _, c := range cases {
		data, err := os.ReadFile(filepath.Join("..", "..", "examples", "documents", "core", c.file))
		if err != nil {
			t.Fatal(err)
		}
		_, body, _, err := SplitFrontMatter(data)
		if err != nil {
			t.Fatal(err)
		}
		if got := Summary(string(body), c.heading); got != c.want {
			t.Errorf("%s: Summary = %q\nwant %q", c.file, got, c.want)
		}
	}
}

func TestSummary(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("word ", 80)
	cases := []struct{ name, body, heading, want string }{
		{"inline markup", "## Summary\n\nWe **cut** the [queue](../x.md) by `50%` _fast_ and snake_case stays.\n", "summary", "We cut the queue by 50% fast and snake_case stays."},
		{"lists and labels skipped", "## Summary\n\n- **Owner:** Me\n\n**Status:** Draft\n\nThe bet.\n", "Summary", "The bet."},
		{"fenced code is not prose", "```\ncode\n```\n\nProse here.\n", "", "Prose here."},
		{"heading inside the section ends it", "## A\n\n- item\n\n## B\n\nLater.\n", "A", "Later."},
		{"long without a sentence end is cut", long, "", strings.TrimSpace(strings.Repeat("word ", 59)) + "…"},
		{"nothing", "## A\n\n- a list\n", "A", ""},
		{"paragraph ends at a list", "First line\ncontinues.\n- item\n", "", "First line continues."},
	}
	for _, c := range cases {
		if got := Summary(c.body, c.heading); got != c.want {
			t.Errorf("%s: Summary = %q\nwant %q", c.name, got, c.want)
		}
	}
}
