package pack

import (
	"strings"
	"testing"
)

const diffV1 = `name: course
version: 1.0.0
kinds:
  memo:
    name: Memo
    template: memo.md.tmpl
    title: '{{ .Answers.title }}'
    output: 'memo/{{ .Slug }}.md'
    questions:
      - {name: title, prompt: 'Title?', required: true}
      - {name: criteria, prompt: 'Criteria?'}
      - {name: owner, prompt: 'Owner?'}
      - {name: legacy, prompt: 'Legacy?'}
    sections:
      - {heading: Decision criteria, required: true}
      - {heading: Background}
      - {heading: Appendix}
    rules:
      - {id: memo/criteria-number, severity: warning, message: no number, section: Decision criteria, require: '\d'}
      - {id: memo/short, message: too long, max_words: 800}
      - {id: memo/gone, severity: info, message: gone, forbid: 'x'}
  old:
    name: Old
    template: memo.md.tmpl
    title: x
    output: 'old/x.md'
    questions: [{name: title, prompt: 'T?'}]
`

const diffV11 = `name: course
version: 1.1.0
migrations:
  - version: 1.1.0
    kinds:
      memo:
        rename_sections: [{from: Decision criteria, to: Success criteria}]
        rename_questions: [{from: criteria, to: success_criteria}]
kinds:
  memo:
    name: Memo
    template: memo.md.tmpl
    title: '{{ .Answers.title }}'
    output: 'memo/{{ .Slug }}.md'
    questions:
      - {name: title, prompt: 'Title?', required: true}
      - {name: success_criteria, prompt: 'Criteria?'}
      - {name: owner, prompt: 'Owner?', required: true, default: me}
      - {name: decision_date, prompt: 'When?', required: true}
      - {name: notes, prompt: 'Notes?'}
    sections:
      - {heading: Success criteria, required: true}
      - {heading: Background, required: true, min_words: 20}
      - {heading: Risks, required: true}
    rules:
      - {id: memo/criteria-number, severity: error, message: no number, section: Success criteria, require: '\d'}
      - {id: memo/short, message: too long, max_words: 600}
      - {id: memo/has-date, message: no date, require: '\d{4}'}
  new-kind:
    name: New
    template: memo.md.tmpl
    title: x
    output: 'new/x.md'
    questions: [{name: title, prompt: 'T?'}]
`

func loadManifest(t *testing.T, manifest string) *Pack {
	t.Helper()
	p, err := Load(MemFS([]File{{Path: ManifestFile, Data: []byte(manifest)}, {Path: "memo.md.tmpl", Data: []byte("# {{ .Title }}\n")}}), "test")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCompare(t *testing.T) {
	d := Compare(loadManifest(t, diffV1), loadManifest(t, diffV11))
	if d.From != "1.0.0" || d.To != "1.1.0" {
		t.Errorf("versions %s -> %s", d.From, d.To)
	}
	var lines []string
	for _, c := range d.Changes() {
		mark := " "
		if c.Breaking {
			mark = "!"
			if c.Why == "" {
				t.Errorf("breaking change without a reason: %+v", c)
			}
		}
		lines = append(lines, mark+" "+c.Kind+": "+c.Text)
	}
	want := []string{
		`  memo: section "Decision criteria" renamed "Success criteria"`,
		`! memo: section "Appendix" removed`,
		`  memo: new required section "Risks"`,
		`! memo: section "Background": required (was optional)`,
		`! memo: section "Background": at least 20 words (was no minimum of words)`,
		`  memo: question "criteria" renamed "success_criteria"`,
		`! memo: new required question "decision_date"`,
		`  memo: question "owner" is now required (default: me)`,
		`  memo: new question "notes"`,
		`! memo: question "legacy" removed`,
		`! memo: new rule memo/has-date (error): no date`,
		`! memo: rule memo/criteria-number is stricter: error (was warning)`,
		`! memo: rule memo/short is stricter: max_words 600 (was max_words 800)`,
		`  memo: rule memo/gone removed`,
		`  new-kind: new kind "new-kind"`,
		`! old: kind "old" removed`,
	}
	if got := strings.Join(lines, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("changes:\n%s\n\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	if n := len(d.Breaking()); n != 9 {
		t.Errorf("%d breaking changes, want 9", n)
	}
	if kd := d.Kind("memo"); kd == nil || len(kd.SectionsRenamed) != 1 {
		t.Errorf("Kind(memo): %+v", kd)
	}
	if !Compare(loadManifest(t, diffV1), loadManifest(t, diffV1)).Empty() {
		t.Error("a pack differs from itself")
	}
}
