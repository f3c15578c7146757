package pack

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var lintDate = time.Date(2026, 1, 26, 0, 0, 0, 0, time.UTC)

func lintFiles(t *testing.T, files []File, reg *Registry) (*Pack, []Message) {
	t.Helper()
	p, msgs, err := Lint(MemFS(files), "test", reg, LintOptions{Date: lintDate})
	if err != nil {
		t.Fatal(err)
	}
	return p, msgs
}

// The default pack, as `pack new` copies it, must lint clean: it is what
// every course starts from.
func TestScaffoldLintsClean(t *testing.T) {
	files, err := Scaffold("acme", "")
	if err != nil {
		t.Fatal(err)
	}
	p, msgs := lintFiles(t, files, nil)
	if len(msgs) > 0 {
		t.Fatalf("lint found %v", msgs)
	}
	if p.Name != "acme" || p.Version != ScaffoldVersion {
		t.Errorf("scaffold is %s %s", p.Name, p.Version)
	}
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.KindOrder) != len(def.KindOrder) {
		t.Errorf("scaffold has kinds %v, default %v", p.KindOrder, def.KindOrder)
	}
	for _, k := range def.OrderedKinds() {
		if len(k.SampleAnswers()) != 1 {
			t.Errorf("default kind %s has no sample answers", k.ID)
		}
	}
}

func TestExtendingScaffoldLintsClean(t *testing.T) {
	files, err := Scaffold("acme", DefaultName)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 {
		t.Errorf("%d files, want pack.yaml and README.md", len(files))
	}
	p, msgs := lintFiles(t, files, nil)
	if len(msgs) > 0 {
		t.Fatalf("lint found %v", msgs)
	}
	if p.Base == nil || len(p.KindOrder) != len(p.Base.KindOrder) {
		t.Errorf("the pack does not inherit the default's kinds")
	}
	if _, err := Scaffold("acme", "acme"); err == nil {
		t.Error("a pack extending itself was scaffolded")
	}
}

func TestBootcampExampleLintsClean(t *testing.T) {
	p, msgs, err := Lint(os.DirFS("../../examples/packs/bootcamp"), "bootcamp", nil, LintOptions{Date: lintDate})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) > 0 {
		t.Fatalf("lint found %v", msgs)
	}
	if p.Base == nil || p.Base.Name != DefaultName {
		t.Errorf("bootcamp extends %v", p.Base)
	}
}

const childManifest = `name: child
version: 2.0.0
extends: default
kinds:
  prd:
    template: prd.md.tmpl
    questions:
      - name: title
        prompt: What is it called, in the course's words?
        required: true
      - name: bet
        prompt: What is the bet?
    sections:
      - heading: Bet
        required: true
    rules:
      - id: prd/bet-has-number
        message: no number
        section: Bet
        require: '\d'
  memo:
    name: Memo
    template: memo.md.tmpl
    title: '{{ .Answers.title }}'
    output: 'memo/{{ .Slug }}.md'
    questions:
      - name: title
        prompt: Title?
`

func TestExtendsOverridesKeyByKey(t *testing.T) {
	files := []File{
		{Path: ManifestFile, Data: []byte(childManifest)},
		{Path: "prd.md.tmpl", Data: []byte(`# {{ .Title }}

## Bet

{{ .Answers.bet }}{{ template "prd.summary" . }}`)},
		{Path: "memo.md.tmpl", Data: []byte("# {{ .Title }}\n")},
		{Path: "samples/prd.yaml", Data: []byte("bet: 20% more\n")},
	}
	p, err := Load(MemFS(files), "child", nil)
	if err != nil {
		t.Fatal(err)
	}
	def, _ := Default()
	if want := append(slices.Clone(def.KindOrder), "memo"); !slices.Equal(p.KindOrder, want) {
		t.Errorf("kinds %v, want %v", p.KindOrder, want)
	}
	prd, base := p.Kinds["prd"], def.Kinds["prd"]
	if prd.Output != base.Output || prd.Title != base.Title || prd.Name != base.Name {
		t.Errorf("prd did not inherit title, output and name: %+v", prd)
	}
	if prd.Template != "prd.md.tmpl" {
		t.Errorf("template %q", prd.Template)
	}
	// Questions merge by name: title replaced in place, bet appended.
	if len(prd.Questions) != len(base.Questions)+1 {
		t.Fatalf("%d questions, want %d", len(prd.Questions), len(base.Questions)+1)
	}
	if prd.Questions[0].Name != "title" || !strings.Contains(prd.Questions[0].Prompt, "course's words") {
		t.Errorf("title not replaced in place: %+v", prd.Questions[0])
	}
	if last := prd.Questions[len(prd.Questions)-1]; last.Name != "bet" {
		t.Errorf("last question %q, want bet", last.Name)
	}
	if base.Questions[0].Prompt == prd.Questions[0].Prompt {
		t.Error("the override changed the base pack")
	}
	// Sections replace; rules merge by id.
	if len(prd.Sections) != 1 || prd.Sections[0].Heading != "Bet" {
		t.Errorf("sections %+v", prd.Sections)
	}
	if len(prd.Rules) != len(base.Rules)+1 {
		t.Errorf("%d rules, want %d", len(prd.Rules), len(base.Rules)+1)
	}
	// Samples: the base's, then the override's.
	if s := prd.SampleAnswers(); len(s) != 2 || s[1].File != "samples/prd.yaml" {
		t.Errorf("samples %+v", s)
	}
	// Files: the override's template wins, the base's partials are inherited.
	names := map[string]string{}
	for _, f := range p.Files() {
		names[f.Name] = f.Text
	}
	if !strings.Contains(names["prd.md.tmpl"], "## Bet") || names["_prd.md.tmpl"] == "" || names["interview.md.tmpl"] == "" {
		t.Errorf("files %v", slices.Sorted(maps.Keys(names)))
	}
	// The new kind must be complete on its own.
	broken := strings.Replace(childManifest, "    template: memo.md.tmpl\n", "", 1)
	files[0].Data = []byte(broken)
	if _, err := Load(MemFS(files), "child", nil); err == nil || !strings.Contains(err.Error(), `kind "memo": template is empty`) {
		t.Errorf("incomplete new kind: %v", err)
	}
}

func TestRegistryRefusesCycles(t *testing.T) {
	manifest := func(name, extends string) []File {
		return []File{
			{Path: ManifestFile, Data: []byte("name: " + name + "\nversion: 1.0.0\nextends: " + extends + "\n")},
		}
	}
	packs := map[string][]File{"a": manifest("a", "b"), "b": manifest("b", "a"), "self": manifest("self", "self"),
		"d1": manifest("d1", "d2"), "d2": manifest("d2", "d3"), "d3": manifest("d3", "d4"), "d4": manifest("d4", "d5"), "d5": manifest("d5", "default"),
		"liar": manifest("someone-else", "default")}
	reg := &Registry{Open: func(name string, reg *Registry) (*Pack, error) {
		return Load(MemFS(packs[name]), name, reg)
	}}
	for name, want := range map[string]string{
		"a":       "packs extend each other in a circle: a -> b -> a",
		"self":    "a pack cannot extend itself",
		"d1":      "more than 4 deep",
		"liar":    `the pack pinned as "liar" calls itself "someone-else"`,
		"nothing": "",
	} {
		if name == "nothing" {
			if _, err := (&Registry{}).Get("nothing"); !errors.Is(err, ErrUnknownPack) {
				t.Errorf("unknown pack: %v", err)
			}
			continue
		}
		_, err := reg.Get(name)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", name, err, want)
		}
	}
	if p, err := reg.Get("d2"); err != nil || p.Base.Base.Base.Base.Name != "default" {
		t.Errorf("a chain within the limit: %v", err)
	}
}

func TestAnswerWalker(t *testing.T) {
	trees, err := parseTrees(map[string]string{
		"doc": `{{ .Answers.a }}{{ $.Answers.b }}{{ index .Answers "c" }}
{{ range .Answers.list }}{{ .Answers.notmine }}{{ $.Answers.d }}{{ end }}
{{ with .Answers.e }}{{ . }}{{ end }}
{{ template "_whole" . }}{{ include "_part" .Answers.f }}{{ include "_whole2" $ }}`,
		"_p": `{{ define "_whole" }}{{ .Answers.g }}{{ end }}{{ define "_part" }}{{ .Answers.notmine2 }}{{ end }}` +
			`{{ define "_whole2" }}{{ .Answers.h }}{{ end }}`,
	})
	if err != nil {
		t.Fatal(err)
	}
	w := newAnswerWalker(trees)
	w.template("doc")
	got := slices.Sorted(maps.Keys(w.uses.names))
	if want := []string{"a", "b", "c", "d", "e", "f", "g", "h", "list"}; !slices.Equal(got, want) {
		t.Errorf("uses %v, want %v", got, want)
	}
	if !strings.HasPrefix(w.uses.names["a"], "doc:1:") || !strings.HasPrefix(w.uses.names["d"], "doc:2:") {
		t.Errorf("a located at %q", w.uses.names["a"])
	}
	if w.uses.dynamic != "" {
		t.Errorf("dynamic at %q", w.uses.dynamic)
	}
	trees, _ = parseTrees(map[string]string{"doc": `{{ range $k, $v := .Answers }}{{ $v }}{{ end }}`})
	w = newAnswerWalker(trees)
	w.template("doc")
	if !strings.HasPrefix(w.uses.dynamic, "doc:1:") {
		t.Errorf("dynamic use at %q", w.uses.dynamic)
	}
}

func TestParseSource(t *testing.T) {
	base := t.TempDir()
	os.Mkdir(filepath.Join(base, "odd@name"), 0o755)
	cases := []struct {
		arg, url, path, ref, err string
	}{
		{arg: "https://github.com/acme/pack.git@v1.0.0", url: "https://github.com/acme/pack.git", ref: "v1.0.0"},
		{arg: "https://github.com/acme/pack.git", url: "https://github.com/acme/pack.git"},
		{arg: "https://github.com/acme/pack.git@feature/x", url: "https://github.com/acme/pack.git", ref: "feature/x"},
		{arg: "ssh://git@github.com/acme/pack.git@main", url: "ssh://git@github.com/acme/pack.git", ref: "main"},
		{arg: "git@github.com:acme/pack.git", url: "git@github.com:acme/pack.git"},
		{arg: "git@github.com:acme/pack.git@v2", url: "git@github.com:acme/pack.git", ref: "v2"},
		{arg: "packs/mine@v1", path: filepath.Join(base, "packs/mine"), ref: "v1"},
		{arg: "odd@name", path: filepath.Join(base, "odd@name")},
		{arg: "file:///srv/pack.git@v1", path: "/srv/pack.git", ref: "v1"},
		{arg: "ext::sh -c id", err: "remote helpers"},
		{arg: "-uhelp", err: "starts with -"},
		{arg: "http://example.com/p.git", err: `scheme "http"`},
		{arg: "ssh://-oProxyCommand=id/p", err: "host starting with -"},
		{arg: "https://u:p@example.com/p.git", err: "password"},
		{arg: "https://example.com/p.git@-x", err: "ref starts with -"},
		{arg: "https://example.com/p.git@a..b", err: "not a valid git ref"},
		{arg: "file://evil.example.com/p.git", err: "not a local file URL"},
	}
	for _, c := range cases {
		src, ref, err := ParseSource(c.arg, base)
		if c.err != "" {
			var se *SourceError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: got %v, want a refusal: %s", c.arg, err, c.err)
			}
			continue
		}
		if err != nil || src.URL != c.url || src.Path != c.path || ref != c.ref {
			t.Errorf("%q: got %+v %q %v, want %q %q %q", c.arg, src, ref, err, c.url, c.path, c.ref)
		}
	}
}

func TestCache(t *testing.T) {
	c := Cache{Dir: t.TempDir()}
	files := []File{{Path: ManifestFile, Data: []byte("name: x\n")}, {Path: "a/b.md.tmpl", Data: []byte("b")}}
	digest, err := c.Put(files)
	if err != nil {
		t.Fatal(err)
	}
	if digest != Digest(files) {
		t.Errorf("digest %s, want %s", digest, Digest(files))
	}
	got, ok, err := c.Read(digest, "x")
	if err != nil || !ok || Digest(got) != digest {
		t.Fatalf("read back: %v %v", ok, err)
	}
	// An entry whose bytes changed is not served, and Put heals it.
	entry, _ := c.entry(digest)
	os.WriteFile(filepath.Join(entry, "a", "b.md.tmpl"), []byte("tampered"), 0o644)
	if _, ok, err := c.Read(digest, "x"); ok || err != nil {
		t.Errorf("tampered entry served: %v %v", ok, err)
	}
	if _, err := c.Put(files); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := c.Read(digest, "x"); !ok {
		t.Error("Put did not heal the entry")
	}
	if _, ok, err := c.Read(Digest(nil), "x"); ok || err != nil {
		t.Errorf("missing entry: %v %v", ok, err)
	}
	if _, _, err := c.Read("sha256:../../etc", "x"); err == nil {
		t.Error("a digest that is a path was accepted")
	}
}

func TestCheckFilesRefusesCraftedNames(t *testing.T) {
	for _, name := range []string{"../x", "/abs", "a/.git/config", "a\\b", "con.md", "a//b", ".gitmodules"} {
		err := CheckFiles([]File{{Path: name}}, "src")
		var re *RefusedError
		if !errors.As(err, &re) || re.File != name || re.Pack != "src" {
			t.Errorf("%q: got %v", name, err)
		}
	}
}
