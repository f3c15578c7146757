package check

import (
	"encoding/json"
	"io"
)

// JSONVersion is the version of the JSON report's shape.
const JSONVersion = 1

type jsonReport struct {
	Version   int            `json:"version"`
	Tool      jsonTool       `json:"tool"`
	Whole     bool           `json:"whole_portfolio"`
	Score     int            `json:"score"`
	Counts    Counts         `json:"counts"`
	Documents []jsonDocument `json:"documents"`
	Plan      []Finding      `json:"plan"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonDocument struct {
	Path     string    `json:"path"`
	Kind     string    `json:"kind"`
	Track    string    `json:"track"`
	Title    string    `json:"title"`
	Score    int       `json:"score"`
	Findings []Finding `json:"findings"`
}

func (o *Output) findings(fs []Finding) []Finding {
	out := make([]Finding, len(fs))
	for i, f := range fs {
		f.Path = o.path(f.Path)
		out[i] = f
	}
	return out
}

// writeJSON is the whole report, for scripts: every document with its
// score and findings, the plan's findings and the counts.
func writeJSON(w io.Writer, r *Report, o *Output) error {
	jr := jsonReport{
		Version:   JSONVersion,
		Tool:      jsonTool{"pmfolio", o.Version},
		Whole:     r.Whole,
		Score:     r.Score,
		Counts:    r.Counts(),
		Documents: make([]jsonDocument, 0, len(r.Documents)),
		Plan:      o.findings(r.Plan),
	}
	for _, d := range r.Documents {
		jr.Documents = append(jr.Documents, jsonDocument{Path: o.path(d.Path), Kind: d.Kind, Track: d.Track, Title: d.Title, Score: d.Score, Findings: o.findings(d.Findings)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(jr)
}
