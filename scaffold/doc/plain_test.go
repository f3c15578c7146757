package doc

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark/text"
)

// plainBodies are bodies in plainTree's subset, each as unfilled
// templates, short notes and hand-written sections write it, and next to
// them bodies one step outside it.
var plainBodies = map[string]string{
	"unfilled template": "\n# Suggested matches\n\n## Summary\n\n_Describe this section: what happened, for whom, and why it matters._\n\n- TBD\n- [Your Name], [MM/DD/YYYY]\n\n## Problem\n\n_Describe this section._\n\n- TBD\n- [Your Name], [MM/DD/YYYY]\n",
	"prose":             "# Title\n\nA paragraph of words\nover two lines, with (brackets) and [notes].\n\n## Goals\n\nOne line.\n## Right after\nText right after a heading.\n\n### Deeper\n\n\n\nAfter blank lines.",
	"lists":             "## Risks\n\n- Adoption is slow\n- [Owner] names it\n- _A line in emphasis._\n\n## Next\n\n- Only item\n# Title after a list\n- A list after a heading\n",
	"unicode":           "## Café ünd Grüße\n\nÉté: “quoted” — text & more!\n\n- ❤ item\n",
	"no newline at end": "## A\n\nlast line",
	"emphasis kinds":    "_a_\n\n_[Your Name]_\n\n_x._\n\n## _Heading in emphasis_\n\n- _(optional)_\n",
	"empty body":        "",
	"blank lines only":  "\n\n\n",
}

// nearPlainBodies are one step outside the subset: plainTree must leave
// them to goldmark (or build goldmark's tree).
var nearPlainBodies = map[string]string{
	"setext":            "Title\n===\n\nSub\n---\n",
	"thematic":          "a\n\n___\n\n- - -\n",
	"loose list":        "- a\n\n- b\n",
	"lazy line":         "- a\nb\n",
	"list in paragraph": "a\n- b\n",
	"ordered":           "1. a\n2. b\n",
	"indented":          "  a\n\n    code\n",
	"item indented":     "- a\n  - b\n",
	"closing hashes":    "## Goals ##\n",
	"empty heading":     "##\n\n# \n",
	"seven hashes":      "####### x\n",
	"no space":          "#x\n-x\n",
	"trailing spaces":   "a  \nb\n",
	"intraword":         "snake_case_word\n\n_a_b_\n\n_ a_\n\n_a _\n",
	"multi-line em":     "_a\nb_\n\na\n_b_\n",
	"tabs, cr":          "a\tb\n\r\n",
	"star":              "* a\n\n*a*\n",
	"plus":              "+ a\n",
	"html, quote":       "<div>\n\n> a\n",
	"table":             "a | b\n--|--\n",
	"link":              "[a](b)\n\n[a]: /u\n",
	"escape":            "\\# a\n",
	"digit start":       "2026 was long\n\n- 3 weeks\n",
	"spaced blank":      "a\n   \nb\n",
}

// TestPlainTreeSameTree holds plainTree to goldmark: on every body it
// takes, its tree is the full parser's, but for where runs of text are
// cut; and it takes the bodies of its subset.
func TestPlainTreeSameTree(t *testing.T) {
	bodies := map[string]string{}
	for name, body := range shortcutBodies(t) {
		bodies[name] = body
		bodies[name+" (links undone)"] = strings.ReplaceAll(body, "](", "] (")
	}
	for name, body := range plainBodies {
		bodies[name] = body
	}
	for name, body := range nearPlainBodies {
		bodies[name] = body
	}
	taken := 0
	for name, body := range bodies {
		src := []byte(body)
		root, ok := plainTree(src)
		_, isPlain := plainBodies[name]
		if !ok {
			if isPlain {
				t.Errorf("%s: plainTree did not take it", name)
			}
			continue
		}
		taken++
		full := dumpRuns(md().Parser().Parse(text.NewReader(src)), src)
		if plain := dumpRuns(root, src); plain != full {
			t.Errorf("%s: trees differ\nfull parser:\n%s\nplainTree:\n%s", name, full, plain)
		}
	}
	t.Logf("plainTree took %d of %d bodies", taken, len(bodies))
}

// FuzzPlainTree spells its inputs in the few characters plain Markdown is
// made of, so that most of them are plainTree's to take or to refuse by
// a hair, and holds what it takes to goldmark's tree.
func FuzzPlainTree(f *testing.F) {
	for _, bodies := range []map[string]string{plainBodies, nearPlainBodies} {
		for _, b := range bodies {
			f.Add([]byte(b))
		}
	}
	const alphabet = "\n\n\n# -_[]a b.(é1=*`>\\|<:&\u00a0"
	f.Fuzz(func(t *testing.T, data []byte) {
		src := make([]byte, len(data))
		for i, c := range data {
			src[i] = alphabet[int(c)%len(alphabet)]
		}
		// The seeds as they are, the rest in the alphabet.
		if _, ok := plainTree(data); ok {
			src = data
		}
		root, ok := plainTree(src)
		if !ok {
			return
		}
		full := dumpRuns(md().Parser().Parse(text.NewReader(src)), src)
		if plain := dumpRuns(root, src); plain != full {
			t.Fatalf("%q: trees differ\nfull parser:\n%s\nplainTree:\n%s", src, full, plain)
		}
	})
}

// reuseBodies are the bodies the reuse tests parse one after another,
// plain or not, and their names in order.
func reuseBodies(t *testing.T) ([]string, map[string]string) {
	var names []string
	bodies := map[string]string{}
	for _, m := range []map[string]string{plainBodies, nearPlainBodies, shortcutBodies(t)} {
		for name, body := range m {
			names = append(names, name)
			bodies[name] = body
		}
	}
	slices.Sort(names)
	return names, bodies
}

// TestPlainTreeReusedArrays builds every tree, taken or refused half-way,
// from one set of arrays, released after each as Document.Release does,
// in two orders: a node left over from the tree before (a child, a
// sibling, a line) would change the next tree, which must still be
// goldmark's.
func TestPlainTreeReusedArrays(t *testing.T) {
	names, bodies := reuseBodies(t)
	order := append(slices.Clone(names), names...)
	slices.Reverse(order[len(names):])
	a := new(plainNodes)
	reused := 0
	for _, name := range order {
		src := []byte(bodies[name])
		root, ok := a.tree(src)
		if ok {
			reused++
			full := dumpRuns(md().Parser().Parse(text.NewReader(src)), src)
			if plain := dumpRuns(root, src); plain != full {
				t.Errorf("%s: trees differ after reuse\nfull parser:\n%s\nplainTree:\n%s", name, full, plain)
			}
		}
		a.release()
	}
	if reused < 2*len(plainBodies) {
		t.Errorf("only %d trees built from the arrays", reused)
	}
}

// TestReleaseReuse parses every body, plain or not, into memory released
// by the document before, and reads it as a parse into fresh memory does:
// its headings, sections, their lists and tables; what was read from a
// released document (its sections' text) stays.
func TestReleaseReuse(t *testing.T) {
	names, bodies := reuseBodies(t)
	read := func(d *Document) string {
		var b strings.Builder
		fmt.Fprintf(&b, "%+v\n", d.Headings)
		for _, s := range [][]Section{d.Outline, d.Sections} {
			for i := range s {
				x := &s[i]
				fmt.Fprintf(&b, "%q %d %d %q %d %d %d %d %+v %+v\n", x.Heading, x.Level, x.Line, x.Body, x.BodyLine,
					x.Start, x.End, x.EndLine, x.Lists(), x.Tables())
			}
		}
		return b.String()
	}
	reversed := slices.Clone(names)
	slices.Reverse(reversed)
	released := 0
	for _, name := range append(names, reversed...) {
		src := []byte(bodies[name])
		fresh, err := Parse("x.md", src)
		if err != nil {
			continue
		}
		want := read(fresh)
		d, _ := Parse("x.md", src)
		if got := read(d); got != want {
			t.Errorf("%s: read from reused memory:\n%s\nfrom fresh memory:\n%s", name, got, want)
		}
		var bodiesRead []string
		for _, s := range d.Outline {
			bodiesRead = append(bodiesRead, s.Body)
		}
		d.Release()
		released++
		if d.tree != nil || d.Headings != nil || d.Outline != nil || d.Sections != nil {
			t.Errorf("%s: released document still has its tree or sections", name)
		}
		for i, s := range fresh.Outline {
			if bodiesRead[i] != s.Body {
				t.Errorf("%s: a section's text changed on release", name)
			}
		}
	}
	if released < len(names) {
		t.Errorf("only %d documents parsed", released)
	}
}
