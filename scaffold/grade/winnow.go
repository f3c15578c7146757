package grade

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pmfolio/pmfolio/scaffold/pack"
)

// Winnowing (Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms
// for document fingerprinting", SIGMOD 2003): the text is normalised to
// its words, every run of K words is hashed, and in every window of W
// consecutive hashes the smallest is kept (the rightmost of equal ones).
// Two texts sharing a passage of at least W+K-1 words share at least one
// kept hash, and a passage shorter than K words is never a match; since
// neighbouring windows mostly keep the same hash, about 2/(W+1) of the
// hashes are kept.
const (
	winnowK = 5
	winnowW = 4
)

// token is a word of a text: the hash of its lower-case form, and where
// it is.
type token struct {
	hash       uint64
	start, end int
}

// FNV-1a's constants.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// tokens splits text into words: runs of letters and digits, lower-cased.
// Markdown's marks, punctuation and spacing are not words, so reformatting
// a passage keeps its fingerprints.
func tokens(text string) []token {
	out := make([]token, 0, len(text)/6)
	start := -1
	var h uint64
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start, h = i, fnvOffset
			}
			r = unicode.ToLower(r)
			for ; r > 0; r >>= 8 {
				h = (h ^ uint64(r&0xff)) * fnvPrime
			}
			continue
		}
		if start >= 0 {
			out = append(out, token{h, start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, token{h, start, len(text)})
	}
	return out
}

// print is a kept hash and the index of its first word.
type print struct {
	hash uint64
	at   int
}

// winnow fingerprints a text's words.
func winnow(toks []token) []print {
	if len(toks) < winnowK {
		return nil
	}
	hashes := make([]uint64, len(toks)-winnowK+1)
	for i := range hashes {
		h := uint64(fnvOffset)
		for _, t := range toks[i : i+winnowK] {
			h = (h ^ t.hash) * fnvPrime
			h ^= h >> 29
		}
		hashes[i] = h
	}
	var out []print
	last := -1
	// A text shorter than a window is one window.
	for w := 0; w == 0 || w+winnowW <= len(hashes); w++ {
		end := min(w+winnowW, len(hashes))
		m := w
		for i := w; i < end; i++ {
			if hashes[i] <= hashes[m] {
				m = i
			}
		}
		if m != last {
			out = append(out, print{hashes[m], m})
			last = m
		}
	}
	return out
}

// printSet is the distinct hashes of prints, sorted, less those of skip
// (sorted too).
func printSet(ps []print, skip []uint64) []uint64 {
	out := make([]uint64, 0, len(ps))
	for _, p := range ps {
		if _, found := slices.BinarySearch(skip, p.hash); !found {
			out = append(out, p.hash)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// templatePrints fingerprints what every student starts from: the pack's
// templates (their text, not their actions), the questions' prompts and
// help with its examples, the sections' hints and the sample answers.
// Text students share because the pack gave it to them is not
// similarity.
func templatePrints(pk *pack.Pack) []uint64 {
	var texts []string
	for _, f := range pk.Files() {
		texts = append(texts, textParts(f.Text)...)
	}
	for _, k := range pk.OrderedKinds() {
		for _, q := range k.Questions {
			texts = append(texts, q.Prompt, q.Help)
			for _, f := range q.Fields {
				texts = append(texts, f.Prompt, f.Help)
			}
		}
		for _, s := range k.Sections {
			texts = append(texts, s.Hint)
		}
		for _, sf := range k.SampleAnswers() {
			texts = append(texts, string(sf.Data))
		}
	}
	var all []uint64
	for _, t := range texts {
		for _, p := range winnow(tokens(t)) {
			all = append(all, p.hash)
		}
	}
	slices.Sort(all)
	return slices.Compact(all)
}

// textParts are a template's texts between its {{ ... }} actions, which
// are not text a student sees: words on either side of an action were
// never next to each other.
func textParts(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			return append(out, s)
		}
		out = append(out, s[:i])
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			return out
		}
		s = s[i+j+2:]
	}
}

// excerpt is text[start:end] on one line, cut to max bytes between
// characters.
func excerpt(text string, start, end, max int) string {
	s := strings.Join(strings.Fields(text[start:end]), " ")
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
