package portfolio

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestConfigCheckSection(t *testing.T) {
	good := `version: 1
name: Ada
track: core
check:
  rules:
    - rule: doc/weasel-words
      severity: off
    - rule: story/*
      paths: [story/drafts/**]
      severity: info
`
	c, err := ParseConfig("pmfolio.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Check.Rules; len(got) != 2 || got[0].Line != 6 || got[1].Rule != "story/*" || !slices.Equal(got[1].Paths, []string{"story/drafts/**"}) || got[1].Severity != "info" {
		t.Errorf("rules %+v", got)
	}
	for want, bad := range map[string]string{
		`pmfolio.yaml:4: check: rule "doc/x": severity "loud" must be error, warning, info or off`: "check:\n  rules:\n    - rule: doc/x\n      severity: loud\n",
		`pmfolio.yaml:4: check: rules: an entry has no rule`:                                       "check:\n  rules:\n    - severity: off\n",
		`pmfolio.yaml:6: unknown key "path"`:                                                       "check:\n  rules:\n    - rule: doc/x\n      severity: off\n      path: [a]\n",
	} {
		_, err := ParseConfig("pmfolio.yaml", []byte("version: 1\n"+bad))
		if err == nil || err.Error()[:len(want)] != want {
			t.Errorf("got %v\nwant %s", err, want)
		}
	}
}

// TestChangedSince: what differs from the ref in the work tree, committed
// or not, new or modified, in a portfolio that is a folder of a bigger
// repository; files only touched are unchanged.
func TestChangedSince(t *testing.T) {
	top := t.TempDir()
	if _, err := InitRepo(top, "main"); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(top, "portfolio")
	write := func(rel, content string) File {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return File{Path: rel, Data: []byte(content)}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pr, err := OpenRepo(dir)
	if err != nil {
		t.Fatal(err)
	}
	who := Identity{"Test", "test@example.com"}
	files := []File{write("prd/a.md", "a\n"), write("story/b.md", "b\n"), write("story/c.md", "c\n")}
	when := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	first, err := pr.commit(files, nil, &CommitInfo{Message: "first\n", Author: who, When: when})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pr.commit([]File{write("prd/a.md", "a, changed\n")}, nil, &CommitInfo{Message: "second\n", Author: who, When: when}); err != nil {
		t.Fatal(err)
	}
	write("story/b.md", "b, not committed\n")
	write("story/c.md", "c\n") // touched, same content
	write("story/new.md", "new\n")
	read := func(rel string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel))) }
	all := []string{"prd/a.md", "story/b.md", "story/c.md", "story/new.md"}

	for ref, want := range map[string][]string{
		"HEAD":         {"story/b.md", "story/new.md"},
		"HEAD~1":       {"prd/a.md", "story/b.md", "story/new.md"},
		first.String(): {"prd/a.md", "story/b.md", "story/new.md"},
		"main":         {"story/b.md", "story/new.md"},
	} {
		got, err := pr.ChangedSince(ref, all, read)
		if err != nil {
			t.Fatalf("%s: %v", ref, err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("since %s: %v, want %v", ref, got, want)
		}
	}
	if _, err := pr.ChangedSince("no-such-branch", all, read); err == nil || !strings.Contains(err.Error(), `resolve "no-such-branch"`) {
		t.Errorf("unknown ref: %v", err)
	}
}
