package portfolio

import (
	"context"
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
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: the oracle for the repository pmfolio writes")
	}
	p := testPortfolio(t)
	repo, err := InitRepo(p.Dir, "main")
	if err != nil {
		t.Fatal(err)
	}
	st, err := StateFor(p.Dir, environ.New(nil))
	if err != nil {
		t.Fatal(err)
	}
	who := Identity{"Ada", "ada@example.com"}
	apply := func(ch Change) {
		t.Helper()
		tx, err := st.Begin(context.Background(), time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Close()
		ch.Commit = &CommitInfo{Repo: repo, Message: ch.What + "\n", Author: who, When: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
		if err := tx.Apply(p, ch); err != nil {
			t.Fatal(err)
		}
	}
	apply(Change{What: "new", Files: []File{{Path: "prd/old.md", Data: []byte("old\n")}, {Path: ".pmfolio/base/prd/old.md", Data: []byte("old\n")}, {Path: "story/s.md", Data: []byte("s\n")}}})
	apply(Change{What: "move", Files: []File{{Path: "prd/new.md", Data: []byte("new\n")}, {Path: ".pmfolio/base/prd/new.md", Data: []byte("new\n")}},
		Remove: []string{"prd/old.md", ".pmfolio/base/prd/old.md", "prd/never-was.md"}})
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = p.Dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
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
