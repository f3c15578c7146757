package doc

import (
	"bytes"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Front matter is read by yaml.v3, whose parser costs more per document
// than goldmark's parse of a page of Markdown: most of it is setting up
// the parser, a few kilobytes for ten lines. Nearly every document's front
// matter is the shape pmfolio writes and people keep (keys at the left
// margin, plain or quoted one-line values, one mapping nested a level
// down for pack), and fastFrontMatter reads that shape alone, into what
// yaml.v3 would give: the same FrontMatter and the same mapping node,
// lines and styles included (FuzzFrontMatter holds it to that). Anything
// else (comments, lists, anchors, tags, escapes, multi-line or empty
// values, duplicate keys, tabs, CR, a character outside the plain subset)
// is left to yaml.v3, errors and all.

// fastFrontMatter reads y when it is in the subset, and returns ok false
// when it is not. Its nodes come from sc when it is not nil.
func fastFrontMatter(y []byte, sc *scratch) (fm *FrontMatter, root *yaml.Node, ok bool) {
	// The nodes, allocated together: a key and a value per line, and the
	// root; sized for all, so that pointers to them stay good.
	size := 1 + 2*(bytes.Count(y, []byte("\n"))+1)
	var nodes []yaml.Node
	if sc != nil {
		nodes = reuse(sc.yaml, size)
		// Kept, with their length, for release to clear.
		defer func() { sc.yaml = nodes }()
	} else {
		nodes = make([]yaml.Node, 0, size)
	}
	node := func(n yaml.Node) *yaml.Node {
		nodes = append(nodes, n)
		return &nodes[len(nodes)-1]
	}
	root = node(yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"})
	var nested *yaml.Node // the mapping the indented lines go into
	indent := 0
	for line := 1; len(y) > 0; line++ {
		var l []byte
		if i := bytes.IndexByte(y, '\n'); i >= 0 {
			l, y = y[:i], y[i+1:]
		} else {
			l, y = y, nil
		}
		if len(l) == 0 {
			return nil, nil, false
		}
		n := 0
		for n < len(l) && l[n] == ' ' {
			n++
		}
		into := root
		switch {
		case n == 0:
			if nested != nil && len(nested.Content) == 0 {
				return nil, nil, false // a key with no value
			}
			nested = nil
		case nested == nil:
			return nil, nil, false
		case len(nested.Content) == 0:
			indent, into = n, nested
			nested.Line, nested.Column = line, n+1
		case n == indent:
			into = nested
		default:
			return nil, nil, false
		}
		key, value, ok := fastPair(l[n:], line, n+1, node)
		if !ok {
			return nil, nil, false
		}
		for i := 0; i < len(into.Content); i += 2 {
			if into.Content[i].Value == key.Value {
				return nil, nil, false
			}
		}
		if value == nil {
			if into != root {
				return nil, nil, false // only one level of nesting
			}
			value = node(yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"})
			nested = value
		}
		if into == root && len(root.Content) == 0 {
			root.Line, root.Column = line, 1
		}
		into.Content = append(into.Content, key, value)
	}
	if len(root.Content) == 0 || (nested != nil && len(nested.Content) == 0) {
		return nil, nil, false
	}
	fm = &FrontMatter{}
	for i := 0; i < len(root.Content); i += 2 {
		k, v := root.Content[i].Value, root.Content[i+1]
		if k == "pack" {
			if v.Kind != yaml.MappingNode {
				return nil, nil, false
			}
			for j := 0; j < len(v.Content); j += 2 {
				switch v.Content[j].Value {
				case "name":
					fm.Pack.Name, ok = scalarString(v.Content[j+1])
				case "version":
					fm.Pack.Version, ok = scalarString(v.Content[j+1])
				default:
					continue
				}
				if !ok {
					return nil, nil, false
				}
			}
			continue
		}
		var field *string
		switch k {
		case "kind":
			field = &fm.Kind
		case "title":
			field = &fm.Title
		case "author":
			field = &fm.Author
		case "date":
			field = &fm.Date
		case "status":
			field = &fm.Status
		case "track":
			field = &fm.Track
		case "visibility":
			field = &fm.Visibility
		default:
			continue
		}
		if *field, ok = scalarString(v); !ok {
			return nil, nil, false
		}
	}
	return fm, root, true
}

// scalarString is what yaml.v3 decodes a scalar into a string field as:
// its text, or "" for null.
func scalarString(n *yaml.Node) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		return "", false
	}
	if n.Tag == "!!null" {
		return "", true
	}
	return n.Value, true
}

// fastPair reads "key: value" (column col of line), or "key:" opening a
// nested mapping (value nil).
func fastPair(l []byte, line, col int, node func(yaml.Node) *yaml.Node) (key, value *yaml.Node, ok bool) {
	i := 0
	for i < len(l) && isKeyByte(l[i], i == 0) {
		i++
	}
	// YAML allows a key of up to 1024 characters; front matter keys are
	// words.
	if i == 0 || i > 100 || i == len(l) || l[i] != ':' {
		return nil, nil, false
	}
	k := yaml.Node{Kind: yaml.ScalarNode, Value: string(l[:i]), Line: line, Column: col}
	if k.Tag = plainTag(&k); k.Tag != "!!str" {
		return nil, nil, false // "true:", "null:"
	}
	key = node(k)
	rest := l[i+1:]
	if len(rest) == 0 {
		return key, nil, true
	}
	if rest[0] != ' ' {
		return nil, nil, false
	}
	j := 1
	for j < len(rest) && rest[j] == ' ' {
		j++
	}
	v := rest[j:]
	if len(v) == 0 || v[len(v)-1] == ' ' || !printable(v) {
		return nil, nil, false
	}
	// Built here and copied into its place: a pointer to it made it
	// escape, an allocation per value.
	val := yaml.Node{Kind: yaml.ScalarNode, Line: line, Column: col + i + 1 + j}
	switch v[0] {
	case '"', '\'':
		q := v[0]
		end := bytes.IndexByte(v[1:], q)
		if len(v) < 2 || end != len(v)-2 || (q == '"' && bytes.IndexByte(v, '\\') >= 0) {
			return nil, nil, false // an escape, or text after the quote
		}
		val.Value, val.Tag = string(v[1:len(v)-1]), "!!str"
		val.Style = yaml.DoubleQuotedStyle
		if q == '\'' {
			val.Style = yaml.SingleQuotedStyle
		}
	default:
		if !plainScalar(v) {
			return nil, nil, false
		}
		val.Value = string(v)
		val.Tag = plainTag(&val)
	}
	return key, node(val), true
}

// plainTag is the tag yaml.v3 resolves a plain scalar to. Most values
// start with a letter that begins none of YAML's words for booleans and
// null, and are strings; the others ask yaml.v3 (a number or a date tries
// several parsers and an expression), once per value.
func plainTag(n *yaml.Node) string {
	switch c := n.Value[0]; {
	case ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') && !strings.ContainsRune("yYnNtTfFoO", rune(c)):
		return "!!str"
	case c >= 0x80:
		return "!!str"
	}
	if len(n.Value) <= 32 {
		if t, ok := plainTags.Load(n.Value); ok {
			return t.(string)
		}
	}
	t := n.ShortTag()
	if len(n.Value) <= 32 && plainTagsSize.Add(1) <= 4096 {
		plainTags.Store(n.Value, t)
	}
	return t
}

// plainTags remember the tags of short plain values such as versions and
// dates, which recur from document to document; plainTagsSize bounds
// them.
var (
	plainTags     sync.Map
	plainTagsSize atomic.Int64
)

func isKeyByte(c byte, first bool) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || c == '_' || (!first && (('0' <= c && c <= '9') || c == '-'))
}

// plainScalar reports whether v is a plain scalar on its own: it starts
// with no indicator, and holds no ": " or " #" and no ":" at its end.
func plainScalar(v []byte) bool {
	switch v[0] {
	case '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return false
	}
	if v[len(v)-1] == ':' || string(v) == "<<" {
		return false // "<<" is a merge key's tag
	}
	return bytes.Index(v, []byte(": ")) < 0 && bytes.Index(v, []byte(" #")) < 0
}

// printable reports whether v is text yaml.v3 reads as it is: printable
// ASCII, and letters of two or three bytes in UTF-8 other than the byte
// order mark, C1 controls and what YAML counts as line breaks.
func printable(v []byte) bool {
	for i := 0; i < len(v); {
		c := v[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRune(v[i:])
		if r == utf8.RuneError || size > 3 || r < 0xa0 || r == 0x2028 || r == 0x2029 || r == 0xfeff || (r >= 0xd800 && r <= 0xdfff) || r >= 0xfffe {
			return false
		}
		i += size
	}
	return true
}
