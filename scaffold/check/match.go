package check

import (
	"regexp"
	"regexp/syntax"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// matcher runs a regular expression over prose quickly. Go's regexp
// accelerates only a literal prefix: a pattern such as \bTBD\b or an
// e-mail address costs tens of nanoseconds per byte of every document,
// which over 10,000 documents is most of a check run. Most patterns need
// some literal, so the matcher looks for that literal first (strings.Index
// is vectorised) and runs the expression only on the paragraphs holding
// one. Patterns therefore match within a paragraph: text between blank
// lines, such as a list or a table.
type matcher struct {
	re *regexp.Regexp
	// lits are strings every match contains one of; nil when the pattern
	// has none. fold says they are lower case, to be found in lower-cased
	// text.
	lits []string
	fold bool
	// span bounds the length of a match in bytes (-1: unbounded). With a
	// literal found at i, a bounded match lies in the lines around
	// [i-span, i+span], and the expression runs there only: the cost of
	// an unanchored search grows with the text it scans.
	span int
	// class, when set, is the whole pattern: one character class, which
	// needs no expression at all.
	class func(rune) bool
	// lines says a window must hold whole lines, for ^ and $; otherwise
	// whole words are enough, for \b.
	lines bool
	// words, when set, says the pattern is only its literals, each
	// between word boundaries when bounded ("\b(?:TBD|TODO)\b"): a
	// literal found where the boundaries hold is a match, with no
	// expression to run.
	words   bool
	bounded [2]bool
}

func newMatcher(re *regexp.Regexp) *matcher {
	m := &matcher{re: re, span: -1}
	parsed, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return m
	}
	parsed = parsed.Simplify()
	if parsed.Op == syntax.OpCharClass {
		ranges := parsed.Rune
		m.class = func(r rune) bool {
			for i := 0; i+1 < len(ranges); i += 2 {
				if ranges[i] <= r && r <= ranges[i+1] {
					return true
				}
			}
			return false
		}
	}
	if !anchored(parsed) {
		m.span = maxLength(parsed)
	}
	m.lines = multiline(parsed)
	lits, ok := required(parsed)
	if !ok {
		return m
	}
	m.words, m.bounded = wordsOnly(parsed)
	for _, l := range lits {
		if l.s == "" {
			return m
		}
		m.fold = m.fold || l.fold
	}
	for _, l := range lits {
		s := l.s
		if m.fold {
			if !isASCII(s) {
				// Lower-casing is ASCII-only; see lowerASCII.
				return m
			}
			s = strings.ToLower(s)
		}
		m.lits = append(m.lits, s)
	}
	return m
}

// wordsOnly reports whether re is an exact set of literals, alone or
// between \b assertions, and which ends are bounded.
func wordsOnly(re *syntax.Regexp) (bool, [2]bool) {
	var b [2]bool
	body := re
	if re.Op == syntax.OpConcat {
		subs := re.Sub
		if len(subs) > 0 && subs[0].Op == syntax.OpWordBoundary {
			b[0], subs = true, subs[1:]
		}
		if len(subs) > 0 && subs[len(subs)-1].Op == syntax.OpWordBoundary {
			b[1], subs = true, subs[:len(subs)-1]
		}
		switch len(subs) {
		case 0:
			return false, b
		case 1:
			body = subs[0]
		default:
			body = &syntax.Regexp{Op: syntax.OpConcat, Sub: subs}
		}
	}
	lits, ok := exact(body)
	if !ok || minLen(lits) == 0 {
		return false, b
	}
	// Alternatives must not be prefixes of each other unless bounded at
	// the end: leftmost-first would pick the first, the check below the
	// longest.
	if !b[1] {
		for i, a := range lits {
			for j, c := range lits {
				if i != j && strings.HasPrefix(c.s, a.s) {
					return false, b
				}
			}
		}
	}
	return true, b
}

type literal struct {
	s    string
	fold bool
}

// maxLiterals bounds the literal sets: beyond it a set filters little
// and costs a search per member.
const maxLiterals = 24

// exact returns the strings re matches when it matches only finitely many
// short ones: a literal, a small class, alternations and concatenations
// of those.
func exact(re *syntax.Regexp) ([]literal, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return []literal{{string(re.Rune), re.Flags&syntax.FoldCase != 0}}, true
	case syntax.OpCharClass:
		var out []literal
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] >= 4 {
				return nil, false
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				out = append(out, literal{string(r), false})
			}
		}
		// Up to \s's five: "much\sbetter" is then a set of words, found
		// without the expression.
		return out, len(out) > 0 && len(out) <= 6
	case syntax.OpCapture:
		return exact(re.Sub[0])
	case syntax.OpEmptyMatch:
		// The empty branch the parser factors out of "XX|XXX".
		return []literal{{}}, true
	case syntax.OpAlternate:
		var out []literal
		for _, sub := range re.Sub {
			lits, ok := exact(sub)
			if !ok {
				return nil, false
			}
			out = append(out, lits...)
		}
		return out, len(out) <= maxLiterals
	case syntax.OpConcat:
		out := []literal{{}}
		for _, sub := range re.Sub {
			lits, ok := exact(sub)
			if !ok {
				return nil, false
			}
			if out = product(out, lits); out == nil {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

// product concatenates every string of a with every string of b, or nil
// when that makes too many.
func product(a, b []literal) []literal {
	if len(a)*len(b) > maxLiterals {
		return nil
	}
	out := make([]literal, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, literal{x.s + y.s, x.fold || y.fold})
		}
	}
	return out
}

// required returns literals one of which every match of re contains.
func required(re *syntax.Regexp) ([]literal, bool) {
	if lits, ok := exact(re); ok {
		return lits, minLen(lits) > 0
	}
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpConcat:
		// Candidates: each run of exact parts joined, and what each other
		// part requires; the one with the longest shortest literal wins.
		var best []literal
		bestLen := 0
		consider := func(lits []literal) {
			if n := minLen(lits); n > bestLen || (n == bestLen && n > 0 && len(lits) < len(best)) {
				best, bestLen = lits, n
			}
		}
		run := []literal{{}}
		for _, sub := range re.Sub {
			if lits, ok := exact(sub); ok {
				if joined := product(run, lits); joined != nil {
					run = joined
					continue
				}
				consider(run)
				run = lits
				continue
			}
			consider(run)
			run = []literal{{}}
			if lits, ok := required(sub); ok {
				consider(lits)
			}
		}
		consider(run)
		return best, best != nil
	case syntax.OpAlternate:
		var out []literal
		for _, sub := range re.Sub {
			lits, ok := required(sub)
			if !ok {
				return nil, false
			}
			out = append(out, lits...)
		}
		return out, len(out) <= maxLiterals
	}
	return nil, false
}

// maxLength bounds the bytes a match of re can span, or -1.
func maxLength(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			n += runeWidth(r, re.Flags&syntax.FoldCase != 0)
		}
		return n
	case syntax.OpCharClass, syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		return utf8.UTFMax
	case syntax.OpEmptyMatch, syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpBeginLine, syntax.OpEndLine:
		return 0
	case syntax.OpCapture, syntax.OpQuest:
		return maxLength(re.Sub[0])
	case syntax.OpRepeat:
		n := maxLength(re.Sub[0])
		if n < 0 || re.Max < 0 {
			return -1
		}
		return n * re.Max
	case syntax.OpConcat:
		total := 0
		for _, sub := range re.Sub {
			n := maxLength(sub)
			if n < 0 {
				return -1
			}
			total += n
		}
		return total
	case syntax.OpAlternate:
		most := 0
		for _, sub := range re.Sub {
			n := maxLength(sub)
			if n < 0 {
				return -1
			}
			most = max(most, n)
		}
		return most
	}
	return -1
}

// runeWidth is the widest UTF-8 encoding of r, or of a rune it folds to:
// k matches K KELVIN SIGN, three bytes.
func runeWidth(r rune, fold bool) int {
	w := utf8.RuneLen(r)
	if fold {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			w = max(w, utf8.RuneLen(f))
		}
	}
	return w
}

// multiline reports ^ or $ in (?m) mode, which look at line ends.
func multiline(re *syntax.Regexp) bool {
	if re.Op == syntax.OpBeginLine || re.Op == syntax.OpEndLine {
		return true
	}
	for _, sub := range re.Sub {
		if multiline(sub) {
			return true
		}
	}
	return false
}

// anchored reports assertions about the start or end of the whole text
// (\A, \z, and ^ and $ outside (?m)), which a window would misplace.
func anchored(re *syntax.Regexp) bool {
	if re.Op == syntax.OpBeginText || re.Op == syntax.OpEndText {
		return true
	}
	for _, sub := range re.Sub {
		if anchored(sub) {
			return true
		}
	}
	return false
}

func minLen(lits []literal) int {
	n := -1
	for _, l := range lits {
		if n < 0 || len(l.s) < n {
			n = len(l.s)
		}
	}
	return n
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// prose is text to match. A document's prose and its sections' share a
// literal index; other text is searched literal by literal.
type prose struct {
	text  string
	lower string // made when first needed
	// exotic is 1 when the text holds one of the two non-ASCII letters
	// Go's case folding maps to ASCII (K KELVIN SIGN, ſ LONG S), which
	// ASCII lower-casing does not: literals cannot be trusted then. 0 is
	// not known yet, -1 no.
	exotic int8
	// index finds literals in the document this prose is part of, which
	// starts base bytes before it.
	index *docIndex
	base  int
}

// exoticLetters are the two runes that case-fold to ASCII letters.
var exoticLetters = []string{"\u212a", "ſ"}

func newProse(text string) *prose {
	return &prose{text: text}
}

func (p *prose) lowered() string {
	if p.lower == "" && p.text != "" {
		p.lower = lowerASCII(p.text)
	}
	return p.lower
}

func (p *prose) isExotic() bool {
	if p.exotic == 0 {
		p.exotic = -1
		if p.index != nil {
			if p.index.exotic(p.base, p.base+len(p.text)) {
				p.exotic = 1
			}
		} else if strings.Contains(p.text, exoticLetters[0]) || strings.Contains(p.text, exoticLetters[1]) {
			p.exotic = 1
		}
	}
	return p.exotic > 0
}

// slice is the prose of text[from:to].
func (p *prose) slice(from, to int) *prose {
	// Known for the whole, known for every part (an over-estimate, which
	// only costs the literal search).
	p.isExotic()
	q := &prose{text: p.text[from:to], exotic: p.exotic, index: p.index, base: p.base + from}
	if p.lower != "" {
		q.lower = p.lower[from:to]
	}
	return q
}

// docIndex is a document's literal hits, found in one pass when first
// needed.
type docIndex struct {
	set  *litSet
	ids  map[*matcher][]int32
	text string
	hits [][]int
	// exoticIDs are the ids of exoticLetters in set.
	exoticIDs []int32
	// scratch is where matchers gather their hits.
	scratch []int
}

func (x *docIndex) all() [][]int {
	if x.hits == nil {
		x.hits = x.set.scan(x.text)
	}
	return x.hits
}

// within returns the hits of literal id in [from, to).
func (x *docIndex) within(id int32, from, to int) []int {
	h := x.all()[id]
	i := sort.SearchInts(h, from)
	j := sort.SearchInts(h, to)
	return h[i:j]
}

func (x *docIndex) exotic(from, to int) bool {
	for _, id := range x.exoticIDs {
		if len(x.within(id, from, to)) > 0 {
			return true
		}
	}
	return false
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// equalLowerASCII reports whether lowerASCII(s) == lower, without
// making lowerASCII(s).
func equalLowerASCII(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if lowerByte(s[i]) != lower[i] {
			return false
		}
	}
	return true
}

// chunks are the parts of p that may hold a match, as offset pairs, in
// order and not overlapping: the paragraphs holding a literal, or for a
// bounded pattern the lines around each literal within its paragraph.
func (m *matcher) chunks(p *prose) [][2]int {
	text := p.text
	if m.lits == nil || (m.fold && p.isExotic()) {
		return paragraphs(text)
	}
	hits := m.hits(p)
	if len(hits) == 0 {
		return nil
	}
	sort.Ints(hits)
	var out [][2]int
	for _, at := range hits {
		var from, to int
		if m.span >= 0 {
			from, to = m.window(text, at)
		} else {
			if n := len(out); n > 0 && at < out[n-1][1] {
				continue // in the paragraph already taken
			}
			from, to = paragraphAround(text, at)
		}
		// Windows that overlap merge: a match may run from one into the
		// next.
		if n := len(out); n > 0 && from <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], to)
			continue
		}
		out = append(out, [2]int{from, to})
	}
	return out
}

// hits are the offsets in p of the matcher's literals, from the
// document's index when p has one: then in the index's scratch slice,
// good until the next call.
func (m *matcher) hits(p *prose) []int {
	var hits []int
	if p.index != nil {
		if ids, ok := p.index.ids[m]; ok {
			hits = p.index.scratch[:0]
			defer func() { p.index.scratch = hits[:0] }()
			for k, id := range ids {
				l := m.lits[k]
				for _, at := range p.index.within(id, p.base, p.base+len(p.text)-len(l)+1) {
					at -= p.base
					// The index folds case; an exact literal must match
					// exactly.
					if m.fold || p.text[at:at+len(l)] == l {
						hits = append(hits, at)
					}
				}
			}
			return hits
		}
	}
	hay := p.text
	if m.fold {
		hay = p.lowered()
	}
	for _, l := range m.lits {
		for off := 0; off < len(hay); {
			i := strings.Index(hay[off:], l)
			if i < 0 {
				break
			}
			hits = append(hits, off+i)
			off += i + len(l)
		}
	}
	return hits
}

// window returns the part of text a match holding offset at can lie in:
// span bytes either side, within the paragraph, widened to whole words (or
// lines, for ^ and $) so that assertions see what they would see in the
// whole text.
func (m *matcher) window(text string, at int) (int, int) {
	lo, hi := max(at-m.span, 0), min(at+m.span, len(text))
	if i := strings.LastIndex(text[lo:at], "\n\n"); i >= 0 {
		lo += i + 2
	}
	if i := strings.Index(text[at:hi], "\n\n"); i >= 0 {
		hi = at + i
	}
	if m.lines {
		for lo > 0 && text[lo-1] != '\n' {
			lo--
		}
		for hi < len(text) && text[hi] != '\n' {
			hi++
		}
		return lo, hi
	}
	for lo > 0 && isWordByte(text, lo-1) {
		lo--
	}
	for hi < len(text) && isWordByte(text, hi) {
		hi++
	}
	return lo, hi
}

// paragraphAround returns the bounds of the paragraph holding offset at.
func paragraphAround(text string, at int) (int, int) {
	from := strings.LastIndex(text[:at], "\n\n")
	if from < 0 {
		from = 0
	} else {
		from += 2
	}
	to := strings.Index(text[at:], "\n\n")
	if to < 0 {
		to = len(text)
	} else {
		to += at
	}
	return from, to
}

// paragraphs splits text at blank lines.
func paragraphs(text string) [][2]int {
	var out [][2]int
	for from := 0; from < len(text); {
		to := strings.Index(text[from:], "\n\n")
		if to < 0 {
			out = append(out, [2]int{from, len(text)})
			break
		}
		out = append(out, [2]int{from, from + to})
		from += to + 2
	}
	return out
}

// matchString is m.re.MatchString(s) for text outside a document's
// index (a list item, a sentence): the expression runs only when one of
// its literals is in s.
func (m *matcher) matchString(s string) bool {
	if m.class != nil {
		return strings.IndexFunc(s, m.class) >= 0
	}
	if m.lits != nil && !(m.fold && (strings.Contains(s, exoticLetters[0]) || strings.Contains(s, exoticLetters[1]))) {
		found := false
		for _, l := range m.lits {
			if m.fold && containsLowerASCII(s, l) || !m.fold && strings.Contains(s, l) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return m.re.MatchString(s)
}

// containsLowerASCII reports whether s, lower-cased as lowerASCII does,
// contains lit (lower case).
func containsLowerASCII(s, lit string) bool {
	if lit == "" {
		return true
	}
	first := lit[0]
	for i := 0; i+len(lit) <= len(s); i++ {
		if lowerByte(s[i]) != first {
			continue
		}
		j := 1
		for j < len(lit) && lowerByte(s[i+j]) == lit[j] {
			j++
		}
		if j == len(lit) {
			return true
		}
	}
	return false
}

// match reports whether a paragraph of p matches.
func (m *matcher) match(p *prose) bool {
	if m.class != nil {
		return strings.IndexFunc(p.text, m.class) >= 0
	}
	for _, c := range m.chunks(p) {
		if m.re.MatchString(p.text[c[0]:c[1]]) {
			return true
		}
	}
	return false
}

// find returns the offsets of up to n matches (n < 0: all) in p.
func (m *matcher) find(p *prose, n int) [][2]int {
	return m.appendFind(nil, p, n)
}

// appendFind is find appending to out.
func (m *matcher) appendFind(out [][2]int, p *prose, n int) [][2]int {
	if m.words && !(m.fold && p.isExotic()) {
		return m.findWords(out, p, n)
	}
	found := len(out)
	for _, c := range m.chunks(p) {
		for _, loc := range m.re.FindAllStringIndex(p.text[c[0]:c[1]], n-(len(out)-found)) {
			out = append(out, [2]int{c[0] + loc[0], c[0] + loc[1]})
			if n >= 0 && len(out)-found >= n {
				return out
			}
		}
	}
	return out
}

// findWords is find for a pattern that is only its literals: each literal
// found, in order, where its word boundaries hold and no match before it
// covers it.
func (m *matcher) findWords(out [][2]int, p *prose, n int) [][2]int {
	hits := m.hits(p)
	if len(hits) == 0 {
		return out
	}
	sort.Ints(hits)
	text := p.text
	found := len(out)
	last := -1
	for k, at := range hits {
		if at < last || (k > 0 && hits[k-1] == at) {
			continue
		}
		best := -1
		for _, l := range m.lits {
			end := at + len(l)
			if end > len(text) || end <= best {
				continue
			}
			got := text[at:end]
			if m.fold {
				if !equalLowerASCII(got, l) {
					continue
				}
			} else if got != l {
				continue
			}
			if m.bounded[0] && isWordByte(text, at-1) == isWordByte(text, at) {
				continue
			}
			if m.bounded[1] && isWordByte(text, end-1) == isWordByte(text, end) {
				continue
			}
			best = end
		}
		if best < 0 {
			continue
		}
		out = append(out, [2]int{at, best})
		last = best
		if n >= 0 && len(out)-found >= n {
			break
		}
	}
	return out
}
