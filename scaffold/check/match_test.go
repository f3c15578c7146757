package check

import (
	"math/rand"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// packPatterns reads the default pack's patterns straight from its file:
// package check may not import the pack loader, and its tests need not.
func packPatterns(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("../../templates/pack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Kinds map[string]struct {
			Rules []struct{ Require, Forbid string }
		}
	}
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, k := range m.Kinds {
		for _, r := range k.Rules {
			for _, p := range []string{r.Require, r.Forbid} {
				if p != "" {
					out = append(out, p)
				}
			}
		}
	}
	if len(out) < 20 {
		t.Fatalf("only %d patterns in the pack", len(out))
	}
	return out
}

// naive is what a matcher must agree with: the expression run on each
// paragraph.
func naive(re *regexp.Regexp, text string) [][2]int {
	var out [][2]int
	for _, c := range paragraphs(text) {
		for _, loc := range re.FindAllStringIndex(text[c[0]:c[1]], -1) {
			out = append(out, [2]int{c[0] + loc[0], c[0] + loc[1]})
		}
	}
	return out
}

var matchTexts = []string{
	"TODO: write this.\n\nWe saw a trade-off here, rather than there.\n\n> \"I would pay for it,\" she said.",
	"| P0 | Rank invoices |\n| P1 | Bulk confirm |\n\nThe rollout ran at 10% then 50%.\n\nRollback: turn the flag off.",
	"When a customer pays,\nI want it applied, so I can close the month.\n\nSignificantly better, NEARLY ALL of them, arguably.",
	"lorem ipsum dolor\n\n[Insert the metric here] and {{ .Answers.title }}\n\nA \u212aelvin sign: \u212a and a long ſ.",
	"xTBDx TBD tbd TBDs\n\ngo no-go investigate pivot; going ago\n\n- Build a thing\n- add a thing\n1. Create it",
	"Mail me at a@b.co. Human error caused it; nobody is to blame.\n\nWithin 30 days, 99.9% of requests, p95 under 300 ms over a rolling 28 days.",
}

func TestMatcherAgreesWithRegexp(t *testing.T) {
	patterns := append(packPatterns(t), weaselRE().re.String(), rollbackRE().re.String(),
		`(?m)^\s*[-*]\s+\w+`, `\bx\b`, `a|b`, `(?i)kelvin`, `(?i)k`, `\d`, `[0-9]+%`)
	for _, f := range placeholderFamilies() {
		patterns = append(patterns, f.m.re.String())
	}
	rng := rand.New(rand.NewSource(1))
	texts := append([]string(nil), matchTexts...)
	if examples, err := os.ReadFile("testdata/portfolio/prd/2026-01-26-suggested-matches.md"); err == nil {
		texts = append(texts, string(examples))
	}
	// Shuffled and re-cased variants reach windows and paragraph edges
	// the hand-written texts do not.
	for i := 0; i < 40; i++ {
		parts := strings.Fields(strings.Join(matchTexts, " \n\n "))
		rng.Shuffle(len(parts), func(a, b int) { parts[a], parts[b] = parts[b], parts[a] })
		var b strings.Builder
		for j, p := range parts {
			if rng.Intn(4) == 0 {
				p = strings.ToUpper(p)
			}
			b.WriteString(p)
			switch rng.Intn(8) {
			case 0:
				b.WriteString("\n\n")
			case 1:
				b.WriteString("\n")
			default:
				if j < len(parts)-1 {
					b.WriteString(" ")
				}
			}
		}
		texts = append(texts, b.String())
	}
	for _, pat := range patterns {
		re := regexp.MustCompile(pat)
		m := newMatcher(re)
		// The matcher on its own (literal search) and through a literal
		// index, as documents are searched.
		set := newLitSet(append(append([]string(nil), m.lits...), exoticLetters...))
		ids := map[*matcher][]int32{}
		for i := range m.lits {
			ids[m] = append(ids[m], int32(i))
		}
		exotic := []int32{int32(len(m.lits)), int32(len(m.lits) + 1)}
		for _, text := range texts {
			if got, want := m.matchString(text), re.MatchString(text); got != want {
				t.Errorf("matchString %q on %q = %v, want %v", pat, text, got, want)
			}
			want := naive(re, text)
			indexed := &prose{text: text, index: &docIndex{set: set, ids: ids, text: text, exoticIDs: exotic}}
			for name, p := range map[string]*prose{"plain": newProse(text), "indexed": indexed} {
				got := m.find(p, -1)
				if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
					t.Errorf("%s %q on %q:\n got %v\nwant %v (lits %q span %d)", name, pat, text, got, want, m.lits, m.span)
				}
				if m.match(p) != (len(want) > 0) {
					t.Errorf("%s %q: match on %q = %v, want %v", name, pat, text, m.match(p), len(want) > 0)
				}
			}
		}
	}
}

func TestRequiredLiterals(t *testing.T) {
	for pat, want := range map[string][]string{
		`\b(?:TBD|TODO)\b`:          {"TBD", "TODO"},
		`(?i)trade-?off|instead of`: {"trade", "instead of"},
		`["“][^"”\n]*\bI would\b`:   {"I would"},
		`\d+`:                       nil,
		`(?i)\b(?:go|no-go)\b`:      {"go", "no-go"},
		`(?:foo)?bar`:               {"bar"},
		`\bP0\b`:                    {"P0"},
		`(?m)^\s*>\s*\S|"[^"\n]{8,}"|“[^”\n]{8,}”`: {">", "\"", "“"},
	} {
		m := newMatcher(regexp.MustCompile(pat))
		got := m.lits
		if m.fold {
			for i := range want {
				want[i] = strings.ToLower(want[i])
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("literals of %q = %q, want %q", pat, got, want)
		}
	}
}

func TestLitSetFindsEveryOccurrence(t *testing.T) {
	lits := []string{"he", "she", "his", "hers", "a", "day", "-day", "xyzzy", "\u212a"}
	set := newLitSet(lits)
	rng := rand.New(rand.NewSource(2))
	alphabet := []string{"h", "e", "s", "i", "r", "a", "d", "y", "-", " ", "H", "E", "\u212a", "x"}
	for i := 0; i < 500; i++ {
		var b strings.Builder
		for j := rng.Intn(60); j > 0; j-- {
			b.WriteString(alphabet[rng.Intn(len(alphabet))])
		}
		text := b.String()
		got := set.scan(text)
		lower := lowerASCII(text)
		for id, l := range lits {
			var want []int
			for k := 0; k+len(l) <= len(lower); k++ {
				if lower[k:k+len(l)] == l {
					want = append(want, k)
				}
			}
			if !reflect.DeepEqual(got[id], want) && !(len(got[id]) == 0 && len(want) == 0) {
				t.Fatalf("%q in %q: got %v, want %v", l, text, got[id], want)
			}
		}
		set.release(got)
	}
}

// Labels found line by line are those the expression finds in the whole
// text.
func TestFindLabelsLineByLine(t *testing.T) {
	parts := []string{"**Situation:**", "**Result**:", "__Task:__", "Action:", "S:", "R: ", "- ", "* ", "   ", "\t", "\n", "\n\n", "word ", "a:b", "## Heading\n", "https://x.y", "**bold** text: ", "::", "é", "|", ">"}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := r.Intn(30); n >= 0; n-- {
			b.WriteString(parts[r.Intn(len(parts))])
		}
		text := b.String()
		if got, want := findLabels(text), labelRE().FindAllStringSubmatchIndex(text, -1); !reflect.DeepEqual(got, want) {
			t.Fatalf("findLabels(%q) = %v, want %v", text, got, want)
		}
	}
}
