package check

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// JSONVersion is the version of the JSON report's shape.
const JSONVersion = 1

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

func (o *Output) findings(fs []Finding) []Finding {
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

// jsonField is a top-level field of the JSON report.
type jsonField struct {
	name string
	v    any
}

// suppressed is findings for the suppressed ones: none, none written.
func (o *Output) suppressed(fs []Finding) []Finding {
	if len(fs) == 0 {
		return nil
	}
	return o.findings(fs)
}

// marshalIndent is json.MarshalIndent without HTML escaping: directives
// quoted in suppressions read as written, <!-- ... -->.
func marshalIndent(v any, prefix, indent string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, indent)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// writeJSON is the whole report, for scripts: every document with its
// score and findings, the plan's findings and progress, and the counts.
// It is streamed document by document, in the layout of an indenting
// json.Encoder.
func writeJSON(w io.Writer, r *Report, o *Output) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	field := func(name string, v any, last bool) error {
		data, err := marshalIndent(v, "  ", "  ")
		if err != nil {
			return err
		}
		fmt.Fprintf(bw, "  %q: %s", name, data)
		if !last {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
		return nil
	}
	bw.WriteString("{\n")
	for _, f := range []jsonField{{"version", JSONVersion}, {"tool", jsonTool{"pmfolio", o.Version}}, {"whole_portfolio", r.Whole}, {"score", r.Score}, {"counts", r.Counts()}} {
		if err := field(f.name, f.v, false); err != nil {
			return err
		}
	}
	bw.WriteString("  \"documents\": [")
	for i, d := range r.Documents {
		d.Path, d.Findings, d.Suppressed = o.path(d.Path), o.findings(d.Findings), o.suppressed(d.Suppressed)
		if d.DependsOn != "" {
			d.DependsOn = o.path(d.DependsOn)
		}
		data, err := marshalIndent(d, "    ", "  ")
		if err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(data)
	}
	if len(r.Documents) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("],\n")
	tail := []jsonField{{"plan", o.findings(r.Plan)}}
	if len(r.PlanSuppressed) > 0 {
		tail = append(tail, jsonField{"plan_suppressed", o.findings(r.PlanSuppressed)})
	}
	if len(r.Skipped) > 0 {
		skipped := make([]Skipped, len(r.Skipped))
		for i, sk := range r.Skipped {
			skipped[i] = Skipped{Path: o.path(sk.Path), Reason: sk.Reason}
		}
		tail = append(tail, jsonField{"skipped", skipped})
	}
	if stale := r.Stale(); len(stale) > 0 {
		for i := range stale {
			stale[i].Path = o.path(stale[i].Path)
		}
		tail = append(tail, jsonField{"stale_baseline", stale})
	}
	if r.Progress != nil {
		tail = append(tail, jsonField{"progress", r.Progress})
	}
	for i, f := range tail {
		if err := field(f.name, f.v, i == len(tail)-1); err != nil {
			return err
		}
	}
	bw.WriteString("}\n")
	return bw.Flush()
}
