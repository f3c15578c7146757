package site

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders documents: GitHub-flavoured (tables, strikethrough,
// task lists, bare links), headings with ids, and raw HTML dropped
// (goldmark's default: a document is text, never markup of its own).
var markdown = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
})

// linker decides where a link of a document goes: the href to write, or
// ok false to keep only the link's text.
type linker func(dest string) (href string, ok bool)

// renderBody renders a document's Markdown to HTML: without its first
// H1 (the page shows the title itself), with links resolved by link, and
// heading ids prefixed with idPrefix (pages that hold several documents
// need ids unique across them).
func renderBody(md string, link linker, idPrefix string) ([]byte, error) {
	src := []byte(md)
	ctx := parser.NewContext(parser.WithIDs(&ids{prefix: idPrefix, used: map[string]bool{}}))
	root := markdown().Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	dropTitle(root)
	rewriteLinks(root, src, link)
	var b bytes.Buffer
	if err := markdown().Renderer().Render(&b, src, root); err != nil {
		return nil, err
	}
	return bytes.ReplaceAll(b.Bytes(), []byte("<!-- raw HTML omitted -->"), nil), nil
}

// dropTitle removes the document's H1 when it is the first block.
func dropTitle(root ast.Node) {
	if h, ok := root.FirstChild().(*ast.Heading); ok && h.Level == 1 {
		root.RemoveChild(root, h)
	}
}

// rewriteLinks points links at pages (or unwraps them) as link says, and
// turns images into their alternative text: a page shows no file of the
// portfolio but its documents.
func rewriteLinks(root ast.Node, src []byte, link linker) {
	var links []*ast.Link
	var images []*ast.Image
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			links = append(links, n)
		case *ast.Image:
			images = append(images, n)
		}
		return ast.WalkContinue, nil
	})
	for _, l := range links {
		href, ok := link(string(l.Destination))
		if ok {
			l.Destination = []byte(href)
			continue
		}
		unwrap(l)
	}
	for _, im := range images {
		if external(string(im.Destination)) {
			continue
		}
		unwrap(im)
	}
}

// unwrap replaces n by its children.
func unwrap(n ast.Node) {
	parent := n.Parent()
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
}

// external reports whether dest is a web or mail address.
func external(dest string) bool {
	u, err := url.Parse(dest)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "mailto":
		return true
	}
	return false
}

// docLinker resolves the links of the document at src (a path in the
// portfolio): web and mail addresses stay; links inside the page stay;
// links to published documents go to their pages (href says how, for the
// page at out); anything else (an unpublished document, a file of the
// portfolio, another scheme) keeps only its text.
func docLinker(src string, pages map[string]*document, slug func(string) string, href func(target *document, fragment string) string) linker {
	return func(dest string) (string, bool) {
		if strings.HasPrefix(dest, "#") {
			return href(nil, dest[1:]), true
		}
		if external(dest) {
			return dest, true
		}
		u, err := url.Parse(dest)
		if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" {
			return "", false
		}
		target := path.Clean(path.Join(path.Dir(src), u.Path))
		d, ok := pages[slug(target)]
		if !ok {
			return "", false
		}
		return href(d, u.Fragment), true
	}
}

// relPath is the relative link from the page at from to the page at to,
// both paths in the site.
func relPath(from, to string) string {
	dir := path.Dir(from)
	if dir == "." {
		return to
	}
	up := strings.Repeat("../", strings.Count(dir, "/")+1)
	return up + to
}

// ids generates heading ids as goldmark does (lower case ASCII letters
// and digits, "-" for spaces), with a prefix, unique in a page.
type ids struct {
	prefix string
	used   map[string]bool
}

func (s *ids) Generate(value []byte, kind ast.NodeKind) []byte {
	var b []byte
	for _, c := range util.TrimRightSpace(util.TrimLeftSpace(value)) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b = append(b, c)
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c == ' ' || c == '-' || c == '_':
			if len(b) > 0 && b[len(b)-1] != '-' {
				b = append(b, '-')
			}
		}
	}
	base := strings.Trim(string(b), "-")
	if base == "" {
		base = "section"
	}
	id := s.prefix + base
	for n := 2; s.used[id]; n++ {
		id = fmt.Sprintf("%s%s-%d", s.prefix, base, n)
	}
	s.used[id] = true
	return []byte(id)
}

func (s *ids) Put(value []byte) { s.used[string(value)] = true }
