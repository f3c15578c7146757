package doc

import (
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// sameAsYAML fails t unless front matter y reads the same through the
// fast path as through yaml.v3: the values, and the mapping node with
// its lines, columns, styles and tags.
func sameAsYAML(t *testing.T, y string) {
	t.Helper()
	fm, root, ok := fastFrontMatter([]byte(y), nil)
	if !ok {
		return
	}
	want, wantRoot, err := decodeFrontMatter([]byte(y))
	if err != nil {
		t.Fatalf("fast path read %q, yaml.v3 fails: %v", y, err)
	}
	if !reflect.DeepEqual(fm, want) {
		t.Fatalf("front matter of %q:\nfast path %+v\nyaml.v3   %+v", y, fm, want)
	}
	if !reflect.DeepEqual(root, wantRoot) {
		g, _ := yaml.Marshal(root)
		w, _ := yaml.Marshal(wantRoot)
		t.Fatalf("node of %q differs:\nfast path %s%#v\nyaml.v3   %s%#v", y, g, root, w, wantRoot)
	}
}

// The fast path reads the front matter pmfolio writes and the usual
// hand-edited variants, and reads them as yaml.v3 does.
func TestFastFrontMatterReadsTheUsualShapes(t *testing.T) {
	for _, y := range []string{
		"kind: prd\ntitle: Suggested matches for unmatched payments\nauthor: Jordan Reyes\ndate: \"2026-01-01\"\nstatus: Launch review\ntrack: technical\npack:\n  name: default\n  version: 1.0.0\n",
		"kind: story\ntitle: 'Wrong-match spike: the beta'\ndate: 2026-01-01\npack:\n    name: bootcamp\n    version: \"2\"\nstatus: Draft\n",
		"title: \"  spaced  \"\nkind: retro\nextra: 12\nweight: 1.5\npublic: true\nempty_quotes: \"\"\ntilde: ~\nvisibility: private\n",
		"pack:\n  name: default\n  other: x\n  version: 1.0.0\nkind: brief\nlayout: post\ncategories: a, b]\n",
		"title: Café crème — 製品要求 (draft)\nauthor: Zoë O'Neil\nkind: teardown\nurl: https://example.com/a#b\ntime: 10:30\n",
		"kind: prd\nunknown:\n  nested: value\n  more: \"x\"\ntitle: x\n",
	} {
		if _, _, ok := fastFrontMatter([]byte(y), nil); !ok {
			t.Errorf("the fast path leaves %q to yaml.v3", y)
		}
		sameAsYAML(t, y)
	}
}

// Anything outside the subset goes to yaml.v3, errors and all.
func TestFastFrontMatterLeavesTheRestToYAML(t *testing.T) {
	for _, y := range []string{
		"",
		"# a comment\nkind: prd\n",
		"kind: prd # the kind\n",
		"kind: prd\n\ntitle: x\n",
		"tags:\n  - a\n  - b\n",
		"kind: prd\nkind: brief\n",
		"pack:\n  name: a\n  name: b\n",
		"pack: default\n",
		"title:\n  nested: x\n",
		"title:\nkind: prd\n",
		"kind: prd\ntitle: a long\n  title\n",
		"title: \"escaped \\\" quote\"\n",
		"title: 'it''s'\n",
		"title: \"unclosed\n",
		"title: &a anchored\n",
		"title: !!str tagged\n",
		"title: [a, b]\n",
		"title: {a: b}\n",
		"title: a: b\n",
		"title: |\n  block\n",
		"title: x \n",
		"title:\tx\n",
		"kind: prd\r\n",
		"true: x\n",
		"null: x\n",
		"1: x\n",
		"kind : prd\n",
		"kind:prd\n",
		"title: <<\n",
		"title: rocket 🚀\n",
		"title: \u0085\n",
		"pack:\n  name: a\n    version: b\n",
		"pack:\n  nested:\n    deep: x\n",
		"pack:\n",
		"%YAML 1.2\n",
		"- kind\n",
	} {
		if fm, _, ok := fastFrontMatter([]byte(y), nil); ok {
			t.Errorf("the fast path reads %q (as %+v); yaml.v3 should", y, fm)
		}
	}
}

// Every document in the repository's examples and test data takes the
// fast path or reads the same through yaml.v3.
func TestFastFrontMatterOnRealDocuments(t *testing.T) {
	var files []string
	for _, g := range []string{"../check/testdata/*/*/*.md", "../check/testdata/*/*.md", "../../examples/documents/*/*.md", "../../examples/*/*.md"} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	fast := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		y, _, _, err := SplitFrontMatter(data)
		if err != nil || len(y) == 0 {
			continue
		}
		if _, _, ok := fastFrontMatter(y, nil); ok {
			fast++
		}
		sameAsYAML(t, string(y))
	}
	if fast == 0 {
		t.Fatalf("none of %d documents took the fast path", len(files))
	}
	t.Logf("%d of %d documents took the fast path", fast, len(files))
}

// Front matter made of random keys, indentation and values (numbers,
// booleans, nulls, dates, quotes, colons, hashes, letters beyond ASCII)
// reads the same both ways, and much of it takes the fast path.
func TestFastFrontMatterRandom(t *testing.T) {
	keys := []string{"kind", "title", "pack", "name", "version", "date", "x", "Extra_key-2", "true", "on", "y"}
	seps := []string{": ", ":  ", ":", " : "}
	values := []string{"prd", "1.0.0", "12", "0x1F", "1e3", ".5", "-3", "~", "null", "Null", "yes", "off", "2026-01-01", "10:30",
		"\"quoted\"", "'single'", "\"\"", "''", "a: b", "a #b", "a#b", "C# and F#", "<<", "<x>", "Café", "製品", "a, b", "[a]", "{a}",
		"!x", "&a", "*a", "| x", "> x", "%x", "@x", "`x", "=", "? x", "...", "x y z", "https://a.b/c?d=e#f", "\u00a0nbsp"}
	r := rand.New(rand.NewSource(1))
	fast := 0
	for i := 0; i < 50000; i++ {
		var b strings.Builder
		for n := r.Intn(6); n >= 0; n-- {
			if r.Intn(4) == 0 {
				b.WriteString(strings.Repeat(" ", r.Intn(5)))
			}
			b.WriteString(keys[r.Intn(len(keys))])
			b.WriteString(seps[r.Intn(len(seps))])
			if r.Intn(5) > 0 {
				b.WriteString(values[r.Intn(len(values))])
			}
			b.WriteByte('\n')
		}
		y := b.String()
		if _, _, ok := fastFrontMatter([]byte(y), nil); ok {
			fast++
		}
		sameAsYAML(t, y)
	}
	if fast < 1000 {
		t.Fatalf("only %d of the random front matters took the fast path", fast)
	}
}

// FuzzFrontMatter: whatever the fast path reads, it reads as yaml.v3
// does.
func FuzzFrontMatter(f *testing.F) {
	for _, s := range []string{
		"kind: prd\ntitle: x\npack:\n  name: default\n  version: 1.0.0\n",
		"title: 'a'\ndate: \"2026-01-01\"\ntrack: core\n",
		"a: 1\nb: true\nc: ~\nd: 2026-01-01\ne: 0x10\nf: .inf\n",
		"pack:\n    name: x\nkind: brief\n",
		"title: Café — 製品\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, y string) {
		if strings.Contains(y, "\n---") || strings.Contains(y, "\n...") {
			return // SplitFrontMatter ends front matter there
		}
		sameAsYAML(t, y)
	})
}

// TestFastFrontMatterReusedNodes reads front matter, taken or refused
// half-way, into nodes released by the one before, as Document.Release
// does: the same values and nodes as read into fresh ones.
func TestFastFrontMatterReusedNodes(t *testing.T) {
	ys := []string{
		"kind: prd\ntitle: Suggested matches for unmatched payments\nauthor: Jordan Reyes\ndate: \"2026-01-01\"\nstatus: Launch review\ntrack: technical\npack:\n  name: default\n  version: 1.0.0\n",
		"kind: prd # the kind\n",
		"kind: story\ntitle: 'Wrong-match spike: the beta'\ndate: 2026-01-01\npack:\n    name: bootcamp\n    version: \"2\"\nstatus: Draft\n",
		"kind: prd\nunknown:\n  nested: value\n  more: \"x\"\ntitle: x\n",
		"kind: prd\nkind: story\n",
		"title: x\n",
	}
	sc := new(scratch)
	taken := 0
	for _, i := range []int{0, 1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 0} {
		y := []byte(ys[i])
		fm, root, ok := fastFrontMatter(y, sc)
		wantFM, wantRoot, wantOK := fastFrontMatter(y, nil)
		if ok != wantOK || !reflect.DeepEqual(fm, wantFM) || !reflect.DeepEqual(root, wantRoot) {
			t.Errorf("%q read into reused nodes: %v %+v, into fresh ones: %v %+v", y, ok, root, wantOK, wantRoot)
		}
		if ok {
			taken++
		}
		sc.release()
	}
	if taken < 6 {
		t.Errorf("only %d read", taken)
	}
}
