package pack

import (
	"maps"
	"os"
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

// msgText renders messages as lint prints them, one a line.
func msgText(msgs []Message) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString("[" + strings.ToUpper(m.Severity.String()) + "] " + m.String() + "\n")
	}
	return b.String()
}

// TestLintReportsEverything: every manifest error in one run, each at the
// pack's own file and line, with a way out that works; warnings for what
// loads but is most likely a mistake.
func TestLintReportsEverything(t *testing.T) {
	prdTemplate := func(drop string) []File {
		tmpl := "# {{ .Title }}\n\n{{ template \"prd.summary\" . }}\n\n{{ template \"prd.problem\" . }}\n\n{{ template \"prd.goals\" . }}\n\n" +
			"{{ template \"prd.non-goals\" . }}\n\n{{ template \"prd.success-metrics\" . }}\n\n{{ template \"prd.users\" . }}\n\n" +
			"{{ template \"prd.requirements\" . }}\n{{- if eq .Track \"technical\" }}\n\n{{ template \"prd.api-surface\" . }}\n\n{{ template \"prd.slos\" . }}\n\n" +
			"{{ template \"prd.compatibility\" . }}\n\n{{ template \"prd.developer-experience\" . }}\n{{- end }}\n\n{{ template \"prd.decisions\" . }}\n" +
			"{{- if eq .Track \"technical\" }}\n\n{{ template \"prd.alternatives\" . }}\n{{- end }}\n\n{{ template \"prd.risks\" . }}\n\n" +
			"{{ template \"prd.launch-plan\" . }}\n\n{{ template \"prd.measurement-plan\" . }}\n"
		return []File{
			{Path: ManifestFile, Data: []byte("name: course\nversion: 1.0.0\nextends: default\nkinds:\n  prd:\n    template: prd.md.tmpl\n" + drop)},
			{Path: "prd.md.tmpl", Data: []byte(tmpl)},
		}
	}
	for name, tc := range map[string]struct {
		files []File
		want  string
	}{
		"three manifest errors, one run": {files: []File{{Path: ManifestFile, Data: []byte(`name: Course
version: "1.0"
extends: default
kinds:
  prd:
    rules:
      - {id: story/x, message: m, require: a}
`)}}, want: `[ERROR] pack.yaml:1: name "Course" must be lower case letters, digits and -
[ERROR] pack.yaml:2: version "1.0" is not a semantic version such as 1.0.0
[ERROR] pack.yaml:7: kind "prd": rule id "story/x" starts with "story", another kind's prefix; a rule of kind "prd" is named prd/x
`},
		"an inherited question the override does not use": {files: prdTemplate(""), want: `[ERROR] pack.yaml:6: kind "prd": inherited question "developer_persona" (from pack "default") is asked, but prd.md.tmpl does not use its answer; write {{ template "prd.developer-persona" . }} where its section belongs (the base's partial that uses it), or remove it from the kind with drop_questions: [developer_persona]
[ERROR] pack.yaml:6: kind "prd": section "Developer persona" is required by the sections the kind inherits, but prd.md.tmpl renders no "## Developer persona" on the technical track; render it, or declare the kind's sections: (your list replaces the inherited one)
`},
		"dropping a question it does not inherit": {files: prdTemplate("    drop_questions: [developer_persona, nope]\n"),
			want: `[ERROR] pack.yaml:6: kind "prd": drop_questions: "nope" is not a question the kind inherits from pack "default"
`},
		"a kind of the base's name": {files: []File{{Path: ManifestFile, Data: []byte(`name: course
version: 1.0.0
extends: default
kinds:
  retro:
    name: Weekly retro
    template: retro.md.tmpl
    questions:
      - {name: went_well, prompt: 'What went well?', pattern: '\w'}
`)}, {Path: "retro.md.tmpl", Data: []byte("{{ template \"retro.md.tmpl\" . }}")}},
			want: `[WARNING] pack.yaml:6: kind "retro" is also a kind of pack "default" (Launch retrospective): your keys override its keys one by one, and its questions, sections and rules are merged with yours; if you meant a kind of your own, give it another id, e.g. "course-retro"`},
		"named default": {files: []File{{Path: ManifestFile, Data: []byte("name: default\nversion: 1.0.0\nextends: default\n")}},
			want: "[ERROR] pack.yaml:3: extends \"default\": a pack cannot extend itself\n"},
		"named default, standalone": {files: []File{{Path: ManifestFile, Data: []byte("name: default\nversion: 1.0.0\nkinds:\n  memo:\n    name: Memo\n    template: memo.md.tmpl\n    title: x\n    output: memo/x.md\n    questions: []\n")},
			{Path: "memo.md.tmpl", Data: []byte("# {{ .Title }}\n")}, {Path: "samples/memo.yaml", Data: []byte("{}\n")}},
			want: "[ERROR] pack.yaml:1: name \"default\" is the built-in pack's; 'pmfolio pack add' refuses it: give the pack a name of its own\n"},
		"a bare pattern": {files: []File{{Path: ManifestFile, Data: []byte("name: course\nversion: 1.0.0\nkinds:\n  memo:\n    name: Memo\n    template: memo.md.tmpl\n    title: x\n    output: memo/x.md\n    questions:\n      - {name: n, prompt: 'How many?', pattern: '\\d'}\n")},
			{Path: "memo.md.tmpl", Data: []byte("# {{ .Title }}\n{{ .Answers.n }}\n")}, {Path: "samples/memo.yaml", Data: []byte("n: '3'\n")}},
			want: "[WARNING] pack.yaml:10: kind \"memo\": question \"n\" has a pattern but no pattern_message, so a student whose answer misses it reads \"must match \\d\"; say what the answer needs, e.g. pattern_message: include a number\n"},
	} {
		_, msgs := lintFiles(t, tc.files, nil)
		got := msgText(msgs)
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, tc.want)
		}
	}
	// Dropped, the question is gone from the kind, and the base's sample
	// answer for it is not an error.
	p, msgs := lintFiles(t, prdTemplate("    drop_questions: [developer_persona]\n    sections: []\n"), nil)
	if strings.Contains(msgText(msgs), "developer_persona") || questionOf(p.Kinds["prd"], "developer_persona") != nil {
		t.Errorf("dropped:\n%s", msgText(msgs))
	}
}
