package doc

import (
	"bytes"
	"strings"

	"gopkg.in/yaml.v3"
)

// SetPack returns data, a document with front matter, with its pack's name
// and version set to ref, every other byte as it was; ok is false when
// the front matter has no pack mapping holding both on lines of their own
// (then nothing is changed).
func SetPack(data []byte, ref PackRef) (out []byte, ok bool) {
	y, _, _, err := SplitFrontMatter(data)
	if err != nil {
		return data, false
	}
	var n yaml.Node
	if err := yaml.Unmarshal(y, &n); err != nil || len(n.Content) != 1 || n.Content[0].Kind != yaml.MappingNode {
		return data, false
	}
	root := n.Content[0]
	lines := bytes.SplitAfter(y, []byte("\n"))
	set := map[int]string{} // 0-based line of the YAML -> new line
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "pack" || root.Content[i+1].Kind != yaml.MappingNode {
			continue
		}
		m := root.Content[i+1]
		for j := 0; j+1 < len(m.Content); j += 2 {
			k, v := m.Content[j], m.Content[j+1]
			value := map[string]string{"name": ref.Name, "version": ref.Version}[k.Value]
			if value == "" || v.Kind != yaml.ScalarNode || k.Line != v.Line || k.Line < 1 || k.Line > len(lines) {
				continue
			}
			enc, err := yaml.Marshal(value)
			if err != nil {
				return data, false
			}
			set[k.Line-1] = strings.Repeat(" ", k.Column-1) + k.Value + ": " + strings.TrimSpace(string(enc)) + "\n"
		}
	}
	if len(set) != 2 {
		return data, false
	}
	// data is [byte order mark] "---" newline, the YAML, the rest.
	head := bytes.IndexByte(data, '\n') + 1
	var b bytes.Buffer
	b.Write(data[:head])
	for i, l := range lines {
		if s, ok := set[i]; ok && bytes.HasSuffix(l, []byte("\n")) {
			b.WriteString(s)
			continue
		}
		b.Write(l)
	}
	b.Write(data[head+len(y):])
	return b.Bytes(), true
}
