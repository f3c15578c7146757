package pack

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
)

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
	p, err := Load(MemFS(files), "child")
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
	// Sections replace; rules merge by id, and the base's rules about
	// sections the override dropped go with them.
	if len(prd.Sections) != 1 || prd.Sections[0].Heading != "Bet" {
		t.Errorf("sections %+v", prd.Sections)
	}
	want := len(filter(base.Rules, func(r Rule) bool { return r.Section == "" })) + 1
	if len(prd.Rules) != want {
		t.Errorf("%d rules, want %d (the base's whole-document rules and the override's)", len(prd.Rules), want)
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
	if _, err := Load(MemFS(files), "child"); err == nil || !strings.Contains(err.Error(), `kind "memo": template is empty`) {
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
		return LoadWith(MemFS(packs[name]), name, reg)
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

// filter returns the items of list that keep accepts.
func filter[T any](list []T, keep func(T) bool) []T {
	var out []T
	for _, x := range list {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}
