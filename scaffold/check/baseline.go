package check

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
)

// A baseline records the findings a portfolio had when a rule was adopted,
// so that CI fails only on new ones: a course can turn a rule on for the
// documents written from now on.

// BaselineVersion is the format version of baseline files: 2 since
// fingerprints are made of the content around a finding, not its line.
const BaselineVersion = 2

// Baseline is a multiset of findings, matched by rule, path and
// fingerprint so that line moves do not matter.
type Baseline struct {
	count map[string]int
}

type baselineFile struct {
	Version  int             `json:"version"`
	Tool     string          `json:"tool"`
	Findings []baselineEntry `json:"findings"`
}

type baselineEntry struct {
	Rule        string `json:"rule"`
	Path        string `json:"path"`
	Fingerprint string `json:"fingerprint"`
	// Message is for the people reading the file; matching ignores it.
	Message string `json:"message,omitempty"`
}

func baselineKey(f *Finding) string {
	return f.Rule + "\x00" + f.Path + "\x00" + f.Fingerprint
}

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
	b := &Baseline{count: map[string]int{}}
	for _, e := range bf.Findings {
		b.count[baselineKey(&Finding{Rule: e.Rule, Path: e.Path, Fingerprint: e.Fingerprint})]++
	}
	return b, nil
}

// WriteBaseline writes the report's errors and warnings as a baseline.
// Info findings never fail, so they are left out.
func (r *Report) WriteBaseline(w io.Writer) error {
	bf := baselineFile{Version: BaselineVersion, Tool: "pmfolio", Findings: []baselineEntry{}}
	r.each(func(f *Finding) {
		if f.Severity >= Warning {
			bf.Findings = append(bf.Findings, baselineEntry{Rule: f.Rule, Path: f.Path, Fingerprint: f.Fingerprint, Message: f.Message})
		}
	})
	sort.SliceStable(bf.Findings, func(i, j int) bool {
		a, b := bf.Findings[i], bf.Findings[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Rule < b.Rule
	})
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(bf)
}

// Len is the number of findings in the baseline.
func (b *Baseline) Len() int {
	n := 0
	for _, c := range b.count {
		n += c
	}
	return n
}
