package check

import (
	"encoding/hex"
	"hash/fnv"
)

// Finding is one thing a rule found wrong in a document or the portfolio.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	// Path is slash-separated and relative to the portfolio root (or to
	// the working folder outside a portfolio).
	Path string `json:"path"`
	// Line is 1-based; 0 when the finding is about the file as a whole.
	Line      int    `json:"line"`
	Message   string `json:"message"`
	Framework string `json:"framework,omitempty"`
	// Fingerprint identifies the finding across edits that move it: the
	// rule, the file and the text of the flagged line, not its number.
	Fingerprint string `json:"fingerprint"`
	// Baselined findings are in the baseline file and do not fail.
	Baselined bool `json:"baselined,omitempty"`
	// Failing findings make check exit 1: errors, and warnings with --strict.
	Failing bool `json:"failing"`
	// Suppression says what turned a suppressed finding off; nil for a
	// finding that counts.
	Suppression *Suppression `json:"suppression,omitempty"`
}

// Suppression records what turned a finding off, so that a grader sees
// every finding a directive or a setting hid: which rule, where, by what.
type Suppression struct {
	// Kind is where the suppression lives, as SARIF names it: "inSource"
	// (a directive in the document) or "external" (the configuration).
	Kind string `json:"kind"`
	// By is the directive or the setting: "<!-- pmfolio-disable-file -->",
	// "check: rules: story/first-person off".
	By string `json:"by"`
	// File and Line are where it is written.
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
}

// Suppression kinds.
const (
	InSource = "inSource"
	External = "external"
)

// fingerprint hashes what stays the same while a document is edited
// around a finding. It identifies, it does not protect: FNV is enough.
func fingerprint(rule, path, lineText string) string {
	h := fnv.New64a()
	h.Write([]byte(rule))
	h.Write([]byte{0})
	h.Write([]byte(path))
	h.Write([]byte{0})
	// Spacing is collapsed: re-wrapping or re-indenting a line keeps it.
	var b []byte
	space := false
	for i := 0; i < len(lineText); i++ {
		switch c := lineText[i]; c {
		case ' ', '\t', '\r', '\n':
			space = len(b) > 0
		default:
			if space {
				b = append(b, ' ')
				space = false
			}
			b = append(b, c)
		}
	}
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}
