package portfolio

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/environ"
	"github.com/pmfolio/pmfolio/scaffold/hint"
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

// TestCompareWorkTree: what differs from a ref in the work tree,
// committed or not, new or modified, in a portfolio that is a folder of a
// bigger repository; files only touched are unchanged, deleted ones gone.
func TestCompareWorkTree(t *testing.T) {
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
	files := []File{write("prd/a.md", "a\n"), write("story/b.md", "b\n"), write("story/c.md", "c\n"), write("story/d.md", "d\n")}
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
	if err := os.Remove(filepath.Join(dir, "story", "d.md")); err != nil {
		t.Fatal(err)
	}
	read := func(rel string) []byte {
		data, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		return data
	}
	exists := func(rel string) bool {
		_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel)))
		return err == nil
	}
	all := []string{"prd/a.md", "story/b.md", "story/c.md", "story/new.md"}
	env := environ.FromMap(map[string]string{"HOME": t.TempDir(), "GIT_CONFIG_NOSYSTEM": "1"})

	for ref, want := range map[string][]string{
		"HEAD":         {"story/b.md", "story/new.md"},
		"HEAD~1":       {"prd/a.md", "story/b.md", "story/new.md"},
		first.String(): {"prd/a.md", "story/b.md", "story/new.md"},
		"main":         {"story/b.md", "story/new.md"},
		"HEAD~1..":     {"prd/a.md", "story/b.md", "story/new.md"},
		"HEAD~1...":    {"prd/a.md", "story/b.md", "story/new.md"},
	} {
		c, err := pr.Compare(ref, env)
		if err != nil {
			t.Fatalf("%s: %v", ref, err)
		}
		var got []string
		for _, p := range all {
			if c.Changed(p, read(p)) {
				got = append(got, p)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("since %s: %v, want %v", ref, got, want)
		}
		if gone := c.Gone(exists); !slices.Equal(gone, []string{"story/d.md"}) {
			t.Errorf("since %s: gone %v", ref, gone)
		}
	}
	// Against a commit that is not HEAD's, its blobs, not the work tree.
	c, err := pr.Compare("HEAD~1.."+first.String(), env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Changed("story/b.md", read("story/b.md")) || c.Changed("prd/a.md", read("prd/a.md")) {
		t.Errorf("HEAD~1..%s compares with the work tree", first)
	}
	_, err = pr.Compare("no-such-branch", env)
	if err == nil || !strings.Contains(err.Error(), `"no-such-branch" is not a branch, tag or commit of this clone`) ||
		!strings.Contains(hint.Of(err), "'git branch -a'") {
		t.Errorf("unknown ref: %v (hint %q)", err, hint.Of(err))
	}
	_, err = pr.Compare("HEAD~9", env)
	if err == nil || !strings.Contains(err.Error(), `"HEAD~9" goes back further than the repository's history`) {
		t.Errorf("HEAD~9: %v", err)
	}
	_, err = pr.Compare("a..b..c", env)
	if err == nil || !strings.Contains(err.Error(), "is not a revision or range") {
		t.Errorf("a..b..c: %v", err)
	}
}
