package check

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/doc"
	"gopkg.in/yaml.v3"
)

// The rules every document gets, from the standard's "Every document".

const standard = "pmfolio document standard"

func documentRules() []*Rule {
	return []*Rule{
		{
			ID: "doc/encoding", Severity: Error, Framework: standard,
			Message: "the file is UTF-8 text of a sensible size",
			Explain: `A document is a text file in UTF-8, under 4 MB. A file in another
encoding (or a binary file with a .md name) cannot be read reliably by pmfolio,
git diffs or a hiring manager's browser.

Fix: save the file as UTF-8 in your editor, or move a file that is not a
document out of the portfolio's folders.`,
			// Reported while reading the file, before it can be parsed.
			doc: func(*Ctx) {},
		},
		{
			ID: "doc/front-matter", Severity: Error, Framework: standard,
			Message: "the front matter has kind, title, author, date, status, track and pack",
			Explain: `Every document starts with YAML front matter between --- lines naming its
kind, title, author, date (YYYY-MM-DD), status, track (core or technical) and
the pack (name and version) it came from. pmfolio list, the README index and
check rely on it; a hiring manager sees who wrote the document and when.

Fix: documents written with 'pmfolio new' have it. For one written by hand,
copy the front matter of a generated document of the same kind and edit it.`,
			doc: checkFrontMatter,
		},
		{
			ID: "doc/kind", Severity: Error, Framework: standard,
			Message: "the document's kind is one of the pack's kinds",
			Explain: `The kind (front matter 'kind:', else the folder the file is in) decides
which sections and rules apply. A document whose kind the pack does not know
can only get the checks every document gets.

Fix: set 'kind:' to one of the pack's kinds ('pmfolio check --list-rules'
shows the kinds with their rules), or move the file into that kind's folder.`,
			doc: checkKind,
		},
		{
			ID: "doc/pack-unknown", Severity: Error, Framework: standard,
			Message: "the pack the document was rendered with is one the portfolio pins",
			Explain: `A document records the pack (name and version) it was rendered with, and
check holds it to that pack's sections and rules. When the portfolio no
longer pins that pack (it was removed, or the document was copied from
another portfolio), nothing says what the document should contain: it is
held to no kind, never to another pack's kind of the same name, and only
the rules every document gets apply.

Fix: pin the pack again ('pmfolio pack add SOURCE@vVERSION'), or render
the document again with a pack the portfolio pins.`,
			doc: checkPackUnknown,
		},
		{
			ID: "doc/pack-outdated", Severity: Info, Framework: standard,
			Message: "the document was rendered with the version of its pack the portfolio pins",
			Explain: `A document keeps the version of the pack it was rendered with: after
'pmfolio pack update', the documents written before are still checked
against the version they were written with (from the cache, or the pack's
git history), so an update never re-grades them silently. This rule says
which documents are behind the pin, what changed since (sections renamed,
new required questions, stricter rules), and how to bring them forward.
When the earlier version cannot be had (not cached, and its source cannot
be reached), the document is held to the pinned version, and the finding
says so.

Fix: run the command the message names ('pmfolio upgrade PACK').`,
			doc: checkPackOutdated,
		},
		{
			ID: "doc/title", Severity: Error, Framework: standard,
			Message: "the document has exactly one # title",
			Explain: `A document has one H1 title, then '##' sections. Several H1s split the
document in ways renderers, tables of contents and check read differently.

Fix: keep one '# Title' line at the top and make the other H1s '##' sections.`,
			doc: checkTitle,
		},
		{
			ID: "doc/section-missing", Severity: Error, Framework: standard,
			Message: "every required section is present",
			Explain: `Each kind has the sections a hiring manager expects to find, in the
structure they use at work (Cagan's opportunity assessment, Amazon's Working
Backwards, the PRD templates of Kevin Yien and Figma, SRE postmortems, STAR).
A missing section is the first thing a reader notices.

Fix: add the section with the exact heading the message names ('## ...'),
or render the document again with 'pmfolio new KIND --answers FILE --force'.`,
			doc: checkSectionsPresent,
		},
		{
			ID: "doc/section-empty", Severity: Error, Framework: standard,
			Message: "no required section is empty",
			Explain: `A heading with nothing under it promises content the document does not
have. HTML comments do not count as content.

Fix: write the section, using the hint in the message; 'pmfolio questions
KIND' shows the question and the good example behind each section.`,
			doc: checkSectionsNotEmpty,
		},
		{
			ID: "doc/placeholder", Severity: Error, Framework: standard,
			Message: "no placeholder is left: TBD, TBC, TODO, FIXME, XXX, lorem ipsum, [Insert ...], {{ }} or a lone N/A",
			Explain: `A placeholder tells the reader the document is unfinished, and a reviewer
stops reading there. Unrendered template actions ({{ ... }}) mean the
document was copied from a template rather than written.

Fix: replace the placeholder with the content, or delete the sentence. If
a section really does not apply, say why in a sentence instead of N/A.`,
			doc: checkPlaceholders,
		},
		{
			ID: "doc/hint-text", Severity: Error, Framework: standard,
			Message: "no section still holds the template's hint text",
			Explain: `The pack's hint for a section says what belongs there; left in the
document it is a placeholder in disguise.

Fix: replace the hint with your own content.`,
			doc: checkHints,
		},
		{
			ID: "doc/min-words", Severity: Warning, Framework: standard,
			Message: "prose sections have a sensible minimum of words",
			Explain: `Some sections (a problem statement, root causes, a measurement plan) cannot
be made in a line. The pack sets a minimum for them; below it the section
usually lacks the evidence or the reasoning a reader looks for.

Fix: add the missing substance, not filler: numbers, evidence, the why.`,
			doc: checkMinWords,
		},
		{
			ID: "doc/max-words", Severity: Warning, Framework: standard,
			Message: "sections meant to be short stay short",
			Explain: `Some sections are meant to be brief: a STAR situation sets the scene in
one to three sentences so the interviewer hears what you did, not the
background.

Fix: cut the section to the context the rest of the document needs.`,
			doc: checkMaxWords,
		},
		{
			ID: "doc/weasel-words", Severity: Warning, Framework: "Working Backwards (Amazon): replace adjectives with data",
			Message: "numbers beat adjectives: avoid significantly, substantially, greatly, much better, nearly all, arguably",
			Explain: `Amazon's writing culture asks to replace adjectives with data. "Significantly
faster" invites the question "how much?"; "from 4.2 s to 1.1 s" answers it.

Fix: replace the word with the number behind it, or delete it.`,
			doc: checkWeaselWords,
		},
		{
			ID: "doc/link-resolves", Severity: Error, Framework: standard,
			Message: "links to other files of the portfolio resolve",
			Explain: `Documents cite each other: a brief links its interview notes, a PRD its
brief, a retro its PRD. A broken link breaks the chain of evidence a hiring
manager follows, and usually means a file was renamed or never written.

Fix: correct the path (links are relative to the document: ../interview/FILE.md),
or write the missing document.`,
			doc: checkLinks,
		},
		{
			ID: "doc/directive", Severity: Warning, Framework: standard,
			Message: "inline pmfolio directives name real rules",
			Explain: `<!-- pmfolio-disable RULE -->, pmfolio-enable, pmfolio-disable-next-line and
pmfolio-disable-file turn rules off inside a document. A misspelt rule id
disables nothing, silently.

Fix: use an id from 'pmfolio check --list-rules'.`,
			doc: checkDirectives,
		},
		{
			ID: "doc/conflict-markers", Severity: Error, Framework: standard,
			Message: "no conflict markers are left from a merge",
			Explain: `'pmfolio edit' and 'pmfolio upgrade' merge your hand edits with a new
rendering; where both changed the same lines, they write both versions
between conflict markers, as git does:

    <<<<<<< yours
    your text
    ||||||| base (pack v1.0.0)
    the text as it was rendered
    =======
    the new text
    >>>>>>> pack v1.1.0

A document with markers left in it is half merged: a reader sees both
versions and the markers themselves.

Fix: keep the text you want between the markers, delete the rest and the
marker lines, then commit.`,
			doc: checkConflictMarkers,
		},
	}
}

// checkConflictMarkers reports each set of conflict markers a merge left.
func checkConflictMarkers(c *Ctx) {
	for _, line := range doc.ConflictMarkers(c.data) {
		c.report(line, "a merge left conflict markers here; keep the text you want and remove the markers")
	}
}

var frontFields = []string{"kind", "title", "author", "date", "status", "track"}

func checkFrontMatter(c *Ctx) {
	fm := c.Doc.Front
	if fm == nil && c.frontOptional {
		return
	}
	if fm == nil {
		c.report(1, "no front matter: start the file with a --- block holding kind, title, author, date, status, track and pack")
		return
	}
	values := map[string]string{"kind": fm.Kind, "title": fm.Title, "author": fm.Author, "date": fm.Date, "status": fm.Status, "track": fm.Track}
	var missing []string
	for _, f := range frontFields {
		if strings.TrimSpace(values[f]) == "" {
			missing = append(missing, f)
		}
	}
	if fm.Pack.Name == "" || fm.Pack.Version == "" {
		missing = append(missing, "pack (name and version)")
	}
	if len(missing) > 0 {
		c.report(1, "front matter lacks %s", strings.Join(missing, ", "))
	}
	if fm.Date != "" {
		if _, err := time.Parse("2006-01-02", fm.Date); err != nil {
			c.report(keyLine(c.Doc.FrontNode, "date"), "front matter date %q is not a date like 2026-01-31", fm.Date)
		}
	}
	if fm.Track != "" {
		if err := doc.ValidateTrack(fm.Track, false); err != nil {
			c.report(keyLine(c.Doc.FrontNode, "track"), "front matter %v", err)
		}
	}
}

// keyLine is the file line of a front matter key; the YAML starts on line 2.
func keyLine(n *yaml.Node, key string) int {
	if n == nil {
		return 1
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i].Line + 1
		}
	}
	return 1
}

func checkKind(c *Ctx) {
	if c.Kind != nil || (c.pack != nil && c.pack.Unknown) {
		return
	}
	var ids []string
	for _, k := range c.checker.spec.Kinds {
		ids = append(ids, k.ID)
	}
	if c.Doc.Front == nil || c.Doc.Front.Kind == "" {
		c.report(c.titleLine(), "no kind: the front matter names none, the file is not in a kind's folder and its headings are not clearly one kind's; pass --kind KIND (%s)", strings.Join(ids, ", "))
		return
	}
	if p := c.Doc.Front.Pack.Name; p != "" && p != c.checker.spec.Pack {
		c.report(keyLine(c.Doc.FrontNode, "kind"), "kind %q comes from pack %q, which this portfolio does not pin; pin it with 'pmfolio pack add', or use a kind of pack %q (%s)", c.Doc.Front.Kind, p, c.checker.spec.Pack, strings.Join(ids, ", "))
		return
	}
	c.report(keyLine(c.Doc.FrontNode, "kind"), "kind %q is not a kind of pack %q (%s)", c.Doc.Front.Kind, c.checker.spec.Pack, strings.Join(ids, ", "))
}

func checkPackUnknown(c *Ctx) {
	if c.pack == nil || !c.pack.Unknown {
		return
	}
	fm := c.Doc.Front
	which := c.pack.Reason
	if which == "" {
		which = "the portfolio does not pin"
	}
	msg := fmt.Sprintf("rendered with pack %q %s, which %s: it is held to no kind, only to the rules every document gets", fm.Pack.Name, fm.Pack.Version, which)
	if c.pack.Hint != "" {
		msg += "; " + c.pack.Hint
	}
	c.report(keyLine(c.Doc.FrontNode, "pack"), "%s", msg)
}

// maxChangesShown bounds the changes a doc/pack-outdated message lists.
const maxChangesShown = 3

func checkPackOutdated(c *Ctx) {
	if c.pack == nil || c.pack.Pinned == "" {
		return
	}
	fm := c.Doc.Front
	var b strings.Builder
	fmt.Fprintf(&b, "rendered with pack %q %s; the portfolio pins %s", fm.Pack.Name, fm.Pack.Version, c.pack.Pinned)
	if c.pack.Unavailable != "" {
		fmt.Fprintf(&b, " (%s is not available here: %s; so it is held to %s)", fm.Pack.Version, c.pack.Unavailable, c.pack.Pinned)
	} else {
		fmt.Fprintf(&b, " (it is held to %s until it is brought forward)", fm.Pack.Version)
	}
	kind := fm.Kind
	if c.Kind != nil {
		kind = c.Kind.ID
	}
	if changes := c.pack.Changes[kind]; len(changes) > 0 {
		n := len(changes)
		shown := changes[:min(n, maxChangesShown)]
		fmt.Fprintf(&b, "; since then: %s", strings.Join(shown, "; "))
		if n > len(shown) {
			fmt.Fprintf(&b, "; and %d more", n-len(shown))
		}
	}
	if c.pack.Upgrade != "" {
		fmt.Fprintf(&b, "; bring it forward with '%s'", c.pack.Upgrade)
	}
	c.report(keyLine(c.Doc.FrontNode, "pack"), "%s", b.String())
}

func checkTitle(c *Ctx) {
	var h1 []int
	for _, h := range c.Doc.Headings {
		if h.Level == 1 {
			h1 = append(h1, h.Line)
		}
	}
	switch {
	case len(h1) == 0:
		c.report(c.titleLine(), "no # title: the document starts with one '# Title' line")
	case len(h1) > 1:
		c.report(h1[1], "%d '#' titles; a document has one, and '##' sections", len(h1))
	}
}

// sections returns the kind's sections that apply on the document's track.
func (c *Ctx) sections() []*Section {
	if c.Kind == nil || c.onTrack != nil {
		return c.onTrack
	}
	c.onTrack = make([]*Section, 0, len(c.Kind.Sections))
	for i := range c.Kind.Sections {
		if s := &c.Kind.Sections[i]; onTrack(s.Track, c.Track) {
			c.onTrack = append(c.onTrack, s)
		}
	}
	return c.onTrack
}

// maxMissingUnits bounds what missing sections cost a document: two
// errors' worth, so that its other findings are about what it says.
const maxMissingUnits = 2

func checkSectionsPresent(c *Ctx) {
	var missing []*Section
	for _, s := range c.sections() {
		if _, ok := c.find(s.Heading); !ok && s.Required {
			missing = append(missing, s)
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := describeMissing(missing, nearMiss(missing, c.unmatched))
	if g := c.genre(); g != nil {
		msg = fmt.Sprintf("this reads like %s (%s), not %s: %s", g.name, strings.Join(g.seen, ", "), g.not, msg)
	}
	f := c.report(c.titleLine(), "%s", msg)
	f.units = min(len(missing), maxMissingUnits)
	f.subject = "missing sections"
}

func checkSectionsNotEmpty(c *Ctx) {
	for _, s := range c.sections() {
		ds, ok := c.find(s.Heading)
		if !ok || !s.Required {
			continue
		}
		text := c.text(ds)
		switch {
		case strings.TrimSpace(text) == "":
			c.report(ds.Line, "section %q is empty: %s", s.Heading, c.hintOr(s))
		case c.unfilled(ds):
			c.report(ds.Line, "section %q holds only template guidance or placeholders (%q): %s", s.Heading, clip(strings.TrimSpace(text)), c.hintOr(s))
		}
	}
}

func hintOr(s *Section) string {
	if h := strings.TrimSpace(s.Hint); h != "" {
		return strings.TrimRight(lowerFirst(h), ".")
	}
	return "write it"
}

// hintOr is hintOr(s), made once per hint by the checker.
func (c *Ctx) hintOr(s *Section) string {
	if k, ok := c.checker.hints[s.Hint]; ok {
		return k.text
	}
	return hintOr(s)
}

func lowerFirst(s string) string {
	if len(s) > 1 && s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z') {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}

var naRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)^n/?a$`) })

func checkPlaceholders(c *Ctx) {
	skip := c.unfilledSpans()
	inSkip := func(off int) bool {
		for _, sp := range skip {
			if off >= sp[0] && off < sp[1] {
				return true
			}
		}
		return false
	}
	last, n := -1, 0
	for _, m := range c.allPlaceholders() {
		if n >= 50 {
			break
		}
		if m[0] < last || inSkip(m[0]) {
			continue // inside another placeholder, or an unfilled section
		}
		last = m[1]
		n++
		ph := clip(string(c.masked[m[0]:m[1]]))
		f := c.report(c.Doc.LineOf(m[0]), "placeholder %q left in the document", ph)
		f.subject = ph
	}
	for i := range c.Doc.Outline {
		s := &c.Doc.Outline[i]
		if t := strings.TrimSpace(c.text(s)); len(t) <= 8 && naRE().MatchString(normalize(t)) {
			c.report(s.Line, "section %q says only N/A; say why it does not apply, or remove it if it is optional", s.Heading)
		}
		if s.Level != 2 || inSkip(s.Start) {
			continue
		}
		for _, line := range c.Doc.EmptyItems(s.Start, s.End) {
			c.report(line, "empty list item in section %q: write it or remove it", s.Heading)
		}
	}
}

// unfilledSpans are the byte ranges of the kind's sections that are
// empty or unfilled, which doc/section-empty reports as a whole.
func (c *Ctx) unfilledSpans() [][2]int {
	var out [][2]int
	for _, s := range c.sections() {
		if ds, ok := c.find(s.Heading); ok && (strings.TrimSpace(c.text(ds)) == "" || c.unfilled(ds)) {
			out = append(out, [2]int{ds.Start, ds.End})
		}
	}
	return out
}

// hintKey is a section hint prepared for the search: its normalised text,
// and its two longest words as the hint spells them, which a section
// still holding the hint contains.
type hintKey struct {
	norm  string
	words []string
	// text is the hint as messages quote it (hintOr).
	text string
}

func newHintKey(hint string) hintKey {
	k := hintKey{norm: normalize(hint), text: hintOr(&Section{Hint: hint})}
	var ws []string
	for _, w := range strings.Fields(hint) {
		if w = strings.Trim(w, ".,;:()\"'*_"); len(w) > 3 {
			ws = append(ws, w)
		}
	}
	sort.SliceStable(ws, func(i, j int) bool { return len(ws[i]) > len(ws[j]) })
	k.words = ws[:min(2, len(ws))]
	return k
}

// mayHold is the cheap test: every key word is in the section.
func (k hintKey) mayHold(text string) bool {
	for _, w := range k.words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return len(k.words) > 0
}

func checkHints(c *Ctx) {
	for _, s := range c.sections() {
		k := c.checker.hints[s.Hint]
		if len(k.norm) < 12 {
			continue
		}
		ds, ok := c.find(s.Heading)
		if !ok || !k.mayHold(c.text(ds)) {
			continue
		}
		if strings.Contains(normalize(c.text(ds)), k.norm) {
			c.report(ds.Line, "section %q still holds the template's hint %q; replace it with your content", s.Heading, clip(s.Hint))
		}
	}
}

func checkMinWords(c *Ctx) {
	for _, s := range c.sections() {
		if s.MinWords == 0 {
			continue
		}
		if ds, _, ok := c.section(s.Heading); ok {
			if n := c.wordsIn(ds); n < s.MinWords {
				c.report(ds.Line, "section %q has %d words; write at least %d: %s", s.Heading, n, s.MinWords, c.hintOr(s))
			}
		}
	}
}

func checkMaxWords(c *Ctx) {
	for _, s := range c.sections() {
		if s.MaxWords == 0 {
			continue
		}
		if ds, _, ok := c.section(s.Heading); ok {
			if n := c.wordsIn(ds); n > s.MaxWords {
				c.report(ds.Line, "section %q has %d words; keep it to about %d", s.Heading, n, s.MaxWords)
			}
		}
	}
}

var weaselRE = sync.OnceValue(func() *matcher {
	return newMatcher(regexp.MustCompile(`(?i)\b(?:significantly|substantially|greatly|much\sbetter|nearly\sall|arguably)\b`))
})

// documentMatchers are pmfolio's own matchers that search whole
// documents, for the literal index.
var documentMatchers = sync.OnceValue(func() []*matcher {
	ms := []*matcher{weaselRE()}
	for _, f := range placeholderFamilies() {
		if f.scan == nil {
			ms = append(ms, f.m)
		}
	}
	return ms
})

func checkWeaselWords(c *Ctx) {
	p := c.prose()
	for _, m := range weaselRE().find(p, 50) {
		c.report(c.Doc.LineOf(m[0]), "%q: say how much, with a number", p.text[m[0]:m[1]])
	}
}

// isWordByte reports whether b[i] is part of a word, as \b sees it (bytes
// of multi-byte runes count, to be safe); false outside b.
func isWordByte(b string, i int) bool {
	if i < 0 || i >= len(b) {
		return false
	}
	ch := b[i]
	return ch == '_' || ('a' <= ch && ch <= 'z') || ('A' <= ch && ch <= 'Z') || ('0' <= ch && ch <= '9') || ch >= 0x80
}

func checkLinks(c *Ctx) {
	if c.checker.opts.Exists == nil {
		return
	}
	for _, l := range c.Doc.Links {
		p := resolve(c.Path, l.Dest)
		if p == "" || p == "." {
			continue
		}
		if p == ".." || strings.HasPrefix(p, "../") {
			c.report(l.Line, "link %q leaves the portfolio", l.Dest)
			continue
		}
		ok := c.checker.exists(p)
		c.deps = append(c.deps, cacheDep{Path: p, Exists: ok})
		if !ok {
			c.report(l.Line, "link %q does not resolve: there is no %s", l.Dest, p)
		}
	}
}

// describe is how a count of things reads: "1 item", "3 items".
func describe(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
