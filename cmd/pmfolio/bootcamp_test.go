package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// bootcampUndo undoes, file by file, what release 1.1.0 of the example
// bootcamp pack changed (its CHANGELOG.md lists it): applied to the folder
// as it is, they give release 1.0.0. Each must apply, so that a change to
// the pack that breaks them fails here rather than testing nothing.
var bootcampUndo = map[string][][2]string{
	"pack.yaml": {
		{"version: 1.1.0", "version: 1.0.0"},
		{"- name: leap_of_faith\n", "- name: riskiest_assumption\n"},
		{"- heading: Leap of faith\n", "- heading: Riskiest assumption\n"},
	},
	"prd.md.tmpl": {
		{"\n\n**Decision rule:** we keep the feature only if the metric moves as the hypothesis says, and say so in the retro.\n", "\n"},
		{"## Leap of faith\n\n**We assume:** {{ include \"_sentence\" .Answers.leap_of_faith }}", "## Riskiest assumption\n\n{{ include \"_sentence\" .Answers.riskiest_assumption }}"},
	},
	"samples/prd.yaml": {
		{"leap_of_faith: >-", "riskiest_assumption: >-"},
	},
}

// bootcamp DIR makes DIR a git repository of examples/packs/bootcamp in
// its two releases, tagged: v1.0.0 (the folder with 1.1.0's changes undone
// and its migrations left out) and v1.1.0 (the folder as it is). The real
// git CLI builds it, as a course would publish its pack.
func bootcamp(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: bootcamp DIR")
	}
	src := filepath.Join(ts.Getenv("EXAMPLES"), "packs", "bootcamp")
	dir := ts.MkAbs(args[0])
	ts.Check(os.CopyFS(dir, os.DirFS(src)))
	for name, undo := range bootcampUndo {
		p := filepath.Join(dir, filepath.FromSlash(name))
		data, err := os.ReadFile(p)
		ts.Check(err)
		text := string(data)
		for _, u := range undo {
			if !strings.Contains(text, u[0]) {
				ts.Fatalf("examples/packs/bootcamp/%s no longer holds %q: update bootcampUndo with the pack", name, u[0])
			}
			text = strings.Replace(text, u[0], u[1], 1)
		}
		if name == "pack.yaml" {
			i := strings.Index(text, "\nmigrations:")
			if i < 0 {
				ts.Fatalf("examples/packs/bootcamp/pack.yaml has no migrations: update bootcampUndo with the pack")
			}
			text = text[:i+1]
		}
		ts.Check(os.WriteFile(p, []byte(text), 0o644))
	}
	ts.Check(os.Remove(filepath.Join(dir, "CHANGELOG.md")))
	git := func(args ...string) { ts.Check(ts.Exec("git", append([]string{"-C", dir}, args...)...)) }
	git("init", "-q", "-b", "main")
	git("add", "-A")
	git("commit", "-qm", "bootcamp 1.0.0")
	git("tag", "v1.0.0")
	ts.Check(os.CopyFS(filepath.Join(dir, ".next"), os.DirFS(src)))
	// os.CopyFS refuses to overwrite: copy next to it, then move in.
	entries, err := os.ReadDir(filepath.Join(dir, ".next"))
	ts.Check(err)
	for _, e := range entries {
		ts.Check(os.RemoveAll(filepath.Join(dir, e.Name())))
		ts.Check(os.Rename(filepath.Join(dir, ".next", e.Name()), filepath.Join(dir, e.Name())))
	}
	ts.Check(os.Remove(filepath.Join(dir, ".next")))
	git("add", "-A")
	git("commit", "-qm", "bootcamp 1.1.0")
	git("tag", "v1.1.0")
}
