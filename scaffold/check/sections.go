package check

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// Sections are recognised the way people write them: a kind's section
// matches a heading of any level whose text, normalised, is its heading or
// one of its aliases; failing that, a label opening a line ("**Result:**",
// "Result:", "R:"). Normalising ignores case, numbering ("1.", "1)",
// "4.1"), emoji and other symbols, punctuation, curly apostrophes, "&"
// against "and", and a trailing "?" or ":".

// headingNorm is the form headings and aliases are compared in.
func headingNorm(s string) string { return doc.HeadingKey(s) }

// sectionIndex maps the normalised headings and aliases of one kind's
// sections to their index in Kind.Sections.
type sectionIndex struct {
	exact, alias map[string]int
	// aliases are each section's normalised aliases, in the pack's
	// order: the first a document has wins.
	aliases [][]string
	// names are the sections' normalised headings.
	names []string
}

func newSectionIndex(k *Kind) *sectionIndex {
	x := &sectionIndex{exact: map[string]int{}, alias: map[string]int{}, aliases: make([][]string, len(k.Sections))}
	for i, s := range k.Sections {
		x.names = append(x.names, headingNorm(s.Heading))
		if n := headingNorm(s.Heading); n != "" {
			if _, dup := x.exact[n]; !dup {
				x.exact[n] = i
			}
		}
	}
	for i, s := range k.Sections {
		for _, a := range s.Aliases {
			n := headingNorm(a)
			if _, ok := x.exact[n]; ok || n == "" {
				continue
			}
			if _, dup := x.alias[n]; !dup {
				x.alias[n] = i
				x.aliases[i] = append(x.aliases[i], n)
			}
		}
	}
	return x
}

func (x *sectionIndex) lookup(norm string) (int, bool) {
	if i, ok := x.exact[norm]; ok {
		return i, true
	}
	i, ok := x.alias[norm]
	return i, ok
}

// labelRE finds a label opening a line: "**Situation:**", "**Result**:",
// "__Task:__", "Action:", "S:", within a list item too.
var labelRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?m)^` + labelExpr)
})

// labelLineRE is labelRE for one line: anchored at its start, where the
// expression tries no other offset (a (?m)^ is tried at every byte of a
// long line before it fails).
var labelLineRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\A` + labelExpr)
})

const labelExpr = `[ \t]{0,3}(?:[-*+][ \t]+)?(?:(\*\*|__)([^\n*_:]{1,40}?)[ \t]*(?::[ \t]*(?:\*\*|__)|(?:\*\*|__)[ \t]*:)|([A-Za-z][^\n*_:#|>]{0,30}?)[ \t]*:)[ \t]*`

// findLabels is labelRE's FindAllStringSubmatchIndex over text, run on
// the lines holding a colon only: a label is a line's start, never spans
// two lines and always holds one, so no match is lost or changed, and
// the expression no longer backtracks through every line of prose.
func findLabels(text string) [][]int {
	re := labelLineRE()
	var out [][]int
	for start := 0; start < len(text); {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		line := text[start:end]
		if strings.IndexByte(line, ':') >= 0 {
			if m := re.FindStringSubmatchIndex(line); m != nil {
				for i := range m {
					if m[i] >= 0 {
						m[i] += start
					}
				}
				out = append(out, m)
			}
		}
		start = end + 1
	}
	return out
}

// resolve matches the document's headings, then its labels, to the kind's
// sections, once per document.
func (c *Ctx) resolve() {
	if c.matched != nil || c.Kind == nil {
		return
	}
	x := c.sectionIndex()
	c.matched = make([]*doc.Section, len(c.Kind.Sections))
	used := make([]bool, len(c.Doc.Outline))
	norms := c.outlineNorms()
	take := func(i, j int) {
		c.matched[i], used[j] = &c.Doc.Outline[j], true
	}
	// Exact headings first, so that a section written as the pack names
	// it wins over another heading that is only an alias of it; then each
	// section's aliases in the pack's order.
	for j, n := range norms {
		if i, ok := x.exact[n]; ok && c.matched[i] == nil {
			take(i, j)
		}
	}
	for i, aliases := range x.aliases {
		for _, a := range aliases {
			if c.matched[i] != nil {
				break
			}
			for j, n := range norms {
				if !used[j] && n == a {
					take(i, j)
					break
				}
			}
		}
	}
	c.unmatched = c.unmatched[:0]
	for j := range c.Doc.Outline {
		if !used[j] {
			c.unmatched = append(c.unmatched, &c.Doc.Outline[j])
		}
	}
	// Labels are looked for only when a section of the document's track
	// has no heading: a finished document written with headings never
	// pays for the search.
	for i, m := range c.matched {
		if m == nil && onTrack(c.Kind.Sections[i].Track, c.Track) {
			c.resolveLabels(x)
			return
		}
	}
}

// resolveLabels matches labels opening lines to the sections no heading
// matched. A label's section runs to the next label of a section, or the
// next heading.
func (c *Ctx) resolveLabels(x *sectionIndex) {
	text := c.prose().text
	type label struct {
		i, line, start, from int
		name                 string
	}
	var found []label
	for _, m := range findLabels(text) {
		name := ""
		switch {
		case m[4] >= 0:
			name = text[m[4]:m[5]]
		case m[6] >= 0:
			name = text[m[6]:m[7]]
		}
		i, ok := x.lookup(headingNorm(name))
		if !ok || c.matched[i] != nil {
			continue
		}
		found = append(found, label{i: i, line: c.Doc.LineOf(m[0]), start: m[0], from: m[1], name: strings.TrimSpace(name)})
	}
	var headings []int
	for _, h := range c.Doc.Outline {
		headings = append(headings, h.Start)
	}
	for k, l := range found {
		if c.matched[l.i] != nil {
			continue
		}
		end := len(text)
		if k+1 < len(found) {
			end = found[k+1].start
		}
		// The heading after the label ends it too; a heading's section
		// starts after its line, so look for the line start before it.
		for _, hs := range headings {
			if hs > l.from {
				if ls := strings.LastIndexByte(text[:hs], '\n'); ls >= l.from && ls < end {
					end = ls + 1
				}
				break
			}
		}
		s := c.Doc.Span(l.name, l.line, l.from, end)
		c.matched[l.i] = &s
	}
}

// sectionIndex returns the index of kind k's sections, made once.
func (c *Checker) sectionIndex(k *Kind) *sectionIndex {
	c.sectionsMu.Lock()
	defer c.sectionsMu.Unlock()
	x, ok := c.sections[k.ID]
	if !ok {
		x = newSectionIndex(k)
		c.sections[k.ID] = x
	}
	return x
}

// sectionIndex is the checker's index of the document's kind, kept by
// the document: rules look sections up by the hundred per document, and
// the checker's index is behind a lock the workers share.
func (c *Ctx) sectionIndex() *sectionIndex {
	if c.secIndex == nil || c.secKind != c.Kind {
		c.secIndex, c.secKind = c.checker.sectionIndex(c.Kind), c.Kind
	}
	return c.secIndex
}

// find returns the document's section that matches heading: the kind's
// section of that heading, by its heading, an alias or a label; for a
// heading the kind does not declare, a heading of the document that
// normalises alike.
func (c *Ctx) find(heading string) (*doc.Section, bool) {
	n := c.checker.headingKey(heading)
	if c.Kind != nil {
		c.resolve()
		if i, ok := c.sectionIndex().lookup(n); ok {
			return c.matched[i], c.matched[i] != nil
		}
	}
	for i, norm := range c.outlineNorms() {
		if norm == n {
			return &c.Doc.Outline[i], true
		}
	}
	return nil, false
}

// headingKey is headingNorm(h) for the headings rules ask for, computed
// once: the same few dozen strings, thousands of times.
func (c *Checker) headingKey(h string) string {
	if k, ok := c.packKeys[h]; ok {
		return k
	}
	if k, ok := c.keys.Load(h); ok {
		return k.(string)
	}
	k := headingNorm(h)
	c.keys.Store(h, k)
	return k
}

// nearMiss pairs missing sections with unmatched headings that look like
// them: they share most of their words (plurals aside), or differ by a
// typo. It returns, per missing section, the heading that looks like it.
func nearMiss(missing []*Section, headings []*doc.Section) map[*Section]*doc.Section {
	type pair struct {
		s     *Section
		h     *doc.Section
		score float64
	}
	var pairs []pair
	norms := make([]string, len(headings))
	for i, h := range headings {
		norms[i] = headingNorm(h.Heading)
	}
	for _, s := range missing {
		names := []string{headingNorm(s.Heading)}
		for _, a := range s.Aliases {
			names = append(names, headingNorm(a))
		}
		for i, h := range headings {
			hn := norms[i]
			if hn == "" {
				continue
			}
			best := 0.0
			for _, name := range names {
				best = max(best, similarity(name, hn))
			}
			if best >= 0.5 {
				pairs = append(pairs, pair{s, h, best})
			}
		}
	}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].score > pairs[j].score })
	out := map[*Section]*doc.Section{}
	taken := map[*doc.Section]bool{}
	for _, p := range pairs {
		if out[p.s] == nil && !taken[p.h] {
			out[p.s], taken[p.h] = p.h, true
		}
	}
	return out
}

// isStopWord reports whether a word carries no meaning in a heading.
func isStopWord(w string) bool {
	switch w {
	case "the", "a", "an", "and", "of", "for", "to", "in", "our", "your", "my", "we", "what", "how", "is", "on",
		"with":
		return true
	}
	return false
}

// similarity is the share of the words of a found in b (both normalised),
// plurals folded; 0.9 for a typo in a long heading.
func similarity(a, b string) float64 {
	if len(a) > 5 && len(yamlfile.Similar(b, []string{a})) > 0 {
		return 0.9
	}
	words := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, w := range strings.Fields(s) {
			if isStopWord(w) {
				continue
			}
			m[strings.TrimSuffix(w, "s")] = true
		}
		return m
	}
	wa, wb := words(a), words(b)
	if len(wa) == 0 {
		return 0
	}
	common := 0
	for w := range wa {
		if wb[w] {
			common++
		}
	}
	return float64(common) / float64(max(len(wa), len(wb)))
}

// describeMissing is the message of the one doc/section-missing finding of
// a document: the sections missing, and the headings that look like them.
func describeMissing(missing []*Section, near map[*Section]*doc.Section) string {
	var b strings.Builder
	if len(missing) == 1 {
		fmt.Fprintf(&b, "missing section %q: %s", missing[0].Heading, hintOr(missing[0]))
	} else {
		names := make([]string, len(missing))
		for i, s := range missing {
			names[i] = s.Heading
		}
		fmt.Fprintf(&b, "%d required sections are missing: %s", len(missing), strings.Join(names, ", "))
	}
	for _, s := range missing {
		if h := near[s]; h != nil {
			fmt.Fprintf(&b, "; %q (line %d) looks like %s: add it as an alias or rename it", strings.Repeat("#", max(h.Level, 1))+" "+h.Heading, h.Line, s.Heading)
		}
	}
	return b.String()
}

// outlineNorms are the normalised headings of the document's outline,
// made once. A heading written as the pack writes it is normalised
// already (packKeys); others, which may be anything, are not memoised.
func (c *Ctx) outlineNorms() []string {
	if c.norms == nil {
		c.norms = make([]string, len(c.Doc.Outline))
		for j := range c.Doc.Outline {
			h := c.Doc.Outline[j].Heading
			k, ok := c.checker.packKeys[h]
			if !ok {
				k = headingNorm(h)
			}
			c.norms[j] = k
		}
	}
	return c.norms
}
