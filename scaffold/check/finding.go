package check

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
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
}

// fingerprint hashes what stays the same while a document is edited
// around a finding.
func fingerprint(rule, path, lineText string) string {
	h := sha256.New()
	h.Write([]byte(rule))
	h.Write([]byte{0})
	h.Write([]byte(path))
	h.Write([]byte{0})
	h.Write([]byte(strings.Join(strings.Fields(lineText), " ")))
	return hex.EncodeToString(h.Sum(nil)[:8])
}
