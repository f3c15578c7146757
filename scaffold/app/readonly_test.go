package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/environ"
	"github.com/pmfolio/pmfolio/scaffold/interview"
)

// treeState is everything about a folder tree a command could change:
// each entry's path, mode, size, modification time, and the hash of a
// file's content or a link's target. A folder's modification time changes
// when an entry is created or removed in it, even one removed again.
func treeState(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		sum := ""
		switch {
		case fi.Mode().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			h := sha256.Sum256(data)
			sum = hex.EncodeToString(h[:8])
		case fi.Mode()&fs.ModeSymlink != 0:
			sum, _ = os.Readlink(p)
		}
		out[filepath.ToSlash(rel)] = fmt.Sprintf("%v %d %d %s", fi.Mode(), fi.Size(), fi.ModTime().UnixNano(), sum)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// treeDiff lists what changed between two states, except the allowed
// paths (prefixes), and the modification time of the folders holding
// them, which writing a file in them changes.
func treeDiff(before, after map[string]string, allowed []string) []string {
	var out []string
	ok := func(p string) bool {
		for _, a := range allowed {
			if strings.HasPrefix(p, a) {
				return true
			}
		}
		return false
	}
	holds := func(p string) bool {
		for _, a := range allowed {
			if path.Dir(a) == p {
				return true
			}
		}
		return false
	}
	for p, b := range before {
		if a, found := after[p]; !found && !ok(p) {
			out = append(out, "removed "+p)
		} else if found && a != b && !ok(p) && !holds(p) {
			out = append(out, fmt.Sprintf("changed %s: %s -> %s", p, b, a))
		}
	}
	for p := range after {
		if _, found := before[p]; !found && !ok(p) {
			out = append(out, "created "+p)
		}
	}
	sort.Strings(out)
	return out
}

// TestReadOnlyCommands: check, list, questions, doctor without --fix,
// drafts (listing), pack list and show, status, publish (but for its
// output folder), help, man, completion and every
// shell completion request create, change and lock nothing, inside a portfolio (with git or without) or outside any, .git
// and pmfolio's state folders included: the whole tree of the test (the
// portfolios, a plain folder, the home, state and cache folders) is the
// same after each of them, byte for byte and to the nanosecond. The pack
// cache may be filled (it is not a portfolio's), but here nothing needs
// fetching.
//
// check's findings cache, in the repository's .git/pmfolio/check-cache,
// is the one allowed write (and with it the modification time of
// .git/pmfolio, the folder holding it); nothing else.
func TestReadOnlyCommands(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("the git CLI is not installed; it gives this test a git identity-free oracle of .git")
	}
	// publish writes only its output folder, here under published/.
	allowedWrites := []string{"port/.git/pmfolio/check-cache", "published"}
	root := t.TempDir()
	home := filepath.Join(root, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte("[user]\n\tname = Read Only\n\temail = ro@example.com\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := environ.FromMap(map[string]string{
		"HOME": home, "XDG_STATE_HOME": filepath.Join(home, "state"), "XDG_CACHE_HOME": filepath.Join(home, "cache"),
		"XDG_CONFIG_HOME": filepath.Join(home, "config"), "GIT_CONFIG_NOSYSTEM": "1",
	})
	git, plain, outside := readOnlyFixture(t, env, root)
	published := filepath.Join(root, "published")
	if err := os.MkdirAll(published, 0o755); err != nil {
		t.Fatal(err)
	}

	commands := map[string][][]string{
		git: {
			{"check"}, {"check", "story"}, {"check", "--list-rules"}, {"check", "--explain", "prd/metric-quantified"},
			{"check", "--format", "sarif"}, {"check", "--changed-since", "HEAD"}, {"check", "../outside/loose.md", "."},
			{"list"}, {"list", "--json", "--kind", "story"}, {"questions", "prd"}, {"questions", "init", "--json"},
			{"doctor"}, {"drafts"}, {"pack", "list"}, {"pack", "show"},
			{"status"}, {"status", "--json", "--date", "2026-02-01"},
			{"publish", "--out", filepath.Join(published, "site")}, {"publish", "--out", filepath.Join(published, "site"), "--include-private"},
			{"help", "check"}, {"man"}, {"completion", "bash"},
			{completionFlag}, {"new", completionFlag}, {"check", completionFlag}, {"check", "--explain", completionFlag},
			{"pack", "use", completionFlag}, {"new", "--", completionFlag}, {"init", "fresh", completionFlag},
		},
		plain:   {{"check"}, {"list"}, {"status"}, {"publish", "--out", filepath.Join(published, "plain")}, {"questions", "story"}, {"doctor"}, {"drafts"}, {"new", completionFlag}, {"check", completionFlag}},
		outside: {{"check", "loose.md"}, {"check", "--list-rules"}, {"questions", "prd"}, {"list"}, {"doctor"}, {"drafts"}, {"pack", "list"}, {"-C", "nodir", "check", "--list-rules"}, {"-C", "nodir", "check"}, {"-C", "nodir", "new", completionFlag}},
	}
	before := treeState(t, root)
	for dir, cmds := range commands {
		for _, args := range cmds {
			if args[0] != "-C" {
				args = append([]string{"-C", dir}, args...)
			} else {
				args[1] = filepath.Join(dir, args[1])
			}
			stdout, stderr, code := runEnv(t, env, args...)
			if code == ExitUsage && !strings.Contains(string(stderr), "no portfolio here") {
				t.Errorf("pmfolio %s: exit 2:\n%s", strings.Join(args, " "), stderr)
			}
			// A completion request answers (after "--", and for init's
			// folder, with nothing: the shell completes file names) and
			// runs no command, not even init whose words it completes.
			if completing(append([]string{"pmfolio"}, args...)) {
				answers := !slices.Contains(args, "--") && !slices.Contains(args, "init")
				if code != 0 || len(stderr) > 0 || (len(stdout) > 0) != answers {
					t.Errorf("pmfolio %s: exit %d, stdout %q, stderr %q", strings.Join(args, " "), code, stdout, stderr)
				}
			}
			if diff := treeDiff(before, treeState(t, root), allowedWrites); len(diff) > 0 {
				t.Fatalf("pmfolio %s wrote:\n%s", strings.Join(args, " "), strings.Join(diff, "\n"))
			}
		}
	}
	if _, err := os.Stat(filepath.Join(outside, "nodir")); err == nil {
		t.Error("-C nodir created nodir")
	}
}

// readOnlyFixture makes a committed portfolio with documents and a draft,
// a portfolio without git, and a plain folder with a loose document.
func readOnlyFixture(t *testing.T, env *environ.Env, root string) (git, plain, outside string) {
	t.Helper()
	examples := examplesDir(t)
	git, plain, outside = filepath.Join(root, "port"), filepath.Join(root, "plain"), filepath.Join(root, "outside")
	run := func(f *Factory, args ...string) {
		t.Helper()
		var out, errOut bytes.Buffer
		f.Streams = Streams{In: bytes.NewReader(nil), Out: &out, Err: &errOut}
		if code := MainWith(append([]string{"pmfolio"}, args...), f); code != 0 && code != ExitInterrupted {
			t.Fatalf("pmfolio %s: exit %d\n%s", strings.Join(args, " "), code, errOut.String())
		}
	}
	f := func() *Factory { return testFactory(Streams{}, env) }
	run(f(), "init", "--answers", filepath.Join(examples, "answers", "init.yaml"), "--date", "2026-01-05", git)
	run(f(), "-C", git, "new", "story", "--answers", filepath.Join(examples, "answers", "story.yaml"), "--date", "2026-03-16")
	// An interview interrupted after its first answer leaves a draft.
	interrupted := f()
	interrupted.Prompter = interview.NewScript("Half a story")
	run(interrupted, "-C", git, "new", "story", "--date", "2026-03-17")
	run(f(), "init", "--answers", filepath.Join(examples, "answers", "init.yaml"), "--date", "2026-01-05", "--no-commit", plain)
	run(f(), "-C", plain, "new", "prd", "--answers", filepath.Join(examples, "answers", "prd.yaml"), "--date", "2026-01-26", "--no-commit")
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(filepath.Join(git, "story", "2026-03-16-wrong-match-spike-in-the-beta.md"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "loose.md"), doc, 0o644); err != nil {
		t.Fatal(err)
	}
	if drafts, _, _ := runEnv(t, env, "-C", git, "drafts"); !bytes.Contains(drafts, []byte("story")) {
		t.Fatalf("no draft to list:\n%s", drafts)
	}
	return git, plain, outside
}
