package yamlfile

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// The suggestion helper lives here, beside the unknown-key errors it also
// serves, because every layer can import yamlfile: check may import only
// doc and yamlfile, and kinds (pack), rule ids (check), commands and
// flags (app) all want the same "did you mean" for a typo.

// Similar returns the candidates that word may be a misspelling of,
// closest first (candidates at the same distance keep their order): those
// a few edits away, counting a letter added, dropped or changed and two
// neighbours swapped as one edit each (longer words may have more), and
// those that begin with word. Case is ignored; an exact match is not a
// suggestion.
func Similar(word string, candidates []string) []string {
	w := []rune(strings.ToLower(word))
	if len(w) < 2 {
		return nil
	}
	limit := 1 + len(w)/6
	type near struct {
		name string
		dist int
	}
	var found []near
	seen := map[string]bool{}
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if seen[c] || lc == string(w) {
			continue
		}
		prefix := len(w) >= 3 && strings.HasPrefix(lc, string(w))
		// No fewer edits than the lengths differ by: most candidates are
		// out of reach without measuring the distance.
		if n := utf8.RuneCountInString(lc); !prefix && (n-len(w) > limit || len(w)-n > limit) {
			continue
		}
		d := osaDistance(w, []rune(lc))
		if d > limit && !prefix {
			continue
		}
		seen[c] = true
		found = append(found, near{c, d})
	}
	slices.SortStableFunc(found, func(a, b near) int { return a.dist - b.dist })
	out := make([]string, len(found))
	for i, f := range found {
		out[i] = f.name
	}
	return out
}

// osaDistance is the optimal string alignment distance between a and b:
// Levenshtein's insertions, deletions and substitutions, plus the swap of
// two neighbouring letters, the commonest typo ("pdr" for "prd"), as one
// edit. (The module's string-metrics library has Levenshtein and
// Jaro-Winkler only: the first counts a swap as two edits, the second
// ranks short words poorly.)
func osaDistance(a, b []rune) int {
	// Three rows of the dynamic-programming table: the one before last is
	// what a swap looks back to.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// maxSuggestions bounds a "did you mean" line: past a handful, a list
// (--list-rules, --help) serves better.
const maxSuggestions = 5

// DidYouMean phrases suggestions as a question: `did you mean "prd"?`,
// `did you mean "a" or "b"?`; "" when there are none.
func DidYouMean(suggestions []string) string {
	if len(suggestions) == 0 {
		return ""
	}
	q := make([]string, 0, maxSuggestions)
	for _, s := range suggestions[:min(len(suggestions), maxSuggestions)] {
		q = append(q, fmt.Sprintf("%q", s))
	}
	list := q[0]
	switch {
	case len(suggestions) > maxSuggestions:
		list = strings.Join(q, ", ") + fmt.Sprintf(" or one of %d more", len(suggestions)-maxSuggestions)
	case len(q) > 1:
		list = strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
	}
	return "did you mean " + list + "?"
}
