package interview

import (
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
	"gopkg.in/yaml.v3"
)

// RecordKey is the key under which an answers file keeps its Record. No
// question can be called so: names start with a letter.
const RecordKey = "_pmfolio"

// Record is what an answers file keeps besides the answers: everything
// needed to render its document again exactly, and the merge's base.
type Record struct {
	// Kind is the document's kind; Date the date it was first rendered
	// with (YYYY-MM-DD), kept by every revision; Track its track.
	Kind  string `yaml:"kind"`
	Date  string `yaml:"date"`
	Track string `yaml:"track"`
	// Pack, Version, Commit and Digest name the pack it was rendered
	// with: its name and version, and for a pinned pack the pin's commit
	// and digest.
	Pack    string `yaml:"pack"`
	Version string `yaml:"version"`
	Commit  string `yaml:"commit,omitempty"`
	Digest  string `yaml:"digest,omitempty"`
	// Base and BaseBlob say where the document as pmfolio rendered it
	// last (before anyone's edits) is kept: what a later edit or upgrade
	// merges against. Base is the portfolio path of a copy, kept when the
	// document written differs from its rendering (it holds hand edits or
	// conflict markers); else BaseBlob is the git blob of the document as
	// written, which its commit keeps. Either survives a fresh clone.
	Base     string `yaml:"base,omitempty"`
	BaseBlob string `yaml:"base_blob,omitempty"`
	// Revised is the day of the last revision (pmfolio edit --date).
	Revised string `yaml:"revised,omitempty"`
}

// MarshalRecorded writes an answers file (see MarshalAnswers) that starts
// with rec.
func MarshalRecorded(rec Record, qs []Question, answers map[string]any, header string) []byte {
	root := AnswersNode(qs, answers, rec.Track, false)
	var n yaml.Node
	// Encoding a struct of strings cannot fail.
	_ = n.Encode(rec)
	for _, c := range n.Content {
		// Dates and versions stay text, never YAML timestamps or numbers.
		if c.Kind == yaml.ScalarNode {
			c.Tag = "!!str"
		}
	}
	root.Content = append([]*yaml.Node{scalar(RecordKey), &n}, root.Content...)
	return marshal(root, header)
}

// loadRecord reads the Record of an answers file.
func (g *Given) loadRecord(file string, v *yaml.Node) error {
	if v.Kind != yaml.MappingNode {
		return yamlfile.Errorf(file, v.Line, "%s: want a mapping of kind, date, track, pack, version, base", RecordKey)
	}
	rec := &Record{}
	if err := v.Decode(rec); err != nil {
		return yamlfile.Errorf(file, v.Line, "%s: %v", RecordKey, err)
	}
	g.Record, g.RecordFile = rec, file
	return nil
}
