package grade

import (
	"cmp"
	"slices"
	"sort"
	"strings"
)

// The similarity review: every graded document is fingerprinted
// (winnow.go), the pack's own text is subtracted, fingerprints that more
// than a share of the cohort has are ignored (everybody starting from the
// same template, or quoting the same example, is not similarity), and
// pairs of documents of two students that share more than the threshold
// are listed with the passages they share, for a person to review.

// SimilarityReport is similarity.json.
type SimilarityReport struct {
	Method string `json:"method"`
	// K and Window are winnowing's parameters: K-word runs, the smallest
	// hash of every Window of them.
	K            int     `json:"k"`
	Window       int     `json:"window"`
	Threshold    float64 `json:"threshold"`
	MinShared    int     `json:"min_shared"`
	IgnoreCommon float64 `json:"ignore_common"`
	Note         string  `json:"note"`
	Pairs        []Pair  `json:"pairs"`
}

// Pair is two documents, of two students, that share more text than the
// threshold.
type Pair struct {
	A PairDoc `json:"a"`
	B PairDoc `json:"b"`
	// Similarity is the share of the smaller document's fingerprints the
	// other holds; Shared how many they share.
	Similarity Points    `json:"similarity"`
	Shared     int       `json:"shared"`
	Passages   []Passage `json:"passages"`
}

// PairDoc is one side of a pair.
type PairDoc struct {
	Student string `json:"student"`
	Path    string `json:"path"`
	Kind    string `json:"kind"`
}

// Passage is a passage of A found in B: where it is in each, and its text
// (from A).
type Passage struct {
	ALine int    `json:"a_line"`
	BLine int    `json:"b_line"`
	Text  string `json:"text"`
}

const similarityNote = "Pairs of documents by two students that share more text than the cohort usually does, after the pack's own text and text most of the cohort shares are left out. Similarity is something to review, not a finding of plagiarism: students may have worked together as allowed, quoted the same source, or written alike."

// simDoc is a document's fingerprints.
type simDoc struct {
	student int
	doc     PairDoc
	prints  []uint64
}

// similarity gathers the cohort's fingerprints.
type similarity struct {
	opts     Similarity
	template []uint64
	docs     []simDoc
	// common are the fingerprints too many students have.
	common map[uint64]bool
}

// add fingerprints a student's documents.
func (s *similarity) add(student int, id string, docs []DocResult, texts []textNote) {
	kind := map[string]string{}
	for _, d := range docs {
		kind[d.Path] = d.Kind
	}
	for _, t := range texts {
		set := printSet(winnow(tokens(t.Text)), s.template)
		if len(set) == 0 {
			continue
		}
		s.docs = append(s.docs, simDoc{student: student, doc: PairDoc{Student: id, Path: t.Path, Kind: kind[t.Path]}, prints: set})
	}
}

// pairs lists the pairs over the threshold, most similar first.
func (s *similarity) pairs() []Pair {
	if s.opts.Off {
		return nil
	}
	// How many students have each fingerprint.
	students := map[int]bool{}
	holders := map[uint64][]int{} // fingerprint -> documents
	for i, d := range s.docs {
		students[d.student] = true
		for _, h := range d.prints {
			holders[h] = append(holders[h], i)
		}
	}
	limit := max(2, int(s.opts.IgnoreCommon*float64(len(students))))
	common := map[uint64]bool{}
	for h, ds := range holders {
		n := map[int]bool{}
		for _, d := range ds {
			n[s.docs[d].student] = true
		}
		if len(n) > limit {
			common[h] = true
		}
	}
	kept := make([]int, len(s.docs))
	for i, d := range s.docs {
		for _, h := range d.prints {
			if !common[h] {
				kept[i]++
			}
		}
	}
	shared := map[[2]int]int{}
	for h, ds := range holders {
		if common[h] || len(ds) < 2 {
			continue
		}
		for x := 0; x < len(ds); x++ {
			for y := x + 1; y < len(ds); y++ {
				a, b := ds[x], ds[y]
				if s.docs[a].student == s.docs[b].student {
					continue
				}
				if s.docs[a].student > s.docs[b].student {
					a, b = b, a
				}
				shared[[2]int{a, b}]++
			}
		}
	}
	var out []Pair
	for k, n := range shared {
		a, b := s.docs[k[0]], s.docs[k[1]]
		smaller := min(kept[k[0]], kept[k[1]])
		if n < s.opts.MinShared || smaller == 0 {
			continue
		}
		sim := float64(n) / float64(smaller)
		if sim < s.opts.Threshold {
			continue
		}
		out = append(out, Pair{A: a.doc, B: b.doc, Similarity: Points(round2(sim)), Shared: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Similarity != out[j].Similarity {
			return out[i].Similarity > out[j].Similarity
		}
		return cmp.Or(strings.Compare(out[i].A.Student, out[j].A.Student), strings.Compare(out[i].A.Path, out[j].A.Path),
			strings.Compare(out[i].B.Student, out[j].B.Student), strings.Compare(out[i].B.Path, out[j].B.Path)) < 0
	})
	s.common = common
	return out
}

// passages finds what a pair shares: the runs of A's words covered by
// fingerprints B has too (and that are neither the pack's nor common),
// joined where they overlap or touch, longest first.
func (s *similarity) passages(a, b textNote) []Passage {
	ta, tb := tokens(a.Text), tokens(b.Text)
	pa, pb := winnow(ta), winnow(tb)
	inB := map[uint64]int{}
	for _, p := range pb {
		if _, ok := inB[p.hash]; !ok {
			inB[p.hash] = p.at
		}
	}
	type span struct{ from, to, bAt int }
	var spans []span
	for _, p := range pa {
		bAt, ok := inB[p.hash]
		if !ok || s.common[p.hash] {
			continue
		}
		if _, tmpl := slices.BinarySearch(s.template, p.hash); tmpl {
			continue
		}
		if n := len(spans); n > 0 && p.at <= spans[n-1].to {
			spans[n-1].to = max(spans[n-1].to, p.at+winnowK)
			continue
		}
		spans = append(spans, span{p.at, p.at + winnowK, bAt})
	}
	slices.SortStableFunc(spans, func(x, y span) int { return (y.to - y.from) - (x.to - x.from) })
	var out []Passage
	for _, sp := range spans[:min(len(spans), maxPassages)] {
		start, end := ta[sp.from].start, ta[sp.to-1].end
		out = append(out, Passage{
			ALine: a.Line + strings.Count(a.Text[:start], "\n"),
			BLine: b.Line + strings.Count(b.Text[:tb[sp.bAt].start], "\n"),
			Text:  excerpt(a.Text, start, end, 400),
		})
	}
	return out
}

const maxPassages = 5
