package pack

import (
	"testing"
	"time"
)

func TestLintDefaultTmp(t *testing.T) {
	files, err := Scaffold("acme")
	if err != nil {
		t.Fatal(err)
	}
	p, msgs, err := Lint(MemFS(files), "acme", nil, LintOptions{Date: time.Date(2026, 1, 26, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		t.Log(m.Severity, m)
	}
	t.Log(p.Name, p.Version, p.Description)
}
