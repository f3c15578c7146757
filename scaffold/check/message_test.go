package check

import (
	"bytes"
	"cmp"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unsafe"
)

// message prints what fmt.Sprintf prints, for every verb, flag and
// argument.
func TestMessageIsSprintf(t *testing.T) {
	formats := []string{"%s", "%q", "%d", "%%", "%v", "%5d", "%-3s", "%.1f", "%x", "%", "plain ", " (", "): ", "%!"}
	args := []any{"text", "", "quote \" and \\", "tab\tnew\nline", "é 製 🚀", "\x7f\x00", 0, -12, 1 << 40, 1.5, errors.New("an error"), Error, []string{"a"}, nil, int64(3)}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 50000; i++ {
		var b strings.Builder
		for n := r.Intn(6); n >= 0; n-- {
			b.WriteString(formats[r.Intn(len(formats))])
		}
		var as []any
		for n := r.Intn(4); n > 0; n-- {
			as = append(as, args[r.Intn(len(args))])
		}
		if got, want := message(b.String(), as...), fmt.Sprintf(b.String(), as...); got != want {
			t.Fatalf("message(%q, %#v) = %q, want %q", b.String(), as, got, want)
		}
	}
}

// fingerprint hashes as hash/fnv's FNV-1a of the parts (the content
// fingerprint without the path) and the subject's words, its spacing
// collapsed: baselines written before keep matching.
func TestFingerprintIsFNVOfCollapsedSubject(t *testing.T) {
	collapse := func(s string) string {
		var b []byte
		space := false
		for i := 0; i < len(s); i++ {
			switch c := s[i]; c {
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
		return string(b)
	}
	want := func(parts []string, subject string, ordinal int) string {
		h := fnv.New64a()
		for _, part := range parts {
			h.Write([]byte(part))
			h.Write([]byte{0})
		}
		h.Write([]byte(collapse(subject)))
		h.Write([]byte{0, byte(ordinal), byte(ordinal >> 8), byte(ordinal >> 16)})
		return hex.EncodeToString(h.Sum(nil))
	}
	parts := []string{"", " ", "\t", "\n", "\r\n", "  ", "TBD", "é", "a b", "\v", "\x00"}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := r.Intn(8); n >= 0; n-- {
			b.WriteString(parts[r.Intn(len(parts))])
		}
		ord := r.Intn(1 << 20)
		fp, content := fingerprint("doc/x", "p/a.md", "goals", b.String(), ord)
		if w := want([]string{"doc/x", "p/a.md", "goals"}, b.String(), ord); fp != w {
			t.Fatalf("fingerprint of %q = %s, want %s", b.String(), fp, w)
		}
		if w := want([]string{"doc/x", "goals"}, b.String(), ord); content != w {
			t.Fatalf("content fingerprint of %q = %s, want %s", b.String(), content, w)
		}
	}
}

// countWordsUpTo counts as countWords does, up to its limit.
func TestCountWordsUpTo(t *testing.T) {
	parts := []string{"word", " ", "\n", "- ", "|", "é", "—", "\u00a0", "a1", "**", "[x](y)"}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 5000; i++ {
		var b strings.Builder
		for n := r.Intn(30); n >= 0; n-- {
			b.WriteString(parts[r.Intn(len(parts))])
		}
		all := countWords(b.String())
		if want := countWordsByRune(b.String()); all != want {
			t.Fatalf("countWords(%q) = %d, want %d", b.String(), all, want)
		}
		for limit := 1; limit < 12; limit++ {
			if got := countWordsUpTo(b.String(), limit); got != min(all, limit) {
				t.Fatalf("countWordsUpTo(%q, %d) = %d; it has %d words", b.String(), limit, got, all)
			}
		}
	}
}

// countWordsByRune is countWords' definition, a rune at a time.
func countWordsByRune(s string) int {
	n := 0
	in, alnum := false, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if in && alnum {
				n++
			}
			in, alnum = false, false
			continue
		}
		in = true
		alnum = alnum || unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	if in && alnum {
		n++
	}
	return n
}

// Placeholders starting at one offset keep the order sort.Slice gave
// them, as the first is the one reported.
func TestPlaceholderSortIsSortSlice(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 2000; i++ {
		a := make([][2]int, r.Intn(80))
		for j := range a {
			a[j] = [2]int{r.Intn(10), j}
		}
		b := slices.Clone(a)
		sort.Slice(a, func(i, j int) bool { return a[i][0] < a[j][0] })
		slices.SortFunc(b, func(x, y [2]int) int { return cmp.Compare(x[0], y[0]) })
		if !slices.Equal(a, b) {
			t.Fatalf("sort.Slice %v, slices.SortFunc %v", a, b)
		}
	}
}

// bracketCue and isCapsStandIn read labels as the words and the
// expression they replace.
func TestBracketCueAndCaps(t *testing.T) {
	old := func(label string) bool {
		words := strings.Fields(strings.ToLower(label))
		if len(words) == 0 {
			return false
		}
		first := strings.TrimRight(words[0], ":,;")
		return isBracketCue(first) || (len(words) == 2 && strings.TrimRight(words[1], ":,;") == "name")
	}
	caps := regexp.MustCompile(`^[A-Z][A-Z _/-]{2,}$`)
	parts := []string{"Your", "your", "NAME", "name", "Name:", "date,", "Product", " ", "  ", "\t", "\u00a0", "INCIDENT", "_", "/", "-", "x", "É", "İ", "ſ", "K"}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := r.Intn(5); n >= 0; n-- {
			b.WriteString(parts[r.Intn(len(parts))])
		}
		l := b.String()
		if got, want := bracketCue(l), old(l); got != want {
			t.Fatalf("bracketCue(%q) = %v, want %v", l, got, want)
		}
		if got, want := isCapsStandIn(l), caps.MatchString(l); got != want {
			t.Fatalf("isCapsStandIn(%q) = %v, want %v", l, got, want)
		}
	}
}

// indentJSON indents as json.Indent does, whatever the value.
func TestIndentJSONIsJSONIndent(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	strs := []string{"", "a", "quote \" in", "back\\slash", "{[,:]}", "new\nline", "<!-- x -->", "é 製", "\u2028", "tab\t"}
	var value func(depth int) any
	value = func(depth int) any {
		switch k := r.Intn(7); {
		case k == 0 && depth < 4:
			m := map[string]any{}
			for n := r.Intn(4); n > 0; n-- {
				m[strs[r.Intn(len(strs))]] = value(depth + 1)
			}
			return m
		case k == 1 && depth < 4:
			var a []any
			for n := r.Intn(4); n > 0; n-- {
				a = append(a, value(depth+1))
			}
			return a
		case k == 2:
			return strs[r.Intn(len(strs))]
		case k == 3:
			return r.Intn(1000) - 500
		case k == 4:
			return r.Intn(2) == 0
		case k == 5:
			return nil
		}
		return []any{}
	}
	for i := 0; i < 5000; i++ {
		v := value(0)
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.Indent(&want, bytes.TrimSuffix(b.Bytes(), []byte("\n")), "  ", "  "); err != nil {
			t.Fatal(err)
		}
		if got := indentJSON(nil, b.Bytes(), "  ", "  "); string(got) != want.String() {
			t.Fatalf("indentJSON(%s) =\n%s\nwant\n%s", b.Bytes(), got, want.String())
		}
		// marshalIndent is an indenting json.Encoder's output, less
		// its newline, with or without an indent.
		for _, in := range [][2]string{{"  ", "  "}, {"", ""}, {"", "\t"}} {
			var e bytes.Buffer
			enc := json.NewEncoder(&e)
			enc.SetEscapeHTML(false)
			enc.SetIndent(in[0], in[1])
			if err := enc.Encode(v); err != nil {
				t.Fatal(err)
			}
			if got, err := marshalIndent(v, in[0], in[1]); err != nil || string(got) != strings.TrimSuffix(e.String(), "\n") {
				t.Fatalf("marshalIndent(%#v, %q, %q) = %s, want %s", v, in[0], in[1], got, e.String())
			}
		}
	}
}

// TestInternerBounded: the table gives back the message formatted, the
// same copy for the same message, and stops growing at maxInterned.
func TestInternerBounded(t *testing.T) {
	in := &interner{}
	var scratch []byte
	a := formatMessage(&scratch, "section %q is empty: %s", []any{"Goals", "write it"}, in)
	b := formatMessage(&scratch, "section %q is empty: %s", []any{"Goals", "write it"}, in)
	if a != `section "Goals" is empty: write it` || a != b {
		t.Fatalf("messages %q and %q", a, b)
	}
	if unsafe.StringData(a) != unsafe.StringData(b) {
		t.Error("the same message was copied twice")
	}
	for i := 0; i < maxInterned+100; i++ {
		if got := formatMessage(&scratch, "item %d", []any{i}, in); got != fmt.Sprintf("item %d", i) {
			t.Fatalf("got %q", got)
		}
	}
	if len(in.m) != maxInterned {
		t.Errorf("table holds %d messages, want at most %d", len(in.m), maxInterned)
	}
	if got := formatMessage(&scratch, "item %d", []any{maxInterned + 50}, in); got != fmt.Sprintf("item %d", maxInterned+50) {
		t.Errorf("past the bound: %q", got)
	}
}
