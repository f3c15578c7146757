package interview

import (
	"bytes"
	"fmt"
	"strconv"

	"gopkg.in/yaml.v3"
)

// MarshalAnswers writes answers as an answers file, in question order and
// group rows in field order, leaving out questions off the track and empty
// answers. Read back with Given.LoadFile, it reproduces the same answers.
func MarshalAnswers(qs []Question, answers map[string]any, track, header string) []byte {
	return marshal(AnswersNode(qs, answers, track, false), header)
}

// AnswersNode is the YAML mapping MarshalAnswers writes. With keepEmpty,
// empty answers are kept: a draft must remember that an optional question
// was answered with nothing, so that resuming does not ask it again.
func AnswersNode(qs []Question, answers map[string]any, track string, keepEmpty bool) *yaml.Node {
	root := &yaml.Node{Kind: yaml.MappingNode}
	for i := range qs {
		q := &qs[i]
		v, ok := answers[q.Name]
		if !ok || !q.OnTrack(track) || (IsEmpty(v) && !keepEmpty) {
			continue
		}
		root.Content = append(root.Content, scalar(q.Name), valueNode(q, v))
	}
	return root
}

// marshal writes root after header, each of its lines as a comment.
func marshal(root *yaml.Node, header string) []byte {
	var b bytes.Buffer
	if header != "" {
		for _, line := range bytes.Split([]byte(header), []byte("\n")) {
			b.WriteString("# ")
			b.Write(line)
			b.WriteByte('\n')
		}
	}
	if len(root.Content) == 0 {
		b.WriteString("{}\n")
		return b.Bytes()
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	_ = enc.Encode(root)
	_ = enc.Close()
	return b.Bytes()
}

func scalar(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	// Long answers read better as literal blocks than as quoted lines.
	if bytes.ContainsRune([]byte(s), '\n') {
		n.Style = yaml.LiteralStyle
	}
	return n
}

func valueNode(q *Question, v any) *yaml.Node {
	switch x := v.(type) {
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(x)}
	case string:
		return scalar(x)
	case []string:
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, s := range x {
			seq.Content = append(seq.Content, scalar(s))
		}
		return seq
	case []map[string]any:
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, row := range x {
			m := &yaml.Node{Kind: yaml.MappingNode}
			for fi := range q.Fields {
				f := &q.Fields[fi]
				fv, ok := row[f.Name]
				if !ok || IsEmpty(fv) {
					continue
				}
				m.Content = append(m.Content, scalar(f.Name), valueNode(f, fv))
			}
			seq.Content = append(seq.Content, m)
		}
		return seq
	}
	return scalar(fmt.Sprint(v))
}
