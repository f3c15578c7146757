package interview

import (
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
	"gopkg.in/yaml.v3"
)

// Draft is an interview saved answer by answer, so that an interruption
// (Ctrl-C, end of input, a crash) costs nothing: the answers it holds are
// given again when the interview resumes, and only the rest is asked.
type Draft struct {
	Kind  string
	Track string
	// Date is the --date the interview started with, "" for today's.
	Date string
	// Given holds the answers settled so far, located in the draft's file.
	Given *Given
}

// MarshalDraft writes a draft: d's kind, track and date, and the answers
// settled so far, empty ones included (see AnswersNode).
func MarshalDraft(d Draft, qs []Question, answers map[string]any, header string) []byte {
	root := &yaml.Node{Kind: yaml.MappingNode}
	add := func(k string, v *yaml.Node) { root.Content = append(root.Content, scalar(k), v) }
	add("kind", scalar(d.Kind))
	add("track", scalar(d.Track))
	if d.Date != "" {
		add("date", scalar(d.Date))
	}
	add("answers", AnswersNode(qs, answers, d.Track, true))
	return marshal(root, header)
}

// ParseDraft reads a draft written by MarshalDraft; file names it in errors.
func ParseDraft(file string, data []byte) (*Draft, error) {
	root, err := yamlfile.Parse(file, data)
	if err != nil {
		return nil, err
	}
	if root.Kind != yaml.MappingNode {
		return nil, yamlfile.Errorf(file, root.Line, "want a mapping with kind, track and answers")
	}
	d := &Draft{Given: NewGiven()}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		var dst *string
		switch k.Value {
		case "kind":
			dst = &d.Kind
		case "track":
			dst = &d.Track
		case "date":
			dst = &d.Date
		case "answers":
			if v.Kind == yaml.MappingNode && len(v.Content) == 0 {
				continue
			}
			if err := d.Given.LoadNode(file, v); err != nil {
				return nil, err
			}
			continue
		default:
			return nil, yamlfile.Errorf(file, k.Line, "unknown key %q (known keys: answers, date, kind, track)", k.Value)
		}
		if v.Kind != yaml.ScalarNode {
			return nil, yamlfile.Errorf(file, v.Line, "%s: want a single value", k.Value)
		}
		*dst = v.Value
	}
	if d.Kind == "" {
		return nil, yamlfile.Errorf(file, root.Line, "the draft names no kind")
	}
	return d, nil
}
