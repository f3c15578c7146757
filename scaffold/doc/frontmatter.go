// Package doc reads and writes one portfolio document: YAML front matter
// and a Markdown body of `##` sections, keeping line numbers so that
// findings and errors can point at them.
package doc

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
	"gopkg.in/yaml.v3"
)

// PackRef names the template pack a document came from.
type PackRef struct {
	Name    string `yaml:"name" json:"name"`
	Version string `yaml:"version" json:"version"`
}

// FrontMatter is the metadata every pmfolio document carries.
type FrontMatter struct {
	Kind   string  `yaml:"kind" json:"kind"`
	Title  string  `yaml:"title" json:"title"`
	Author string  `yaml:"author" json:"author"`
	Date   string  `yaml:"date" json:"date"`
	Status string  `yaml:"status" json:"status"`
	Track  string  `yaml:"track" json:"track"`
	Pack   PackRef `yaml:"pack" json:"pack"`
	// Visibility, when set, is public or private: whether `pmfolio
	// publish` shows the document, whatever its kind's default.
	Visibility string `yaml:"visibility,omitempty" json:"visibility,omitempty"`
}

// Marshal renders front matter with its --- fences.
func (fm FrontMatter) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString("---\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	// Encoding a struct of strings cannot fail.
	_ = enc.Encode(fm)
	_ = enc.Close()
	b.WriteString("---\n")
	return b.Bytes()
}

// ErrNoFrontMatter is returned for a file that does not start with ---.
var ErrNoFrontMatter = errors.New("no front matter")

// MaxSize bounds a document pmfolio will read: documents are a few KB.
const MaxSize = 4 << 20

// SyntaxError locates a malformed document.
type SyntaxError struct {
	Line int
	Msg  string
	// Encoding is set when the file is too big or not UTF-8 text, rather
	// than malformed.
	Encoding bool
}

func (e *SyntaxError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// SplitFrontMatter separates the YAML between the opening and closing ---
// lines from the body. bodyLine is the 1-based line the body starts on.
func SplitFrontMatter(data []byte) (yamlText, body []byte, bodyLine int, err error) {
	if len(data) > MaxSize {
		return nil, nil, 0, &SyntaxError{Msg: fmt.Sprintf("file is %d bytes; documents over %d bytes are not read", len(data), MaxSize), Encoding: true}
	}
	if !utf8.Valid(data) {
		return nil, nil, 0, &SyntaxError{Line: yamlfile.InvalidLine(data), Msg: "not valid UTF-8 text", Encoding: true}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !bytes.HasPrefix(data, []byte("---\n")) && !bytes.HasPrefix(data, []byte("---\r\n")) {
		return nil, data, 1, ErrNoFrontMatter
	}
	rest := data[bytes.IndexByte(data, '\n')+1:]
	line := 2
	off := 0
	for off <= len(rest) {
		end := bytes.IndexByte(rest[off:], '\n')
		var ln []byte
		if end < 0 {
			ln = rest[off:]
		} else {
			ln = rest[off : off+end]
		}
		if t := strings.TrimRight(string(ln), "\r"); t == "---" || t == "..." {
			next := off + len(ln) + 1
			if next > len(rest) {
				next = len(rest)
			}
			return rest[:off], rest[next:], line + 1, nil
		}
		if end < 0 {
			break
		}
		off += end + 1
		line++
	}
	return nil, nil, 0, &SyntaxError{Line: 1, Msg: "front matter is not closed with a --- line"}
}

// ParseFrontMatter decodes the front matter of data and returns it with its
// YAML mapping node (for line numbers and keys pmfolio does not know), the
// body and the body's first line. Unknown keys are allowed: a document
// edited by hand may carry its own.
func ParseFrontMatter(data []byte) (*FrontMatter, *yaml.Node, []byte, int, error) {
	return parseFrontMatter(data, nil)
}

// parseFrontMatter is ParseFrontMatter with the nodes of front matter in
// the common shape from sc, when it is not nil.
func parseFrontMatter(data []byte, sc *scratch) (*FrontMatter, *yaml.Node, []byte, int, error) {
	y, body, bodyLine, err := SplitFrontMatter(data)
	if err != nil {
		return nil, nil, body, bodyLine, err
	}
	if fm, root, ok := fastFrontMatter(y, sc); ok {
		return fm, root, body, bodyLine, nil
	}
	fm, root, err := decodeFrontMatter(y)
	if err != nil {
		return nil, nil, nil, 0, err
	}
	return fm, root, body, bodyLine, nil
}

// decodeFrontMatter decodes front matter's YAML with yaml.v3; root is
// the document node when it is empty, else its mapping.
func decodeFrontMatter(y []byte) (*FrontMatter, *yaml.Node, error) {
	var node yaml.Node
	if err := yaml.Unmarshal(y, &node); err != nil {
		return nil, nil, yamlError(err, 1)
	}
	fm := &FrontMatter{}
	if len(node.Content) == 0 {
		return fm, &node, nil
	}
	root := node.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, nil, &SyntaxError{Line: root.Line + 1, Msg: "front matter must be a mapping of keys to values"}
	}
	if err := root.Decode(fm); err != nil {
		return nil, nil, yamlError(err, 1)
	}
	return fm, root, nil
}

// yamlError turns a yaml.v3 error into a SyntaxError whose line counts
// from the start of the file; offset is the file line of the YAML's line 0.
func yamlError(err error, offset int) error {
	line, msg := yamlfile.Locate(err)
	if line == 0 {
		return &SyntaxError{Msg: msg}
	}
	return &SyntaxError{Line: line + offset, Msg: msg}
}
