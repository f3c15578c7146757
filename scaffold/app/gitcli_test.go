package app

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRealGitAcceptsPortfolio builds a whole portfolio (every kind) and
// asks the real git CLI about it: fsck --strict finds nothing, the log has
// one commit per document, the work tree is clean, the index matches HEAD,
// and the index's stat data is right (diff-files compares it without
// refreshing).
func TestRealGitAcceptsPortfolio(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("the git CLI is not installed; this test asks it about what pmfolio wrote")
	}
	home := t.TempDir()
	if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte("[user]\n\tname = Git Test\n\temail = git@example.com\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := testEnv(map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config")})
	examples := examplesDir(t)
	port := filepath.Join(t.TempDir(), "port")
	if _, e, code := runEnv(t, env, "init", "--answers", filepath.Join(examples, "answers", "init.yaml"), "--date", "2026-01-05", port); code != 0 {
		t.Fatalf("init: %s", e)
	}
	for _, kind := range []string{"interview", "brief", "prd", "teardown", "story", "retro"} {
		if _, e, code := runEnv(t, env, "-C", port, "new", kind, "--answers", filepath.Join(examples, "answers", kind+".yaml"), "--date", exampleDates[kind]); code != 0 {
			t.Fatalf("new %s: %s", kind, e)
		}
	}
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = port
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	if out := git("fsck", "--strict", "--no-progress", "--no-dangling"); strings.TrimSpace(out) != "" {
		t.Errorf("git fsck --strict reports:\n%s", out)
	}
	// init recorded the name it asked for and git's email as the author.
	log := git("log", "--format=%an|%ae|%s")
	if n := strings.Count(log, "\n"); n != 7 {
		t.Errorf("git log has %d commits, want 7:\n%s", n, log)
	}
	if !strings.Contains(log, "Jordan Reyes|git@example.com|prd: add \"Suggested matches for unmatched payments\"") {
		t.Errorf("git log:\n%s", log)
	}
	if out := git("diff-files", "--name-only"); out != "" {
		t.Errorf("the index's stat data is stale for:\n%s", out)
	}
	if out := git("diff-index", "--cached", "--name-only", "HEAD"); out != "" {
		t.Errorf("the index differs from HEAD:\n%s", out)
	}
	if out := git("status", "--porcelain", "--untracked-files=all"); out != "" {
		t.Errorf("git status is not clean:\n%s", out)
	}
}
