package pack

import (
	"reflect"
	"strings"
	"testing"
)

const migrationsManifest = `name: course
version: 1.2.0
extends: default
migrations:
  - version: 1.2.0
    kinds:
      prd:
        rename_sections:
          - {from: Success criteria, to: Decision criteria}
        rename_questions:
          - {from: metric, to: primary_metric}
        split_questions:
          - {from: risks, to: [riskiest_assumption, other_risks]}
  - version: 1.1.0
    kinds:
      prd:
        rename_sections:
          - {from: Success metrics, to: Success criteria}
        rename_questions:
          - {from: kpi, to: metric}
      story:
        split_questions:
          - {from: star, to: [situation, result], answer: all}
`

func TestMigrationsBetween(t *testing.T) {
	m, err := ParseManifest(ManifestFile, []byte(migrationsManifest))
	if err != nil {
		t.Fatal(err)
	}
	versions := func(from, to string) []string {
		t.Helper()
		ms, err := m.MigrationsBetween(from, to)
		if err != nil {
			t.Fatalf("%s..%s: %v", from, to, err)
		}
		var out []string
		for _, mg := range ms {
			out = append(out, mg.Version)
		}
		return out
	}
	for _, tc := range []struct {
		from, to string
		want     []string
	}{
		{"1.0.0", "1.2.0", []string{"1.1.0", "1.2.0"}}, // oldest first, whatever the file's order
		{"1.1.0", "1.2.0", []string{"1.2.0"}},
		{"1.0.0", "1.1.0", []string{"1.1.0"}},
		{"1.2.0", "1.2.0", nil},
		{"1.2.0", "1.0.0", nil},
		{"1.0.0", "1.1.5", []string{"1.1.0"}},
	} {
		if got := versions(tc.from, tc.to); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s..%s: got %v, want %v", tc.from, tc.to, got, tc.want)
		}
	}
	if _, err := m.MigrationsBetween("", "1.2.0"); err == nil {
		t.Error("an empty version is not refused")
	}

	ms, _ := m.MigrationsBetween("1.0.0", "1.2.0")
	if got := MigrateHeading(ms, "prd", "success METRICS"); got != "Decision criteria" {
		t.Errorf("a heading renamed twice: %q", got)
	}
	if got := MigrateHeading(ms, "prd", "Goals"); got != "Goals" {
		t.Errorf("a heading not renamed: %q", got)
	}
	if got := MigrateHeading(ms, "story", "Success metrics"); got != "Success metrics" {
		t.Errorf("another kind's rename applied: %q", got)
	}
	got := MigrateAnswers(ms, "prd", map[string]any{"kpi": "conversion", "risks": "trust", "title": "T"})
	want := map[string]any{"primary_metric": "conversion", "riskiest_assumption": "trust", "title": "T"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("prd answers: %v, want %v", got, want)
	}
	got = MigrateAnswers(ms, "story", map[string]any{"star": "all of it", "result": "kept"})
	want = map[string]any{"situation": "all of it", "result": "kept"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("story answers (split to all, an answer given under the new name kept): %v, want %v", got, want)
	}

	c := ComposeKind(ms, "prd")
	if len(c.RenameSections) != 1 || c.RenameSections[0].From != "Success metrics" || c.RenameSections[0].To != "Decision criteria" {
		t.Errorf("composed sections: %+v", c.RenameSections)
	}
	if len(c.RenameQuestions) != 1 || c.RenameQuestions[0] != (Rename{From: "kpi", To: "primary_metric", Line: c.RenameQuestions[0].Line}) {
		t.Errorf("composed questions: %+v", c.RenameQuestions)
	}
	if len(c.SplitQuestions) != 1 || c.SplitQuestions[0].From != "risks" || c.SplitQuestions[0].AnswerMode() != SplitFirst {
		t.Errorf("composed splits: %+v", c.SplitQuestions)
	}
}

// TestComposeRenameThenSplit: a question renamed in one release and split
// in the next splits from its original name.
func TestComposeRenameThenSplit(t *testing.T) {
	ms := []Migration{
		{Version: "1.1.0", Kinds: map[string]*KindMigration{"prd": {RenameQuestions: []Rename{{From: "a", To: "b"}}}}},
		{Version: "1.2.0", Kinds: map[string]*KindMigration{"prd": {SplitQuestions: []Split{{From: "b", To: []string{"c", "d"}}}}}},
		{Version: "1.3.0", Kinds: map[string]*KindMigration{"prd": {RenameQuestions: []Rename{{From: "c", To: "e"}}}}},
	}
	c := ComposeKind(ms, "prd")
	if len(c.RenameQuestions) != 0 || len(c.SplitQuestions) != 1 || c.SplitQuestions[0].From != "a" || !reflect.DeepEqual(c.SplitQuestions[0].To, []string{"e", "d"}) {
		t.Errorf("composed: %+v", c)
	}
	if got := MigrateAnswers(ms, "prd", map[string]any{"a": "x"}); !reflect.DeepEqual(got, map[string]any{"e": "x"}) {
		t.Errorf("answers: %v", got)
	}
}

func TestMigrationValidation(t *testing.T) {
	head := "name: course\nversion: 1.1.0\nextends: default\nmigrations:\n"
	for name, tc := range map[string]struct{ yaml, err string }{
		"not semver": {"  - version: one\n    kinds:\n      prd:\n        rename_sections: [{from: A, to: B}]\n",
			`pack.yaml:5: migrations: version "one" is not a semantic version`},
		"newer than the pack": {"  - version: 2.0.0\n    kinds:\n      prd:\n        rename_sections: [{from: A, to: B}]\n",
			"version 2.0.0 is newer than the pack's version 1.1.0"},
		"twice": {"  - version: 1.1.0\n    kinds:\n      prd:\n        rename_sections: [{from: A, to: B}]\n  - version: 1.1.0\n    kinds:\n      prd:\n        rename_sections: [{from: C, to: D}]\n",
			"pack.yaml:9: migrations: version 1.1.0 is declared twice (first at line 5)"},
		"no kinds":      {"  - version: 1.1.0\n", "version 1.1.0 changes no kind"},
		"empty kind":    {"  - version: 1.1.0\n    kinds:\n      prd: {}\n", `kind "prd" changes nothing`},
		"to itself":     {"  - version: 1.1.0\n    kinds:\n      prd:\n        rename_sections: [{from: Goals, to: goals}]\n", `section "Goals" is renamed to itself`},
		"section twice": {"  - version: 1.1.0\n    kinds:\n      prd:\n        rename_sections: [{from: A, to: B}, {from: a, to: C}]\n", `section "a" is renamed twice`},
		"no to":         {"  - version: 1.1.0\n    kinds:\n      prd:\n        rename_sections: [{from: A}]\n", "a renamed section needs from: and to: headings"},
		"bad question":  {"  - version: 1.1.0\n    kinds:\n      prd:\n        rename_questions: [{from: Metric, to: metric}]\n", `from "Metric" is not a question name`},
		"renamed and split": {"  - version: 1.1.0\n    kinds:\n      prd:\n        rename_questions: [{from: a, to: b}]\n        split_questions: [{from: a, to: [c, d]}]\n",
			`question "a" is renamed or split twice`},
		"split to nothing": {"  - version: 1.1.0\n    kinds:\n      prd:\n        split_questions: [{from: a}]\n", `split of "a" needs to:`},
		"split answer":     {"  - version: 1.1.0\n    kinds:\n      prd:\n        split_questions: [{from: a, to: [b], answer: last}]\n", `answer "last" must be first or all`},
		"unknown key":      {"  - version: 1.1.0\n    kinds:\n      prd:\n        rename_section: [{from: a, to: b}]\n", `unknown key "rename_section"`},
		"fine":             {"  - version: 1.0.1\n    kinds:\n      prd:\n        rename_sections: [{from: A, to: B}]\n        split_questions: [{from: a, to: [b, c], answer: all}]\n", ""},
	} {
		_, err := ParseManifest(ManifestFile, []byte(head+tc.yaml))
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: got %v, want %q", name, err, tc.err)
		}
	}
}

// TestLintMigrations: lint checks that migrations lead to the kinds,
// sections and questions the pack has.
func TestLintMigrations(t *testing.T) {
	manifest := `name: course
version: 1.1.0
migrations:
  - version: 1.1.0
    kinds:
      memo:
        rename_sections: [{from: Criteria, to: Success criteria}, {from: Notes, to: Nowhere}]
        rename_questions: [{from: crit, to: criteria}, {from: old, to: missing}]
      gone:
        rename_sections: [{from: A, to: B}]
kinds:
  memo:
    name: Memo
    template: memo.md.tmpl
    title: x
    output: memo/x.md
    questions: [{name: criteria, prompt: Criteria}]
    sections: [{heading: Success criteria}]
`
	_, msgs := lintFiles(t, []File{{Path: ManifestFile, Data: []byte(manifest)}, {Path: "memo.md.tmpl", Data: []byte("# {{ .Title }}\n{{ .Answers.criteria }}\n")},
		{Path: "samples/memo.yaml", Data: []byte("criteria: c\n")}}, nil)
	got := msgText(msgs)
	for _, want := range []string{
		`[WARNING] pack.yaml:10: migrations: version 1.1.0: kind "gone" is not a kind of the pack (memo)`,
		`[ERROR] pack.yaml:7: migrations: kind "memo": section "Notes" is renamed "Nowhere", which is not one of the kind's sections`,
		`[ERROR] pack.yaml:8: migrations: kind "memo": an answer moves to question "missing", which is not a question of the kind`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %s in\n%s", want, got)
		}
	}
	if strings.Contains(got, `"Success criteria", which`) || strings.Contains(got, `question "criteria", which`) {
		t.Errorf("a valid rename reported:\n%s", got)
	}
}
