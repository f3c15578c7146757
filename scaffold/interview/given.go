package interview

import (
	"fmt"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
	"gopkg.in/yaml.v3"
)

// Given collects answers supplied without a terminal: answers files (YAML
// or JSON) and --set flags, later ones overriding earlier ones. It keeps
// where each answer came from, so that an error points at the file and line.
type Given struct {
	Values map[string]any
	Where  map[string]string
	// Record is what the last answers file that had one recorded about
	// its document (see Record); RecordFile names that file.
	Record     *Record
	RecordFile string
}

// NewGiven returns an empty set of answers.
func NewGiven() *Given {
	return &Given{Values: map[string]any{}, Where: map[string]string{}}
}

// LoadFile adds the answers in data, read from file: a mapping of question
// names to values (lists for multiselect, lists of mappings for groups).
func (g *Given) LoadFile(file string, data []byte) error {
	root, err := yamlfile.Parse(file, data)
	if err != nil {
		return err
	}
	return g.LoadNode(file, root)
}

// LoadNode adds the answers in root, a mapping read from file.
func (g *Given) LoadNode(file string, root *yaml.Node) error {
	if root.Kind != yaml.MappingNode {
		return yamlfile.Errorf(file, root.Line, "want a mapping of question names to answers")
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return yamlfile.Errorf(file, k.Line, "question names must be plain text")
		}
		// yaml.v3 keeps both of two equal keys in a node; silently taking
		// the second would hide a mistake.
		if line, dup := seen[k.Value]; dup {
			return yamlfile.Errorf(file, k.Line, "%s is answered twice (first at line %d)", k.Value, line)
		}
		seen[k.Value] = k.Line
		if k.Value == RecordKey {
			if err := g.loadRecord(file, v); err != nil {
				return err
			}
			continue
		}
		var val any
		if err := v.Decode(&val); err != nil {
			return yamlfile.Errorf(file, v.Line, "%s: %v", k.Value, err)
		}
		g.Values[k.Value] = val
		g.Where[k.Value] = fmt.Sprintf("%s:%d", file, k.Line)
	}
	return nil
}

// Set adds one NAME=VALUE answer from the command line. A VALUE starting
// with [ or { is YAML flow syntax, for lists and groups:
// --set 'metrics=[{metric: Conversion, baseline: 12%}]'.
func (g *Given) Set(expr string) error {
	name, value, ok := strings.Cut(expr, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return fmt.Errorf("--set %q: want NAME=VALUE", expr)
	}
	var v any = value
	if t := strings.TrimSpace(value); strings.HasPrefix(t, "[") || strings.HasPrefix(t, "{") {
		var parsed any
		if err := yaml.Unmarshal([]byte(t), &parsed); err != nil {
			return fmt.Errorf("--set %s: %v", name, strings.TrimPrefix(err.Error(), "yaml: "))
		}
		v = parsed
	}
	g.Values[name] = v
	g.Where[name] = "--set " + name
	return nil
}

// Locate prefixes a message about answer name with where it came from.
func (g *Given) Locate(name, msg string) string {
	if w, ok := g.Where[name]; ok {
		if strings.HasSuffix(w, " "+name) {
			// "--set start" names the question already.
			return fmt.Sprintf("%s: %s", w, msg)
		}
		return fmt.Sprintf("%s: %s: %s", w, name, msg)
	}
	return fmt.Sprintf("%s: %s", name, msg)
}
