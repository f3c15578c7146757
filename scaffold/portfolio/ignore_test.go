package portfolio

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestIgnoredAgreesWithGit: Ignored answers as `git check-ignore` does for
// the .gitignore files on a path's way and .git/info/exclude.
func TestIgnoredAgreesWithGit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r, err := InitRepo(dir, "main")
	if err != nil {
		t.Fatal(err)
	}
	write := func(rel, data string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".gitignore", "# comment\n/site/\nbuild\n!build/keep\n")
	write("docs/.gitignore", "out/\n")
	write(".git/info/exclude", "/private/\n")
	cases := map[string]bool{
		"site": true, "site/deep": true, "docs/site": false, "build": true, "docs/out": true, "out": false,
		"private": true, "docs/private": false, "public": false,
	}
	git, gitErr := exec.LookPath("git")
	for rel, want := range cases {
		got, gotRel, err := r.Ignored(filepath.Join(dir, filepath.FromSlash(rel)), true)
		if err != nil || got != want || gotRel != rel {
			t.Errorf("Ignored(%s) = %v, %q, %v; want %v", rel, got, gotRel, err, want)
		}
		if gitErr != nil {
			continue
		}
		cmd := exec.Command(git, "check-ignore", "-q", rel+"/")
		cmd.Dir = dir
		if err := cmd.Run(); (err == nil) != want {
			t.Errorf("git check-ignore %s: %v, and Ignored says %v", rel, err, want)
		}
	}
	if got, rel, _ := r.Ignored(t.TempDir(), true); got || rel != "" {
		t.Errorf("a folder outside the work tree: %v %q", got, rel)
	}
	if !strings.HasPrefix(r.GitDir(), dir) {
		t.Errorf("git dir %s", r.GitDir())
	}
}
