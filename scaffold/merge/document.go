package merge

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/doc"
)

// Result is a merged document.
type Result struct {
	Content []byte
	// Conflicts are where markers were written, in order.
	Conflicts []Conflict
	// Kept are the sections (headings) the new version no longer has but
	// that hold your text: they are kept where they were.
	Kept []string
}

// Conflict is one set of conflict markers in the merged document.
type Conflict struct {
	// Section is the heading of the section the conflict is in; "front
	// matter" for the front matter, "" for the text before the first
	// heading.
	Section string
	// Line is the line of the "<<<<<<<" marker in the merged document.
	Line int
}

// FrontMatter names the front matter in a Conflict.
const FrontMatter = "front matter"

// Documents merges three versions of a document: base (as it was
// rendered), yours (as it is now) and theirs (the new rendering).
//
//   - The front matter is merged key by key, keeping yours' order.
//   - Sections (`#` and `##` headings and what follows them) are matched by
//     heading, case and spacing ignored. A section you did not change takes
//     theirs; one theirs did not change keeps yours; one both changed is
//     merged line by line (Lines), its conflicts never leaving it.
//   - A section you added stays where you put it; a section theirs added
//     goes after the section that precedes it in theirs.
//   - A section theirs dropped goes, unless you changed it: then it is kept
//     and named in Result.Kept. A section you deleted stays deleted,
//     unless theirs changed it: then it is a conflict.
//   - When you did not reorder sections, theirs' order wins.
//
// It never fails: text that is not what pmfolio writes (no front matter,
// YAML that does not parse) is merged as lines.
func Documents(base, yours, theirs []byte, l Labels) *Result {
	// Only one side changed, or both the same way: that side, whole. Most
	// documents an upgrade brings forward were never edited by hand.
	switch {
	case string(yours) == string(base), string(yours) == string(theirs):
		return &Result{Content: theirs}
	case string(theirs) == string(base):
		return &Result{Content: yours}
	}
	b, y, t := split(base), split(yours), split(theirs)
	m := &merger{labels: l, res: &Result{}}
	var out bytes.Buffer
	if b.front != nil || y.front != nil || t.front != nil {
		m.section, m.line = FrontMatter, 2
		front := m.chunks(frontChunks(b.front), frontChunks(y.front), frontChunks(t.front), 0)
		// Front matter you removed stays removed unless theirs changed it.
		if y.front != nil || front != "" {
			open, close := y.open, y.close
			if y.front == nil {
				open, close = "---\n", "---\n"
			}
			if !strings.HasSuffix(close, "\n") {
				// The fence closed the file; a body follows it now.
				close += "\n"
			}
			out.WriteString(open)
			out.WriteString(front)
			out.WriteString(close)
		}
	}
	m.section = ""
	m.line = strings.Count(out.String(), "\n") + 1
	body := m.chunks(bodyChunks(b.body), bodyChunks(y.body), bodyChunks(t.body), 1)
	if body == "" && y.front != nil && !strings.HasSuffix(y.close, "\n") {
		out.Truncate(out.Len() - 1)
	}
	out.WriteString(body)
	m.res.Content = out.Bytes()
	return m.res
}

// parts is a document split into its front matter (the YAML between the
// --- lines, nil when there is none) with the lines that open and close
// it, and its body.
type parts struct {
	front       []byte
	open, close string
	body        []byte
}

func split(data []byte) parts {
	y, body, _, err := doc.SplitFrontMatter(data)
	if err != nil {
		// No front matter (or none that can be read): all body, byte
		// order mark included.
		return parts{body: data}
	}
	// data is [byte order mark] "---" newline, the YAML, the closing line,
	// the body: keep the fences as they were written.
	rest := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	rest = rest[bytes.IndexByte(rest, '\n')+1:]
	open := string(data[:len(data)-len(rest)])
	close := string(rest[len(y) : len(rest)-len(body)])
	if y == nil {
		y = []byte{}
	}
	return parts{front: y, open: open, close: close, body: body}
}

// chunk is a keyed piece of a document: a section, or a front matter key.
type chunk struct {
	key string
	// heading names the chunk in Result.
	heading string
	// text is the chunk without its trailing blank lines; gap is the
	// blank lines that followed it, eol false when its last line had no
	// newline.
	text string
	gap  int
	eol  bool
}

// bodyChunks splits a body at its top-level `#` and `##` headings; the
// text before the first heading is the chunk with key "".
func bodyChunks(body []byte) []chunk {
	var cuts []doc.Heading
	for _, h := range doc.Outline(body) {
		// Offsets only grow; a heading that cannot be placed stays in the
		// chunk before it.
		if h.Level <= 2 && (len(cuts) == 0 || h.Offset > cuts[len(cuts)-1].Offset) {
			cuts = append(cuts, h)
		}
	}
	seen := map[string]int{}
	out := make([]chunk, 0, len(cuts)+1)
	start := 0
	key, heading := "", ""
	for _, h := range cuts {
		out = append(out, newChunk(key, heading, string(body[start:h.Offset])))
		start = h.Offset
		heading = h.Text
		key = keyOf(h.Level, h.Text, seen)
	}
	return append(out, newChunk(key, heading, string(body[start:])))
}

// keyOf is the key of a heading: a title (#) is the first, second...
// title, whatever it says, since a title is expected to change; a section
// (##) is its text, case and spacing ignored, and which of the sections
// with that text it is.
func keyOf(level int, text string, seen map[string]int) string {
	k := "#"
	if level > 1 {
		k = strings.Repeat("#", level) + " " + strings.ToLower(strings.Join(strings.Fields(text), " "))
	}
	seen[k]++
	if n := seen[k]; n > 1 {
		return fmt.Sprintf("%s\x00%d", k, n)
	}
	return k
}

func newChunk(key, heading, text string) chunk {
	c := chunk{key: key, heading: heading, eol: true}
	if text != "" && !strings.HasSuffix(text, "\n") {
		c.eol = false
		text += "\n"
	}
	for strings.HasSuffix(text, "\n\n") || text == "\n" {
		text = text[:len(text)-1]
		c.gap++
	}
	c.text = text
	return c
}

// merger merges lists of chunks and records what it did.
type merger struct {
	labels  Labels
	res     *Result
	section string
	// line is the line the next chunk starts on in the merged document.
	line int
}

// placed is a chunk of the merged document.
type placed struct {
	key, heading string
	text         string
	// from is the chunk of yours it keeps the spacing of, if any.
	from *chunk
	// conflicts are the lines of text where conflicts begin.
	conflicts []int
}

// chunks merges three lists of chunks and returns the merged text; gap is
// the blank lines between chunks that take none from yours.
func (m *merger) chunks(b, y, t []chunk, gap int) string {
	bi, yi, ti := index(b), index(y), index(t)
	merged := map[string]placed{}
	consider := func(c chunk) {
		if _, done := merged[c.key]; done {
			return
		}
		if p, ok := m.one(c.key, lookup(b, bi, c.key), lookup(y, yi, c.key), lookup(t, ti, c.key)); ok {
			merged[c.key] = p
		}
	}
	for _, list := range [][]chunk{y, t} {
		for _, c := range list {
			consider(c)
		}
	}
	order := arrange(b, y, t, merged)
	return m.assemble(order, merged, y, gap)
}

func index(list []chunk) map[string]int {
	m := make(map[string]int, len(list))
	for i, c := range list {
		m[c.key] = i
	}
	return m
}

func lookup(list []chunk, idx map[string]int, key string) *chunk {
	if i, ok := idx[key]; ok {
		return &list[i]
	}
	return nil
}

// one merges the chunk key; ok is false when the merge drops it.
func (m *merger) one(key string, b, y, t *chunk) (placed, bool) {
	p := placed{key: key, from: y}
	for _, c := range []*chunk{y, t, b} {
		if c != nil {
			p.heading = c.heading
			break
		}
	}
	switch {
	case y != nil && t != nil && b != nil:
		switch {
		case y.text == b.text:
			p.text = t.text
		case t.text == b.text, y.text == t.text:
			p.text = y.text
		default:
			p.text, p.conflicts = m.lines(b.text, y.text, t.text)
		}
	case y != nil && t != nil:
		// Both added it.
		if y.text == t.text {
			p.text = y.text
		} else {
			p.text, p.conflicts = m.lines("", y.text, t.text)
		}
	case y != nil && b != nil:
		// Theirs dropped it: it goes, unless it holds your text.
		if y.text == b.text {
			return p, false
		}
		p.text = y.text
		if key != "" && m.section == "" {
			m.res.Kept = append(m.res.Kept, p.heading)
		}
	case t != nil && b != nil:
		// You deleted it: it stays deleted, unless theirs changed it.
		if t.text == b.text {
			return p, false
		}
		p.text = strings.Join(appendConflict(nil, nil, splitLines(b.text), splitLines(t.text), m.labels), "")
		p.conflicts = []int{0}
	case y != nil:
		p.text = y.text
	case t != nil:
		p.text = t.text
	default:
		return p, false
	}
	return p, true
}

// lines merges a chunk both sides changed, line by line, and returns the
// lines where its conflicts begin.
func (m *merger) lines(b, y, t string) (string, []int) {
	var out []string
	var at []int
	for _, h := range diff3(splitLines(b), splitLines(y), splitLines(t)) {
		if h.conflict {
			at = append(at, len(out))
			out = appendConflict(out, h.yours, h.base, h.theirs, m.labels)
			continue
		}
		out = append(out, h.yours...)
	}
	return strings.Join(out, ""), at
}

// splitLines splits text after each newline.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// arrange orders the merged chunks. The skeleton is theirs' order when you
// kept the base's order, else yours; the chunks only the other side has
// go after the chunk that precedes them there.
func arrange(b, y, t []chunk, merged map[string]placed) []string {
	skeleton, other := y, t
	if sameOrder(b, y) {
		skeleton, other = t, y
	}
	var order []string
	at := map[string]bool{}
	for _, c := range skeleton {
		if _, ok := merged[c.key]; ok && !at[c.key] {
			order = append(order, c.key)
			at[c.key] = true
		}
	}
	for _, list := range [][]chunk{other, y, t} {
		order = insertMissing(order, at, list, merged)
	}
	return order
}

// insertMissing places the merged chunks of list that order lacks after
// the chunk that precedes them in list (at the start when none does).
func insertMissing(order []string, at map[string]bool, list []chunk, merged map[string]placed) []string {
	anchor := -1
	for _, c := range list {
		if _, ok := merged[c.key]; !ok {
			continue
		}
		if at[c.key] {
			anchor = indexOf(order, c.key)
			continue
		}
		anchor++
		order = append(order[:anchor], append([]string{c.key}, order[anchor:]...)...)
		at[c.key] = true
	}
	return order
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// sameOrder reports whether the chunks b and y both have come in the same
// order in each.
func sameOrder(b, y []chunk) bool {
	bi := index(b)
	last := -1
	for _, c := range y {
		i, ok := bi[c.key]
		if !ok {
			continue
		}
		if i < last {
			return false
		}
		last = i
	}
	return true
}

// assemble writes the chunks in order, each followed by the blank lines
// that followed it in yours (gap blank lines after a chunk that comes from
// elsewhere or was last in yours, none after the last), and records the
// conflicts' lines.
func (m *merger) assemble(order []string, merged map[string]placed, y []chunk, gap int) string {
	var b strings.Builder
	lastY := ""
	if len(y) > 0 {
		lastY = y[len(y)-1].key
	}
	for i, key := range order {
		p := merged[key]
		last := i == len(order)-1
		wasLast := p.from != nil && p.from.key == lastY
		text, after := p.text, gap
		switch {
		case last && wasLast:
			after = p.from.gap
			if !p.from.eol && text == p.from.text {
				text = strings.TrimSuffix(text, "\n")
			}
		case last:
			after = 0
		case p.from != nil && !wasLast:
			after = p.from.gap
		case text == "":
			after = 0
		}
		section := m.section
		if section == "" {
			section = p.heading
		}
		for _, at := range p.conflicts {
			m.res.Conflicts = append(m.res.Conflicts, Conflict{Section: section, Line: m.line + at})
		}
		b.WriteString(text)
		b.WriteString(strings.Repeat("\n", after))
		m.line += strings.Count(text, "\n") + after
	}
	return b.String()
}
