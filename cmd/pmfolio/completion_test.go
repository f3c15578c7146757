//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// completionPortfolio makes, in a fresh folder, a portfolio with a story
// and a course's pack pinned (its kind case-study and its rules), and an
// empty folder outside it; it returns the folder, the portfolio, the
// outside folder and the environment to run pmfolio and shells in.
func completionPortfolio(t *testing.T) (work, port, outside string, env []string) {
	t.Helper()
	work = t.TempDir()
	home := filepath.Join(work, "home")
	port, outside = filepath.Join(work, "port"), filepath.Join(work, "outside")
	for _, d := range []string{home, outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	env = isolatedEnv(t, home)
	examples, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	answers := filepath.Join(examples, "answers")
	mustRun(t, env, work, "pmfolio", "init", "--answers", filepath.Join(answers, "init.yaml"), "--date", "2026-01-05", "port")
	mustRun(t, env, port, "pmfolio", "new", "story", "--answers", filepath.Join(answers, "story.yaml"), "--date", "2026-03-16")
	if err := os.CopyFS(filepath.Join(port, "packs", "bootcamp"), os.DirFS(filepath.Join(examples, "packs", "bootcamp"))); err != nil {
		t.Fatal(err)
	}
	mustRun(t, env, port, "pmfolio", "pack", "add", "packs/bootcamp")
	return work, port, outside, env
}

// TestBashCompletion sources the script `pmfolio completion bash` prints
// in a real bash, with this pmfolio on PATH, sets COMP_WORDS and
// COMP_CWORD as bash does when Tab is pressed, calls the function the
// script registered for pmfolio (complete -p) and checks COMPREPLY. The
// requests must leave every file as it was.
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed; nothing to source the script in")
	}
	work, port, outside, env := completionPortfolio(t)
	script := filepath.Join(work, "pmfolio.bash")
	if err := os.WriteFile(script, []byte(mustRun(t, env, work, "pmfolio", "completion", "bash")), 0o644); err != nil {
		t.Fatal(err)
	}
	// The words as bash splits them: "--explain=x" is three words, and
	// the last word is the one being completed ("" after a space).
	const driver = `source "$1" || exit 1
spec=$(complete -p pmfolio) || exit 1
fn=${spec#*-F }
fn=${fn%% *}
COMP_CWORD=$2
shift 2
COMP_WORDS=("$@")
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
"$fn" pmfolio "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"`
	complete := func(dir string, words ...string) []string {
		t.Helper()
		args := append([]string{"--norc", "--noprofile", "-c", driver, "bash", script, strconv.Itoa(len(words) - 1)}, words...)
		cmd := exec.Command(bash, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%q: %v", words, err)
		}
		return strings.Fields(string(out))
	}

	kinds := []string{"interview", "brief", "prd", "retro", "teardown", "story"}
	story := "story/2026-03-16-wrong-match-spike-in-the-beta.md"
	before, err := treeHash(work)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		dir   string
		words []string
		want  []string // exactly, in order
		has   []string // among others
	}{
		{dir: port, words: []string{"pmfolio", ""}, has: []string{"init", "new", "check", "pack", "completion", "help"}},
		{dir: port, words: []string{"pmfolio", "ne"}, want: []string{"new"}},
		{dir: port, words: []string{"pmfolio", "new", ""}, want: append(kinds, "case-study")},
		{dir: port, words: []string{"pmfolio", "new", "t"}, want: []string{"teardown"}},
		{dir: port, words: []string{"pmfolio", "new", "--dr"}, want: []string{"--dry-run"}},
		{dir: port, words: []string{"pmfolio", "new", "story", "--no-c"}, want: []string{"--no-commit"}},
		{dir: port, words: []string{"pmfolio", "new", "--track", ""}, want: []string{"core", "technical"}},
		{dir: port, words: []string{"pmfolio", "-"}, want: []string{"-C", "--help", "-h", "--version", "-v"}},
		{dir: port, words: []string{"pmfolio", "check", "--explain", "prd/metric-q"}, want: []string{"prd/metric-quantified"}},
		{dir: port, words: []string{"pmfolio", "check", "--explain", "=", "prd/metric-q"}, want: []string{"prd/metric-quantified"}},
		{dir: port, words: []string{"pmfolio", "check", "--explain", "="}, has: []string{"doc/weasel-words", "prd/metric-quantified", "teardown/jtbd"}},
		{dir: port, words: []string{"pmfolio", "check", "--explain", ""}, has: []string{"doc/weasel-words", "plan/failure-story", "teardown/jtbd"}},
		{dir: port, words: []string{"pmfolio", "check", "--format", "j"}, want: []string{"json", "junit"}},
		{dir: port, words: []string{"pmfolio", "check", "st"}, want: []string{"story/", story}},
		{dir: filepath.Join(port, "story"), words: []string{"pmfolio", "check", "2026"}, want: []string{filepath.Base(story)}},
		{dir: port, words: []string{"pmfolio", "pack", "u"}, want: []string{"use", "update"}},
		{dir: port, words: []string{"pmfolio", "pack", "use", ""}, want: []string{"default", "bootcamp"}},
		{dir: port, words: []string{"pmfolio", "pack", "remove", ""}, want: []string{"bootcamp"}},
		{dir: port, words: []string{"pmfolio", "new", "--pack", ""}, want: []string{"default", "bootcamp"}},
		{dir: work, words: []string{"pmfolio", "-C", "port", "new", "ca"}, want: []string{"case-study"}},
		{dir: outside, words: []string{"pmfolio", "new", ""}, want: kinds},
		{dir: outside, words: []string{"pmfolio", "check", "--explain", "story/first"}, want: []string{"story/first-person"}},
		{dir: outside, words: []string{"pmfolio", "pack", "use", ""}, want: []string{"default"}},
		{dir: outside, words: []string{"pmfolio", "help", "pa"}, want: []string{"pack"}},
		{dir: outside, words: []string{"pmfolio", "help", "pack", "a"}, want: []string{"add"}},
		{dir: outside, words: []string{"pmfolio", "completion", ""}, want: []string{"bash", "zsh", "fish"}},
		// Completion runs no command: init does not create its folder,
		// and after "--" pmfolio is not even asked.
		{dir: outside, words: []string{"pmfolio", "init", "fresh", ""}},
		{dir: port, words: []string{"pmfolio", "new", "--", ""}},
	} {
		got := complete(c.dir, c.words...)
		switch {
		case c.has != nil:
			for _, h := range c.has {
				if !slices.Contains(got, h) {
					t.Errorf("%q in %s: %q lacks %q", c.words, c.dir, got, h)
				}
			}
		case !slices.Equal(got, c.want):
			t.Errorf("%q in %s: got %q, want %q", c.words, c.dir, got, c.want)
		}
	}
	after, err := treeHash(work)
	if err != nil {
		t.Fatal(err)
	}
	if before != after {
		t.Error("completion changed files")
	}

	// Without the cache, completion offers what it has and fetches
	// nothing: the pinned pack's kind is missing, and the cache stays
	// empty (a fetch of the pack would have filled it).
	cache := filepath.Join(work, "home", "cache")
	if _, err := os.Stat(cache); err != nil {
		t.Fatalf("pack add left no cache at %s: %v", cache, err)
	}
	if err := os.RemoveAll(cache); err != nil {
		t.Fatal(err)
	}
	if got := complete(port, "pmfolio", "new", ""); !slices.Equal(got, kinds) {
		t.Errorf("without the cache: got %q, want %q", got, kinds)
	}
	if got := complete(port, "pmfolio", "pack", "use", ""); !slices.Equal(got, []string{"default", "bootcamp"}) {
		t.Errorf("without the cache: got %q", got)
	}
	if _, err := os.Stat(cache); !os.IsNotExist(err) {
		t.Errorf("completion filled the cache: %v", err)
	}
}

// TestZshCompletion checks that zsh parses the script, then calls its
// function as zsh's completion would, with words and CURRENT set and
// compadd replaced by a stub that prints what it is given (zsh's own
// matching is not under test, the request and its answer are).
func TestZshCompletion(t *testing.T) {
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		t.Skip("zsh is not installed (.ci/run installs it); its script is not checked")
	}
	work, port, _, env := completionPortfolio(t)
	script := filepath.Join(work, "_pmfolio")
	if err := os.WriteFile(script, []byte(mustRun(t, env, work, "pmfolio", "completion", "zsh")), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(zsh, "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("zsh -n: %v\n%s", err, out)
	}
	const driver = `compdef() { :; }
compadd() { local -a a; a=("$@"); print -rl -- "${(@)a[${a[(i)--]}+1,-1]}"; }
_files() { print -r -- "(files)"; }
source "$1" || exit 1
shift
words=("$@")
CURRENT=$#
_pmfolio_complete`
	for _, c := range []struct {
		words []string
		want  []string
	}{
		{[]string{"pmfolio", "new", ""}, []string{"interview", "brief", "prd", "retro", "teardown", "story", "case-study"}},
		{[]string{"pmfolio", "pack", "remove", ""}, []string{"bootcamp"}},
		{[]string{"pmfolio", "check", "--explain=prd/metric-q"}, nil},
		{[]string{"pmfolio", "new", "--", ""}, []string{"(files)"}},
		{[]string{"pmfolio", "pack", "lint", ""}, []string{"(files)"}},
	} {
		cmd := exec.Command(zsh, append([]string{"-f", "-c", driver, "zsh", script}, c.words...)...)
		cmd.Dir, cmd.Env = port, env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%q: %v", c.words, err)
		}
		got := strings.Fields(string(out))
		if c.want == nil {
			// zsh matches the word itself: every candidate is --explain=ID.
			if !slices.Contains(got, "--explain=prd/metric-quantified") || slices.ContainsFunc(got, func(s string) bool { return !strings.HasPrefix(s, "--explain=") }) {
				t.Errorf("%q: got %q", c.words, got)
			}
			continue
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: got %q, want %q", c.words, got, c.want)
		}
	}
}

// TestFishCompletion checks that fish parses the script, then asks fish
// itself to complete command lines with it (complete -C).
func TestFishCompletion(t *testing.T) {
	fish, err := exec.LookPath("fish")
	if err != nil {
		t.Skip("fish is not installed (.ci/run installs it); its script is not checked")
	}
	work, port, _, env := completionPortfolio(t)
	script := filepath.Join(work, "pmfolio.fish")
	if err := os.WriteFile(script, []byte(mustRun(t, env, work, "pmfolio", "completion", "fish")), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(fish, "--no-config", "--no-execute", script).CombinedOutput(); err != nil {
		t.Fatalf("fish --no-execute: %v\n%s", err, out)
	}
	for line, want := range map[string][]string{
		"pmfolio new ":                               {"brief", "case-study", "interview", "prd", "retro", "story", "teardown"},
		"pmfolio new --dr":                           {"--dry-run"},
		"pmfolio check --explain prd/metric-q":       {"prd/metric-quantified"},
		"pmfolio check --explain=prd/metric-q":       {"--explain=prd/metric-quantified"},
		"pmfolio pack use ":                          {"bootcamp", "default"},
		"pmfolio check story/2026-03-16-wrong-match": {"story/2026-03-16-wrong-match-spike-in-the-beta.md"},
	} {
		cmd := exec.Command(fish, "--no-config", "-c", `source $argv[1]; and complete -C $argv[2]`, script, line)
		cmd.Dir, cmd.Env = port, env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			got = append(got, strings.Split(l, "\t")[0])
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: got %q, want %q", line, got, want)
		}
	}
}
