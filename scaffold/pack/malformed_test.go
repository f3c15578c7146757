package pack

import (
	"strings"
	"testing"
)

// TestMalformedManifest: a broken pack.yaml is an error naming the file
// and, where there is one, the line; never a panic.
func TestMalformedManifest(t *testing.T) {
	kind := "kinds:\n  k:\n    name: K\n    template: k.tmpl\n    title: T\n    output: k/x.md\n"
	for name, c := range map[string]struct{ yaml, want string }{
		"bad yaml":        {"name: p\nversion: [1.0.0\n", "pack.yaml:2: "},
		"not utf-8":       {"name: p\ndescription: \xff\n", "pack.yaml:2: not valid UTF-8 text"},
		"unknown key":     {"name: p\nversion: 1.0.0\nkindz: {}\n", `pack.yaml:3: unknown key "kindz"`},
		"bad version":     {"name: p\nversion: one\n" + kind, `version "one" is not a semantic version`},
		"no kinds":        {"name: p\nversion: 1.0.0\n", "pack.yaml:1: the pack declares no kinds"},
		"empty kind":      {"name: p\nversion: 1.0.0\nkinds:\n  k:\n", `kind "k" is empty`},
		"bad question":    {"name: p\nversion: 1.0.0\n" + kind + "    questions: [{name: A, prompt: x}]\n", `pack.yaml:9: kind "k": question name "A"`},
		"wrong type":      {"name: p\nversion: 1.0.0\n" + kind + "    month: soon\n", "pack.yaml:9: \"soon\" is not valid here: want a whole number"},
		"nul byte":        {"name: p\x00\n", "pack.yaml:1: contains a NUL byte"},
		"bad rule regexp": {"name: p\nversion: 1.0.0\n" + kind + "    questions: []\n    rules: [{id: k/r, message: m, require: '('}]\n", `pack.yaml:10: kind "k": rule "k/r": error parsing regexp`},
	} {
		_, err := ParseManifest("pack.yaml", []byte(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", name, err, c.want)
		}
	}
}
