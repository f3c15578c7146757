package interview

import (
	"bytes"

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
	// Templates is the digest of what rendered the document from its
	// answers: the kind's declaration and the pack's templates
	// (pack.KindDigest). While a newer version of the pack has the same,
	// the document renders the same, and upgrade need not render it.
	Templates string `yaml:"templates,omitempty"`
}

// MarshalRecorded writes an answers file (see MarshalAnswers) that starts
// with rec.
func MarshalRecorded(rec Record, qs []Question, answers map[string]any, header string) []byte {
	root := AnswersNode(qs, answers, rec.Track, false)
	root.Content = append([]*yaml.Node{scalar(RecordKey), recordNode(rec)}, root.Content...)
	return marshal(root, header)
}

func recordNode(rec Record) *yaml.Node {
	var n yaml.Node
	// Encoding a struct of strings cannot fail.
	_ = n.Encode(rec)
	for _, c := range n.Content {
		// Dates and versions stay text, never YAML timestamps or numbers.
		if c.Kind == yaml.ScalarNode {
			c.Tag = "!!str"
		}
	}
	return &n
}

// ReadRecord reads the record of an answers file MarshalRecorded wrote
// without reading its answers: the record block at its top. ok is false
// when the file does not start (after its comments) with one.
func ReadRecord(file string, data []byte) (rec *Record, ok bool, err error) {
	start, end, ok := recordBlock(data)
	if !ok {
		return nil, false, nil
	}
	root, err := yamlfile.Parse(file, data[start:end])
	if err != nil {
		return nil, false, err
	}
	g := NewGiven()
	if err := g.LoadNode(file, root); err != nil {
		return nil, false, err
	}
	return g.Record, g.Record != nil, nil
}

// recordBlock finds the bytes data[start:end] of the record block of an
// answers file: its lines from "RECORDKEY:" on while they are indented,
// after the comment lines at the top.
func recordBlock(data []byte) (start, end int, ok bool) {
	lines := bytes.SplitAfter(data, []byte("\n"))
	i := 0
	for i < len(lines) && bytes.HasPrefix(lines[i], []byte("#")) {
		start += len(lines[i])
		i++
	}
	if i == len(lines) || string(bytes.TrimRight(lines[i], "\n")) != RecordKey+":" {
		return 0, 0, false
	}
	end = start + len(lines[i])
	for i++; i < len(lines) && bytes.HasPrefix(lines[i], []byte("  ")); i++ {
		end += len(lines[i])
	}
	return start, end, true
}

// ReplaceRecord returns an answers file MarshalRecorded wrote, with its
// record replaced by rec and every other byte as it was: for a document
// whose answers are the same, without encoding them again. ok is false
// when data does not start (after its comments) with the record.
func ReplaceRecord(data []byte, rec Record) (out []byte, ok bool) {
	start, end, ok := recordBlock(data)
	if !ok {
		return data, false
	}
	root := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{scalar(RecordKey), recordNode(rec)}}
	var b bytes.Buffer
	b.Write(data[:start])
	b.Write(marshal(root, ""))
	b.Write(data[end:])
	return b.Bytes(), true
}

// HasRecord reports whether ReplaceRecord can replace the record of data.
func HasRecord(data []byte) bool {
	_, _, ok := recordBlock(data)
	return ok
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
