package check_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packcheck"
)

// aloneChecker checks documents of p with the default pack on the core
// track, as `pmfolio check FILE...` would: links are not followed and no
// plan is measured.
func aloneChecker(t testing.TB, p portfolio) *check.Checker {
	t.Helper()
	pk, err := pack.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := check.New(packcheck.Spec(pk), check.Options{Read: p.read, Track: "core"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkOne checks one document at path with the default pack, as `pmfolio
// check PATH` would (links not followed).
func checkOne(t *testing.T, path, text string, in check.Input) *check.Document {
	return checkOrSkip(t, path, text, in, false)
}

// checkOrSkip is checkOne; with allowSkip a document skipped is nil.
func checkOrSkip(t *testing.T, path, text string, in check.Input, allowSkip bool) *check.Document {
	t.Helper()
	c := aloneChecker(t, portfolio{path: []byte(text)})
	in.Path, in.Explicit = path, true
	d, _, err := c.Document(in)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if d == nil && !allowSkip {
		t.Fatalf("%s: skipped", path)
	}
	return d
}

func listFindings(d *check.Document) string {
	var out []string
	for _, f := range d.Findings {
		out = append(out, fmt.Sprintf("%d %s: %s", f.Line, f.Rule, f.Message))
	}
	return strings.Join(out, "\n")
}

const storyFM = "---\nkind: story\ntitle: T\nauthor: A\ndate: \"2026-03-16\"\nstatus: Draft\ntrack: core\npack: {name: default, version: 1.0.0}\n---\n"

// A story whose sections are written in the given forms; each part's text
// is enough for its rules.
func storyWith(form func(name string) string) string {
	parts := []struct{ name, text string }{
		{"Headline", "I cut wrong matches from 9% to 1.4% in 30 days."},
		{"Competency", "Failure"},
		{"Situation", "Our matching rule matched 62% of payments and wrong matches were 9% of them."},
		{"Task", "I owned the matching rules and the quarter's accuracy goal."},
		{"Action", "1. I paused the beta rather than ship a fix blind.\n2. I traced the spike to one customer.\n3. I added a confidence threshold."},
		{"Result", "Wrong matches fell from 9% to 1.4% within 30 days."},
		{"Learning", "I now test rule changes on a sample of each customer before release."},
	}
	var b strings.Builder
	b.WriteString(storyFM + "# A story\n\n")
	for _, p := range parts {
		b.WriteString(form(p.name))
		b.WriteString(p.text + "\n\n")
	}
	return b.String()
}

// TestHeadingForms: the normalisation families, each on a whole story: no
// section is missing whatever the level, case, numbering, emoji,
// punctuation or label form.
func TestHeadingForms(t *testing.T) {
	n := 0
	forms := map[string]func(string) string{
		"level 3":           func(s string) string { return "### " + s + "\n\n" },
		"level 1":           func(s string) string { return "# " + s + "\n\n" },
		"upper case":        func(s string) string { return "## " + strings.ToUpper(s) + "\n\n" },
		"numbered 1.":       func(s string) string { n++; return fmt.Sprintf("## %d. %s\n\n", n, s) },
		"numbered 1)":       func(s string) string { n++; return fmt.Sprintf("## %d) %s\n\n", n, s) },
		"numbered 4.1":      func(s string) string { n++; return fmt.Sprintf("## 4.%d %s\n\n", n, s) },
		"emoji":             func(s string) string { return "## 🎯 " + s + "\n\n" },
		"trailing ?":        func(s string) string { return "## " + s + "?\n\n" },
		"trailing :":        func(s string) string { return "## " + s + ":\n\n" },
		"parenthetical":     func(s string) string { return "## " + s + " (optional)\n\n" },
		"bold label":        func(s string) string { return "**" + s + ":** " },
		"bold label, colon": func(s string) string { return "**" + s + "**: " },
		"plain label":       func(s string) string { return s + ": " },
		"letter label": func(s string) string {
			if s == "Headline" || s == "Competency" {
				return "## " + s + "\n\n"
			}
			return s[:1] + ": "
		},
	}
	for name, form := range forms {
		t.Run(name, func(t *testing.T) {
			d := checkOne(t, "story/x.md", storyWith(form), check.Input{})
			for _, f := range d.Findings {
				if f.Rule == "doc/section-missing" || f.Rule == "doc/section-empty" || f.Rule == "story/result-quantified" {
					t.Errorf("%s:\n%s", name, listFindings(d))
					break
				}
			}
		})
	}
}

// TestAliasFamilies: for each kind, a heading from each family of
// aliases the default pack ships counts as the section, and `&`, curly
// apostrophes and a trailing colon do not matter.
func TestAliasFamilies(t *testing.T) {
	pk, err := pack.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range pk.OrderedKinds() {
		for _, s := range k.Sections {
			if len(s.Aliases) == 0 {
				t.Errorf("%s: section %q has no aliases", k.ID, s.Heading)
				continue
			}
			for _, alias := range s.Aliases {
				written := strings.NewReplacer(" and ", " & ", "'", "’").Replace(alias) + ":"
				text := fmt.Sprintf("---\nkind: %s\ntitle: T\nauthor: A\ndate: \"2026-01-05\"\nstatus: Draft\ntrack: %s\npack: {name: default, version: 1.0.0}\n---\n# T\n\n## %s\n\nSome text of my own here.\n", k.ID, trackOf(s.Track), written)
				d := checkOne(t, k.ID+"/x.md", text, check.Input{})
				for _, f := range d.Findings {
					if f.Rule == "doc/section-missing" && strings.Contains(f.Message, "\""+s.Heading+"\"") || f.Rule == "doc/section-missing" && strings.Contains(f.Message, ": "+s.Heading+",") {
						t.Errorf("%s: %q does not count as %q: %s", k.ID, written, s.Heading, f.Message)
					}
				}
			}
		}
	}
}

func trackOf(t string) string {
	if t == "technical" {
		return t
	}
	return "core"
}

// TestNearMiss: a heading close to a missing section is named in the one
// missing-sections finding, with what to do.
func TestNearMiss(t *testing.T) {
	text := storyFM + "# A story\n\n## Headline\n\nH.\n\n## Competency\n\nFailure\n\n## Situaton\n\nText of mine.\n\n## Task\n\nI owned it.\n\n## Action\n\nI did it.\n\n## Result\n\nFrom 9% to 1% in 30 days.\n\n## Key lesson\n\nI learned.\n"
	d := checkOne(t, "story/x.md", text, check.Input{})
	var missing []check.Finding
	for _, f := range d.Findings {
		if f.Rule == "doc/section-missing" {
			missing = append(missing, f)
		}
	}
	if len(missing) != 1 {
		t.Fatalf("%d missing-sections findings:\n%s", len(missing), listFindings(d))
	}
	for _, want := range []string{"2 required sections are missing: Situation, Learning", `"## Situaton" (line 20) looks like Situation: add it as an alias or rename it`, `"## Key lesson" (line 36) looks like Learning`} {
		if !strings.Contains(missing[0].Message, want) {
			t.Errorf("message %q lacks %q", missing[0].Message, want)
		}
	}
	if missing[0].Points != 20 || missing[0].Line != 10 {
		t.Errorf("points %d at line %d, want 20 at the title", missing[0].Points, missing[0].Line)
	}
}

// TestMissingSectionsBounded: a document missing every section loses at
// most 20 points for it, in one finding.
func TestMissingSectionsBounded(t *testing.T) {
	d := checkOne(t, "prd/x.md", storyFM[:strings.Index(storyFM, "kind")]+"kind: prd\n"+storyFM[strings.Index(storyFM, "title"):]+"# Memo\n\nJust a memo of my own with some words.\n", check.Input{})
	n := 0
	for _, f := range d.Findings {
		if f.Rule == "doc/section-missing" {
			n++
			if f.Points != 20 {
				t.Errorf("points %d", f.Points)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d findings:\n%s", n, listFindings(d))
	}
}

// TestPlaceholderFamilies: one document per family, each found at its own
// line, and the look-alikes that are Markdown left alone.
func TestPlaceholderFamilies(t *testing.T) {
	for family, text := range map[string]string{
		"marker":           "Owner: TBD, then XXX.",
		"bracket":          "Written by [Your Name] for [Product name].",
		"capitals":         "The [INCIDENT NAME] outage.",
		"choices":          "Status: [Draft | In review | Final].",
		"date mask":        "Shipped on MM/DD/YYYY, reviewed YYYY-MM-DD.",
		"number mask":      "See KEP-NNNN: rate up X%.",
		"fill-in request":  "(fill me in with a unique ident)",
		"sample data":      "Sample data please remove.",
		"blank":            "When ___, I want ___.",
		"empty link":       "See [the spec]() and [the docs](#).",
		"template action":  "Hello {{ .Answers.name }}.",
		"question marks":   "Time to detection: ???",
		"angle bracket":    "Sent by <your name>.",
		"unrendered 20xx":  "Due in 20XX.",
		"lorem ipsum":      "Lorem ipsum dolor sit amet.",
		"empty list items": "Some text of mine.\n\n- one\n-\n- two",
	} {
		t.Run(family, func(t *testing.T) {
			doc := storyWith(func(s string) string { return "## " + s + "\n\n" })
			doc = strings.Replace(doc, "## Learning\n\n", "## Learning\n\nI learned this. "+text+"\n\n", 1)
			d := checkOne(t, "story/x.md", doc, check.Input{})
			line := strings.Count(doc[:strings.Index(doc, "## Learning")], "\n") + 3
			found := false
			for _, f := range d.Findings {
				if f.Rule == "doc/placeholder" {
					found = true
					if f.Line < line {
						t.Errorf("at line %d, before the section's text (line %d)", f.Line, line)
					}
				}
			}
			if !found {
				t.Errorf("no placeholder found in %q:\n%s", text, listFindings(d))
			}
		})
	}
	clean := storyWith(func(s string) string { return "## " + s + "\n\n" })
	clean = strings.Replace(clean, "## Learning\n\n", "## Learning\n\nSee [the docs](https://example.org/docs), [RFC #3502], [1], a [summary] link, and - [x] a task.\n\n[summary]: #summary\n\n", 1)
	d := checkOne(t, "story/x.md", clean, check.Input{})
	for _, f := range d.Findings {
		if f.Rule == "doc/placeholder" {
			t.Errorf("Markdown read as a placeholder: %s", f.Message)
		}
	}
}

// TestOwnersNamedFirst: action items that start with their owners have
// owners; imperatives do not.
func TestOwnersNamedFirst(t *testing.T) {
	for item, owned := range map[string]bool{
		"Nick, Quinn, Beyang document the share dialog by 2025-10-01": true,
		"Priya to add a workspace to the beta by 2025-10-15":          true,
		"Sam: decide on live filters by 2025-10-30":                   true,
		"Dana updates the runbook by 2025-10-30":                      true,
		"Update the runbook by 2025-10-30":                            false,
		"Add alarms for fluentd by 2025-10-30":                        false,
		"Document the rollover process by 2025-10-30":                 false,
	} {
		doc := "---\nkind: retro\ntitle: T\nauthor: A\ndate: \"2026-03-26\"\nstatus: Final\ntrack: core\npack: {name: default, version: 1.0.0}\n---\n# R\n\n## Action items\n\n- " + item + "\n"
		d := checkOne(t, "retro/x.md", doc, check.Input{})
		noOwner := false
		for _, f := range d.Findings {
			if f.Rule == "retro/action-owner-date" && strings.Contains(f.Message, "no owner") {
				noOwner = true
				if f.Line != 14 {
					t.Errorf("%q: line %d", item, f.Line)
				}
			}
		}
		if noOwner == owned {
			t.Errorf("%q: owned %v, found no owner %v", item, owned, noOwner)
		}
	}
}

// TestLooseDocuments: Markdown without pmfolio front matter, or with
// someone else's, is checked with --kind, by its folder or by its
// headings, and the result says which; none of it needs front matter.
func TestLooseDocuments(t *testing.T) {
	body := "# Figma teardown\n\n## Target users\n\nDesigners at product companies.\n\n## Job to be done\n\nWhen a design is ready, I want comments, so I can ship.\n\n## Friction points\n\n- Notifications bundle replies; 3 of 8 missed.\n\n## Sources\n\n- [Figma](https://figma.com)\n"
	jekyll := "---\nlayout: post\ntitle: \"Figma\"\ndate: 2024-11-02 09:00:00 +0000\n---\n" + body
	for _, c := range []struct {
		path, text, kind, want, from string
	}{
		{"notes/figma.md", body, "", "teardown", check.KindFromHeadings},
		{"notes/figma.md", jekyll, "", "teardown", check.KindFromHeadings},
		{"teardowns/figma.md", body, "", "teardown", check.KindFromFolder},
		{"notes/figma.md", jekyll, "brief", "brief", check.KindFromOption},
	} {
		d := checkOne(t, c.path, c.text, check.Input{Kind: c.kind})
		if d.Kind != c.want || d.KindFrom != c.from {
			t.Errorf("%s (--kind %q): kind %q from %q, want %q from %q", c.path, c.kind, d.Kind, d.KindFrom, c.want, c.from)
		}
		for _, f := range d.Findings {
			if f.Rule == "doc/front-matter" || f.Rule == "doc/kind" {
				t.Errorf("%s: %s: %s", c.path, f.Rule, f.Message)
			}
		}
	}
	// Nothing says a shopping list is a document: skipped, not failed.
	if d := checkOrSkip(t, "notes/x.md", "# Shopping list\n\n- eggs\n", check.Input{}, true); d != nil {
		t.Errorf("unguessable document checked: kind %q\n%s", d.Kind, listFindings(d))
	}
}

// TestFingerprints: fingerprints are unique in a document, and stay the
// same when unrelated lines are added above the findings or a section
// moves.
func TestFingerprints(t *testing.T) {
	p := readCorpus(t)
	for _, name := range []string{"retro/release-retro-search-filters.md", "retro/template-launch-retro.md", "prd/template-prd-one-pager.md"} {
		text := string(p[name])
		d := checkOne(t, name, text, check.Input{})
		seen := map[string]string{}
		for _, f := range d.Findings {
			if other, dup := seen[f.Fingerprint]; dup {
				t.Errorf("%s: %q and %q share a fingerprint", name, other, f.Message)
			}
			seen[f.Fingerprint] = f.Message
		}
		// Lines added after the title move every finding below it.
		i := strings.Index(text, "\n# ") + 1
		i += strings.IndexByte(text[i:], '\n') + 1
		moved := text[:i] + "\nA paragraph added later.\n\nAnd another one.\n" + text[i:]
		d2 := checkOne(t, name, moved, check.Input{})
		if len(d2.Findings) != len(d.Findings) {
			t.Fatalf("%s: %d findings, then %d", name, len(d.Findings), len(d2.Findings))
		}
		for j, f := range d2.Findings {
			if f.Fingerprint != d.Findings[j].Fingerprint && f.Rule != "doc/section-missing" {
				t.Errorf("%s: %s %q changed fingerprint when lines moved (line %d -> %d)", name, f.Rule, f.Message, d.Findings[j].Line, f.Line)
			}
		}
	}
}

// TestWholeDocumentLine: a finding about the whole document points at its
// title, or without one at the first line of the body that is not blank,
// never at the blank line after the front matter.
func TestWholeDocumentLine(t *testing.T) {
	fm := "---\nkind: prd\ntitle: T\nauthor: A\ndate: \"2026-01-26\"\nstatus: Draft\ntrack: core\npack: {name: default, version: 1.0.0}\n---\n"
	for text, want := range map[string]int{
		fm + "\n\n# Memo\n\nSome words of my own.\n": 12,
		fm + "\n\nSome words of my own.\n":           12,
	} {
		d := checkOne(t, "prd/x.md", text, check.Input{})
		for _, f := range d.Findings {
			if f.Rule == "doc/section-missing" && f.Line != want {
				t.Errorf("doc/section-missing at line %d, want %d", f.Line, want)
			}
		}
	}
}
