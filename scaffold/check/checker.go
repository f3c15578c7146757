package check

import (
	"bytes"
	"errors"
	"fmt"
	"iter"
	"maps"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/pmfolio/pmfolio/scaffold/doc"
	"gopkg.in/yaml.v3"
)

// Options configure a Checker.
type Options struct {
	// Read returns the content of a path (slash-separated, relative to the
	// portfolio root): documents to check and the documents they link.
	Read func(path string) ([]byte, error)
	// Exists reports whether a path exists, to resolve links; nil skips
	// link checks.
	Exists func(path string) bool
	// Track is the track of documents whose front matter names none.
	Track string
	// Overrides change rules' severities, in order: later ones win.
	Overrides []Override
	// ConfigFile is where Overrides come from, for errors; plan findings
	// that concern no document point at it.
	ConfigFile string
	// Start is the first day of the 90-day plan (zero: unknown, every
	// month is due) and Today the date the plan is measured on: the
	// caller's clock, as check reads none (zero: no month is due yet).
	Start, Today time.Time
	// Workers is how many documents are checked at once (0: one per CPU).
	Workers int
	// Loose documents are Markdown outside a portfolio: they need no
	// pmfolio front matter, and their kind is taken from their folder's
	// name or guessed from their headings. LooseFolder is the folder
	// their paths are relative to, whose name counts too.
	Loose       bool
	LooseFolder string
	// CacheDir, when set, is the folder of the findings cache (see
	// cache.go): inside a git repository's .git, never in the work tree.
	// CacheKey is what else the results depend on (pmfolio's version).
	CacheDir, CacheKey string
	// Stat, when set, stamps a file for the cache, false when it has
	// none or one not to be trusted: a file whose stamp is the one it had
	// when its result was cached is taken from the cache without being
	// read. The caller must refuse a stamp that a change could leave as
	// it is (a file changed in the last seconds, whose next change may
	// fall in the same tick of the file system's clock), as git's index
	// does for "racily clean" files.
	Stat func(path string) (Stamp, bool)
	// StrictPlan makes the 90-day plan's gaps in the months that have
	// ended errors, for courses with deadlines; otherwise they are
	// warnings. Either way they are apart from the documents' scores.
	StrictPlan bool
	// Touched, when set, names the files a --changed-since run found
	// changed, added or gone: a Context input is reported when its result
	// depends on one of them (it links it, or reads a linked PRD's
	// metrics), with Document.DependsOn saying which.
	Touched func(path string) bool
	// NoInlineConfig ignores the documents' directives
	// (<!-- pmfolio-disable ... -->): a course grades with its own rules.
	NoInlineConfig bool
	// Sections asks for each document's Filled sections, which a grader's
	// rubric counts (pmfolio grade); check's own reports do not need them.
	Sections bool
	// Pack says what to hold a document to whose front matter names pack
	// name at version: the pack (at that version) it came from, whether
	// the portfolio pins it and at which version. nil means the checker's
	// own spec. The plan is always checked against the checker's own.
	Pack func(name, version string) (*DocPack, error)
}

// Override changes the severity of the rules whose id matches Rule (an id,
// a glob such as "prd/*", or "*") in documents matching one of Paths
// (globs with **; none means every document). Off turns the rules off.
type Override struct {
	Rule     string
	Paths    []string
	Severity Severity
	// Line is the override's line in Options.ConfigFile, for errors.
	Line int
}

// Input is a document to check.
type Input struct {
	Path string
	// Explicit inputs were named by the user: they are checked even when
	// they do not look like pmfolio documents, and say why they cannot be.
	Explicit bool
	// Kind, when set, is the document's kind, given from outside (check
	// --kind): the document needs no pmfolio front matter, and any it has
	// is ignored.
	Kind string
	// Context inputs are read for what the 90-day plan needs of them, and
	// reported only when their result depends on a file Options.Touched
	// names: a --changed-since run reads every document, and reports the
	// changed ones and those a change can affect.
	Context bool

	// pack is what the checker that handed the document over said of its
	// pack.
	pack *DocPack
}

// Checker checks documents against a pack's rules and pmfolio's own. It is
// safe for concurrent use.
type Checker struct {
	spec  Spec
	opts  Options
	rules []*Rule
	byID  map[string]*Rule

	// indexes hold, per kind ("" for documents of no known kind), the
	// literal index of the matchers that search its documents: a story
	// need not be searched for the PRD's literals.
	indexes map[string]*lazyIndex
	// matchers are the pack's patterns, compiled, by kind.
	matchers map[string][]*matcher

	// hints maps each section hint to its normalised form and the word
	// most likely to give it away.
	hints map[string]hintKey

	// ran caches, per kind and track, the ids of the rules that run on a
	// document: the same for thousands of documents, so shared.
	ranMu sync.Mutex
	ran   map[[2]string][]string

	// others are the checkers of the packs (and versions) documents name,
	// made on first use, by name@version.
	othersMu sync.Mutex
	others   map[string]docChecker

	// sections index each kind's headings and aliases.
	sectionsMu sync.Mutex
	sections   map[string]*sectionIndex

	// cache holds the results of the last run, when Options.CacheDir is
	// set.
	cache *findingsCache

	// buffers recycle the slices documents' findings are gathered in.
	buffers sync.Pool
	// messages is the findings' messages, one copy of each, shared with
	// forks.
	messages *interner
	// phBuffers recycle the buffers documents' placeholders are found in.
	phBuffers sync.Pool

	// packKeys are the normalised headings and aliases of the pack's
	// sections and the sections its rules read, made with the checker
	// and only read after: most headingKey lookups, without a lock.
	packKeys map[string]string

	mu       sync.Mutex
	linked   map[string]*summary
	existing sync.Map
	keys     sync.Map
}

// New compiles spec's data rules and pmfolio's own into a Checker and
// checks opts.Overrides against them: an override that can never apply is
// a *yamlfile.Error at its line of opts.ConfigFile.
func New(spec Spec, opts Options) (*Checker, error) {
	return newChecker(spec, opts, false)
}

func newChecker(spec Spec, opts Options, sub bool) (*Checker, error) {
	c := &Checker{spec: spec, opts: opts, byID: map[string]*Rule{}, linked: map[string]*summary{}, hints: map[string]hintKey{}, ran: map[[2]string][]string{},
		matchers: map[string][]*matcher{}, indexes: map[string]*lazyIndex{}, sections: map[string]*sectionIndex{}, messages: &interner{}}
	c.packKeys = map[string]string{}
	for _, k := range spec.Kinds {
		for _, s := range k.Sections {
			c.hints[s.Hint] = newHintKey(s.Hint)
			for _, h := range append([]string{s.Heading}, s.Aliases...) {
				c.packKeys[h] = headingNorm(h)
			}
		}
		for _, p := range k.Rules {
			if p.Section != "" {
				c.packKeys[p.Section] = headingNorm(p.Section)
			}
		}
	}
	if c.opts.Workers <= 0 {
		c.opts.Workers = runtime.GOMAXPROCS(0)
	}
	add := func(r *Rule) error {
		if _, dup := c.byID[r.ID]; dup {
			return fmt.Errorf("pack %q: rule %q is already a rule of pmfolio or of the pack; choose another id", spec.Pack, r.ID)
		}
		c.byID[r.ID] = r
		c.rules = append(c.rules, r)
		return nil
	}
	for _, r := range builtinRules() {
		if err := add(r); err != nil {
			return nil, err
		}
	}
	for _, k := range spec.Kinds {
		for _, p := range k.Rules {
			r, ms, err := compilePattern(spec.Pack, k.ID, p)
			if err != nil {
				return nil, err
			}
			c.matchers[k.ID] = append(c.matchers[k.ID], ms...)
			if err := add(r); err != nil {
				return nil, err
			}
		}
	}
	sort.Slice(c.rules, func(i, j int) bool { return c.rules[i].ID < c.rules[j].ID })
	c.indexLiterals()
	if !sub {
		if err := c.validateOverrides(); err != nil {
			return nil, err
		}
	}
	if c.opts.CacheDir != "" {
		c.cache = c.openCache(c.opts.CacheDir)
	}
	return c, nil
}

// Fork returns a checker with c's rules and settings that reads other
// documents: read and exists stand for Options.Read and Exists, track for
// Options.Track. Compiling a pack's rules costs more than checking a
// handful of documents, so a grader checks each student's portfolio with
// a fork of one checker. The fork shares what c compiled, keeps its own
// state of a run, and has no findings cache.
func (c *Checker) Fork(read func(string) ([]byte, error), exists func(string) bool, track string) *Checker {
	f := &Checker{spec: c.spec, opts: c.opts, rules: c.rules, byID: c.byID, indexes: c.indexes, matchers: c.matchers, hints: c.hints,
		packKeys: c.packKeys, messages: c.messages, ran: map[[2]string][]string{}, sections: map[string]*sectionIndex{}, linked: map[string]*summary{}}
	f.opts.Read, f.opts.Exists, f.opts.Track, f.opts.CacheDir = read, exists, track, ""
	return f
}

// docChecker is the checker a document naming pack name at version is
// held to, with what the caller said of that pack (nil: this checker's
// own spec, nothing to report).
type docChecker struct {
	c  *Checker
	dp *DocPack
}

// packChecker returns the checker of the pack (and version) a document
// names, made once per run.
func (c *Checker) packChecker(name, version string) (docChecker, error) {
	// The checker's own pack at its own version, the common case, needs
	// no lookup (and no lock shared by the workers).
	if name == "" || c.opts.Pack == nil || (name == c.spec.Pack && version == c.spec.Version) {
		return docChecker{c: c}, nil
	}
	key := name + "@" + version
	c.othersMu.Lock()
	defer c.othersMu.Unlock()
	if other, ok := c.others[key]; ok {
		return other, nil
	}
	dp, err := c.opts.Pack(name, version)
	if err != nil {
		return docChecker{}, err
	}
	other := docChecker{c: c, dp: dp}
	// Another pack, another version, or the pin read through migrations
	// (its sections with the headings they had): a checker of its own.
	if dp != nil && dp.Spec != nil && (dp.Spec.Pack != c.spec.Pack || dp.Spec.Version != c.spec.Version || dp.Unavailable != "") {
		opts := c.opts
		opts.Pack = nil
		// Overrides were validated against this checker's rules; a rule of
		// one pack is rightly absent from another.
		if other.c, err = newChecker(*dp.Spec, opts, true); err != nil {
			return docChecker{}, err
		}
	}
	if c.others == nil {
		c.others = map[string]docChecker{}
	}
	c.others[key] = other
	return other, nil
}

// kindIndex is the literal index of one kind's matchers: ids maps a
// matcher to its literals' ids in set, exoticIDs are those of
// exoticLetters.
type kindIndex struct {
	set       *litSet
	ids       map[*matcher][]int32
	exoticIDs []int32
}

// lazyIndex is a kind's literal index, built when a document of the kind
// is first checked: building every kind's takes milliseconds, which a
// command checking one document (new, edit) need not spend on the others.
type lazyIndex struct {
	once  sync.Once
	build func() *kindIndex
	x     *kindIndex
}

// indexLiterals prepares, for each kind, the literal index of the matchers
// that search its documents and sections: the pack's patterns for the
// kind, and pmfolio's own.
func (c *Checker) indexLiterals() {
	kinds := []string{""}
	for _, k := range c.spec.Kinds {
		kinds = append(kinds, k.ID)
	}
	for _, kind := range kinds {
		c.indexes[kind] = &lazyIndex{build: func() *kindIndex { return c.buildIndex(kind) }}
	}
}

// index is the literal index of kind ("" for documents of no known kind).
func (c *Checker) index(kind string) *kindIndex {
	li, ok := c.indexes[kind]
	if !ok {
		li = c.indexes[""]
	}
	li.once.Do(func() { li.x = li.build() })
	return li.x
}

// buildIndex builds kind's literal index.
func (c *Checker) buildIndex(kind string) *kindIndex {
	x := &kindIndex{ids: map[*matcher][]int32{}}
	var lits []string
	ids := map[string]int32{}
	id := func(l string) int32 {
		if i, ok := ids[l]; ok {
			return i
		}
		ids[l] = int32(len(lits))
		lits = append(lits, l)
		return ids[l]
	}
	for _, m := range append(append([]*matcher(nil), c.matchers[kind]...), documentMatchers()...) {
		if m.lits == nil || x.ids[m] != nil {
			continue
		}
		for _, l := range m.lits {
			x.ids[m] = append(x.ids[m], id(strings.ToLower(l)))
		}
	}
	for _, l := range exoticLetters {
		x.exoticIDs = append(x.exoticIDs, id(l))
	}
	x.set = newLitSet(lits)
	return x
}

// Ctx is what a per-document rule sees: the parsed document, its kind and
// track, and a way to report findings.
type Ctx struct {
	Doc   *doc.Document
	Kind  *Kind
	Track string
	Path  string

	checker *Checker
	data    []byte
	// pack is what the caller said of the document's pack, nil for the
	// checker's own.
	pack *DocPack
	// masked is Doc.Body with HTML comments blanked; body is its prose,
	// made when a rule first needs it.
	masked  []byte
	body    *prose
	onTrack []*Section
	// matched are the document's sections matching the kind's, by
	// index in Kind.Sections (nil: missing), by a heading or a label;
	// unmatched the headings that matched none.
	matched []*doc.Section
	// norms are the normalised headings of Doc.Outline; phs the
	// document's placeholders.
	norms []string
	phs   [][2]int
	phBuf *phBuffer
	// secIndex is the checker's sectionIndex of secKind, the Kind it
	// was taken for (a genre's guess may change Kind).
	secIndex  *sectionIndex
	secKind   *Kind
	unmatched []*doc.Section
	// deps are the other files the document's result depends on, for
	// the cache.
	deps []cacheDep
	// frontOptional is set for documents that need no pmfolio front
	// matter: loose ones, and those whose kind is given or guessed.
	frontOptional bool
	// refLabels and fill are memos: the link reference labels, and
	// whether a section holds nothing of the writer's own.
	refLabels map[string]bool
	fill      map[*doc.Section]bool
	rule      *Rule
	out       []Finding
	// scratch is where messages are formatted, lineBuf where lines are
	// read without their placeholders.
	scratch, lineBuf []byte
	// words memoises wordsIn, by a section's offsets.
	words map[[2]int]int
	// starved are the rules that asked for a section the document lacks
	// or leaves unfilled: they judged nothing there.
	starved map[string]bool
}

// prose is the masked body, for matchers.
func (c *Ctx) prose() *prose {
	if c.body == nil {
		text := c.Doc.BodyText
		if len(c.Doc.Comments) > 0 {
			text = string(c.masked)
		}
		kind := ""
		if c.Kind != nil {
			kind = c.Kind.ID
		}
		x := c.checker.index(kind)
		c.body = &prose{text: text, index: &docIndex{set: x.set, ids: x.ids, text: text, exoticIDs: x.exoticIDs}}
	}
	return c.body
}

// sectionProse is the prose of section s.
func (c *Ctx) sectionProse(s *doc.Section) *prose {
	return c.prose().slice(s.Start, s.End)
}

// report records a finding of the current rule at line, and returns it
// for the rule to set what else it knows (until its next report).
func (c *Ctx) report(line int, format string, args ...any) *Finding {
	if c.out == nil {
		c.out = c.checker.findingsBuffer()
	}
	c.out = append(c.out, Finding{
		Rule:      c.rule.ID,
		Severity:  c.rule.Severity,
		Path:      c.Path,
		Line:      line,
		Message:   formatMessage(&c.scratch, format, args, c.checker.messages),
		Framework: c.rule.Framework,
	})
	return &c.out[len(c.out)-1]
}

// findingsBuffer is where a document's findings are gathered before
// finish copies those kept into a slice of their own: documents in turn
// reuse a few buffers rather than each growing one and keeping it,
// twice too big, in the report.
func (c *Checker) findingsBuffer() []Finding {
	if b, ok := c.buffers.Get().(*[]Finding); ok {
		return (*b)[:0]
	}
	return make([]Finding, 0, 32)
}

// releaseFindings gives a document's buffer back, once finish has copied
// what it keeps.
func (c *Checker) releaseFindings(ctx *Ctx) {
	if ctx.out == nil || cap(ctx.out) > 1024 {
		return
	}
	b := ctx.out[:cap(ctx.out)]
	clear(b)
	ctx.out = nil
	c.buffers.Put(&b)
}

// text is the masked Markdown of a section.
func (c *Ctx) text(s *doc.Section) string {
	return c.prose().text[s.Start:s.End]
}

// section returns the section with heading and its masked text when the
// document has it and it holds something of the writer's own: a missing,
// empty or unfilled section is reported once, by doc/section-missing or
// doc/section-empty, not again by every rule that reads it.
func (c *Ctx) section(heading string) (*doc.Section, string, bool) {
	s, ok := c.find(heading)
	if !ok {
		c.starve()
		return nil, "", false
	}
	t := c.text(s)
	if strings.TrimSpace(t) == "" || c.unfilled(s) {
		c.starve()
		return nil, "", false
	}
	return s, t, true
}

// wordsIn is countWords of a section's masked text, counted once: the
// rules on a section's length read the same long sections.
func (c *Ctx) wordsIn(s *doc.Section) int { return c.wordsBetween(s.Start, s.End) }

// wordsBetween is countWords of the masked body from offset start to end,
// counted once.
func (c *Ctx) wordsBetween(start, end int) int {
	k := [2]int{start, end}
	if n, ok := c.words[k]; ok {
		return n
	}
	if c.words == nil {
		c.words = map[[2]int]int{}
	}
	n := countWords(c.prose().text[start:end])
	c.words[k] = n
	return n
}

// starve records that the rule running found nothing to read.
func (c *Ctx) starve() {
	// Read only when Options.Sections asks (a map per document else).
	if c.rule == nil || !c.checker.opts.Sections {
		return
	}
	if c.starved == nil {
		c.starved = map[string]bool{}
	}
	c.starved[c.rule.ID] = true
}

// titleLine is where findings about the document as a whole point: its H1,
// else the first line of the body that is not blank (or the last line of
// a file that is all front matter).
func (c *Ctx) titleLine() int {
	for _, h := range c.Doc.Headings {
		if h.Level == 1 {
			return h.Line
		}
	}
	if i := strings.IndexFunc(c.Doc.BodyText, func(r rune) bool { return !unicode.IsSpace(r) }); i >= 0 {
		return c.Doc.LineOf(i)
	}
	last := bytes.Count(c.data, []byte("\n"))
	if len(c.data) > 0 && c.data[len(c.data)-1] != '\n' {
		last++
	}
	return max(min(c.Doc.BodyLine, last), 1)
}

// sectionAt names the section holding line n for fingerprints: the
// kind's name for the innermost section of the kind that holds it, else
// the innermost heading's, normalised; "" before the first heading.
func (c *Ctx) sectionAt(n int) string {
	if c.Doc == nil {
		return ""
	}
	name, span := "", -1
	consider := func(s *doc.Section, as string) {
		if s != nil && s.Line <= n && n <= s.EndLine && (span < 0 || s.EndLine-s.Line < span) {
			name, span = as, s.EndLine-s.Line
		}
	}
	if c.matched != nil {
		names := c.sectionIndex().names
		for i, s := range c.matched {
			consider(s, names[i])
		}
	}
	if name != "" {
		return name
	}
	norms := c.outlineNorms()
	for i := range c.Doc.Outline {
		consider(&c.Doc.Outline[i], norms[i])
	}
	return name
}

// lineText is line n of the file: from the document's line index in the
// body, by counting in the front matter.
func (c *Ctx) lineText(n int) string {
	if c.Doc != nil && n >= c.Doc.BodyLine {
		return c.Doc.Line(n)
	}
	return lineAt(c.data, n)
}

// resolve turns a link destination into a portfolio path, or "" for a
// link that leaves the portfolio's files (a URL, an anchor, mail).
func resolve(from, dest string) string {
	if dest == "" || strings.HasPrefix(dest, "#") || strings.Contains(dest, "://") || strings.HasPrefix(dest, "//") {
		return ""
	}
	if i := strings.IndexAny(dest, ":"); i > 0 && !strings.ContainsAny(dest[:i], "/.") {
		return "" // mailto:, tel:, data:
	}
	if i := strings.IndexAny(dest, "#?"); i >= 0 {
		dest = dest[:i]
	}
	dest = unescapePath(dest)
	if dest == "" {
		return ""
	}
	if strings.HasPrefix(dest, "/") {
		return path.Clean(strings.TrimPrefix(dest, "/"))
	}
	return path.Clean(path.Join(path.Dir(from), dest))
}

// unescapePath decodes %XX escapes, as Markdown link targets use them for
// spaces and parentheses; an invalid escape is kept as it is.
func unescapePath(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// Inputs yields the inputs of a slice, for Run.
func Inputs(in []Input) iter.Seq2[Input, error] {
	return func(yield func(Input, error) bool) {
		for _, x := range in {
			if !yield(x, nil) {
				return
			}
		}
	}
}

// Run checks the inputs seq yields, concurrently and as they come (the
// caller may still be finding them), and, when whole is set (the whole
// portfolio was asked for), the rules of the 90-day plan. An input that
// cannot be read, or an error seq yields, is an error; a document that
// cannot be parsed is a finding.
func (c *Checker) Run(seq iter.Seq2[Input, error], whole bool) (*Report, error) {
	type job struct {
		n  int
		in Input
	}
	type result struct {
		n   int
		in  Input
		out outcome
		err error
	}
	jobs := make(chan job, 64)
	out := make(chan result, 64)
	var wg sync.WaitGroup
	for w := 0; w < c.opts.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				o, err := c.check(j.in)
				out <- result{j.n, j.in, o, err}
			}
		}()
	}
	var seqErr error
	go func() {
		defer close(jobs)
		n := 0
		for in, err := range seq {
			if err != nil {
				seqErr = err
				return
			}
			jobs <- job{n, in}
			n++
		}
	}()
	go func() {
		wg.Wait()
		close(out)
	}()

	rep := &Report{Whole: whole, rules: c.rules, ConfigFile: c.opts.ConfigFile}
	var sums []*summary
	first := result{n: -1}
	for r := range out {
		switch {
		case r.err != nil:
			// The first failing input in order, whatever order the
			// workers finish in.
			if first.n < 0 || r.n < first.n {
				first = r
			}
		case r.out.doc != nil:
			if r.out.sum != nil {
				sums = append(sums, r.out.sum)
			}
			if r.in.Context {
				dep := c.touchedDep(r.out.deps)
				if dep == "" {
					continue
				}
				r.out.doc.DependsOn = dep
			}
			rep.Documents = append(rep.Documents, *r.out.doc)
		case r.out.skip != "" && (r.in.Explicit || c.opts.Loose) && !r.in.Context:
			rep.Skipped = append(rep.Skipped, Skipped{Path: r.in.Path, Reason: r.out.skip})
		}
	}
	if seqErr != nil {
		return nil, seqErr
	}
	if first.n >= 0 {
		return nil, fmt.Errorf("%s: %w", first.in.Path, first.err)
	}
	sort.Slice(rep.Documents, func(i, j int) bool { return rep.Documents[i].Path < rep.Documents[j].Path })
	sort.Slice(rep.Skipped, func(i, j int) bool { return rep.Skipped[i].Path < rep.Skipped[j].Path })
	sort.Slice(sums, func(i, j int) bool { return sums[i].path < sums[j].path })
	if whole {
		rep.Plan, rep.PlanSuppressed, rep.PlanRules = c.plan(sums)
		rep.Progress = c.progress(sums)
		if c.spec.Plan != nil {
			rep.PlanName = c.spec.Plan.Name
		}
	}
	rep.score()
	// The cache only saves time: a run whose cache cannot be written has
	// still checked every document.
	for _, ch := range c.checkers() {
		if ch.cache != nil {
			_ = ch.cache.save()
			rep.Cache.Hits += ch.cache.hits
			rep.Cache.Misses += ch.cache.misses
		}
	}
	return rep, nil
}

// checkers are this checker and those of the other packs it used.
func (c *Checker) checkers() []*Checker {
	out := []*Checker{c}
	c.othersMu.Lock()
	defer c.othersMu.Unlock()
	for _, o := range c.others {
		if o.c != c && !slices.Contains(out, o.c) {
			out = append(out, o.c)
		}
	}
	return out
}

// Document checks one document. It returns nil (and no error) for a file
// that is not a pmfolio document (see Skipped).
func (c *Checker) Document(in Input) (*Document, *summary, error) {
	o, err := c.check(in)
	return o.doc, o.sum, err
}

// outcome is what checking one input gives: the document's result and
// summary and the other files its result depends on, or why it is not a
// document.
type outcome struct {
	doc  *Document
	sum  *summary
	deps []cacheDep
	skip string
}

// Why an input is skipped, for Report.Skipped.
const (
	skipIndex       = "an index (README.md without pmfolio front matter), not a document"
	skipNotDocument = "not a portfolio document: no pmfolio front matter, not in a kind's folder, and its headings are not clearly one kind's; --kind KIND checks it as one"
)

// touchedDep is the first of deps that Options.Touched names, "" when
// none is.
func (c *Checker) touchedDep(deps []cacheDep) string {
	if c.opts.Touched == nil {
		return ""
	}
	for _, d := range deps {
		if c.opts.Touched(d.Path) {
			return d.Path
		}
	}
	return ""
}

// check checks one input.
func (c *Checker) check(in Input) (outcome, error) {
	// A document handed over with what its pack's pin says is never
	// read from the cache: that changes with the pin, not the document.
	cached := c.cache != nil && !in.pack.reports()
	var input string
	var sk [32]byte
	if cached {
		explicit := "0"
		if in.Explicit {
			explicit = "1"
		}
		input = in.Path + "\x00" + in.Kind + "\x00" + explicit
		// Stamped before it is read: a change after this is a change of
		// the stamp next time.
		if c.opts.Stat != nil {
			if st, ok := c.opts.Stat(in.Path); ok {
				sk = statKey(input, st)
				if o, ok := c.lookupStat(sk); ok {
					return o, nil
				}
			}
		}
	}
	data, err := c.opts.Read(in.Path)
	if err != nil {
		return outcome{}, err
	}
	var key [32]byte
	if cached {
		key = entryKey(input, data)
		if o, ok := c.lookup(key, sk); ok {
			return o, nil
		}
	}
	res := &Document{Path: in.Path}
	ctx := &Ctx{checker: c, Path: in.Path, data: data}
	fail := func(id string, line int, format string, args ...any) (outcome, error) {
		ctx.rule = c.byID[id]
		ctx.report(line, format, args...)
		for _, f := range ctx.out {
			if !slices.Contains(res.Rules, f.Rule) {
				res.Rules = append(res.Rules, f.Rule)
			}
		}
		c.finish(res, ctx, nil)
		c.releaseFindings(ctx)
		return outcome{doc: res}, nil
	}
	d, err := doc.Parse(in.Path, data)
	var se *doc.SyntaxError
	if errors.As(err, &se) {
		if !in.Explicit && c.folderKind(in.Path, false) == nil {
			return outcome{skip: skipNotDocument}, nil
		}
		if se.Encoding {
			return fail("doc/encoding", se.Line, "%s", se.Msg)
		}
		if !se.Encoding && len(doc.ConflictMarkers(data)) > 0 {
			// Markers in the front matter break its YAML: the markers are
			// what to fix.
			ctx.rule = c.byID["doc/conflict-markers"]
			checkConflictMarkers(ctx)
		}
		return fail("doc/front-matter", se.Line, "front matter does not parse: %s", se.Msg)
	}
	if err != nil {
		return outcome{}, err
	}
	if d.Front != nil && (in.Kind != "" || !isPmfolio(d.FrontNode)) {
		// Someone else's front matter (Jekyll's, an issue template's):
		// the document is read as having none.
		d.Front, d.FrontNode = nil, nil
	}
	if d.Front == nil && strings.EqualFold(path.Base(in.Path), "README.md") && in.Kind == "" {
		// An index or a folder's introduction, never a document.
		return outcome{skip: skipIndex}, nil
	}
	ctx.pack = in.pack
	if d.Front != nil && in.pack == nil {
		dc, err := c.packChecker(d.Front.Pack.Name, d.Front.Pack.Version)
		if err != nil {
			return outcome{}, err
		}
		if dc.c != c {
			in.pack = dc.dp
			return dc.c.check(in)
		}
		ctx.pack = dc.dp
	}
	ctx.Doc = d
	ctx.masked = maskComments(d.Body, d.Comments)

	ctx.Track = c.opts.Track
	if d.Front != nil && doc.ValidateTrack(d.Front.Track, false) == nil {
		ctx.Track = d.Front.Track
	}
	if ctx.Track == "" {
		ctx.Track = doc.TrackCore
	}
	kindID, from := "", ""
	switch {
	case in.Kind != "":
		kindID, from = in.Kind, KindFromOption
	case d.Front != nil && d.Front.Kind != "":
		kindID, from = d.Front.Kind, KindFromFrontMatter
	}
	if kindID == "" {
		if k := c.folderKind(in.Path, in.Explicit || c.opts.Loose); k != nil {
			kindID, from = k.ID, KindFromFolder
		} else if !in.Explicit && !c.opts.Loose {
			// Markdown that is neither marked nor filed as a document:
			// notes, a README, a page of a site.
			return outcome{skip: skipNotDocument}, nil
		} else if k := c.guessKind(ctx); k != nil {
			kindID, from = k.ID, KindFromHeadings
		}
	}
	if kindID == "" && d.Front == nil {
		// Named or found outside a portfolio, and still nothing says it
		// is a document (CONTRIBUTING.md handed over by a pre-commit
		// hook): skipped, as a whole-portfolio run skips it.
		return outcome{skip: skipNotDocument}, nil
	}
	// A document in its kind's folder of the portfolio is a pmfolio
	// document and needs front matter; one found elsewhere does not.
	ctx.frontOptional = d.Front == nil && (c.opts.Loose || from == KindFromOption || from == KindFromHeadings ||
		(from == KindFromFolder && c.folderKind(in.Path, false) == nil))
	// A document of a pack the portfolio does not pin is held to no kind:
	// another pack's kind of the same name is not its kind.
	if ctx.pack == nil || !ctx.pack.Unknown {
		ctx.Kind = c.spec.kind(kindID)
	}
	ctx.matched, ctx.unmatched, ctx.fill = nil, nil, nil
	res.KindFrom = from
	res.Kind, res.Track, res.Title = kindID, ctx.Track, d.Title()
	if d.Front != nil && d.Front.Title != "" {
		res.Title = d.Front.Title
	}
	if d.Front != nil {
		res.Status = d.Front.Status
	}

	for _, r := range c.rules {
		if !c.runs(r, ctx) {
			continue
		}
		ctx.rule = r
		r.doc(ctx)
	}
	ctx.rule = nil
	res.Rules = c.rulesFor(ctx)
	if c.opts.Sections {
		res.Starved = slices.Sorted(maps.Keys(ctx.starved))
	}
	if c.opts.Sections && ctx.Kind != nil {
		for _, s := range ctx.Kind.Sections {
			if _, _, ok := ctx.section(s.Heading); ok {
				res.Filled = append(res.Filled, s.Heading)
			}
		}
	}
	c.finish(res, ctx, d)
	c.releaseFindings(ctx)
	sum := summarize(ctx)
	if ctx.body != nil && ctx.body.index.hits != nil {
		ctx.body.index.set.release(ctx.body.index.hits)
	}
	ctx.releasePlaceholders()
	// Nothing of the outcome points into the document's tree.
	d.Release()
	if c.cache != nil && !ctx.pack.reports() {
		c.store(key, sk, res, sum, ctx.deps)
	}
	return outcome{doc: res, sum: sum, deps: ctx.deps}, nil
}

// runs reports whether per-document rule r runs on the document.
func (c *Checker) runs(r *Rule, ctx *Ctx) bool {
	return !r.Portfolio && (r.Kind == "" || (ctx.Kind != nil && r.Kind == ctx.Kind.ID)) && onTrack(r.Track, ctx.Track)
}

// rulesFor returns the ids of the rules that run on the document, shared
// between documents of one kind and track.
func (c *Checker) rulesFor(ctx *Ctx) []string {
	key := [2]string{"", ctx.Track}
	if ctx.Kind != nil {
		key[0] = ctx.Kind.ID
	}
	c.ranMu.Lock()
	defer c.ranMu.Unlock()
	if ids, ok := c.ran[key]; ok {
		return ids
	}
	var ids []string
	for _, r := range c.rules {
		if c.runs(r, ctx) {
			ids = append(ids, r.ID)
		}
	}
	c.ran[key] = ids
	return ids
}

// exists reports whether a portfolio path exists, asking Options.Exists
// once per path: many documents link the same few.
func (c *Checker) exists(p string) bool {
	if v, ok := c.existing.Load(p); ok {
		return v.(bool)
	}
	ok := c.opts.Exists(p)
	c.existing.Store(p, ok)
	return ok
}

// finish applies inline directives and configured severities to the
// findings, fingerprints them and scores the document.
func (c *Checker) finish(res *Document, ctx *Ctx, d *doc.Document) {
	var dirs directives
	if d != nil && !c.opts.NoInlineConfig {
		dirs = directivesOf(d)
	}
	// Every finding gets its fingerprint, the suppressed ones too: a
	// grader's report names them as it names the others.
	byLine := func(a, b Finding) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return strings.Compare(a.Rule, b.Rule)
	}
	// Sorted in place: the buffer is the document's until it is released.
	all := ctx.out
	slices.SortStableFunc(all, byLine)
	// A finding's ordinal among the findings alike: counted over the
	// earlier ones, as a document has a few dozen at most; in a map when
	// it has more.
	var small [64][3]string
	keys := small[:0]
	var seen map[[3]string]int
	if len(all) > len(small) {
		seen = make(map[[3]string]int, len(all))
	}
	for i := range all {
		f := &all[i]
		subject := f.subject
		if subject == "" {
			subject = ctx.lineText(f.Line)
		}
		key := [3]string{f.Rule, ctx.sectionAt(f.Line), subject}
		ordinal := 0
		if seen != nil {
			ordinal = seen[key]
			seen[key]++
		} else {
			for _, k := range keys {
				if k == key {
					ordinal++
				}
			}
			keys = append(keys, key)
		}
		f.Section = key[1]
		f.Fingerprint, f.Content = fingerprint(f.Rule, f.Path, key[1], subject, ordinal)
		// Fingerprinted: the report keeps the finding, not its subject.
		f.subject = ""
	}
	toCome := d != nil && linkToCome(d)
	// The findings kept, copied out of the buffer, which goes to the
	// next document; none is nil.
	var kept []Finding
	if len(all) > 0 {
		kept = make([]Finding, 0, len(all))
	}
	for _, f := range all {
		if toCome && f.Severity == Error && c.byID[f.Rule].links {
			f.Severity = Warning
			f.Message += " (the document says the link is to come)"
		}
		sev, by := c.severityBy(f.Rule, f.Severity, res.Path)
		switch s := dirs.suppressed(f.Rule, f.Line); {
		case sev == Off:
			f.Suppression = c.configSuppression(by)
			res.Suppressed = append(res.Suppressed, f)
		case s != nil && !c.byID[f.Rule].Locked:
			f.Suppression = &Suppression{Kind: InSource, By: s.text, File: res.Path, Line: s.line}
			res.Suppressed = append(res.Suppressed, f)
		default:
			f.Severity = sev
			f.Points = points(sev, f.units)
			kept = append(kept, f)
		}
	}
	switch {
	case len(kept) == 0:
		kept = nil
	case len(kept) < len(all):
		kept = slices.Clone(kept) // some were suppressed
	}
	res.Findings = kept
	c.applyDisabled(res)
}

// applyDisabled moves the rules the configuration turned off for the
// document from its Rules to its Disabled.
func (c *Checker) applyDisabled(res *Document) {
	if len(c.opts.Overrides) == 0 {
		return
	}
	// The shared list is read-only: filter into a new one.
	var ran []string
	for _, id := range res.Rules {
		if c.severity(id, c.byID[id].Severity, res.Path) == Off {
			res.Disabled = append(res.Disabled, id)
			continue
		}
		ran = append(ran, id)
	}
	res.Rules = ran
}

// LinkToCome is the comment a template writes where a question that links
// another document was answered "none yet": the link is to come.
const LinkToCome = "pmfolio: link to come"

// linkToCome reports whether the document says a link is to come: the
// errors of rules asking for links are then warnings.
func linkToCome(d *doc.Document) bool {
	for _, cm := range d.Comments {
		if cm.Text == LinkToCome {
			return true
		}
	}
	return false
}

// folderKind is the kind whose folder holds p, or nil. With anywhere, a
// folder anywhere on the path named as a kind or its folder, or their
// plural ("retros/"), counts too.
func (c *Checker) folderKind(p string, anywhere bool) *Kind {
	dir := path.Dir(p)
	for i := range c.spec.Kinds {
		if f := c.spec.Kinds[i].Folder; f != "" && f == dir {
			return &c.spec.Kinds[i]
		}
	}
	if !anywhere {
		return nil
	}
	if c.opts.Loose && c.opts.LooseFolder != "" {
		dir = path.Join(filepath.ToSlash(c.opts.LooseFolder), dir)
	}
	parts := strings.Split(dir, "/")
	for j := len(parts) - 1; j >= 0; j-- {
		name := strings.ToLower(parts[j])
		for i := range c.spec.Kinds {
			k := &c.spec.Kinds[i]
			for _, n := range []string{k.ID, k.Folder} {
				if n != "" && (name == n || name == n+"s" || name == strings.TrimSuffix(n, "y")+"ies") {
					return k
				}
			}
		}
	}
	return nil
}

// isPmfolio reports whether front matter is pmfolio's: it names a kind or
// a pack.
func isPmfolio(n *yaml.Node) bool {
	if n == nil {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i].Value; k == "kind" || k == "pack" {
			return true
		}
	}
	return false
}

// guessKind is the kind whose required sections the document's headings
// (and labels) match best: at least three of them and a third, and more
// than any other kind's.
func (c *Checker) guessKind(ctx *Ctx) *Kind {
	var best *Kind
	bestN, tie := 0, false
	for i := range c.spec.Kinds {
		k := &c.spec.Kinds[i]
		ctx.Kind, ctx.matched, ctx.unmatched, ctx.onTrack, ctx.fill = k, nil, nil, nil, nil
		ctx.resolve()
		n, req := 0, 0
		for j, s := range k.Sections {
			if s.Required && onTrack(s.Track, ctx.Track) {
				req++
				if ctx.matched[j] != nil {
					n++
				}
			}
		}
		if n < 3 || 3*n < req {
			continue
		}
		switch {
		case n > bestN:
			best, bestN, tie = k, n, false
		case n == bestN:
			tie = true
		}
	}
	ctx.Kind, ctx.matched, ctx.unmatched, ctx.onTrack, ctx.fill = nil, nil, nil, nil, nil
	if tie {
		return nil
	}
	return best
}

// linkedSummary reads and summarises a document another one links to,
// once per run however many link it.
func (c *Checker) linkedSummary(p string) *summary {
	c.mu.Lock()
	s, ok := c.linked[p]
	c.mu.Unlock()
	if ok {
		return s
	}
	if c.opts.Exists != nil && !c.exists(p) {
		return nil
	}
	if data, err := c.opts.Read(p); err == nil {
		hash := contentHash(data)
		s = &summary{path: p, hash: hash}
		if d, err := doc.Parse(p, data); err == nil && d.Front != nil {
			ctx := &Ctx{checker: c, Doc: d, Path: p, masked: maskComments(d.Body, d.Comments), Kind: c.spec.kind(d.Front.Kind)}
			s = summarize(ctx)
			s.hash = hash
		}
	}
	c.mu.Lock()
	c.linked[p] = s
	c.mu.Unlock()
	return s
}
