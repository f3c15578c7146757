package pack

import (
	"os"
	"testing"
)

// FuzzParseManifest: any pack.yaml ends in a manifest or an error naming
// the file, never a panic.
func FuzzParseManifest(f *testing.F) {
	if data, err := os.ReadFile("../../templates/pack.yaml"); err == nil {
		f.Add(data)
	}
	for _, s := range []string{
		"name: p\nversion: 1.0.0\nkinds:\n  k:\n    name: K\n    template: k.tmpl\n    title: T\n    output: k/x.md\n    questions: [{name: a, prompt: A}]\n",
		"name: p\nversion: 1.0.0\nextends: default\n",
		"kinds:\n  k:\n", "name: p\nversion: 1\n", "init: {questions: [{name: a, prompt: A, type: group, fields: [{name: b, prompt: B}]}]}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest("pack.yaml", data)
		if err == nil && m == nil {
			t.Fatal("no manifest and no error")
		}
	})
}
