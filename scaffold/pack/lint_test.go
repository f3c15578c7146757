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
