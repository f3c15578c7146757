package check

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// A baseline records the findings a portfolio had when a rule was adopted,
// so that CI fails only on new ones: a course can turn a rule on for the
// documents written from now on.
//
// The file is made to stay the same under edits that change none of its
// findings: entries are sorted by path, rule and fingerprint (never by
// line), and hold nothing that moves or counts (no line, no message with
// "has 72 words" in it): the section a finding is in says where to look.

// BaselineVersion is the format version of baseline files: 2 since
// fingerprints are made of the content around a finding, not its line.
// Entries written since the content fingerprint may carry it; older
// version 2 files, without it, still read.
const BaselineVersion = 2

// Baseline is a multiset of findings, matched by rule, path and
// fingerprint so that line moves do not matter, or, for a document whose
// path is gone, by rule and content fingerprint so that a renamed or
// moved document keeps its findings.
type Baseline struct {
	entries []BaselineEntry
}

type baselineFile struct {
	Version  int             `json:"version"`
	Tool     string          `json:"tool"`
	Findings []BaselineEntry `json:"findings"`
}

// BaselineEntry is one finding of a baseline.
type BaselineEntry struct {
	Rule string `json:"rule"`
	Path string `json:"path"`
	// Section is where the finding is, for the people reading the file;
	// matching ignores it.
	Section     string `json:"section,omitempty"`
	Fingerprint string `json:"fingerprint"`
	// Content is the finding's content fingerprint, which matches it
	// after its document moved.
	Content string `json:"content,omitempty"`
}

func entryOf(f *Finding) BaselineEntry {
	return BaselineEntry{Rule: f.Rule, Path: f.Path, Section: f.Section, Fingerprint: f.Fingerprint, Content: f.Content}
}

func (e BaselineEntry) key() string { return e.Rule + "\x00" + e.Path + "\x00" + e.Fingerprint }

// moved is the key of an entry whose document moved: the path is not in
// it.
func (e BaselineEntry) moved() string { return e.Rule + "\x00" + e.Content }

// MaxBaselineSize bounds a baseline file: 32 MiB holds about 150,000
// findings, a big portfolio's worth many times over.
const MaxBaselineSize = 32 << 20

// ReadBaseline parses a baseline file; name is used in errors.
func ReadBaseline(name string, data []byte) (*Baseline, error) {
	var bf baselineFile
	if err := json.Unmarshal(data, &bf); err != nil {
		return nil, fmt.Errorf("%s: not a pmfolio baseline: %v", name, err)
	}
	if bf.Version != BaselineVersion {
		return nil, fmt.Errorf("%s: baseline version %d; this pmfolio reads version %d", name, bf.Version, BaselineVersion)
	}
	return &Baseline{entries: bf.Findings}, nil
}

// Len is the number of findings in the baseline.
func (b *Baseline) Len() int { return len(b.entries) }

// WriteBaseline writes the report's errors and warnings as a baseline.
// Info findings never fail, so they are left out. Entries of keep (a
// baseline of documents this run did not check) are kept beside them.
func (r *Report) WriteBaseline(w io.Writer, keep ...BaselineEntry) error {
	var es []BaselineEntry
	r.each(func(f *Finding) {
		if f.Severity >= Warning {
			es = append(es, entryOf(f))
		}
	})
	return writeBaseline(w, append(es, keep...))
}

// writeBaseline writes entries as a baseline file, sorted.
func writeBaseline(w io.Writer, es []BaselineEntry) error {
	slices.SortStableFunc(es, func(a, b BaselineEntry) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		if c := strings.Compare(a.Rule, b.Rule); c != 0 {
			return c
		}
		return strings.Compare(a.Fingerprint, b.Fingerprint)
	})
	bf := baselineFile{Version: BaselineVersion, Tool: "pmfolio", Findings: es}
	if bf.Findings == nil {
		bf.Findings = []BaselineEntry{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(bf)
}

// Keep are the entries of b that a new baseline written from r keeps: r
// checked some documents only, and the entries of the others that are
// still there stay as they were.
func (r *Report) Keep(b *Baseline, exists func(string) bool) []BaselineEntry {
	checked := map[string]bool{}
	for _, d := range r.Documents {
		checked[d.Path] = true
	}
	var out []BaselineEntry
	for _, e := range b.entries {
		plan := r.Whole && slices.Contains(r.PlanRules, e.Rule)
		if !checked[e.Path] && !plan && (exists == nil || exists(e.Path)) {
			out = append(out, e)
		}
	}
	return out
}

// Pruned is the baseline as the last Apply found it: its entries less
// the stale ones, and those matched across a rename at their document's
// new path.
func (r *Report) Pruned(b *Baseline) []BaselineEntry {
	stale := map[int]bool{}
	for _, s := range r.stale {
		stale[s] = true
	}
	var out []BaselineEntry
	for i, e := range b.entries {
		switch {
		case stale[i]:
		case r.renamed[i] != nil:
			out = append(out, entryOf(r.renamed[i]))
		default:
			out = append(out, e)
		}
	}
	return out
}

// WritePruned writes the baseline as Pruned finds it.
func (r *Report) WritePruned(w io.Writer, b *Baseline) error {
	return writeBaseline(w, r.Pruned(b))
}
