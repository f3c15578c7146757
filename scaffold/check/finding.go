package check

import (
	"encoding/binary"
	"encoding/hex"
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
	// Fingerprint identifies the finding across edits that move it and
	// tells it apart from every other finding: see fingerprint.
	Fingerprint string `json:"fingerprint"`
	// Content is the same hash without the document's path: it follows
	// the finding when its document is renamed or moved (baselines match
	// by it when a document's old path is gone).
	Content string `json:"content_fingerprint"`
	// Section is the section the finding is in, normalised (the pack's
	// name for it, whatever heading matched); "" before any heading.
	Section string `json:"section,omitempty"`
	// Baselined findings are in the baseline file and do not fail.
	Baselined bool `json:"baselined,omitempty"`
	// Failing findings make check exit 1: errors, and warnings with --strict.
	Failing bool `json:"failing"`
	// Points are what the finding takes off its document's score: 10 for
	// an error and 2 for a warning, times its units.
	Points int `json:"points"`
	// Suppression says what turned a suppressed finding off; nil for a
	// finding that counts.
	Suppression *Suppression `json:"suppression,omitempty"`

	// units is how many errors or warnings the finding counts for (0 is
	// one): the missing sections of a document are one finding that
	// counts for a few, bounded.
	units int
	// subject is what the finding is about within its section, for its
	// fingerprint; "" is the text of its line.
	subject string
	// cost is Points before a baseline waived them (see Report.Apply).
	cost int
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
// around a finding: the rule, the document (its path), the section the
// finding is in (the pack's name for it, whatever heading matched), what
// the finding is about (the placeholder, the item, or the flagged line's
// text, spacing collapsed) and, for findings alike in all of that, their
// order. No line number goes in: moving unrelated lines, or the whole
// section, keeps it. It identifies, it does not protect: FNV is enough.
//
// The content fingerprint is the same hash of the same parts but the
// path: the finding as it reads, wherever its document is.
func fingerprint(rule, path, section, subject string, ordinal int) (fp, content string) {
	// Both hashes in one pass: both start with the rule, the path goes
	// into the first only, the rest into both at once; their texts
	// share one allocation.
	var h fnvPair
	h[0] = fnvOffset
	h[0].add(rule)
	h[0].add("\x00")
	h[1] = h[0]
	h[0].add(path)
	h[0].add("\x00")
	h.add(section)
	h.add("\x00")
	h.addCollapsed(subject)
	h.add(string([]byte{0, byte(ordinal), byte(ordinal >> 8), byte(ordinal >> 16)}))
	var sum [16]byte
	binary.BigEndian.PutUint64(sum[:8], uint64(h[0]))
	binary.BigEndian.PutUint64(sum[8:], uint64(h[1]))
	both := hex.EncodeToString(sum[:])
	return both[:16], both[16:]
}

// fnvPair is two FNV-1a hashes fed the same bytes.
type fnvPair [2]fnv64a

func (h *fnvPair) add(s string) {
	a, b := h[0], h[1]
	for i := 0; i < len(s); i++ {
		a = (a ^ fnv64a(s[i])) * fnvPrime
		b = (b ^ fnv64a(s[i])) * fnvPrime
	}
	h[0], h[1] = a, b
}

// addCollapsed adds s trimmed, with its runs of spaces as one space:
// re-wrapping or re-indenting a line keeps its fingerprint.
func (h *fnvPair) addCollapsed(s string) {
	a, b := h[0], h[1]
	space, started := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if collapsedSpace[c] {
			space = started
			continue
		}
		if space {
			a = (a ^ ' ') * fnvPrime
			b = (b ^ ' ') * fnvPrime
			space = false
		}
		started = true
		a = (a ^ fnv64a(c)) * fnvPrime
		b = (b ^ fnv64a(c)) * fnvPrime
	}
	h[0], h[1] = a, b
}

// fnv64a is FNV-1a, 64 bits (hash/fnv's New64a), fed strings without
// copying them.
type fnv64a uint64

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func (h *fnv64a) add(s string) {
	for i := 0; i < len(s); i++ {
		*h ^= fnv64a(s[i])
		*h *= fnvPrime
	}
}

// collapsedSpace are the bytes addCollapsed collapses.
var collapsedSpace = [256]bool{' ': true, '\t': true, '\r': true, '\n': true}
