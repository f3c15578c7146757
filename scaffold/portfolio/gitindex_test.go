package portfolio

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// gitCLI runs the real git in dir; tests use it as the reference for what
// git accepts (the product never runs git).
func gitCLI(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir, "GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func needGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("the git CLI is not installed; it is the reference these tests compare with")
	}
}

// gitRepo makes a repository with a few committed files (so its index has
// the cached-tree extension) and returns its folder.
func gitRepo(t *testing.T, files ...string) string {
	t.Helper()
	needGit(t)
	dir := t.TempDir()
	gitCLI(t, dir, "init", "-q")
	for _, f := range files {
		p := filepath.Join(dir, f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(f+"\n"), 0o644)
	}
	gitCLI(t, dir, "add", "-A")
	gitCLI(t, dir, "commit", "-q", "-m", "start")
	return dir
}

func decode(t *testing.T, data []byte) *index.Index {
	t.Helper()
	idx := &index.Index{}
	if err := index.NewDecoder(bytes.NewReader(data)).Decode(idx); err != nil {
		t.Fatalf("go-git cannot read the spliced index: %v", err)
	}
	return idx
}

// stageFile writes a file into dir and returns the index entry pmfolio
// would splice in for it, with the blob written by the git CLI.
func stageFile(t *testing.T, dir, name, content string) *index.Entry {
	t.Helper()
	p := filepath.Join(dir, name)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	h := strings.TrimSpace(gitCLI(t, dir, "hash-object", "-w", name))
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	e := &index.Entry{Name: name, Hash: plumbing.NewHash(h), Mode: filemode.Regular}
	fillStat(e, fi)
	return e
}

func TestSpliceIndexIntoGitsOwn(t *testing.T) {
	for _, version := range []string{"2", "3", "4"} {
		t.Run("v"+version, func(t *testing.T) {
			dir := gitRepo(t, "README.md", "a/1.md", "b/2.md", "story/2026-01-01-x.md", "zz.md")
			gitCLI(t, dir, "update-index", "--index-version", version)
			// An intent-to-add entry carries extended flags in version 3+.
			os.WriteFile(filepath.Join(dir, "b/later.md"), []byte("later\n"), 0o644)
			gitCLI(t, dir, "add", "-N", "b/later.md")
			file := filepath.Join(dir, ".git", "index")
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			before := decode(t, data)

			added := stageFile(t, dir, "story/2026-02-02-new.md", "new\n")
			replaced := stageFile(t, dir, "README.md", "changed\n")
			first := stageFile(t, dir, "0-first.md", "first\n")
			out, err := spliceIndex(data, []*index.Entry{added, replaced, first}, nil)
			if err != nil {
				t.Fatal(err)
			}
			after := decode(t, out)
			if len(after.Entries) != len(before.Entries)+2 {
				t.Fatalf("%d entries, want %d", len(after.Entries), len(before.Entries)+2)
			}
			for i := 1; i < len(after.Entries); i++ {
				if after.Entries[i-1].Name >= after.Entries[i].Name {
					t.Errorf("entries out of order: %s before %s", after.Entries[i-1].Name, after.Entries[i].Name)
				}
			}
			if err := os.WriteFile(file, out, 0o644); err != nil {
				t.Fatal(err)
			}
			// git reads it, sees exactly our three paths staged, the
			// intent-to-add entry kept, and no stale stat data.
			staged := gitCLI(t, dir, "diff", "--cached", "--name-only")
			if staged != "0-first.md\nREADME.md\nstory/2026-02-02-new.md\n" {
				t.Errorf("git sees staged:\n%s", staged)
			}
			if s := gitCLI(t, dir, "ls-files", "--stage", "README.md"); !strings.Contains(s, replaced.Hash.String()) {
				t.Errorf("README.md staged as %s, want %s", s, replaced.Hash)
			}
			if s := gitCLI(t, dir, "diff-files", "--name-only"); s != "b/later.md\n" {
				t.Errorf("git diff-files (stat comparison, no refresh) reports:\n%s", s)
			}
			gitCLI(t, dir, "fsck", "--no-progress")
		})
	}
}

func TestSpliceIndexFromNothing(t *testing.T) {
	e := &index.Entry{Name: "a.md", Hash: plumbing.NewHash("1111111111111111111111111111111111111111"), Mode: filemode.Regular, ModifiedAt: time.Unix(1700000000, 5)}
	out, err := spliceIndex(nil, []*index.Entry{e}, nil)
	if err != nil {
		t.Fatal(err)
	}
	idx := decode(t, out)
	if len(idx.Entries) != 1 || idx.Entries[0].Name != "a.md" || idx.Entries[0].Hash != e.Hash || !idx.Entries[0].ModifiedAt.Equal(e.ModifiedAt) {
		t.Fatalf("got %+v", idx.Entries)
	}
}

func TestSpliceIndexRejectsGarbage(t *testing.T) {
	for name, data := range map[string][]byte{
		"not an index": []byte("hello, this is not an index file at all......"),
		"truncated":    append([]byte("DIRC\x00\x00\x00\x02\x00\x00\x00\x05"), make([]byte, 30)...),
	} {
		if _, err := spliceIndex(data, nil, nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// The streamed splice agrees with go-git's codec wherever the new entries
// fall: before, between and after the existing ones, replacing runs of
// them, the first and the last.
func TestSpliceIndexAgreesWithCodec(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	entry := func(name string, n int) *index.Entry {
		var h plumbing.Hash
		h[0], h[1] = byte(n), byte(n>>8)
		return &index.Entry{Name: name, Hash: h, Mode: filemode.Regular, ModifiedAt: time.Unix(1700000000, int64(n))}
	}
	for round := 0; round < 200; round++ {
		old := &index.Index{Version: 2}
		names := map[string]bool{}
		for i := rng.Intn(12); i > 0; i-- {
			names[fmt.Sprintf("d%d/f%02d.md", rng.Intn(3), rng.Intn(30))] = true
		}
		for _, name := range slices.Sorted(maps.Keys(names)) {
			old.Entries = append(old.Entries, entry(name, rng.Intn(1000)))
		}
		var buf bytes.Buffer
		if err := index.NewEncoder(&buf).Encode(old); err != nil {
			t.Fatal(err)
		}
		var changes []*index.Entry
		seen := map[string]bool{}
		for i := rng.Intn(5); i > 0; i-- {
			name := fmt.Sprintf("d%d/f%02d.md", rng.Intn(4), rng.Intn(30))
			if !seen[name] {
				seen[name] = true
				changes = append(changes, entry(name, 1000+rng.Intn(1000)))
			}
		}
		got, err := spliceIndex(buf.Bytes(), slices.Clone(changes), nil)
		if err != nil {
			t.Fatal(err)
		}
		want, err := spliceWithCodec(buf.Bytes(), slices.Clone(changes), nil)
		if err != nil {
			t.Fatal(err)
		}
		g, w := decode(t, got), decode(t, want)
		sort.Slice(w.Entries, func(i, j int) bool { return w.Entries[i].Name < w.Entries[j].Name })
		if len(g.Entries) != len(w.Entries) {
			t.Fatalf("round %d: %d entries, want %d", round, len(g.Entries), len(w.Entries))
		}
		for i := range g.Entries {
			if g.Entries[i].Name != w.Entries[i].Name || g.Entries[i].Hash != w.Entries[i].Hash {
				t.Fatalf("round %d: entry %d is %s %s, want %s %s", round, i, g.Entries[i].Name, g.Entries[i].Hash, w.Entries[i].Name, w.Entries[i].Hash)
			}
		}
	}
}
