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
)

// TestHistory: each commit's new documents and words, exactly for the
// commits a person makes, estimated from sizes for an import of hundreds;
// README, folder READMEs and pmfolio's own files are not documents; the
// walk stops at the first commit before since. The commits are made with
// the git CLI, dated.
func TestHistory(t *testing.T) {
	t.Parallel()
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("the git CLI is not installed; it makes this test's commits")
	}
	dir := t.TempDir()
	commit := func(when string, files map[string]string) {
		t.Helper()
		for rel, data := range files {
			p := filepath.Join(dir, filepath.FromSlash(rel))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, args := range [][]string{{"add", "-A"}, {"commit", "-q", "--allow-empty", "-m", when}} {
			cmd := exec.Command(git, args...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE="+when+"T12:00:00Z", "GIT_COMMITTER_DATE="+when+"T12:00:00Z",
				"GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("git %v: %v\n%s", args, err, out)
			}
		}
	}
	if out, err := exec.Command(git, "init", "-q", dir).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	commit("2026-01-01", map[string]string{"prd/2025-12-01-old.md": "old words here"})
	commit("2026-01-05", map[string]string{"README.md": "# index words", "story/README.md": "about", ".pmfolio/answers/x.md": "x y z"})
	commit("2026-01-07", map[string]string{"story/2026-01-07-a.md": "---\nkind: story\n---\n# One two\n\nThree four five's six.\n"})
	commit("2026-01-08", map[string]string{"story/2026-01-07-a.md": "---\nkind: story\n---\n# One two\n\nThree four five's six. Seven eight.\n", "prd/2025-12-01-old.md": "old"})
	import_ := map[string]string{}
	body := strings.Repeat("Customers match payments by hand every month. ", 40)
	for i := range 250 {
		import_[fmt.Sprintf("story/2026-01-09-imported-%d.md", i)] = body
	}
	commit("2026-01-09", import_)

	r, err := OpenRepo(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.History(context.Background(), time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("%d commits since 2026-01-03, want 4: %+v", len(got), got)
	}
	exact := CountWords([]byte(body)) * 250
	imp, edit, add, none := got[0], got[1], got[2], got[3]
	if !imp.Estimated || imp.Documents != 250 || imp.Words < exact*7/10 || imp.Words > exact*13/10 {
		t.Errorf("the import: %+v; want 250 documents and about %d words, estimated", imp, exact)
	}
	if edit.Estimated || edit.Documents != 0 || edit.Words != 2 {
		t.Errorf("the edit: %+v; want 0 documents and the 2 words added (a shrunk document adds none)", edit)
	}
	// kind, story, One, two, Three, four, five's, six: 8 words.
	if add.Documents != 1 || add.Words != 8 {
		t.Errorf("the new story: %+v; want 1 document, 8 words", add)
	}
	if none.Documents != 0 || none.Words != 0 {
		t.Errorf("READMEs and pmfolio's files counted: %+v", none)
	}
	if w := add.When.UTC().Format("2006-01-02"); w != "2026-01-07" {
		t.Errorf("dated %s", w)
	}
}
