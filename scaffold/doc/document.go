package doc

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"gopkg.in/yaml.v3"
)

// Heading is one Markdown heading with the line it is on.
type Heading struct {
	Level int
	Text  string
	Line  int
	// Offset is the byte offset in Document.Body of the heading's first
	// line.
	Offset int
}

// Section is a heading and everything up to the next heading of its level
// or a higher one (for a `##` section, the next `#` or `##`), or a part of
// a document made with Document.Span.
type Section struct {
	Heading string
	// Level is the heading's level, 1 to 6; 0 for a span.
	Level int
	Line  int // the heading's line
	// Body is the section's raw Markdown, without its heading.
	Body string
	// BodyLine is the line Body starts on.
	BodyLine int
	// Start and End are the byte offsets of Body in Document.Body;
	// EndLine is the section's last line.
	Start, End int
	EndLine    int

	// The section's outermost lists and its tables, read from the
	// document's when first asked, since most sections are never asked.
	doc    *Document
	lists  []List
	tables []Table
	read   bool
}

// Document is one parsed portfolio document.
type Document struct {
	Path  string
	Front *FrontMatter
	// FrontNode is the front matter's YAML mapping, nil without front matter.
	FrontNode *yaml.Node
	// Body is the Markdown after the front matter; BodyLine is its first
	// line. BodyText is Body as a string, which sections' Body share.
	Body     []byte
	BodyText string
	BodyLine int
	Headings []Heading
	// Sections are the `##` sections; Outline has a section for every
	// heading, whatever its level, in order.
	Sections []Section
	Outline  []Section
	// tree is goldmark's tree of Body, for the structure and the links
	// and tables rules ask for; unexported because Release hands its
	// memory to the next document, after which nothing may read it.
	tree ast.Node
	// Links and Comments are every link and HTML comment in Body, in order.
	Links    []Link
	Comments []Comment

	lines lineIndex
	// listNodes and tableNodes are the outermost lists and the tables of
	// Body, in order, for sections to take theirs from.
	listNodes  []*ast.List
	tableNodes []*extast.Table
	// scratch holds the memory of tree (when plainTree built it) and of
	// the slices index makes, for Release to give back.
	scratch *scratch
}

// scratch is the memory one parse needs and Document.Release gives back
// for the next: a worker checking documents one after another allocates
// it once, not per document (for a template, the tree's nodes and the
// sections were over half of what checking it allocated, and the
// garbage collector's work with it).
type scratch struct {
	nodes    plainNodes
	yaml     []yaml.Node
	lines    lineIndex
	marks    []headingMark
	headings []Heading
	outline  []Section
	sections []Section
}

var scratches = sync.Pool{New: func() any { return new(scratch) }}

// release zeroes what the document used, for the next one.
func (s *scratch) release() {
	s.nodes.release()
	clear(s.yaml)
	clear(s.marks)
	clear(s.headings)
	clear(s.outline)
	clear(s.sections)
}

// reuse is buf emptied when it holds n, else a new slice for n.
func reuse[T any](buf []T, n int) []T {
	if cap(buf) >= n {
		return buf[:0]
	}
	return make([]T, 0, n)
}

// md is built on first use: commands that parse no Markdown never pay
// for goldmark's parsers.
var md = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))
})

// mdNoDefs is md without its one paragraph transformer, the one that reads
// link reference definitions ("[label]: destination") at the start of
// paragraphs: it tries every paragraph that opens with a bracket, and
// templates open many with "[Your Name]". A body without "]:" holds no
// definition (the colon follows the label's bracket), so parsing it
// without the transformer gives the same tree.
var mdNoDefs = sync.OnceValue(func() goldmark.Markdown {
	p := parser.NewParser(parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...))
	return goldmark.New(goldmark.WithParser(p), goldmark.WithExtensions(extension.Table, extension.Strikethrough))
})

// mdNoLinks is mdNoDefs without goldmark's link parser, for bodies that
// can hold no link: a link needs a definition ("]:") or a destination
// right after its text ("]("), and without either every bracket is text.
// The link parser still tries each one (a label to look up, with
// allocations), and templates hold many ("[Your Name], [MM/DD/YYYY]").
// Without it the brackets stay text in the same places; the tree differs
// only in where a text run is cut, which no reader of it sees (plainText
// joins the runs, nodeLine takes the first one's start).
var mdNoLinks = sync.OnceValue(func() goldmark.Markdown {
	var inline []util.PrioritizedValue
	for _, v := range parser.DefaultInlineParsers() {
		if !slices.Contains(v.Value.(parser.InlineParser).Trigger(), '[') {
			inline = append(inline, v)
		}
	}
	p := parser.NewParser(parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(inline...))
	return goldmark.New(goldmark.WithParser(p), goldmark.WithExtensions(extension.Table, extension.Strikethrough))
})

// parserFor picks the cheapest of md, mdNoDefs and mdNoLinks that gives
// body the tree md gives it (up to where text runs are cut).
func parserFor(body []byte) goldmark.Markdown {
	switch {
	case bytes.Contains(body, []byte("]:")):
		return md()
	case bytes.Contains(body, []byte("](")):
		return mdNoDefs()
	}
	return mdNoLinks()
}

// parseMarkdown parses body with the cheapest parser that reads it as md
// does: plainTree when the body is plain enough, else goldmark.
// The nodes of a plain tree come from a's arrays.
func parseMarkdown(body []byte, a *plainNodes) ast.Node {
	if root, ok := a.tree(body); ok {
		return root
	}
	a.release()
	return parserFor(body).Parser().Parse(text.NewReader(body))
}

// Markdown is the goldmark instance documents are parsed with (GFM tables
// and strikethrough), shared so rules see the same tree.
func Markdown() goldmark.Markdown { return md() }

// Parse reads a document. A file without front matter still parses (with
// Front nil), so `check` can say what is missing instead of failing.
func Parse(path string, data []byte) (*Document, error) {
	d := &Document{Path: path, scratch: scratches.Get().(*scratch)}
	fm, node, body, bodyLine, err := parseFrontMatter(data, d.scratch)
	switch {
	case errors.Is(err, ErrNoFrontMatter):
	case err != nil:
		d.Release()
		return nil, err
	default:
		d.Front, d.FrontNode = fm, node
	}
	d.Body, d.BodyLine = body, bodyLine
	d.BodyText = string(body)
	d.lines = lineIndexIn(d.scratch.lines, body)
	d.scratch.lines = d.lines
	d.tree = parseMarkdown(body, &d.scratch.nodes)
	d.index()
	d.structure()
	return d, nil
}

// Release gives the memory of d's tree, front matter node, headings and
// sections back for the next document's (a worker checking documents one
// after another allocates it once). Neither d nor a Heading, Section or
// FrontNode of it may be used after; its Front, its links and comments,
// and strings read from it (a section's Body, a heading's Text, a list
// item's) stay valid. A document never released is collected as
// garbage, as usual.
func (d *Document) Release() {
	s := d.scratch
	if s == nil {
		return
	}
	d.tree, d.listNodes, d.tableNodes, d.FrontNode = nil, nil, nil, nil
	d.Headings, d.Outline, d.Sections, d.lines = nil, nil, nil, nil
	d.scratch = nil
	s.release()
	scratches.Put(s)
}

// Outline returns the top-level headings of a Markdown body (no front
// matter), as Parse finds them: a "##" inside a code fence, a list or a
// quote is not one. Lines count from 1 at the body's first line.
func Outline(body []byte) []Heading {
	d := &Document{Body: body, BodyText: string(body), BodyLine: 1, lines: newLineIndex(body)}
	var a plainNodes
	d.tree = parseMarkdown(body, &a)
	d.index()
	return d.Headings
}

// Title is the text of the first H1, or "".
func (d *Document) Title() string {
	for _, h := range d.Headings {
		if h.Level == 1 {
			return h.Text
		}
	}
	return ""
}

// Section returns the first `##` section whose heading equals name, case
// and surrounding space ignored.
func (d *Document) Section(name string) (*Section, bool) {
	for i := range d.Sections {
		if strings.EqualFold(strings.TrimSpace(d.Sections[i].Heading), strings.TrimSpace(name)) {
			return &d.Sections[i], true
		}
	}
	return nil, false
}

// LineOf converts a byte offset in Body to a line in the file.
func (d *Document) LineOf(offset int) int {
	if offset > len(d.Body) {
		offset = len(d.Body)
	}
	if d.lines == nil {
		d.lines = newLineIndex(d.Body)
	}
	return d.BodyLine + d.lines.line(offset)
}

// headingMark is a heading and its line's span, for index.
type headingMark struct {
	h     Heading
	start int // byte offset of the heading's line
	end   int // byte offset after the heading
}

func (d *Document) index() {
	type mark = headingMark
	// Sized once: a Section is large, and growing the slices by
	// appending was most of what parsing a document allocated beyond
	// goldmark's tree.
	all, level2 := 0, 0
	for n := d.tree.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok {
			all++
			if h.Level == 2 {
				level2++
			}
		}
	}
	if all == 0 {
		return
	}
	if d.scratch == nil {
		d.scratch = new(scratch)
	}
	sc := d.scratch
	marks := reuse(sc.marks, all)
	d.Headings = reuse(sc.headings, all)
	d.Outline = reuse(sc.outline, all)
	if level2 > 0 {
		d.Sections = reuse(sc.sections, level2)
	}
	after := 0
	for n := d.tree.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok {
			continue
		}
		start, end := blockSpan(h, d.Body)
		if h.Lines().Len() == 0 {
			start, end = emptyHeadingSpan(d.Body, after, h.Level)
		}
		after = end
		hd := Heading{Level: h.Level, Text: plainText(h, d.Body), Line: d.LineOf(start), Offset: start}
		d.Headings = append(d.Headings, hd)
		marks = append(marks, mark{hd, start, end})
	}
	slices.SortStableFunc(marks, func(a, b mark) int { return a.start - b.start })
	for i, m := range marks {
		stop := len(d.Body)
		for _, next := range marks[i+1:] {
			if next.h.Level <= m.h.Level {
				stop = next.start
				break
			}
		}
		from := min(m.end, stop)
		endLine := d.LineOf(stop)
		if stop > from && stop > 0 && d.Body[stop-1] == '\n' {
			endLine--
		}
		s := Section{
			Heading:  m.h.Text,
			Level:    m.h.Level,
			Line:     m.h.Line,
			Body:     d.BodyText[from:stop],
			BodyLine: d.LineOf(from),
			Start:    from,
			End:      stop,
			EndLine:  max(endLine, m.h.Line),
			doc:      d,
		}
		d.Outline = append(d.Outline, s)
		if m.h.Level == 2 {
			d.Sections = append(d.Sections, s)
		}
	}
	// Kept, with their lengths, for release to clear what they hold
	// (sized above, they did not grow).
	sc.marks, sc.headings, sc.outline = marks, d.Headings, d.Outline
	if d.Sections != nil {
		sc.sections = d.Sections
	}
}

// Span is the part of the body from byte offset start to end as a
// section called heading whose heading is on line: a part of a document
// that a label such as "**Result:**" opens rather than a heading.
func (d *Document) Span(heading string, line, start, end int) Section {
	start, end = min(max(start, 0), len(d.Body)), min(max(end, 0), len(d.Body))
	end = max(start, end)
	endLine := d.LineOf(end)
	if end > start && d.Body[end-1] == '\n' {
		endLine--
	}
	return Section{Heading: heading, Line: line, Body: d.BodyText[start:end], BodyLine: d.LineOf(start),
		Start: start, End: end, EndLine: max(endLine, line), doc: d}
}

// blockSpan returns the byte range of a heading's whole line(s): goldmark
// records only the text, so widen to the line start and past the newline
// (for setext headings, past the underline).
func blockSpan(h *ast.Heading, src []byte) (int, int) {
	lines := h.Lines()
	if lines.Len() == 0 {
		return 0, 0
	}
	start := lines.At(0).Start
	end := lines.At(lines.Len() - 1).Stop
	for start > 0 && src[start-1] != '\n' {
		start--
	}
	if nl := bytes.IndexByte(src[end:], '\n'); nl >= 0 {
		end += nl + 1
	} else {
		end = len(src)
	}
	// A setext heading's underline is the next line.
	if end < len(src) {
		next := end
		nl := bytes.IndexByte(src[next:], '\n')
		lineEnd := len(src)
		if nl >= 0 {
			lineEnd = next + nl
		}
		ul := strings.TrimSpace(string(src[next:lineEnd]))
		if ul != "" && (strings.Trim(ul, "=") == "" || strings.Trim(ul, "-") == "") && !isATX(src[start:end]) {
			end = lineEnd
			if nl >= 0 {
				end++
			}
		}
	}
	return start, end
}

// emptyHeadingSpan finds an empty ATX heading ("##" alone), which goldmark
// gives no lines: the first line from offset from that is one of level.
func emptyHeadingSpan(src []byte, from, level int) (int, int) {
	for off := from; off < len(src); {
		end := len(src)
		if nl := bytes.IndexByte(src[off:], '\n'); nl >= 0 {
			end = off + nl + 1
		}
		l := strings.TrimSpace(string(src[off:end]))
		if strings.HasPrefix(l, strings.Repeat("#", level)) && strings.Trim(l, "# \t") == "" && !strings.HasPrefix(l, strings.Repeat("#", level+1)) {
			return off, end
		}
		off = end
	}
	return from, from
}

func isATX(line []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(line, " "), []byte("#"))
}
