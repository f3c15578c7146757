package pack

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestAliasSharedBySections: an alias (or a heading) that names two
// sections of a kind is refused at its line, whatever its case or
// punctuation.
func TestAliasSharedBySections(t *testing.T) {
	for name, sections := range map[string]string{
		"alias twice":        "      - {heading: Goals, aliases: [Objectives]}\n      - {heading: Outcomes, aliases: [objectives]}\n",
		"alias is a heading": "      - {heading: Goals}\n      - {heading: Outcomes, aliases: [\"Goals:\"]}\n",
		"normalised alike":   "      - {heading: Risks, aliases: [Risks & assumptions]}\n      - {heading: Assumptions, aliases: [\"1. Risks and Assumptions\"]}\n",
	} {
		data := "name: p\nversion: 1.0.0\nkinds:\n  memo:\n    name: Memo\n    template: memo.md.tmpl\n    title: Memo\n    output: memo/x.md\n    sections:\n" + sections
		_, err := ParseManifest("pack.yaml", []byte(data))
		if err == nil || !strings.Contains(err.Error(), "an alias names one section") || !strings.Contains(err.Error(), "pack.yaml:") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestAliasesInherited: an extending pack that redeclares a section keeps
// the base's aliases unless it lists its own, or an empty list.
func TestAliasesInherited(t *testing.T) {
	base, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	baseRetro, _ := base.Kind("retro")
	var baseAliases []string
	for _, s := range baseRetro.Sections {
		if s.Heading == "Root causes" {
			baseAliases = s.Aliases
		}
	}
	if len(baseAliases) == 0 {
		t.Fatal("the default pack gives Root causes no aliases")
	}
	manifest := `name: course
version: 1.0.0
extends: default
kinds:
  retro:
    sections:
      - {heading: Root causes, required: true}
      - {heading: Learnings, required: true, aliases: [Takeaways from the course]}
      - {heading: Decision, required: true, aliases: []}
`
	p, err := Load(fstest.MapFS{"pack.yaml": {Data: []byte(manifest)}}, "course")
	if err != nil {
		t.Fatal(err)
	}
	k, _ := p.Kind("retro")
	got := map[string][]string{}
	for _, s := range k.Sections {
		got[s.Heading] = s.Aliases
	}
	if strings.Join(got["Root causes"], "|") != strings.Join(baseAliases, "|") {
		t.Errorf("Root causes aliases %v, want the base's %v", got["Root causes"], baseAliases)
	}
	if strings.Join(got["Learnings"], "|") != "Takeaways from the course" {
		t.Errorf("Learnings aliases %v", got["Learnings"])
	}
	if len(got["Decision"]) != 0 {
		t.Errorf("Decision aliases %v, want none", got["Decision"])
	}
}
