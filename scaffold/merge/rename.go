package merge

import (
	"bytes"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/doc"
)

// RenameSections gives the `##` sections of a document whose headings are
// keys of renames (case and spacing ignored) the heading renames maps them
// to, leaving every other byte as it was: a pack's migration applied to
// the base and to your file before they are merged with the new version,
// so that a renamed section is still the same section.
func RenameSections(data []byte, renames map[string]string) []byte {
	if len(renames) == 0 {
		return data
	}
	to := make(map[string]string, len(renames))
	for from, name := range renames {
		to[normal(from)] = name
	}
	p := split(data)
	var out bytes.Buffer
	head := len(data) - len(p.body)
	out.Write(data[:head])
	body := p.body
	last := 0
	for _, h := range doc.Outline(body) {
		name, ok := to[normal(h.Text)]
		if h.Level != 2 || !ok || h.Offset < last {
			continue
		}
		end := len(body)
		if nl := bytes.IndexByte(body[h.Offset:], '\n'); nl >= 0 {
			end = h.Offset + nl
		}
		line := string(body[h.Offset:end])
		out.Write(body[last:h.Offset])
		if t := strings.TrimLeft(line, " "); strings.HasPrefix(t, "#") {
			out.WriteString("## " + name)
		} else {
			// A setext heading: its text line; the underline stays.
			out.WriteString(name)
		}
		if strings.HasSuffix(line, "\r") {
			out.WriteByte('\r')
		}
		last = end
	}
	out.Write(body[last:])
	return out.Bytes()
}

func normal(heading string) string {
	return strings.ToLower(strings.Join(strings.Fields(heading), " "))
}
