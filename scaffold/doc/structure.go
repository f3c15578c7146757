package doc

import (
	"bytes"
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
)

// List is a Markdown list that is not nested inside another list.
type List struct {
	Ordered bool
	Line    int
	Items   []Item
}

// Item is one top-level item of a List: its text without inline markup or
// nested lists, and the line it starts on.
type Item struct {
	Text string
	Line int
}

// Table is a GFM table: header cells and rows of cell texts.
type Table struct {
	Line   int
	Header []string
	Rows   []Row
}

// Row is one body row of a Table.
type Row struct {
	Line  int
	Cells []string
}

// Cell returns the text of the cell in the column whose header equals name
// (case ignored), or "" and false when the table has no such column.
func (t *Table) Cell(r Row, name string) (string, bool) {
	for i, h := range t.Header {
		if strings.EqualFold(strings.TrimSpace(h), name) {
			if i < len(r.Cells) {
				return r.Cells[i], true
			}
			return "", true
		}
	}
	return "", false
}

// Link is a Markdown link, image or autolink.
type Link struct {
	Dest  string
	Text  string
	Line  int
	Image bool
}

// Comment is an HTML comment, `<!-- ... -->`, in a block or inline.
// Start and End are its byte offsets in Document.Body.
type Comment struct {
	Text       string
	Line       int
	Start, End int
}

// lineIndex holds the byte offset at which each line of Body starts, so
// that offsets convert to lines in O(log n) instead of by counting.
type lineIndex []int

func newLineIndex(b []byte) lineIndex {
	return lineIndexIn(nil, b)
}

// lineIndexIn is newLineIndex in buf when it is large enough.
func lineIndexIn(buf lineIndex, b []byte) lineIndex {
	idx := append(reuse(buf, bytes.Count(b, []byte("\n"))+1), 0)
	for off := 0; ; {
		i := bytes.IndexByte(b[off:], '\n')
		if i < 0 {
			return idx
		}
		off += i + 1
		idx = append(idx, off)
	}
}

// line is the 0-based line of offset.
func (l lineIndex) line(offset int) int {
	return sort.Search(len(l), func(i int) bool { return l[i] > offset }) - 1
}

// structure walks the tree once and records the outermost lists, the
// tables, the links and the comments of the document.
func (d *Document) structure() {
	d.walk(d.tree)
}

func (d *Document) walk(root ast.Node) {
	src := d.Body
	depth := 0
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch t := n.(type) {
		case *ast.List:
			if !entering {
				depth--
				return ast.WalkContinue, nil
			}
			depth++
			if depth == 1 {
				d.listNodes = append(d.listNodes, t)
			}
		case *extast.Table:
			if entering {
				d.tableNodes = append(d.tableNodes, t)
			}
		case *ast.Link:
			if entering {
				d.Links = append(d.Links, Link{Dest: string(t.Destination), Text: plainText(t, src), Line: d.nodeLine(t)})
			}
		case *ast.Image:
			if entering {
				d.Links = append(d.Links, Link{Dest: string(t.Destination), Text: plainText(t, src), Line: d.nodeLine(t), Image: true})
			}
		case *ast.AutoLink:
			if entering {
				u := string(t.URL(src))
				d.Links = append(d.Links, Link{Dest: u, Text: u, Line: d.nodeLine(t)})
			}
		case *ast.HTMLBlock:
			if entering {
				d.htmlBlock(t)
			}
		case *ast.RawHTML:
			if entering && t.Segments.Len() > 0 {
				start := t.Segments.At(0).Start
				end := t.Segments.At(t.Segments.Len() - 1).Stop
				d.comment(start, end)
			}
		}
		return ast.WalkContinue, nil
	})
}

func (d *Document) htmlBlock(b *ast.HTMLBlock) {
	lines := b.Lines()
	if lines.Len() == 0 {
		return
	}
	start := lines.At(0).Start
	end := lines.At(lines.Len() - 1).Stop
	if b.HasClosure() {
		end = b.ClosureLine.Stop
	}
	// An HTML block may hold several comments, or a comment and markup.
	for start < end {
		i := bytes.Index(d.Body[start:end], []byte("<!--"))
		if i < 0 {
			return
		}
		j := bytes.Index(d.Body[start+i:end], []byte("-->"))
		if j < 0 {
			d.comment(start+i, end)
			return
		}
		d.comment(start+i, start+i+j+3)
		start += i + j + 3
	}
}

// comment records Body[start:end] when it is an HTML comment.
func (d *Document) comment(start, end int) {
	if end > len(d.Body) {
		end = len(d.Body)
	}
	raw := d.Body[start:end]
	if !bytes.HasPrefix(raw, []byte("<!--")) {
		return
	}
	text := bytes.TrimPrefix(raw, []byte("<!--"))
	text = bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(text), []byte("-->")))
	d.Comments = append(d.Comments, Comment{Text: string(text), Line: d.LineOf(start), Start: start, End: end})
}

func (d *Document) table(t *extast.Table) Table {
	tb := Table{Line: d.nodeLine(t)}
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		var cells []string
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			cells = append(cells, strings.TrimSpace(plainText(c, d.Body)))
		}
		if _, ok := r.(*extast.TableHeader); ok {
			tb.Header = cells
			continue
		}
		tb.Rows = append(tb.Rows, Row{Line: d.nodeLine(r), Cells: cells})
	}
	return tb
}

// nodeLine is the line of the first source text under n. Inline nodes and
// containers (lists, tables) have no lines of their own.
func (d *Document) nodeLine(n ast.Node) int {
	// Blocks know where they start, empty list items and table rows too.
	if n.Type() == ast.TypeBlock && n.Pos() >= 0 {
		return d.LineOf(n.Pos())
	}
	off := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			off = t.Segment.Start
		case *ast.RawHTML:
			if t.Segments.Len() > 0 {
				off = t.Segments.At(0).Start
			}
		default:
			if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
				off = c.Lines().At(0).Start
			}
		}
		if off >= 0 {
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if off < 0 {
		for p := n.Parent(); p != nil; p = p.Parent() {
			if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
				off = p.Lines().At(0).Start
				break
			}
		}
	}
	if off < 0 {
		return d.BodyLine
	}
	return d.LineOf(off)
}

// plainText is the text of n without markup, HTML or nested lists: soft
// line breaks and block boundaries become single spaces.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	space := func() {
		if b.Len() > 0 {
			if s := b.String(); s[len(s)-1] != ' ' {
				b.WriteByte(' ')
			}
		}
	}
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if c != n {
			if _, ok := c.(*ast.List); ok {
				return ast.WalkSkipChildren, nil
			}
		}
		if !entering {
			if c.Type() == ast.TypeBlock {
				space()
			}
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				space()
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.CodeSpan:
			for cc := t.FirstChild(); cc != nil; cc = cc.NextSibling() {
				if tt, ok := cc.(*ast.Text); ok {
					b.Write(tt.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			b.Write(t.URL(src))
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// Line returns the text of line n of the file when it is in the body,
// without its newline, or "".
func (d *Document) Line(n int) string {
	i := n - d.BodyLine
	if i < 0 || i >= len(d.lines) {
		return ""
	}
	end := len(d.BodyText)
	if i+1 < len(d.lines) {
		end = d.lines[i+1] - 1
	}
	return d.BodyText[d.lines[i]:end]
}

// Lists returns the section's lists (outermost ones only), in order.
func (s *Section) Lists() []List {
	s.readStructure()
	return s.lists
}

// Tables returns the section's GFM tables, in order.
func (s *Section) Tables() []Table {
	s.readStructure()
	return s.tables
}

func (s *Section) readStructure() {
	if s.read || s.doc == nil {
		return
	}
	s.read = true
	d := s.doc
	in := func(n ast.Node) bool { return n.Pos() >= s.Start && n.Pos() < s.End }
	for _, t := range d.listNodes {
		if !in(t) {
			continue
		}
		l := List{Ordered: t.IsOrdered(), Line: d.nodeLine(t)}
		for it := t.FirstChild(); it != nil; it = it.NextSibling() {
			l.Items = append(l.Items, Item{Text: plainText(it, d.Body), Line: d.nodeLine(it)})
		}
		s.lists = append(s.lists, l)
	}
	for _, t := range d.tableNodes {
		if in(t) {
			s.tables = append(s.tables, d.table(t))
		}
	}
}

// LinksIn returns the links inside section s.
func (d *Document) LinksIn(s *Section) []Link {
	var out []Link
	for _, l := range d.Links {
		if l.Line >= s.Line && l.Line <= s.EndLine {
			out = append(out, l)
		}
	}
	return out
}

// EmptyItems returns the lines of the list items in [start, end) of Body
// that hold nothing, without reading the lists' text.
func (d *Document) EmptyItems(start, end int) []int {
	var out []int
	for _, l := range d.listNodes {
		if l.Pos() < start || l.Pos() >= end {
			continue
		}
		for it := l.FirstChild(); it != nil; it = it.NextSibling() {
			if it.FirstChild() == nil {
				out = append(out, d.nodeLine(it))
			}
		}
	}
	return out
}
