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
	return o.appendFindings(make([]Finding, 0, len(fs)), fs)
}

// appendFindings appends fs to out with their paths as o writes them.
func (o *Output) appendFindings(out, fs []Finding) []Finding {
	for _, f := range fs {
		f.Path = o.path(f.Path)
		if f.Suppression != nil {
			s := *f.Suppression
			s.File = o.path(s.File)
			f.Suppression = &s
		}
		out = append(out, f)
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
// quoted in suppressions read as written, <!-- ... -->. It indents with
// indentJSON: json's indenting re-scans the output byte by byte with its
// validating scanner, which cost more than encoding.
func marshalIndent(v any, prefix, indent string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if prefix == "" && indent == "" {
		// As json.Encoder: no indent at all, not lines without one.
		return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
	}
	return indentJSON(nil, b.Bytes(), prefix, indent), nil
}

// indentJSON appends src, valid JSON from encoding/json, indented as
// json.Indent indents it: a new line for each element of an object or
// array, none inside an empty one ({} and []), a space after a colon,
// whitespace outside strings dropped.
func indentJSON(dst, src []byte, prefix, indent string) []byte {
	newline := func(depth int) {
		dst = append(dst, '\n')
		dst = append(dst, prefix...)
		for i := 0; i < depth; i++ {
			dst = append(dst, indent...)
		}
	}
	needIndent, depth := false, 0
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		if needIndent && c != '}' && c != ']' {
			needIndent = false
			depth++
			newline(depth)
		}
		switch c {
		case '"':
			// The string, to its closing quote (one no backslash
			// escapes), as it is.
			j := i + 1
			for {
				k := bytes.IndexByte(src[j:], '"')
				if k < 0 {
					j = len(src)
					break
				}
				j += k
				n := 0
				for n < j-i-1 && src[j-1-n] == '\\' {
					n++
				}
				j++
				if n%2 == 0 {
					break
				}
			}
			dst = append(dst, src[i:j]...)
			i = j - 1
		case '{', '[':
			needIndent = true
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline(depth)
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if needIndent {
				needIndent = false
			} else {
				depth--
				newline(depth)
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
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
	var compact, indented []byte
	// A document is written before the next is read: its findings'
	// copies go in one buffer, never nil (no findings are [], not null).
	findings := make([]Finding, 0, 64)
	for i, d := range r.Documents {
		findings = o.appendFindings(findings[:0], d.Findings)
		d.Path, d.Findings, d.Suppressed = o.path(d.Path), findings, o.suppressed(d.Suppressed)
		if d.DependsOn != "" {
			d.DependsOn = o.path(d.DependsOn)
		}
		compact = appendDocumentJSON(compact[:0], &d)
		indented = indentJSON(indented[:0], compact, "    ", "  ")
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(indented)
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
