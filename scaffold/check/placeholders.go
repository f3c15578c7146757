package check

import (
	"cmp"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/pmfolio/pmfolio/scaffold/doc"
)

// Placeholders come in families, each found by one expression. A family
// is what templates people copy leave behind: markers (TBD, XXX), stand-ins
// in brackets ([Your Name]), date and number masks (YYYY-MM-DD, KEP-NNNN,
// X%), requests to fill in or remove, blanks (___), empty links
// ([text]()) and unrendered template actions ({{ }}). Empty list items are
// found from the document's lists.

type placeholderFamily struct {
	name string
	m    *matcher
	// keep filters a match: false drops it (a bracket that is a link).
	keep func(c *Ctx, text string, m [2]int) bool
	// scan, when set, finds the family in a document instead of m, by
	// hand: brackets and links are everywhere in Markdown, and running an
	// expression at each is most of a check's time. It appends to dst.
	scan func(dst [][2]int, text string) [][2]int
}

var placeholderFamilies = sync.OnceValue(func() []placeholderFamily {
	return []placeholderFamily{
		{name: "marker", m: newMatcher(regexp.MustCompile(`\b(?:TBD|TBC|TODO|FIXME|XXX|XXXX|XXXXX)\b`))},
		{name: "lorem ipsum", m: newMatcher(regexp.MustCompile(`(?i)lorem ipsum`))},
		{name: "question marks", m: newMatcher(regexp.MustCompile(`\?\?\?`))},
		{name: "template action", m: newMatcher(regexp.MustCompile(`\{\{[^\n]{0,80}?\}\}`))},
		{name: "bracket", m: newMatcher(regexp.MustCompile(`\[[^\[\]\n]{1,80}\](?:\(\s*\))?`)), keep: keepBracket, scan: scanBrackets},
		{name: "angle bracket", m: newMatcher(regexp.MustCompile(`<(?i:your|insert|enter|add|describe|fill in|name of|link to)\b[^<>\n]{0,60}>`))},
		{name: "date mask", m: newMatcher(regexp.MustCompile(`\b(?:MM/DD/YYYY|DD/MM/YYYY|MM-DD-YYYY|DD-MM-YYYY|MM\.DD\.YYYY|DD\.MM\.YYYY|MM/DD/YY|DD/MM/YY|YYYY-MM-DD|YYYY/MM/DD|YYYY-MM|YYYY/MM|20XX|20xx|Q[xX])\b`))},
		{name: "number mask", m: newMatcher(regexp.MustCompile(`\b(?:NNN|NNNN|NNNNN|YYY|YYYY|ZZZ|ZZZZ|XX days|XXX days|XX weeks|XXX weeks|XX months|XXX months|XX users|XXX users|XX ms|XXX ms)\b`))},
		{name: "money mask", m: newMatcher(regexp.MustCompile(`\$(?:X|XX|XXX|XXXX)\b`))},
		{name: "id mask", m: newMatcher(regexp.MustCompile(`\b[A-Z]{2,8}-NNNN?\b`))},
		{name: "percent mask", m: newMatcher(regexp.MustCompile(`\bX{1,3}%`)), scan: scanPercentMasks},
		{name: "fill-in request", m: newMatcher(regexp.MustCompile(`(?i)\(fill (?:me )?in\b[^)\n]{0,80}\)|\bfill in (?:here|later|this)\b|\bfill me in (?:here|later|this)\b|\bto be (?:filled in|determined|decided|written)\b|\bsample data,? please remove\b|\bplease remove (?:this|before)\b|\breplace (?:this|me) with\b|\byour (?:text|content|answer) here\b`))},
		{name: "blank", m: newMatcher(regexp.MustCompile(`___(?:_{1,40})?`))},
		{name: "empty link", m: newMatcher(regexp.MustCompile(`\]\(\s{0,3}(?:#|url|link|https?://|https?://example\.com/?)?\s{0,3}\)`)), scan: scanEmptyLinks},
	}
})

// isBracketCue reports whether a word, lower case, starts bracketed
// stand-ins. A switch, not a map: nothing to build before main.
func isBracketCue(w string) bool {
	switch w {
	case "your", "insert", "enter", "add", "describe", "fill", "name", "link", "date", "e.g.", "one", "what",
		"who", "when", "where", "how", "why", "list", "set", "quantified", "step", "metric", "feature", "product",
		"company", "team", "owner", "role", "participant", "customer", "problem", "quote", "title", "tool", "task",
		"cost", "source", "interview", "segment", "persona", "story", "value", "number":
		return true
	}
	return false
}

// bracketCue reports whether a bracket's label starts like a stand-in:
// a cue word, or any word before "name" ("[Product name]").
func bracketCue(label string) bool {
	// The first two words, and whether there are more, without
	// splitting the whole label: brackets are everywhere in templates.
	var words [2]string
	n := 0
	for rest := label; n <= 2; {
		i := spaceEnd(rest, 0, true)
		if i == len(rest) {
			break
		}
		j := spaceEnd(rest, i, false)
		if n < 2 {
			words[n] = rest[i:j]
		}
		n++
		rest = rest[j:]
	}
	if n == 0 {
		return false
	}
	var buf [16]byte
	return isBracketCue(string(cueWord(buf[:0], words[0]))) || (n == 2 && string(cueWord(buf[:0], words[1])) == "name")
}

// cueWord is strings.TrimRight(strings.ToLower(w), ":,;") in buf, which
// the callers compare without making a string of it: labels are checked
// by the thousand.
func cueWord(buf []byte, w string) []byte {
	if !isASCII(w) {
		return append(buf, strings.TrimRight(strings.ToLower(w), ":,;")...)
	}
	for i := 0; i < len(w); i++ {
		buf = append(buf, lowerByte(w[i]))
	}
	for len(buf) > 0 && (buf[len(buf)-1] == ':' || buf[len(buf)-1] == ',' || buf[len(buf)-1] == ';') {
		buf = buf[:len(buf)-1]
	}
	return buf
}

// isCapsStandIn reports whether a label is a stand-in in capitals,
// "INCIDENT NAME": ^[A-Z][A-Z _/-]{2,}$.
func isCapsStandIn(label string) bool {
	if len(label) < 3 || label[0] < 'A' || label[0] > 'Z' {
		return false
	}
	for i := 1; i < len(label); i++ {
		if c := label[i]; !('A' <= c && c <= 'Z' || c == ' ' || c == '_' || c == '/' || c == '-') {
			return false
		}
	}
	return true
}

// keepBracket keeps a bracketed phrase that is a stand-in, not Markdown:
// a link or a reference to one, a task box, a footnote or a citation.
func keepBracket(c *Ctx, text string, m [2]int) bool {
	s := text[m[0]:m[1]]
	if strings.HasSuffix(s, ")") {
		return false // [text](): an empty link, that family's
	}
	if next := text[m[1]:]; strings.HasPrefix(next, "(") || strings.HasPrefix(next, "[") || strings.HasPrefix(next, ":") {
		return false
	}
	if m[0] > 0 && (text[m[0]-1] == ']' || text[m[0]-1] == '!' || text[m[0]-1] == '\\') {
		return false
	}
	label := strings.TrimSpace(s[1 : len(s)-1])
	if label == "" || strings.HasPrefix(label, "^") || strings.EqualFold(label, "x") || onlyNumbers(label) {
		return false
	}
	if refs := c.refs(); len(refs) > 0 && refs[strings.ToLower(label)] {
		return false
	}
	// A stand-in names what goes there ([Your Name], [metric]) or is in
	// capitals ([INCIDENT NAME]) or offers choices ([Draft | Final]).
	return bracketCue(label) || isCapsStandIn(label) ||
		strings.Contains(label, " | ") || strings.Contains(label, " / ")
}

// onlyNumbers reports whether label is digits, commas, spaces and
// hyphens only: a citation, "[1, 3-5]".
func onlyNumbers(label string) bool {
	for i := 0; i < len(label); i++ {
		if c := label[i]; !('0' <= c && c <= '9' || c == ',' || c == ' ' || c == '-') {
			return false
		}
	}
	return true
}

// templateExprs tell a template's lines and stand-ins from the
// writer's own: they are compiled together, on first use, since reading
// a section for its own words needs them all.
type templateExprs struct {
	// refDef is a link reference definition: "[label]: destination".
	refDef *regexp.Regexp
	// guidance is a line of template guidance: an instruction to the
	// writer, a line in emphasis only, or a list of choices.
	guidance *regexp.Regexp
	// tableRule is the line under a table's header.
	tableRule *regexp.Regexp
}

var templateREs = sync.OnceValue(func() *templateExprs {
	return &templateExprs{
		refDef:    regexp.MustCompile(`(?m)^[ \t]{0,3}\[([^\]\n]+)\]:[ \t]*\S`),
		guidance:  regexp.MustCompile(`^(?:(?i:describe|explain|summari[sz]e|provide|outline|enter|insert|fill in|replace|restate|specify|briefly|use this section|this section|list (?:the|any|all|your)|link (?:the|to)|write (?:a|an|the|down))\b.*|[_*][^_*].*[^_*][_*]|[^/\n]{1,30}(?: / [^/\n]{1,30}){2,}\.?|(?i:(?:step|friction|opportunity|persona|metric|option|item|point|risk|goal|requirement|interview|source) \d+\b.*))$`),
		tableRule: regexp.MustCompile(`^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$`),
	}
})

// refs are the labels of the document's link reference definitions,
// lower case: "[summary]" is a link when "[summary]: #summary" defines it.
func (c *Ctx) refs() map[string]bool {
	if c.refLabels == nil {
		c.refLabels = map[string]bool{}
		if strings.Contains(c.Doc.BodyText, "]:") {
			for _, m := range templateREs().refDef.FindAllStringSubmatch(c.prose().text, -1) {
				c.refLabels[strings.ToLower(strings.TrimSpace(m[1]))] = true
			}
		}
	}
	return c.refLabels
}

// scanBrackets finds "[...]" not followed by "(", "[" or ":" (a link, a
// reference, a definition) nor preceded by "]", "!" or "\\".
func scanBrackets(out [][2]int, text string) [][2]int {
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '[')
		if j < 0 {
			break
		}
		start := i + j
		i = start + 1
		end := -1
		for k := start + 1; k < len(text) && k <= start+81; k++ {
			if c := text[k]; c == ']' {
				end = k + 1
				break
			} else if c == '[' || c == '\n' {
				break
			}
		}
		if end < 0 || end == start+2 {
			continue
		}
		if end < len(text) && (text[end] == '(' || text[end] == '[' || text[end] == ':') {
			continue
		}
		if start > 0 && (text[start-1] == ']' || text[start-1] == '!' || text[start-1] == '\\') {
			continue
		}
		out = append(out, [2]int{start, end})
	}
	return out
}

// scanPercentMasks finds "X%", "XX%", "XXX%" standing alone.
func scanPercentMasks(out [][2]int, text string) [][2]int {
	for i := 0; i < len(text); {
		j := strings.Index(text[i:], "X%")
		if j < 0 {
			break
		}
		end := i + j + 2
		start := i + j
		for start > 0 && text[start-1] == 'X' && end-start < 4 {
			start--
		}
		i = end
		if !isWordByte(text, start-1) {
			out = append(out, [2]int{start, end})
		}
	}
	return out
}

// scanEmptyLinks finds the destination of a link that goes nowhere: "()",
// "(#)", "(url)", "(link)", "(https://)".
func scanEmptyLinks(out [][2]int, text string) [][2]int {
	for i := 0; i < len(text); {
		j := strings.Index(text[i:], "](")
		if j < 0 {
			break
		}
		start := i + j
		i = start + 2
		k := strings.IndexByte(text[i:min(len(text), i+40)], ')')
		if k < 0 {
			continue
		}
		switch strings.TrimSpace(text[i : i+k]) {
		case "", "#", "url", "link", "http://", "https://", "https://example.com", "https://example.com/":
			// From the link's text: "[the spec]()".
			from := start
			if o := strings.LastIndexByte(text[max(0, start-80):start], '['); o >= 0 {
				from = max(0, start-80) + o
			}
			out = append(out, [2]int{from, i + k + 1})
		}
	}
	return out
}

// bufferPlaceholders finds the placeholders of the prose p (whose text
// starts at offset base of the body), as offset pairs into the body, at
// most n per family, in b.out; each family's matches are gathered in
// b.scratch. Both are reused: the document's placeholders are found in
// buffers from phBuffers, since a template has dozens.
func (c *Ctx) bufferPlaceholders(b *phBuffer, p *prose, base, n int) {
	out, scratch := b.out[:0], b.scratch
	defer func() { b.out, b.scratch = out, scratch[:0] }()
	for _, f := range placeholderFamilies() {
		var ms [][2]int
		if f.scan != nil {
			ms = f.scan(scratch[:0], p.text)
		} else {
			ms = f.m.appendFind(scratch[:0], p, n)
		}
		scratch = ms
		for _, m := range ms {
			if f.keep != nil && !f.keep(c, p.text, m) {
				continue
			}
			out = append(out, [2]int{base + m[0], base + m[1]})
		}
	}
}

// hasOwnWords reports whether a section holds words that are the
// writer's own: not HTML comments (already blanked), placeholders,
// template guidance, empty list items and table cells, a table's column
// names or link reference definitions. Questions are guidance too,
// except where the section is for questions. It stops at the first line
// with words of its own, usually the first.
func (c *Ctx) hasOwnWords(s *doc.Section, text string) bool {
	questions := strings.Contains(c.checker.headingKey(s.Heading), "question")
	phs := c.allPlaceholders()
	for off := 0; off < len(text); {
		end := strings.IndexByte(text[off:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += off
		}
		line, next := text[off:end], end+1
		// The placeholders on the line, blanked: they stand for words
		// that are not there.
		abs := s.Start + off
		i := sort.Search(len(phs), func(i int) bool { return phs[i][1] > abs })
		if i < len(phs) && phs[i][0] < abs+len(line) {
			b := append(c.lineBuf[:0], line...)
			for ; i < len(phs) && phs[i][0] < abs+len(line); i++ {
				for k := max(phs[i][0]-abs, 0); k < min(phs[i][1]-abs, len(b)); k++ {
					b[k] = ' '
				}
			}
			line, c.lineBuf = string(b), b
		}
		off = next
		t := strings.TrimSpace(line)
		if t == "" || (t[0] == '[' && templateREs().refDef.MatchString(t)) || isTableRule(t) {
			continue
		}
		if nl := strings.IndexByte(text[min(next, len(text)):], '\n'); next < len(text) {
			following := text[next:]
			if nl >= 0 {
				following = following[:nl]
			}
			if isTableRule(strings.TrimSpace(following)) {
				continue // a table's header: the template's column names
			}
		}
		t = trimMarkers(t)
		t = strings.TrimSpace(strings.Trim(t, "|"))
		if t == "" || isGuidance(t) || (!questions && strings.HasSuffix(t, "?")) {
			continue
		}
		if countWordsUpTo(t, 1) > 0 {
			return true
		}
	}
	return false
}

// allPlaceholders are the placeholders of the whole document, as sorted
// offset pairs of the body, found once.
func (c *Ctx) allPlaceholders() [][2]int {
	if c.phs == nil {
		c.phBuf, _ = c.checker.phBuffers.Get().(*phBuffer)
		if c.phBuf == nil {
			c.phBuf = &phBuffer{}
		}
		c.bufferPlaceholders(c.phBuf, c.prose(), 0, -1)
		c.phs = c.phBuf.out
		// The same sort as sort.Slice (the same algorithm, without
		// reflection): placeholders starting together stay in its order.
		slices.SortFunc(c.phs, func(a, b [2]int) int { return cmp.Compare(a[0], b[0]) })
		if c.phs == nil {
			c.phs = [][2]int{}
		}
	}
	return c.phs
}

// phBuffer is a document's placeholders and the scratch they are found
// in, recycled between documents by Checker.phBuffers.
type phBuffer struct {
	out, scratch [][2]int
}

// releasePlaceholders gives the document's placeholder buffers back.
func (c *Ctx) releasePlaceholders() {
	if b := c.phBuf; b != nil && cap(b.out) <= 4096 {
		b.out, c.phs, c.phBuf = b.out[:0], nil, nil
		c.checker.phBuffers.Put(b)
	}
}

// trimMarkers drops what leads a line before its text: quote and list
// markers, task boxes.
func trimMarkers(t string) string {
	for t != "" {
		switch c := t[0]; {
		case c == '>':
			t = strings.TrimLeft(t[1:], " \t")
		case (c == '-' || c == '*' || c == '+') && (len(t) == 1 || t[1] == ' ' || t[1] == '\t'):
			t = strings.TrimLeft(t[1:], " \t")
		case c >= '0' && c <= '9':
			i := 0
			for i < len(t) && t[i] >= '0' && t[i] <= '9' {
				i++
			}
			if i < len(t) && (t[i] == '.' || t[i] == ')') && (i+1 == len(t) || t[i+1] == ' ' || t[i+1] == '\t') {
				t = strings.TrimLeft(t[i+1:], " \t")
				continue
			}
			return t
		case c == '[' && len(t) >= 3 && t[2] == ']' && (t[1] == ' ' || t[1] == 'x' || t[1] == 'X'):
			t = strings.TrimLeft(t[3:], " \t")
		default:
			return t
		}
	}
	return t
}

// isTableRule reports whether a line is the one under a table's header.
func isTableRule(t string) bool {
	// Every rule holds "--": list items ("- TBD") need no expression.
	return t != "" && strings.IndexByte("|-:", t[0]) >= 0 && strings.Contains(t, "--") && templateREs().tableRule.MatchString(t)
}

// isGuidanceStart reports whether a word, lower case, is the first of
// lines the guidance expression knows.
func isGuidanceStart(w string) bool {
	switch w {
	case "describe", "explain", "summarise", "summarize", "provide", "outline", "enter", "insert", "fill",
		"replace", "restate", "specify", "briefly", "use", "this", "list", "link", "write", "step", "friction",
		"opportunity", "persona", "metric", "option", "item", "point", "risk", "goal", "requirement", "interview",
		"source":
		return true
	}
	return false
}

// isGuidance is the guidance expression, run only on lines that may
// match it.
func isGuidance(t string) bool {
	first := t
	if i := strings.IndexByte(t, ' '); i > 0 {
		first = t[:i]
	}
	choices := strings.Contains(t, " / ")
	if t[0] != '_' && t[0] != '*' && !choices && !isGuidanceStart(strings.ToLower(first)) {
		return false
	}
	if strings.HasPrefix(t, "**") && !choices {
		return false // a bold label: "**Owner:** ..."
	}
	// A line in emphasis only, "_Describe ..._", without the expression.
	if n := len(t); n > 2 && (t[0] == '_' || t[0] == '*') && t[n-1] == t[0] && t[1] != t[0] && t[n-2] != t[0] {
		return true
	}
	return templateREs().guidance.MatchString(t)
}

// unfilledWords is the length under which a section is read for its own
// words: longer ones are written, whatever guidance they still hold.
const unfilledWords = 200

// unfilled reports whether a section that is not empty holds nothing of
// the writer's own, memoised per section.
func (c *Ctx) unfilled(s *doc.Section) bool {
	if v, ok := c.fill[s]; ok {
		return v
	}
	text := c.text(s)
	// Own words first: found on the first line of almost every section.
	v := strings.TrimSpace(text) != "" && !c.hasOwnWords(s, text) && countWordsUpTo(text, unfilledWords) < unfilledWords
	if c.fill == nil {
		c.fill = map[*doc.Section]bool{}
	}
	c.fill[s] = v
	return v
}
