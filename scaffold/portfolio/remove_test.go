package portfolio

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/environ"
)

// TestApplyMovesAFile: a change that writes a file and removes another
// (a document moved to a new path) commits both, leaving a work tree and
// an index that git finds clean, and a folder left empty gone from the
// tree.
func TestApplyMovesAFile(t *testing.T) {
	p, apply, git := txRepo(t)
	apply(Change{What: "new", Files: []File{{Path: "prd/old.md", Data: []byte("old\n")}, {Path: ".pmfolio/base/prd/old.md", Data: []byte("old\n")}, {Path: "story/s.md", Data: []byte("s\n")}}})
	apply(Change{What: "move", Files: []File{{Path: "prd/new.md", Data: []byte("new\n")}, {Path: ".pmfolio/base/prd/new.md", Data: []byte("new\n")}},
		Remove: []string{"prd/old.md", ".pmfolio/base/prd/old.md", "prd/never-was.md"}})
	if got, want := git("ls-tree", "-r", "--name-only", "HEAD"), ".pmfolio/base/prd/new.md\nprd/new.md\nstory/s.md\n"; got != want {
		t.Errorf("HEAD holds:\n%s\nwant:\n%s", got, want)
	}
	if out := git("status", "--porcelain", "--untracked-files=all"); out != "" {
		t.Errorf("git status is not clean:\n%s", out)
	}
	git("fsck", "--no-progress")
	if _, err := os.Stat(filepath.Join(p.Dir, "prd", "old.md")); !os.IsNotExist(err) {
		t.Errorf("prd/old.md is still there: %v", err)
	}
	// Everything removed from a folder: the folder leaves the tree.
	apply(Change{What: "remove", Remove: []string{"story/s.md"}})
	if got := git("ls-tree", "HEAD"); strings.Contains(got, "story") {
		t.Errorf("an empty folder stays in the tree:\n%s", got)
	}
}

// TestBigCommitIsOnePack: a change of more files than packObjects writes
// its objects as one pack file, not a loose file each; git reads it (fsck,
// the tree, a file's content, a clean status) and the next small change
// commits on top of it as loose objects.
func TestBigCommitIsOnePack(t *testing.T) {
	p, apply, git := txRepo(t)
	loose := func() int {
		n := 0
		_ = filepath.WalkDir(filepath.Join(p.Dir, ".git", "objects"), func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && len(filepath.Base(filepath.Dir(path))) == 2 {
				n++
			}
			return nil
		})
		return n
	}
	packs := func() []string {
		m, _ := filepath.Glob(filepath.Join(p.Dir, ".git", "objects", "pack", "*.pack"))
		return m
	}
	var files []File
	for i := 0; i < packObjects+20; i++ {
		dir := []string{"prd", "story", "retro"}[i%3]
		data := []byte(fmt.Sprintf("document %d\n", i))
		files = append(files, File{Path: fmt.Sprintf("%s/doc-%03d.md", dir, i), Data: data}, File{Path: fmt.Sprintf(".pmfolio/answers/%s/doc-%03d.yaml", dir, i), Data: data})
	}
	before := loose()
	apply(Change{What: "many", Files: files})
	if n, ps := loose(), packs(); n != before || len(ps) != 1 {
		t.Fatalf("%d loose objects and %d pack files, want all in one pack", n, len(ps))
	}
	git("fsck", "--no-progress", "--strict")
	if got := strings.Count(git("ls-tree", "-r", "--name-only", "HEAD"), "\n"); got != len(files) {
		t.Errorf("HEAD holds %d files, want %d", got, len(files))
	}
	if got := git("show", "HEAD:story/doc-001.md"); got != "document 1\n" {
		t.Errorf("story/doc-001.md in HEAD: %q", got)
	}
	if out := git("status", "--porcelain", "--untracked-files=all"); out != "" {
		t.Errorf("git status is not clean:\n%s", out)
	}
	apply(Change{What: "one more", Files: []File{{Path: "prd/doc-000.md", Data: []byte("revised\n")}}, Replace: map[string]bool{"prd/doc-000.md": true}})
	if n, ps := loose(), packs(); n == before || len(ps) != 1 {
		t.Errorf("a small change after the pack: %d loose objects, %d packs", n, len(ps))
	}
	git("fsck", "--no-progress", "--strict")
	if got := git("log", "-2", "--format=%s"); got != "one more\nmany\n" {
		t.Errorf("log: %q", got)
	}
	if got := git("show", "HEAD:prd/doc-000.md"); got != "revised\n" {
		t.Errorf("prd/doc-000.md in HEAD: %q", got)
	}
}

// txRepo is a portfolio in a repository of its own, with apply (a change
// committed through the transaction) and git (the real git CLI, the
// oracle, run in it).
func txRepo(t *testing.T) (p *Portfolio, apply func(Change), git func(args ...string) string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: the oracle for the repository pmfolio writes")
	}
	p = testPortfolio(t)
	repo, err := InitRepo(p.Dir, "main")
	if err != nil {
		t.Fatal(err)
	}
	st, err := StateFor(p.Dir, environ.New(nil))
	if err != nil {
		t.Fatal(err)
	}
	apply = func(ch Change) {
		t.Helper()
		tx, err := st.Begin(context.Background(), time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Close()
		ch.Commit = &CommitInfo{Repo: repo, Message: ch.What + "\n", Author: Identity{"Ada", "ada@example.com"}, When: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
		if err := tx.Apply(p, ch); err != nil {
			t.Fatal(err)
		}
	}
	git = func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = p.Dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	return p, apply, git
}
