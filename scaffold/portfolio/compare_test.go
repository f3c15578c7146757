package portfolio

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/environ"
	"github.com/pmfolio/pmfolio/scaffold/hint"
)

// The comparisons --changed-since makes, held to the real git CLI: what
// `git diff --name-only` lists for the same range, `git merge-base`, and
// the blob `git add` stores for a work-tree file.

// noGitConfig is an environment without any git configuration of the
// machine's.
func noGitConfig(t *testing.T, dir string) *environ.Env {
	return environ.FromMap(map[string]string{"HOME": dir, "XDG_CONFIG_HOME": filepath.Join(dir, ".config"), "GIT_CONFIG_NOSYSTEM": "1"})
}

func writeFile(t *testing.T, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// changedNames lists, as git diff --name-only does, the files the
// comparison finds changed or gone, among files (and the base's).
func changedNames(t *testing.T, c *Comparison, dir string, files []string) []string {
	t.Helper()
	var out []string
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err == nil && c.Changed(f, data) {
			out = append(out, f)
		}
	}
	out = append(out, c.Gone(func(p string) bool {
		_, err := os.Stat(filepath.Join(dir, p))
		return err == nil
	})...)
	slices.Sort(out)
	return slices.Compact(out)
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return out
}

// TestCompareFollowsGitDiff: a feature branch cut from main, main fixing
// a document after the cut. REF and REF...HEAD diff from the merge base
// (main's later fix is not the branch's change), REF..HEAD from REF's
// tip, as git diff does.
func TestCompareFollowsGitDiff(t *testing.T) {
	t.Parallel()
	needGit(t)
	dir := t.TempDir()
	gitCLI(t, dir, "init", "-q", "-b", "main")
	writeFile(t, dir, "interview/a.md", "a\n")
	writeFile(t, dir, "interview/b.md", "b\n")
	writeFile(t, dir, "prd/p.md", "p, with a typo\n")
	gitCLI(t, dir, "add", "-A")
	gitCLI(t, dir, "commit", "-q", "-m", "start")
	gitCLI(t, dir, "checkout", "-q", "-b", "feature")
	writeFile(t, dir, "story/s.md", "s\n")
	gitCLI(t, dir, "rm", "-q", "interview/b.md")
	gitCLI(t, dir, "add", "-A")
	gitCLI(t, dir, "commit", "-q", "-m", "feature")
	gitCLI(t, dir, "checkout", "-q", "main")
	writeFile(t, dir, "prd/p.md", "p, fixed\n")
	gitCLI(t, dir, "commit", "-q", "-am", "fix")
	gitCLI(t, dir, "checkout", "-q", "feature")

	r, err := OpenRepo(dir)
	if err != nil {
		t.Fatal(err)
	}
	env := noGitConfig(t, t.TempDir())
	files := []string{"interview/a.md", "prd/p.md", "story/s.md"}
	for spec, gitArgs := range map[string][]string{
		"main":         {"diff", "--name-only", "main...HEAD"},
		"main...HEAD":  {"diff", "--name-only", "main...HEAD"},
		"main...":      {"diff", "--name-only", "main...HEAD"},
		"main..HEAD":   {"diff", "--name-only", "main..HEAD"},
		"main..":       {"diff", "--name-only", "main", "HEAD"},
		"HEAD...main":  {"diff", "--name-only", "HEAD...main"},
		"feature~1..":  {"diff", "--name-only", "feature~1..HEAD"},
		"main~1..main": {"diff", "--name-only", "main~1..main"},
	} {
		c, err := r.Compare(spec, env)
		if err != nil {
			t.Errorf("%s: %v", spec, err)
			continue
		}
		// Against main's tip the comparison reads main's blobs; the
		// files of the work tree are those of feature.
		want := lines(gitCLI(t, dir, gitArgs...))
		got := changedNames(t, c, dir, files)
		if strings.HasSuffix(spec, "main") && spec != "main" {
			got = nil
			for _, f := range append(files, "interview/b.md") {
				if h, ok := c.old[f]; ok && c.new[f] != h {
					got = append(got, f)
				}
			}
			slices.Sort(got)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: changed %v, git diff %v", spec, got, want)
		}
	}

	// The merge base is git's.
	base, err := r.mergeBase("x", "main", "feature", resolveT(t, r, "main"), resolveT(t, r, "feature"))
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSpace(gitCLI(t, dir, "merge-base", "main", "feature")); base.String() != want {
		t.Errorf("merge base %s, git says %s", base, want)
	}
}

func resolveT(t *testing.T, r *Repo, name string) [20]byte {
	t.Helper()
	h, err := r.resolve(name, name)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestCompareInShallowClones: CI checks out one branch at depth 1. A base
// branch that was not fetched, history beyond the clone, and a merge base
// not fetched each say what is missing and how to fetch it; once fetched,
// the comparison works, in a shallow clone too.
func TestCompareInShallowClones(t *testing.T) {
	t.Parallel()
	needGit(t)
	base := t.TempDir()
	work := filepath.Join(base, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	gitCLI(t, work, "init", "-q", "-b", "main")
	for i, f := range []string{"a.md", "b.md", "c.md"} {
		writeFile(t, work, f, strings.Repeat("x", i+1)+"\n")
		gitCLI(t, work, "add", f)
		gitCLI(t, work, "commit", "-q", "-m", f)
	}
	gitCLI(t, work, "checkout", "-q", "-b", "feature")
	writeFile(t, work, "d.md", "d\n")
	gitCLI(t, work, "add", "d.md")
	gitCLI(t, work, "commit", "-q", "-m", "d")
	writeFile(t, work, "a.md", "a, edited on the branch\n")
	gitCLI(t, work, "commit", "-q", "-am", "a")
	gitCLI(t, base, "clone", "-q", "--bare", work, "remote.git")

	clone := filepath.Join(base, "clone")
	gitCLI(t, base, "clone", "-q", "--depth=1", "--branch", "feature", "file://"+filepath.Join(base, "remote.git"), clone)
	r, err := OpenRepo(clone)
	if err != nil {
		t.Fatal(err)
	}
	env := noGitConfig(t, t.TempDir())
	for spec, want := range map[string][2]string{
		"origin/main":        {`"origin/main" is not a branch, tag or commit of this clone`, "git fetch --unshallow origin main:refs/remotes/origin/main"},
		"origin/main...HEAD": {`"origin/main" (in "origin/main...HEAD") is not a branch, tag or commit of this clone`, "fetch-depth: 0"},
		"HEAD~1":             {`"HEAD~1" goes back further than the history of this shallow clone`, "git fetch --unshallow"},
		"nosuch":             {`"nosuch" is not a branch, tag or commit of this clone`, "'git branch -a'"},
	} {
		_, err := r.Compare(spec, env)
		if err == nil || !strings.Contains(err.Error(), want[0]) || !strings.Contains(hint.Of(err), want[1]) {
			t.Errorf("%s: %v\nhint: %s", spec, err, hint.Of(err))
		}
	}

	gitCLI(t, clone, "fetch", "-q", "--depth=1", "origin", "main:refs/remotes/origin/main")
	r, _ = OpenRepo(clone)
	_, err = r.Compare("origin/main", env)
	if err == nil || !strings.Contains(err.Error(), "have no commit in common in this shallow clone") || !strings.Contains(hint.Of(err), "fetch-depth: 0") {
		t.Errorf("merge base not fetched: %v\nhint: %s", err, hint.Of(err))
	}

	// Deep enough for the merge base, still shallow: git's answer.
	gitCLI(t, clone, "fetch", "-q", "--deepen=2", "origin", "feature")
	r, _ = OpenRepo(clone)
	if _, err := os.Stat(filepath.Join(clone, ".git", "shallow")); err != nil {
		t.Fatal("the clone is no longer shallow")
	}
	c, err := r.Compare("origin/main", env)
	if err != nil {
		t.Fatalf("after fetching the merge base: %v", err)
	}
	got := changedNames(t, c, clone, []string{"a.md", "b.md", "c.md", "d.md"})
	want := lines(gitCLI(t, clone, "diff", "--name-only", "origin/main...HEAD"))
	if !slices.Equal(got, want) || len(want) != 2 {
		t.Errorf("changed %v, git diff %v", got, want)
	}
}

// TestCleanConversionIsGits: the blob a work-tree file would be stored
// as, under core.autocrlf and .gitattributes, is the one git add
// stores, for text, binary-looking and already-CRLF files.
func TestCleanConversionIsGits(t *testing.T) {
	t.Parallel()
	needGit(t)
	files := map[string]string{
		"lf.md":               "one\ntwo\n",
		"crlf.md":             "one\r\ntwo\r\n",
		"mixed.md":            "one\r\ntwo\nthree\r\n",
		"lonecr.md":           "one\rtwo\r\nthree\n",
		"nul.md":              "one\r\n\x00two\r\n",
		"committed-crlf.md":   "kept\r\nas is\r\n",
		"notes/text.txt":      "a\r\nb\r\n",
		"notes/binary.dat":    "a\r\nb\r\n",
		"notes/eol-lf.cfg":    "a\r\nb\r\n",
		"notes/sub/auto.md":   "a\r\nb\r\n",
		"notes/sub/plain.bin": "a\r\nb\r\n",
	}
	for _, autocrlf := range []string{"true", "input", "false"} {
		dir := t.TempDir()
		gitCLI(t, dir, "init", "-q", "-b", "main")
		gitCLI(t, dir, "config", "core.autocrlf", "false")
		writeFile(t, dir, "committed-crlf.md", files["committed-crlf.md"])
		writeFile(t, dir, ".gitattributes", "*.txt text\n*.dat binary\n*.cfg eol=lf\n")
		writeFile(t, dir, "notes/sub/.gitattributes", "*.md text=auto\n*.bin -text\n")
		gitCLI(t, dir, "add", "-A")
		gitCLI(t, dir, "commit", "-q", "-m", "start")
		gitCLI(t, dir, "config", "core.autocrlf", autocrlf)
		for f, content := range files {
			writeFile(t, dir, f, content)
		}
		r, err := OpenRepo(dir)
		if err != nil {
			t.Fatal(err)
		}
		conv, err := r.conversion(noGitConfig(t, t.TempDir()))
		if err != nil {
			t.Fatal(err)
		}
		// What git add stores is the reference (git hash-object --path
		// reads no index, so it skips the safer-autocrlf rule).
		gitCLI(t, dir, "add", "-A")
		staged := map[string]string{}
		for _, l := range lines(gitCLI(t, dir, "ls-files", "--stage")) {
			meta, name, _ := strings.Cut(l, "\t")
			staged[name] = strings.Fields(meta)[1]
		}
		for f, content := range files {
			if got := conv.hash(f, []byte(content)).String(); got != staged[f] {
				t.Errorf("autocrlf=%s %s: %s, git add stores %s", autocrlf, f, got, staged[f])
			}
		}
	}
}

// TestAutocrlfCheckoutIsUnchanged: with core.autocrlf=true git checks
// LF blobs out as CRLF files and git status is clean; so is the
// comparison with HEAD. core.autocrlf may come from the global
// configuration, as on Windows runners.
func TestAutocrlfCheckoutIsUnchanged(t *testing.T) {
	t.Parallel()
	needGit(t)
	dir := t.TempDir()
	gitCLI(t, dir, "init", "-q", "-b", "main")
	writeFile(t, dir, "prd/p.md", "# PRD\n\n## Problem\n\nClerks match payments by hand.\n")
	writeFile(t, dir, "story/s.md", "# Story\n\nResult: 9% to 1.4%.\n")
	gitCLI(t, dir, "add", "-A")
	gitCLI(t, dir, "commit", "-q", "-m", "start")
	home := t.TempDir()
	writeFile(t, home, ".gitconfig", "[core]\n\tautocrlf = true\n")
	for _, f := range []string{"prd/p.md", "story/s.md"} {
		os.Remove(filepath.Join(dir, f))
	}
	out := gitWithHome(t, dir, home, "checkout", "--", ".")
	data, _ := os.ReadFile(filepath.Join(dir, "prd/p.md"))
	if !strings.Contains(string(data), "\r\n") {
		t.Fatalf("git checked out LF endings with autocrlf=true: %q %s", data, out)
	}
	if st := gitWithHome(t, dir, home, "status", "--porcelain"); st != "" {
		t.Fatalf("git status is not clean: %s", st)
	}
	r, err := OpenRepo(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.Compare("HEAD", noGitConfig(t, home))
	if err != nil {
		t.Fatal(err)
	}
	if got := changedNames(t, c, dir, []string{"prd/p.md", "story/s.md"}); len(got) != 0 {
		t.Errorf("changed with autocrlf: %v", got)
	}
	// Without the global setting the CRLF files do differ, as they would
	// for git.
	c, err = r.Compare("HEAD", noGitConfig(t, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	if got := changedNames(t, c, dir, []string{"prd/p.md", "story/s.md"}); len(got) != 2 {
		t.Errorf("changed without autocrlf: %v", got)
	}
}

// gitWithHome runs git with home's configuration.
func gitWithHome(t *testing.T, dir, home string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
