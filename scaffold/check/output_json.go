package check

import (
	"encoding/json"
	"io"
)

// JSONVersion is the version of the JSON report's shape.
const JSONVersion = 1

type jsonReport struct {
	Version   int        `json:"version"`
	Tool      jsonTool   `json:"tool"`
	Whole     bool       `json:"whole_portfolio"`
	Score     int        `json:"score"`
	Counts    Counts     `json:"counts"`
	Documents []Document `json:"documents"`
	Plan      []Finding  `json:"plan"`
	// PlanSuppressed are the plan's findings the configuration turned off.
	PlanSuppressed []Finding `json:"plan_suppressed,omitempty"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

func (o *Output) findings(fs []Finding) []Finding {
	if fs == nil {
		return nil
	}
	out := make([]Finding, len(fs))
	for i, f := range fs {
		f.Path = o.path(f.Path)
		if f.Suppression != nil {
			s := *f.Suppression
			s.File = o.path(s.File)
			f.Suppression = &s
		}
		out[i] = f
	}
	return out
}

// writeJSON is the whole report, for scripts: every document with its
// score and findings, the plan's findings and the counts.
func writeJSON(w io.Writer, r *Report, o *Output) error {
	jr := jsonReport{
		Version:        JSONVersion,
		Tool:           jsonTool{"pmfolio", o.Version},
		Whole:          r.Whole,
		Score:          r.Score,
		Counts:         r.Counts(),
		Documents:      make([]Document, 0, len(r.Documents)),
		Plan:           o.findings(r.Plan),
		PlanSuppressed: o.findings(r.PlanSuppressed),
	}
	if jr.Plan == nil {
		jr.Plan = []Finding{}
	}
	for _, d := range r.Documents {
		d.Path, d.Findings, d.Suppressed = o.path(d.Path), o.findings(d.Findings), o.findings(d.Suppressed)
		if d.Findings == nil {
			d.Findings = []Finding{}
		}
		jr.Documents = append(jr.Documents, d)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Directives quoted in suppressions read as written: <!-- ... -->.
	enc.SetEscapeHTML(false)
	return enc.Encode(jr)
}
