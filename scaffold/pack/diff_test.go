package pack

import (
	"github.com/pmfolio/pmfolio/scaffold/doc"
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

// TestReleaseNotes: changes: in pack.yaml, else the sections of a
// CHANGELOG.md, for the releases after from up to to, newest first.
func TestReleaseNotes(t *testing.T) {
	changelog := "# Changelog\n\n## [Unreleased]\n\n- later\n\n## [1.2.0] - 2026-04-01\n\n- twelve\n\n## v1.1.0\n\n- eleven\n\n## 1.0.0\n\n- first\n"
	p, err := Load(MemFS([]File{{Path: ManifestFile, Data: []byte("name: c\nversion: 1.2.0\nextends: default\n")}, {Path: ChangelogFile, Data: []byte(changelog)}}), "c")
	if err != nil {
		t.Fatal(err)
	}
	notes := p.ReleaseNotes("1.0.0", "1.2.0")
	if len(notes) != 2 || notes[0].Version != "1.2.0" || notes[0].Text != "- twelve" || notes[1].Version != "1.1.0" || notes[1].Text != "- eleven" {
		t.Errorf("from CHANGELOG.md: %+v", notes)
	}
	p, err = Load(MemFS([]File{{Path: ManifestFile, Data: []byte("name: c\nversion: 1.1.0\nextends: default\nchanges:\n  - {version: 1.0.0, notes: first}\n  - {version: 1.1.0, notes: eleven}\n")},
		{Path: ChangelogFile, Data: []byte(changelog)}}), "c")
	if err != nil {
		t.Fatal(err)
	}
	if notes := p.ReleaseNotes("1.0.0", "1.1.0"); len(notes) != 1 || notes[0].Text != "eleven" {
		t.Errorf("changes: wins over CHANGELOG.md: %+v", notes)
	}
	if _, err := ParseManifest(ManifestFile, []byte("name: c\nversion: 1.1.0\nextends: default\nchanges:\n  - {version: one, notes: x}\n  - {version: 1.0.0}\n")); err == nil ||
		!strings.Contains(err.Error(), `pack.yaml:5: changes: version "one" is not a semantic version`) || !strings.Contains(err.Error(), "pack.yaml:6: changes: version 1.0.0 has no notes") {
		t.Errorf("bad changes: %v", err)
	}
}

// TestAgainstRelease: breaking changes are errors in a release of the same
// major version, info in a new major one; a version that does not move is
// an error.
func TestAgainstRelease(t *testing.T) {
	old := loadManifest(t, diffV1)
	minor := loadManifest(t, diffV11)
	major := loadManifest(t, strings.Replace(strings.Replace(diffV11, "version: 1.1.0\nmigrations", "version: 2.0.0\nmigrations", 1), "  - version: 1.1.0\n", "  - version: 2.0.0\n", 1))
	count := func(msgs []Message) (errs, infos int) {
		for _, m := range msgs {
			switch m.Severity {
			case doc.Error:
				errs++
			case doc.Info:
				infos++
			}
		}
		return
	}
	if e, i := count(AgainstRelease(old, minor, "v1.0.0")); e != 9 || i != 7 {
		t.Errorf("a minor release: %d errors, %d infos, want 9 and 7", e, i)
	}
	msgs := AgainstRelease(old, major, "v1.0.0")
	if e, i := count(msgs); e != 0 || i != 16 {
		t.Errorf("a major release: %d errors, %d infos, want 0 and 16: %v", e, i, msgs)
	}
	if msgs := AgainstRelease(old, old, "v1.0.0"); len(msgs) != 1 || !strings.Contains(msgs[0].Text, "version 1.0.0 is not newer than v1.0.0's 1.0.0") {
		t.Errorf("no new version: %v", msgs)
	}
}
