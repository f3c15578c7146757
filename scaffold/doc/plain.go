package doc

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// plainTree builds, without goldmark's parser, the tree goldmark builds
// for a body written in plain Markdown: ATX headings, paragraphs and
// tight "-" lists of one-line items, of text with no inline markup but
// brackets (which are text: the body holds no link, see mdNoLinks) and a
// line in emphasis ("_Describe this section._"). That is what an unfilled
// template is made of, and parsing it through goldmark's general
// machinery (block and inline parsers tried at each line and character,
// a delimiter stack, a context) cost more than the rest of its check.
// Anything else — indentation, tabs, other markers, markup, a line
// that could be read two ways — and plainTree reports false at once: the
// caller parses with goldmark. The tree is goldmark's but for where runs
// of text are cut (as with mdNoLinks); TestPlainTreeSameTree and
// FuzzParse hold it to goldmark's.
func plainTree(body []byte) (ast.Node, bool) {
	return new(plainNodes).tree(body)
}

// tree is plainTree with its nodes from a's arrays, sized for body.
func (a *plainNodes) tree(body []byte) (ast.Node, bool) {
	if !plainBytes(body) {
		return nil, false
	}
	root := ast.NewDocument()
	a.size(body)
	var list *ast.List      // the list being added to
	var para *ast.Paragraph // the paragraph being added to
	blank := true           // blank lines before the current line
	for off := 0; off < len(body); {
		end := len(body)
		next := end
		if nl := bytes.IndexByte(body[off:], '\n'); nl >= 0 {
			end = off + nl
			next = end + 1
		}
		line := body[off:end]
		switch {
		case len(line) == 0:
			// A list stays open over blank lines: an item after them
			// would be its own.
			if para != nil {
				a.closeParagraph(para, body)
			}
			para = nil
			blank = true
		case line[0] == '#':
			level := 0
			for level < len(line) && line[level] == '#' {
				level++
			}
			// A closing sequence ("## Goals ##") is left to goldmark.
			if level > 6 || level+1 >= len(line) || line[level] != ' ' || line[len(line)-1] == '#' ||
				!plainInline(line[level+1:]) {
				return nil, false
			}
			if para != nil {
				a.closeParagraph(para, body)
			}
			list, para = nil, nil
			h := a.headings.next()
			h.Level = level
			h.SetPos(off)
			h.SetBlankPreviousLines(blank)
			start := off + level + 1
			h.Lines().Append(text.NewSegment(start, end))
			a.appendInline(h, body, start, end, false)
			root.AppendChild(root, h)
			blank = false
		case line[0] == '-':
			// An item after a blank line would make its list loose, and
			// one after a paragraph line ends the paragraph: both left
			// to goldmark.
			if len(line) < 3 || line[1] != ' ' || !plainStart(line[2]) || !plainInline(line[2:]) ||
				para != nil || (list != nil && blank) {
				return nil, false
			}
			if list == nil {
				list = a.lists.next()
				list.Marker, list.IsTight = '-', true
				list.SetPos(off)
				list.SetBlankPreviousLines(blank)
				root.AppendChild(root, list)
			}
			item := a.items.next()
			item.Offset = 2
			item.SetPos(off)
			item.SetBlankPreviousLines(blank)
			tb := a.textBlocks.next()
			tb.SetPos(off + 2)
			tb.Lines().Append(text.NewSegment(off+2, end))
			a.appendInline(tb, body, off+2, end, false)
			item.AppendChild(item, tb)
			list.AppendChild(list, item)
			blank = false
		default:
			// A line right after an item would continue it (lazily).
			if !plainStart(line[0]) || !plainInline(line) || (list != nil && !blank) {
				return nil, false
			}
			list = nil
			if para == nil {
				para = a.paragraphs.next()
				para.SetPos(off)
				para.SetBlankPreviousLines(blank)
				root.AppendChild(root, para)
			} else if bytes.IndexByte(line, '_') >= 0 || lastLineHasEmphasis(para, body) {
				return nil, false // emphasis across lines
			}
			para.Lines().Append(text.NewSegment(off, next))
			blank = false
		}
		off = next
	}
	if para != nil {
		a.closeParagraph(para, body)
	}
	return root, true
}

// closeParagraph drops the newline from the last line of a paragraph, as
// goldmark's paragraph parser does when it closes one, and adds its text:
// a text a line, with a soft line break between.
func (a *plainNodes) closeParagraph(p *ast.Paragraph, body []byte) {
	lines := p.Lines()
	n := lines.Len()
	if last := lines.At(n - 1); body[last.Stop-1] == '\n' {
		lines.Set(n-1, text.NewSegment(last.Start, last.Stop-1))
	}
	for i := 0; i < n; i++ {
		s := lines.At(i)
		stop := s.Stop
		if body[stop-1] == '\n' {
			stop--
		}
		a.appendInline(p, body, s.Start, stop, i < n-1)
	}
}

// lastLineHasEmphasis reports whether a paragraph's line so far holds an
// underscore: it may open emphasis that a next line closes.
func lastLineHasEmphasis(p *ast.Paragraph, body []byte) bool {
	lines := p.Lines()
	for i := 0; i < lines.Len(); i++ {
		if s := lines.At(i); bytes.IndexByte(s.Value(body), '_') >= 0 {
			return true
		}
	}
	return false
}

// appendInline adds the inline nodes of body[start:end], one line that
// plainInline accepted, to parent: a text, or an emphasis holding one
// when the line is "_..._" (which is never followed by another line).
func (a *plainNodes) appendInline(parent ast.Node, body []byte, start, end int, soft bool) {
	if body[start] == '_' {
		em := a.emphases.next()
		em.Level = 1
		t := a.texts.next()
		t.Segment = text.NewSegment(start+1, end-1)
		em.AppendChild(em, t)
		parent.AppendChild(parent, em)
		return
	}
	t := a.texts.next()
	t.Segment = text.NewSegment(start, end)
	t.SetSoftLineBreak(soft)
	parent.AppendChild(parent, t)
}

// plainBytes reports whether body holds none of the characters that open
// markup plainTree leaves to goldmark: control characters but the
// newline (tabs and carriage returns too), code, emphasis by asterisk,
// strikethrough, HTML and autolinks, quotes, escapes, tables; and links.
func plainBytes(body []byte) bool {
	for _, c := range body {
		if c < 0x20 && c != '\n' || c == 0x7f {
			return false
		}
		switch c {
		case '`', '*', '~', '<', '>', '\\', '|':
			return false
		}
	}
	return !bytes.Contains(body, []byte("]:")) && !bytes.Contains(body, []byte("]("))
}

// plainStart reports whether a line (or an item's text) starting with c
// can only be a paragraph's text: a letter, a bracket, an opening quote
// or parenthesis, an underscore (which plainInline holds to emphasis) or
// a character beyond ASCII. Digits start ordered lists, and the rest of
// ASCII's punctuation some other block.
func plainStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '[' || c == '(' || c == '"' || c == '\'' ||
		c == '_' || c >= 0x80
}

// plainInline reports whether a line's text is plain: no trailing space
// (a line break), and underscores only as "_text_" around the whole line,
// with text that starts and ends with neither a space nor an underscore
// and holds no underscore: there goldmark reads one emphasis.
func plainInline(l []byte) bool {
	n := len(l)
	if n == 0 || l[n-1] == ' ' || l[0] == ' ' {
		return false
	}
	i := bytes.IndexByte(l, '_')
	if i < 0 {
		return true
	}
	if i != 0 || n < 3 || l[n-1] != '_' || bytes.IndexByte(l[1:n-1], '_') >= 0 {
		return false
	}
	first, last := l[1], l[n-2]
	return first != ' ' && last != ' ' && first < 0x80 && last < 0x80
}

// plainNodes hands out the nodes of one tree from arrays sized for it:
// a template's tree is a couple of hundred small nodes, and allocating
// them one by one was most of what building it cost. The nodes are
// goldmark's, made as its constructors make them (the zero value, then
// the fields set). The arrays are kept between documents (see
// Document.Release): per document they were over a third of what
// checking a template allocated, and the garbage collector's work with
// it.
type plainNodes struct {
	headings   pool[ast.Heading]
	paragraphs pool[ast.Paragraph]
	lists      pool[ast.List]
	items      pool[ast.ListItem]
	textBlocks pool[ast.TextBlock]
	texts      pool[ast.Text]
	emphases   pool[ast.Emphasis]
	// lines is releaseBlocks' scratch.
	lines text.Segments
}

// size sizes the arrays for body's tree from its lines' first
// characters, counted as tree reads them: exactly, on a body it takes (a
// miscount would cost allocations, not nodes).
func (a *plainNodes) size(body []byte) {
	var nh, np, nl, ni, nt, ne int
	prev := byte('\n') // the first character of the line before, '\n' for a blank one
	for off := 0; off < len(body); {
		end := len(body)
		if nl := bytes.IndexByte(body[off:], '\n'); nl >= 0 {
			end = off + nl
		}
		line := body[off:end]
		off = end + 1
		if len(line) == 0 {
			prev = '\n'
			continue
		}
		text := line
		switch line[0] {
		case '#':
			nh++
			text = bytes.TrimLeft(line, "# ")
		case '-':
			ni++
			if prev != '-' {
				nl++
			}
			text = line[min(2, len(line)):]
		default:
			if prev == '\n' || prev == '#' {
				np++
			}
		}
		nt++
		if len(text) > 0 && text[0] == '_' {
			ne++
		}
		prev = line[0]
		if prev != '#' && prev != '-' {
			prev = 'p'
		}
	}
	a.headings.size(nh)
	a.paragraphs.size(np)
	a.lists.size(nl)
	a.items.size(ni)
	a.textBlocks.size(ni)
	a.texts.size(nt)
	a.emphases.size(ne)
}

// release zeroes the nodes a tree used, for the next tree; nothing may
// use that tree any more.
func (a *plainNodes) release() {
	releaseBlocks(&a.headings, &a.lines)
	releaseBlocks(&a.paragraphs, &a.lines)
	a.lists.release()
	a.items.release()
	releaseBlocks(&a.textBlocks, &a.lines)
	a.texts.release()
	a.emphases.release()
}

// releaseBlocks is release for blocks that hold lines: each keeps its
// lines' array, emptied, which the next tree appends to instead of
// allocating one per block. keep holds a block's lines meanwhile (a
// variable of the function's own would be allocated for each).
func releaseBlocks[T any, P interface {
	*T
	Lines() *text.Segments
	SetLines(*text.Segments)
}](p *pool[T], keep *text.Segments) {
	var zero T
	for i := range p.all[:p.n] {
		b := P(&p.all[i])
		*keep = *b.Lines()
		keep.SetSliced(0, 0)
		p.all[i] = zero
		b.SetLines(keep)
	}
	*keep = text.Segments{}
	p.n = 0
}

// pool hands out the zero values of its array, and new ones once it is
// used up. Its array is all zero values but for the n handed out (and
// but for blocks' empty lines, see releaseBlocks).
type pool[T any] struct {
	all []T
	n   int
}

// size makes the array hold at least n values.
func (p *pool[T]) size(n int) {
	if cap(p.all) < n {
		p.all = make([]T, n)
	}
	p.n = 0
}

func (p *pool[T]) next() *T {
	if p.n == len(p.all) {
		return new(T)
	}
	p.n++
	return &p.all[p.n-1]
}

// release zeroes the values handed out.
func (p *pool[T]) release() {
	clear(p.all[:p.n])
	p.n = 0
}
