package pack

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/pmfolio/pmfolio/scaffold/render"
)

func TestDefaultPackLoads(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"interview", "brief", "prd", "retro", "teardown", "story"}
	if strings.Join(p.KindOrder, " ") != strings.Join(want, " ") {
		t.Errorf("kinds %v", p.KindOrder)
	}
	for _, k := range p.OrderedKinds() {
		if k.Folder() != k.ID {
			t.Errorf("kind %s writes to folder %q", k.ID, k.Folder())
		}
		if len(k.Questions) == 0 || len(k.Sections) == 0 || k.Target == 0 {
			t.Errorf("kind %s lacks questions, sections or a target", k.ID)
		}
		for _, q := range k.Questions {
			if strings.TrimSpace(q.Help) == "" {
				t.Errorf("%s.%s has no help: every question coaches", k.ID, q.Name)
			}
		}
	}
	if p.Init == nil || len(p.Init.Questions) != 6 {
		t.Errorf("init questions: %+v", p.Init)
	}
}

func TestKindIgnoresCaseAndSuggests(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"prd", "PRD", "Story", "TearDown"} {
		k, err := p.Kind(id)
		if err != nil || k.ID != strings.ToLower(id) {
			t.Errorf("Kind(%q) = %v, %v", id, k, err)
		}
	}
	for id, want := range map[string]string{"prd2": "prd", "sotry": "story", "Interveiw": "interview", "memo": ""} {
		_, err := p.Kind(id)
		var uk *UnknownKindError
		if !errors.As(err, &uk) || uk.Kind != id || strings.Join(uk.Suggestions(), " ") != want {
			t.Errorf("Kind(%q): %v, suggestions %v, want %q", id, err, uk, want)
		}
	}
}

const okManifest = `name: mini
version: 1.0.0
kinds:
  note:
    name: Note
    template: note.md.tmpl
    title: '{{ .Answers.title }}'
    output: 'note/{{ .Slug }}.md'
    questions:
      - name: title
        prompt: Title?
`

func TestManifestErrorsNameFileAndLine(t *testing.T) {
	cases := map[string]struct{ manifest, want string }{
		"unknown key":    {strings.Replace(okManifest, "    name: Note\n", "    name: Note\n    colour: red\n", 1), `pack.yaml:6: unknown key "colour"`},
		"bad version":    {strings.Replace(okManifest, "1.0.0", "one", 1), `pack.yaml:2: version "one" is not a semantic version`},
		"bad type":       {strings.Replace(okManifest, "        prompt: Title?\n", "        prompt: Title?\n        type: slider\n", 1), `pack.yaml:10: kind "note": question "title": unknown type "slider"`},
		"missing output": {strings.Replace(okManifest, "    output: 'note/{{ .Slug }}.md'\n", "", 1), `kind "note": output is empty`},
		"wrong shape":    {strings.Replace(okManifest, "    output: 'note/{{ .Slug }}.md'\n", "    output: [a, b]\n", 1), `pack.yaml:8: want a single value, got a list`},
		"yaml syntax":    {okManifest + "  bad: [\n", `pack.yaml:13:`},
	}
	for name, c := range cases {
		_, err := ParseManifest(ManifestFile, []byte(c.manifest))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", name, err, c.want)
		}
	}
}

func TestLoadRefusesBadPacks(t *testing.T) {
	fs := fstest.MapFS{"pack.yaml": {Data: []byte(okManifest)}}
	if _, err := Load(fs, "test"); err == nil || !strings.Contains(err.Error(), `template "note.md.tmpl" does not exist`) {
		t.Errorf("missing template: %v", err)
	}
	fs["note.md.tmpl"] = &fstest.MapFile{Data: []byte("# {{ .Title }}\n{{ if }}\n")}
	if _, err := Load(fs, "test"); err == nil || !strings.Contains(err.Error(), `pack "mini": note.md.tmpl:2:`) {
		t.Errorf("broken template: %v", err)
	}
	fs["note.md.tmpl"] = &fstest.MapFile{Data: []byte(strings.Repeat("x", MaxFileSize+1))}
	if _, err := Load(fs, "test"); err == nil || !strings.Contains(err.Error(), "over the") {
		t.Errorf("huge file: %v", err)
	}
}

func TestGenerate(t *testing.T) {
	fs := fstest.MapFS{
		"pack.yaml":    {Data: []byte(okManifest)},
		"note.md.tmpl": {Data: []byte("# {{ .Title }}\n\n\n\n## Body   \n\n{{ .Answers.title | upper }}\n\n\n")},
	}
	p, err := Load(fs, "test")
	if err != nil {
		t.Fatal(err)
	}
	e := render.New(time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), render.DefaultLimits)
	out, err := p.Generate(e, Input{Kind: "note", Answers: map[string]any{"title": "Café: plans & more"}, Track: "core", Author: "Ada", Date: e.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if out.Path != "note/cafe-plans-more.md" {
		t.Errorf("path %q", out.Path)
	}
	body := string(out.Content)
	if !strings.HasSuffix(body, "---\n\n# Café: plans & more\n\n## Body\n\nCAFÉ: PLANS & MORE\n") {
		t.Errorf("content:\n%q", body)
	}
	if out.Front.Status != "draft" || out.Front.Date != "2026-03-14" || out.Front.Pack.Name != "mini" {
		t.Errorf("front matter %+v", out.Front)
	}
	// A title over MaxTitle bytes is cut between characters: 100 CJK
	// characters of 3 bytes each, with two accents (2 bytes each) on each.
	long := strings.Repeat("製\u0301\u0301", 100)
	out, err = p.Generate(e, Input{Kind: "note", Answers: map[string]any{"title": long}, Track: "core", Date: e.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Repeat("製\u0301\u0301", MaxTitle/7); out.Title != want || !utf8.ValidString(string(out.Content)) {
		t.Errorf("long title cut to %q (%d bytes), want %d whole characters", out.Title, len(out.Title), MaxTitle/7)
	}
	// An output template that leaves the portfolio is refused.
	fs["pack.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(okManifest, "'note/{{ .Slug }}.md'", "'../{{ .Slug }}.md'", 1))}
	p, err = Load(fs, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Generate(e, Input{Kind: "note", Answers: map[string]any{"title": "x"}}); err == nil || !strings.Contains(err.Error(), "leaves the folder") {
		t.Errorf("escaping output: %v", err)
	}
}

func TestValidatePath(t *testing.T) {
	for _, ok := range []string{"prd/2026-01-01-x.md", "a/b/c.md", "story.md"} {
		if err := ValidatePath(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "/etc/x.md", "../x.md", "a/../../x.md", "a/./x.md", ".git/hooks/x.md", ".GIT/x.md", "a/.Git./x.md",
		"git~1/x.md", "C:/x.md", "c:x.md", "a\\b.md", "con.md", "a/NUL.txt.md", "com1.md", "a//b.md", "x.txt", "a/b./c.md", "a/b /c.md", "a/b?.md", "a/\x01.md"} {
		if err := ValidatePath(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Checkout redesign":         "checkout-redesign",
		"  Q3: 12% → 18%!  ":        "q3-12-18",
		"Ünïcödé façade":            "unicode-facade",
		"???":                       "untitled",
		strings.Repeat("word ", 30): "word-word-word-word-word-word-word-word-word-word-word-word",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestKindDigest: a kind's digest changes with what renders it and only
// with that: a partial another kind alone includes leaves it as it was.
func TestKindDigest(t *testing.T) {
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	load := func(extra map[string]string) *Pack {
		files := map[string]string{"pack.yaml": "name: course\nversion: 1.0.0\nextends: default\n"}
		for k, v := range extra {
			files[k] = v
		}
		fsys := fstest.MapFS{}
		for k, v := range files {
			fsys[k] = &fstest.MapFile{Data: []byte(v)}
		}
		p, err := Load(fsys, "course")
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	plain := load(nil)
	// The course's PRD template: its own file, replacing the default's.
	goals := load(map[string]string{"prd.md.tmpl": "# {{ .Title }}\n\n## Outcomes\n\n{{ template \"prd.problem\" . }}\n"})
	for _, k := range []string{"story", "brief", "interview"} {
		if a, b := plain.KindDigest(k), goals.KindDigest(k); a == "" || a != b || a != def.KindDigest(k) {
			t.Errorf("%s: digests %q, %q, default %q", k, a, b, def.KindDigest(k))
		}
	}
	if a, b := plain.KindDigest("prd"), goals.KindDigest("prd"); a == "" || a == b {
		t.Errorf("prd: a changed section template leaves the digest %q", a)
	}
	if d := load(map[string]string{"_x.md.tmpl": "{{ define \"story.x\" }}{{ .Pack.Version }}{{ end }}", "story.md.tmpl": "{{ template \"story.x\" . }}"}).KindDigest("story"); d != "" {
		t.Errorf("a template reading .Pack has a digest %q", d)
	}
}
