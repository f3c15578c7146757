package check

import (
	"slices"
	"strconv"
	"unicode/utf8"
)

// A SARIF log of a large run has a result per finding, a hundred thousand
// of them: they are encoded by hand, as encoding/json encodes them
// without HTML escaping (TestSARIFResultIsJSONs holds them to that),
// rather than through its reflection.

func appendSARIFResult(b []byte, r *sarifResult) []byte {
	b = append(b, `{"ruleId":`...)
	b = appendJSONString(b, r.RuleID)
	b = append(b, `,"ruleIndex":`...)
	b = strconv.AppendInt(b, int64(r.RuleIndex), 10)
	b = append(b, `,"level":`...)
	b = appendJSONString(b, r.Level)
	b = append(b, `,"message":`...)
	b = appendSARIFText(b, &r.Message)
	b = append(b, `,"locations":`...)
	if r.Locations == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Locations {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendSARIFLocation(b, &r.Locations[i])
		}
		b = append(b, ']')
	}
	b = append(b, `,"partialFingerprints":`...)
	if r.PartialFingerprints == nil {
		b = append(b, "null"...)
	} else {
		keys := make([]string, 0, len(r.PartialFingerprints))
		for k := range r.PartialFingerprints {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = appendJSONString(b, r.PartialFingerprints[k])
		}
		b = append(b, '}')
	}
	if r.BaselineState != "" {
		b = append(b, `,"baselineState":`...)
		b = appendJSONString(b, r.BaselineState)
	}
	if len(r.Suppressions) > 0 {
		b = append(b, `,"suppressions":[`...)
		for i := range r.Suppressions {
			s := &r.Suppressions[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"kind":`...)
			b = appendJSONString(b, s.Kind)
			b = append(b, `,"justification":`...)
			b = appendJSONString(b, s.Justification)
			if s.Location != nil {
				b = append(b, `,"location":`...)
				b = appendSARIFLocation(b, s.Location)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func appendSARIFText(b []byte, t *sarifText) []byte {
	b = append(b, `{"text":`...)
	b = appendJSONString(b, t.Text)
	if t.Markdown != "" {
		b = append(b, `,"markdown":`...)
		b = appendJSONString(b, t.Markdown)
	}
	return append(b, '}')
}

func appendSARIFLocation(b []byte, l *sarifLocation) []byte {
	b = append(b, `{"physicalLocation":{"artifactLocation":{"uri":`...)
	b = appendJSONString(b, l.PhysicalLocation.ArtifactLocation.URI)
	b = append(b, `,"uriBaseId":`...)
	b = appendJSONString(b, l.PhysicalLocation.ArtifactLocation.URIBaseID)
	b = append(b, `},"region":{"startLine":`...)
	b = strconv.AppendInt(b, int64(l.PhysicalLocation.Region.StartLine), 10)
	return append(b, "}}}"...)
}

// appendJSONString is encoding/json's string encoding without HTML
// escaping: quotes and backslashes escaped, control characters as \n,
// \r, \t, \b, \f or \u00XX, invalid UTF-8 as \ufffd, and U+2028 and U+2029
// escaped for JavaScript.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendDocumentJSON is encoding/json's compact encoding of d, without
// HTML escaping (TestDocumentJSONIsJSONs holds it to that): the JSON
// report's documents, each with its findings, encoded by hand too.
func appendDocumentJSON(b []byte, d *Document) []byte {
	b = append(b, `{"path":`...)
	b = appendJSONString(b, d.Path)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, d.Kind)
	b = append(b, `,"track":`...)
	b = appendJSONString(b, d.Track)
	b = append(b, `,"title":`...)
	b = appendJSONString(b, d.Title)
	if d.KindFrom != "" {
		b = append(b, `,"kind_from":`...)
		b = appendJSONString(b, d.KindFrom)
	}
	b = append(b, `,"score":`...)
	b = strconv.AppendInt(b, int64(d.Score), 10)
	b = append(b, `,"findings":`...)
	b = appendFindingsJSON(b, d.Findings)
	if d.DependsOn != "" {
		b = append(b, `,"depends_on":`...)
		b = appendJSONString(b, d.DependsOn)
	}
	if len(d.Suppressed) > 0 {
		b = append(b, `,"suppressed":`...)
		b = appendFindingsJSON(b, d.Suppressed)
	}
	return append(b, '}')
}

func appendFindingsJSON(b []byte, fs []Finding) []byte {
	if fs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range fs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendFindingJSON(b, &fs[i])
	}
	return append(b, ']')
}

func appendFindingJSON(b []byte, f *Finding) []byte {
	b = append(b, `{"rule":`...)
	b = appendJSONString(b, f.Rule)
	b = append(b, `,"severity":`...)
	b = appendJSONString(b, f.Severity.String())
	b = append(b, `,"path":`...)
	b = appendJSONString(b, f.Path)
	b = append(b, `,"line":`...)
	b = strconv.AppendInt(b, int64(f.Line), 10)
	b = append(b, `,"message":`...)
	b = appendJSONString(b, f.Message)
	if f.Framework != "" {
		b = append(b, `,"framework":`...)
		b = appendJSONString(b, f.Framework)
	}
	b = append(b, `,"fingerprint":`...)
	b = appendJSONString(b, f.Fingerprint)
	b = append(b, `,"content_fingerprint":`...)
	b = appendJSONString(b, f.Content)
	if f.Section != "" {
		b = append(b, `,"section":`...)
		b = appendJSONString(b, f.Section)
	}
	if f.Baselined {
		b = append(b, `,"baselined":true`...)
	}
	b = append(b, `,"failing":`...)
	b = strconv.AppendBool(b, f.Failing)
	b = append(b, `,"points":`...)
	b = strconv.AppendInt(b, int64(f.Points), 10)
	if s := f.Suppression; s != nil {
		b = append(b, `,"suppression":{"kind":`...)
		b = appendJSONString(b, s.Kind)
		b = append(b, `,"by":`...)
		b = appendJSONString(b, s.By)
		b = append(b, `,"file":`...)
		b = appendJSONString(b, s.File)
		if s.Line != 0 {
			b = append(b, `,"line":`...)
			b = strconv.AppendInt(b, int64(s.Line), 10)
		}
		b = append(b, '}')
	}
	return append(b, '}')
}
