package yamlfile

import (
	"bytes"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

type inner struct {
	Name string `yaml:"name"`
	Line int    `yaml:"-"`
}

type outer struct {
	Title string            `yaml:"title"`
	Count int               `yaml:"count"`
	Items []inner           `yaml:"items"`
	Named map[string]*inner `yaml:"named"`
	Line  int               `yaml:"-"`
}

func TestDecodeStrictWithLines(t *testing.T) {
	var o outer
	err := Decode("f.yaml", []byte("title: x\ncount: 2\nitems:\n  - name: a\n  - name: b\nnamed:\n  k:\n    name: c\n"), &o)
	if err != nil {
		t.Fatal(err)
	}
	if o.Line != 1 || o.Items[1].Line != 5 || o.Named["k"].Line != 8 || o.Named["k"].Name != "c" {
		t.Errorf("lines: %+v %+v %+v", o, o.Items, o.Named["k"])
	}
}

func TestDecodeErrors(t *testing.T) {
	for name, c := range map[string]struct{ in, want string }{
		"unknown key":     {"title: x\ncolor: red\n", `f.yaml:2: unknown key "color" (known keys: count, items, named, title)`},
		"nested unknown":  {"items:\n  - name: a\n    size: 3\n", `f.yaml:3: unknown key "size" (known keys: name)`},
		"misspelt key":    {"title: x\ncuont: 2\n", `f.yaml:2: unknown key "cuont"; did you mean "count"? (known keys: count, items, named, title)`},
		"wrong type":      {"count: many\n", `f.yaml:1: "many" is not valid here: want a whole number`},
		"list for scalar": {"title: [a]\n", `f.yaml:1: want a single value, got a list`},
		"scalar for list": {"items: a\n", `f.yaml:1: want a list, got "a"`},
		"flow unclosed":   {"title: x\ncount: [1\n", `f.yaml:2: did not find expected ',' or ']'`},
		"bad indent":      {"title: x\n  count: 2\n", `f.yaml:2: mapping values are not allowed in this context`},
		"tab":             {"title: x\n\tcount: 2\n", `f.yaml:2: found a tab character`},
		"binary":          {"title: \x00\n", `f.yaml:1: contains a NUL byte`},
		"not utf-8":       {"title: ok\ntitle2: \xc3\x28\n", `f.yaml:2: not valid UTF-8`},
		"empty":           {"", `f.yaml: file is empty`},
		"too big":         {strings.Repeat("#", MaxSize+1), `f.yaml: file is`},
	} {
		var o outer
		err := Decode("f.yaml", []byte(c.in), &o)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: got %v, want prefix %q", name, err, c.want)
		}
	}
}

// An input is read whole or refused whole: never cut at the limit.
func TestReadLimits(t *testing.T) {
	dir := t.TempDir()
	at := filepath.Join(dir, "at.yaml")
	over := filepath.Join(dir, "over.yaml")
	if err := os.WriteFile(at, bytes.Repeat([]byte("\n"), 100), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(over, bytes.Repeat([]byte("\n"), 101), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := ReadFile(at, "at.yaml", 100); err != nil || len(data) != 100 {
		t.Errorf("at the limit: %d bytes, %v; want all 100", len(data), err)
	}
	var big *TooBigError
	if _, err := ReadFile(over, "over.yaml", 100); !errors.As(err, &big) || big.File != "over.yaml" || big.Limit != 100 {
		t.Errorf("over the limit: %v, want a TooBigError naming over.yaml and 100", err)
	} else if want := "over.yaml is larger than the 100-byte limit; nothing of it was read"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	if _, err := ReadFile(dir, "answers", 100); err == nil || !strings.Contains(err.Error(), "answers is a folder") {
		t.Errorf("a folder: %v", err)
	}
	// A stream has no size to look at first.
	if data, err := ReadAll(strings.NewReader(strings.Repeat("a", 3<<20)), "stdin", 3<<20); err != nil || len(data) != 3<<20 {
		t.Errorf("stdin at the limit: %d bytes, %v", len(data), err)
	}
	_, err := ReadAll(strings.NewReader(strings.Repeat("a", 3<<20+1)), "stdin", 3<<20)
	if want := "stdin is larger than the 3 MiB limit (3145728 bytes); nothing of it was read"; err == nil || err.Error() != want {
		t.Errorf("stdin over the limit: %v, want %q", err, want)
	}
}

// Clipping cuts between user-perceived characters: the result is valid
// UTF-8 and never splits a character, its accents or an emoji sequence,
// whatever byte the limit falls on.
func TestClipKeepsCharactersWhole(t *testing.T) {
	for name, tc := range map[string]struct {
		in   string
		max  int
		want string
	}{
		"ascii fits":        {"short", 40, "short"},
		"ascii":             {"abcdefghij", 8, "abcde..."},
		"CJK":               {"製品要求仕様書の成功指標", 10, "製品..."},           // 3 bytes each: 7 bytes leave room for 2
		"CJK on the edge":   {"製品要求仕様書の成功指標", 12, "製品要..."},          // 9 bytes: exactly 3
		"emoji":             {"ship it 🚀🚀🚀 now", 15, "ship it 🚀..."}, // 🚀 is 4 bytes
		"ZWJ sequence":      {"team 👩‍💻👩‍💻", 16, "team ..."},         // 👩‍💻 is 11 bytes and one character
		"skin tone":         {"ok 👍🏽👍🏽", 14, "ok 👍🏽..."},             // 👍🏽 is 8 bytes
		"flag":              {"go 🇫🇷🇫🇷🇫🇷", 14, "go 🇫🇷..."},           // a flag is two 4-byte runes
		"combining accent":  {"cafe\u0301 cafe\u0301", 9, "cafe\u0301..."},
		"accent at the cut": {"abcde\u0301fgh", 8, "abcd..."}, // e + U+0301 would leave the accent out
		"several accents":   {"xa\u0301\u0302\u0303yz", 8, "x..."},
	} {
		got := Clip(tc.in, tc.max)
		if got != tc.want {
			t.Errorf("%s: Clip(%q, %d) = %q, want %q", name, tc.in, tc.max, got, tc.want)
		}
		if !utf8.ValidString(got) || len(got) > tc.max {
			t.Errorf("%s: %q is not valid UTF-8 of at most %d bytes", name, got, tc.max)
		}
	}
	// At every limit, the cut lands on a character boundary.
	s := "a\u0301b👩‍💻c🇫🇷d製e"
	for max := 0; max <= len(s)+1; max++ {
		got := Truncate(s, max)
		if !strings.HasPrefix(s, got) || len(got) > max || !utf8.ValidString(got) {
			t.Fatalf("Truncate(%q, %d) = %q", s, max, got)
		}
		if rest := s[len(got):]; rest != "" {
			if r, _ := utf8.DecodeRuneInString(rest); r == 0x301 || r == 0x200d || (r >= 0x1f1e6 && r <= 0x1f1ff && strings.HasSuffix(got, "🇫")) {
				t.Errorf("Truncate(%q, %d) = %q cuts a character in two", s, max, got)
			}
		}
	}
}

// The shortcut between two ASCII characters cuts where walking the
// clusters would, whatever surrounds the cut.
func TestTruncateShortcutAgreesWithClusters(t *testing.T) {
	parts := []string{"a", " ", "\r", "\n", "\r\n", "\u0301", "\u200d", "\ufe0f", "\u20e3", "#", "1", "👩", "💻", "🇫", "🇷", "\u0600", "é", "製", "\t", "~"}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := r.Intn(12); n >= 0; n-- {
			b.WriteString(parts[r.Intn(len(parts))])
		}
		s := b.String()
		for max := 0; max <= len(s); max++ {
			if got, want := Truncate(s, max), truncateClusters(s, max); got != want {
				t.Fatalf("Truncate(%q, %d) = %q, want %q", s, max, got, want)
			}
		}
	}
}
