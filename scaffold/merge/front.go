package merge

import (
	"bytes"
	"fmt"

	"gopkg.in/yaml.v3"
)

// frontChunks splits front matter into one chunk per top-level key: the
// key's lines up to the next key's (comments before the first key are the
// chunk ""). Front matter that is not a YAML mapping is one chunk, merged
// as lines. nil (no front matter) has no chunks.
func frontChunks(front []byte) []chunk {
	if front == nil {
		return nil
	}
	var n yaml.Node
	if err := yaml.Unmarshal(front, &n); err != nil || len(n.Content) != 1 || n.Content[0].Kind != yaml.MappingNode {
		return []chunk{newChunk("", "", string(front))}
	}
	root := n.Content[0]
	lines := bytes.SplitAfter(front, []byte("\n"))
	var starts []int // 0-based line of each top-level key
	var keys []string
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		if k.Line < 1 || k.Line > len(lines) || (len(starts) > 0 && k.Line-1 <= starts[len(starts)-1]) {
			// Keys sharing a line (flow mappings) cannot be split.
			return []chunk{newChunk("", "", string(front))}
		}
		starts = append(starts, k.Line-1)
		seen[k.Value]++
		key := "key " + k.Value
		if c := seen[k.Value]; c > 1 {
			key = fmt.Sprintf("%s\x00%d", key, c)
		}
		keys = append(keys, key)
	}
	join := func(from, to int) string { return string(bytes.Join(lines[from:to], nil)) }
	out := []chunk{}
	if len(starts) == 0 || starts[0] > 0 {
		first := len(lines)
		if len(starts) > 0 {
			first = starts[0]
		}
		out = append(out, newChunk("", "", join(0, first)))
	}
	for i, s := range starts {
		end := len(lines)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		out = append(out, newChunk(keys[i], keys[i][len("key "):], join(s, end)))
	}
	return out
}
