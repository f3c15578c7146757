package portfolio

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestMarkdownWalksAsWalkDir: Markdown lists a tree's documents as the
// fs.WalkDir walk it replaced did (lexical order; hidden folders and
// files, README.md at the root, links and folders named like documents
// left out), from the root and from a folder.
func TestMarkdownWalksAsWalkDir(t *testing.T) {
	p := testPortfolio(t)
	files := []string{
		"prd/b.md", "prd/a.md", "prd/notes.txt", "prd/.hidden.md", "README.md", "story/README.md",
		"story/deep/er/x.md", ".pmfolio/answers/prd/a.yaml", ".hidden/secret.md", "z.md", "a b/c d.md",
	}
	for _, rel := range files {
		abs := filepath.Join(p.Dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(abs, []byte("# x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(p.Dir, "folder.md"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.md", filepath.Join(p.Dir, "prd", "link.md")); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{".", "prd", "story"} {
		var want []string
		err := fs.WalkDir(p.root.FS(), dir, func(rel string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if rel != dir && strings.HasPrefix(d.Name(), ".") {
					return fs.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && strings.HasSuffix(rel, ".md") && rel != "README.md" && !strings.HasPrefix(d.Name(), ".") {
				want = append(want, rel)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rel, err := range p.Markdown(dir) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, rel)
		}
		if !slices.Equal(got, want) {
			t.Errorf("Markdown(%q) = %q, want %q", dir, got, want)
		}
		if dir == "." && !slices.Contains(got, "story/deep/er/x.md") {
			t.Errorf("Markdown(.) = %q: the nested document is missing", got)
		}
	}
	var errs int
	for _, err := range p.Markdown("missing") {
		if err != nil {
			errs++
		}
	}
	if errs != 1 {
		t.Errorf("Markdown of a missing folder gave %d errors, want 1", errs)
	}
}
