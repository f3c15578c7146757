//go:build unix

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/crash"
	"github.com/pmfolio/pmfolio/scaffold/environ"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
)

// These tests run pmfolio as a separate process (testscript.Main puts this
// test binary on PATH as pmfolio), because what they test is what happens
// to the files when a process dies or competes with others; the real git
// CLI is the judge of the repositories it leaves.

// hardEnv is a process environment with a git identity and private HOME
// and state folders.
func hardEnv(t *testing.T) []string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("the git CLI is not installed; these tests ask it about what pmfolio wrote")
	}
	return isolatedEnv(t, t.TempDir())
}

// isolatedEnv is a process environment with a git identity for go-git and
// HOME, state and cache folders of its own in home.
func isolatedEnv(t *testing.T, home string) []string {
	t.Helper()
	gitconfig := "[user]\n\tname = Test Author\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n"
	if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte(gitconfig), 0o644); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PMFOLIO_") && !strings.HasPrefix(kv, "GIT_") {
			env = append(env, kv)
		}
	}
	return append(env, "HOME="+home, "XDG_STATE_HOME="+filepath.Join(home, "state"), "XDG_CACHE_HOME="+filepath.Join(home, "cache"), "GIT_CONFIG_NOSYSTEM=1", "CI=true")
}

// run runs pmfolio (or git, with name "git") in dir and returns its
// combined output and the error of Wait.
func run(env []string, dir, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func mustRun(t *testing.T, env []string, dir, name string, args ...string) string {
	t.Helper()
	out, err := run(env, dir, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// killed reports whether err says the process died of SIGKILL.
func killed(err error) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// readTree reads every file of dir except git's own folder.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = string(data)
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return out
}

func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "port")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// crashCase is one operation the crash test interrupts at every step.
type crashCase struct {
	name string
	// setup returns a fresh folder to run the operation in.
	setup func(t *testing.T) string
	args  []string
	// recover runs after the crash and must leave everything committed.
	recover [][]string
	// redo is true when recover runs the operation itself again, so that it
	// is done even when the crash came before its journal.
	redo bool
	// check, when set, checks more right after the crash and after the
	// recovery.
	check func(t *testing.T, env []string, at, dir string)
}

// TestCrashAtEveryStep kills pmfolio with SIGKILL at every step of init,
// new, pack add, use, update and remove, and doctor --fix packing loose
// objects (PMFOLIO_CRASH_AT; each repeated step at each occurrence) and
// checks git's and the invariants right after the crash: git fsck
// accepts the repository, every file is either as it was before or as the
// finished operation writes it (never half written, no earlier file
// changed), and the index holds HEAD plus at most complete new files. Then
// the next pmfolio run finishes the operation, and the portfolio is clean.
func TestCrashAtEveryStep(t *testing.T) {
	env := hardEnv(t)
	examples, err := filepath.Abs("../../examples/answers")
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(t.TempDir(), "base")
	mustRun(t, env, "", "pmfolio", "init", "--answers", filepath.Join(examples, "init.yaml"), "--date", "2026-01-05", base)
	mustRun(t, env, base, "pmfolio", "new", "story", "--answers", filepath.Join(examples, "story.yaml"), "--date", "2026-03-16")
	story := []string{"new", "story", "--answers", filepath.Join(examples, "story.yaml"), "--set", "title=Crash course", "--date", "2026-03-17"}
	initArgs := []string{"init", "--answers", filepath.Join(examples, "init.yaml"), "--date", "2026-01-05", "."}
	// A course's pack in a git repository, released twice, and a copy of
	// the portfolio that pins its first release.
	course := coursePack(t, env)
	pinned := copyDir(t, base)
	mustRun(t, env, pinned, "pmfolio", "pack", "add", course+"@v1.0.0")
	nextStory := []string{"new", "story", "--answers", filepath.Join(examples, "story.yaml"), "--set", "title=Next one", "--date", "2026-03-18"}
	// A story made with the course's first release, for upgrade.
	coursed := copyDir(t, pinned)
	mustRun(t, env, coursed, "pmfolio", "new", "story", "--pack", "course", "--answers", filepath.Join(examples, "story.yaml"), "--set", "title=Course story", "--date", "2026-03-17")
	// Eight of them: the upgrade writes more files than one batch (see
	// portfolio.writeBatch), which trades names with files git has.
	batched := copyDir(t, coursed)
	for i := range 7 {
		mustRun(t, env, batched, "pmfolio", "new", "story", "--pack", "course", "--answers", filepath.Join(examples, "story.yaml"), "--set", fmt.Sprintf("title=Course story %d", i), "--date", "2026-03-18")
	}
	// A README with a long text of its owner's below the index, refreshed
	// once already: `new` writes its blob early and copies the compressed
	// tail from the previous version's object (portfolio.writeEarly,
	// writeWithTail), which a small README never does.
	bigReadme := copyDir(t, base)
	var owner strings.Builder
	owner.WriteString("\n## Everything I wrote\n\n")
	for i := range 8000 {
		fmt.Fprintf(&owner, "- [note %d](story/note-%d.md)\n", i, i*7919%100003)
	}
	readme, err := os.OpenFile(filepath.Join(bigReadme, "README.md"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := readme.WriteString(owner.String()); err != nil {
		t.Fatal(err)
	}
	readme.Close()
	mustRun(t, env, bigReadme, "git", "commit", "-q", "-a", "-m", "my list")
	mustRun(t, env, bigReadme, "pmfolio", "new", "story", "--answers", filepath.Join(examples, "story.yaml"), "--set", "title=Warm up", "--date", "2026-03-16")
	packCase := func(name string, from string, args ...string) crashCase {
		return crashCase{
			name:    name,
			setup:   func(t *testing.T) string { return copyDir(t, from) },
			args:    args,
			recover: [][]string{{"doctor", "--fix"}, nextStory},
		}
	}
	cases := []crashCase{
		{
			name:    "init",
			setup:   func(t *testing.T) string { d := filepath.Join(t.TempDir(), "port"); os.Mkdir(d, 0o755); return d },
			args:    initArgs,
			recover: [][]string{initArgs},
			redo:    true,
		},
		{
			name:    "new",
			setup:   func(t *testing.T) string { return copyDir(t, base) },
			args:    story,
			recover: [][]string{{"doctor", "--fix"}, nextStory},
		},
		{
			name:    "new, a big README",
			setup:   func(t *testing.T) string { return copyDir(t, bigReadme) },
			args:    story,
			recover: [][]string{{"doctor", "--fix"}, nextStory},
		},
		{
			// A revision that moves the document: files written and removed.
			name:    "edit --rename",
			setup:   func(t *testing.T) string { return copyDir(t, base) },
			args:    []string{"edit", "story/2026-03-16-wrong-match-spike-in-the-beta.md", "--set", "title=The spike", "--rename", "--date", "2026-03-20"},
			recover: [][]string{{"doctor", "--fix"}, nextStory},
		},
		// Re-pinned and brought forward in one operation.
		packCase("upgrade --to", coursed, "upgrade", "course", "--to", "v1.1.0"),
		packCase("upgrade --to, a batch", batched, "upgrade", "course", "--to", "v1.1.0"),
		packCase("pack add", base, "pack", "add", course+"@v1.0.0", "--default"),
		packCase("pack use", pinned, "pack", "use", "course"),
		packCase("pack update", pinned, "pack", "update", "course"),
		packCase("pack remove", pinned, "pack", "remove", "course"),
		{
			// Packing the loose objects past gc.auto (here 5): every object
			// of the repository is still there after a crash at any point.
			name: "doctor --fix (pack)",
			setup: func(t *testing.T) string {
				d := copyDir(t, base)
				mustRun(t, env, d, "git", "config", "gc.auto", "5")
				return d
			},
			args:    []string{"doctor", "--fix"},
			recover: [][]string{{"doctor", "--fix"}},
			check:   noObjectLost(objectsOf(t, env, base)),
		},
	}
	var mu sync.Mutex
	reached := map[string]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// What the operation writes when nothing interrupts it.
			ref := c.setup(t)
			before := readTree(t, ref)
			mustRun(t, env, ref, "pmfolio", c.args...)
			after := readTree(t, ref)
			tries := 0
			for _, step := range crash.Steps {
				for n := 1; ; n++ {
					dir := c.setup(t)
					cenv := append(env[:len(env):len(env)], fmt.Sprintf("%s=%s:%d", crash.Env, step, n))
					out, err := run(cenv, dir, "pmfolio", c.args...)
					if !killed(err) {
						if err != nil {
							t.Fatalf("%s:%d: pmfolio failed instead of crashing: %v\n%s", step, n, err, out)
						}
						break
					}
					mu.Lock()
					reached[step] = true
					mu.Unlock()
					at := fmt.Sprintf("%s:%d", step, n)
					checkCrashed(t, env, at, dir, before, after)
					if c.check != nil {
						c.check(t, env, at+" (crashed)", dir)
					}
					rc := c.recover[tries%len(c.recover)]
					tries++
					if out, err := run(env, dir, "pmfolio", rc...); err != nil {
						t.Fatalf("%s: recovery with pmfolio %s: %v\n%s", at, strings.Join(rc, " "), err, out)
					}
					if c.check != nil {
						c.check(t, env, at+" (recovered)", dir)
					}
					journaled := slices.Index(crash.Steps, step) >= slices.Index(crash.Steps, "journal-written")
					if journaled || c.redo {
						checkRecovered(t, env, at, dir, before, after)
					} else {
						checkRecovered(t, env, at, dir, before, nil)
						for rel := range after {
							if _, ok := before[rel]; !ok && !strings.HasSuffix(rel, "README.md") {
								if _, err := os.Stat(filepath.Join(dir, rel)); err == nil {
									t.Errorf("%s: %s was written though the operation died before its journal", at, rel)
								}
							}
						}
					}
				}
			}
			// Every operation journals, writes and commits: it passes
			// the lock, the journal, a file and the commit's steps.
			if tries < 9 {
				t.Errorf("%s crashed at only %d points", c.name, tries)
			}
			t.Logf("%s: crashed and recovered at %d points", c.name, tries)
		})
	}
	exchanges := canExchange(t.TempDir())
	t.Cleanup(func() {
		for _, s := range crash.Steps {
			if !reached[s] && (exchanges || !strings.HasSuffix(s, "-exchanged")) {
				t.Errorf("step %s was never reached: a test cannot crash there", s)
			}
		}
	})
}

// objectsOf lists every object of the repository at dir, as the git CLI
// sees them.
func objectsOf(t *testing.T, env []string, dir string) []string {
	t.Helper()
	out := mustRun(t, env, dir, "git", "cat-file", "--batch-all-objects", "--batch-check")
	return strings.Split(strings.TrimSpace(out), "\n")
}

// noObjectLost checks that the git CLI still finds every object of want,
// that git fsck --full accepts the repository, and that git counts no
// garbage once the repository is recovered.
func noObjectLost(want []string) func(t *testing.T, env []string, at, dir string) {
	return func(t *testing.T, env []string, at, dir string) {
		t.Helper()
		have := map[string]bool{}
		for _, o := range objectsOf(t, env, dir) {
			have[o] = true
		}
		for _, o := range want {
			if !have[o] {
				t.Errorf("%s: object %s was lost", at, o)
			}
		}
		if out, err := run(env, dir, "git", "fsck", "--full", "--no-progress", "--no-dangling"); err != nil {
			t.Errorf("%s: git fsck --full: %v\n%s", at, err, out)
		}
		if strings.HasSuffix(at, "(recovered)") {
			if out := mustRun(t, env, dir, "git", "count-objects", "-v"); !strings.Contains(out, "\ngarbage: 0\n") {
				t.Errorf("%s: git counts garbage after recovery:\n%s", at, out)
			}
		}
	}
}

// coursePack makes a git repository holding a course's pack, released as
// v1.0.0 and v1.1.0, with the real git CLI.
func coursePack(t *testing.T, env []string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "course")
	manifest := "name: course\nversion: %s\ndescription: A course's pack.\nextends: default\n"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	mustRun(t, env, dir, "git", "init", "-q", "-b", "main")
	for _, v := range []string{"1.0.0", "1.1.0"} {
		if err := os.WriteFile(filepath.Join(dir, "pack.yaml"), fmt.Appendf(nil, manifest, v), 0o644); err != nil {
			t.Fatal(err)
		}
		mustRun(t, env, dir, "git", "add", "pack.yaml")
		mustRun(t, env, dir, "git", "commit", "-qm", "course pack "+v)
		mustRun(t, env, dir, "git", "tag", "v"+v)
	}
	return dir
}

// checkCrashed checks the state a crash left.
func checkCrashed(t *testing.T, env []string, at, dir string, before, after map[string]string) {
	t.Helper()
	for rel, data := range readTree(t, dir) {
		if strings.Contains(rel, ".pmfolio-tmp-") {
			continue // a temporary file: recovery removes it
		}
		if b, ok := before[rel]; ok && b == data {
			continue
		}
		if a, ok := after[rel]; ok && a == data {
			continue
		}
		t.Errorf("%s: %s is neither as it was nor as the operation writes it:\n%.300s", at, rel, data)
	}
	for rel := range before {
		if _, moved := after[rel]; !moved {
			continue // the operation removes it (a document it moves)
		}
		if _, err := os.Stat(filepath.Join(dir, rel)); err != nil {
			t.Errorf("%s: %s was lost", at, rel)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".git", "HEAD")); err != nil {
		return // init died before its repository was in place: nothing to check
	}
	if out, err := run(env, dir, "git", "fsck", "--no-progress", "--no-dangling"); err != nil {
		t.Errorf("%s: git fsck: %v\n%s", at, err, out)
	}
	// The index: HEAD plus at most complete new files.
	staged := mustRun(t, env, dir, "git", "ls-files", "--stage")
	head, _ := run(env, dir, "git", "ls-tree", "-r", "HEAD")
	headBlobs := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(head), "\n") {
		if f := strings.Fields(line); len(f) == 4 {
			headBlobs[f[3]] = f[2]
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(staged), "\n") {
		f := strings.Fields(line)
		if len(f) != 4 || headBlobs[f[3]] == f[1] {
			continue
		}
		blob := mustRun(t, env, dir, "git", "cat-file", "blob", f[1])
		if a, ok := after[f[3]]; !ok || a != blob {
			t.Errorf("%s: the index holds %s, which is neither HEAD's nor the complete new file", at, f[3])
		}
	}
	for p := range headBlobs {
		if _, removed := before[p]; removed {
			if _, kept := after[p]; !kept {
				continue // the operation removes it: the index may have
			}
		}
		if !strings.Contains(staged, "\t"+p+"\n") {
			t.Errorf("%s: the index lost %s, which HEAD has", at, p)
		}
	}
}

// checkRecovered checks that recovery finished the operation cleanly.
func checkRecovered(t *testing.T, env []string, at, dir string, before, after map[string]string) {
	t.Helper()
	if out, err := run(env, dir, "git", "fsck", "--no-progress", "--no-dangling"); err != nil {
		t.Errorf("%s: after recovery, git fsck: %v\n%s", at, err, out)
	}
	if out := mustRun(t, env, dir, "git", "status", "--porcelain", "--untracked-files=all"); out != "" {
		t.Errorf("%s: after recovery, git status is not clean:\n%s", at, out)
	}
	if out := mustRun(t, env, dir, "git", "diff-index", "--cached", "--name-only", "HEAD"); out != "" {
		t.Errorf("%s: after recovery, the index differs from HEAD:\n%s", at, out)
	}
	// The journal stays, emptied, for the next operation to write into.
	if fi, err := os.Stat(filepath.Join(dir, ".git", "pmfolio", "journal")); err == nil && fi.Size() > 0 {
		t.Errorf("%s: the journal still holds an operation after recovery", at)
	}
	now := readTree(t, dir)
	for rel, data := range after {
		if rel == "README.md" || strings.HasSuffix(rel, "/README.md") && now[rel] != "" {
			continue // the recovering run may have refreshed it
		}
		if now[rel] != data {
			t.Errorf("%s: after recovery %s is not what the operation writes", at, rel)
		}
	}
	for rel := range before {
		if _, kept := after[rel]; !kept && after != nil && now[rel] != "" {
			t.Errorf("%s: after recovery %s, which the operation removes, is still there", at, rel)
		}
	}
	if out := mustRun(t, env, dir, "pmfolio", "doctor"); !strings.Contains(out, "no interrupted operation") {
		t.Errorf("%s: doctor after recovery:\n%s", at, out)
	}
}

// TestConcurrentNew runs 20 `pmfolio new` at once on one portfolio: each
// succeeds or fails with the lock message, every one that succeeded has
// its document committed, and the repository and index are clean.
func TestConcurrentNew(t *testing.T) {
	env := hardEnv(t)
	examples, err := filepath.Abs("../../examples/answers")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "port")
	mustRun(t, env, "", "pmfolio", "init", "--answers", filepath.Join(examples, "init.yaml"), "--date", "2026-01-05", dir)
	const n = 20
	type result struct {
		out string
		err error
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := run(env, dir, "pmfolio", "new", "story", "--answers", filepath.Join(examples, "story.yaml"),
				"--set", fmt.Sprintf("title=Story number %d", i), "--date", "2026-03-16")
			results[i] = result{out, err}
		}()
	}
	wg.Wait()
	busy := regexp.MustCompile(`(?m)^pmfolio: another pmfolio is writing this portfolio \(pid \d+\)$`)
	ok := 0
	for i, r := range results {
		doc := fmt.Sprintf("story/2026-03-16-story-number-%d.md", i)
		switch {
		case r.err == nil:
			ok++
			if !strings.Contains(mustRun(t, env, dir, "git", "log", "--format=%s"), fmt.Sprintf("story: add \"Story number %d\"", i)) {
				t.Errorf("run %d succeeded but its commit is not in the log", i)
			}
			if out := mustRun(t, env, dir, "git", "ls-files", doc); strings.TrimSpace(out) != doc {
				t.Errorf("run %d succeeded but %s is not tracked", i, doc)
			}
		case busy.MatchString(r.out):
			if _, err := os.Stat(filepath.Join(dir, doc)); err == nil {
				t.Errorf("run %d gave up on the lock but wrote %s", i, doc)
			}
		default:
			t.Errorf("run %d failed otherwise: %v\n%s", i, r.err, r.out)
		}
	}
	if ok == 0 {
		t.Error("no run succeeded")
	}
	if out, err := run(env, dir, "git", "fsck", "--no-progress", "--no-dangling"); err != nil {
		t.Errorf("git fsck: %v\n%s", err, out)
	}
	if out := mustRun(t, env, dir, "git", "status", "--porcelain", "--untracked-files=all"); out != "" {
		t.Errorf("git status is not clean:\n%s", out)
	}
	if out := mustRun(t, env, dir, "git", "diff-index", "--cached", "--name-only", "HEAD"); out != "" {
		t.Errorf("the index differs from HEAD:\n%s", out)
	}
	// The README lists the newest stories and counts the rest: together,
	// every story that got written.
	readme, _ := os.ReadFile(filepath.Join(dir, "README.md"))
	listed := regexp.MustCompile(`(?m)^### \[.*\]\(story/`).FindAll(readme, -1)
	more := 0
	if m := regexp.MustCompile(`… and (\d+) more in \[story/\]`).FindSubmatch(readme); m != nil {
		more, _ = strconv.Atoi(string(m[1]))
	}
	if len(listed)+more != ok {
		t.Errorf("the README shows %d stories and counts %d more, not the %d written:\n%s", len(listed), more, ok, readme)
	}
	t.Logf("%d of %d runs got the lock", ok, n)
}

// TestLockHeld: while another process holds the lock, new waits
// PMFOLIO_LOCK_WAIT, then exits 2 naming the holder's pid, having written
// nothing; once the lock is free it succeeds.
func TestLockHeld(t *testing.T) {
	env := hardEnv(t)
	examples, err := filepath.Abs("../../examples/answers")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "port")
	mustRun(t, env, "", "pmfolio", "init", "--answers", filepath.Join(examples, "init.yaml"), "--date", "2026-01-05", dir)
	st, err := portfolio.StateFor(dir, environ.New(env))
	if err != nil {
		t.Fatal(err)
	}
	lock, err := st.Begin(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"new", "story", "--answers", filepath.Join(examples, "story.yaml"), "--date", "2026-03-16"}
	out, err := run(append(env, "PMFOLIO_LOCK_WAIT=200ms"), dir, "pmfolio", args...)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Fatalf("with the lock held: %v, want exit 2\n%s", err, out)
	}
	want := fmt.Sprintf("pmfolio: another pmfolio is writing this portfolio (pid %d)\n", os.Getpid())
	if !strings.HasPrefix(out, want) {
		t.Errorf("got %q, want it to start with %q", out, want)
	}
	if st := mustRun(t, env, dir, "git", "status", "--porcelain", "--untracked-files=all"); st != "" {
		t.Errorf("a process that did not get the lock wrote:\n%s", st)
	}
	lock.Close()
	mustRun(t, env, dir, "pmfolio", args...)
}

// TestInterruptFetch: Ctrl-C (SIGINT) stops a pack fetch that hangs: a
// server that accepts the connection and never answers. pmfolio exits 130
// at once, says it was interrupted, and pins nothing.
func TestInterruptFetch(t *testing.T) {
	env := hardEnv(t)
	examples, err := filepath.Abs("../../examples/answers")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "port")
	mustRun(t, env, "", "pmfolio", "init", "--answers", filepath.Join(examples, "init.yaml"), "--date", "2026-01-05", dir)
	ln := silentServer(t)
	cmd := exec.Command("pmfolio", "pack", "add", "https://"+ln.Addr().String()+"/course.git@v1.0.0")
	cmd.Dir, cmd.Env = dir, env
	interrupt(t, cmd, 500*time.Millisecond)
	if st := mustRun(t, env, dir, "git", "status", "--porcelain"); st != "" {
		t.Errorf("an interrupted pack add wrote:\n%s", st)
	}
}

// TestInterruptGrade: Ctrl-C (SIGINT) stops a grading whose repositories
// hang (a server that accepts the connection and never answers, with an
// hour's time limit): every fetch stops at once, pmfolio exits 130, says
// it was interrupted, and writes no grades, no half-cloned mirror and no
// temporary folder.
func TestInterruptGrade(t *testing.T) {
	env := hardEnv(t)
	ln := silentServer(t)
	dir := t.TempDir()
	roster := "student,name,repo\n"
	for i := 0; i < 4; i++ {
		roster += fmt.Sprintf("s%d,S %d,https://%s/s%d.git\n", i, i, ln.Addr(), i)
	}
	os.WriteFile(filepath.Join(dir, "roster.csv"), []byte(roster), 0o644)
	os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("name: A\npack: {name: default}\ndocuments: [{kind: prd}]\ndue: 2026-03-08T23:59:00Z\nrubric: [{id: q, points: 10, min_score: 80}]\n"), 0o644)
	cache := filepath.Join(dir, "cache")
	cmd := exec.Command("pmfolio", "grade", "--roster", "roster.csv", "--assignment", "a.yaml", "--jobs", "2", "--timeout", "1h", "--cache", cache)
	cmd.Dir, cmd.Env = dir, env
	interrupt(t, cmd, 700*time.Millisecond)
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "a.yaml cache roster.csv" {
		t.Errorf("an interrupted grade left %v", names)
	}
	filepath.WalkDir(cache, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && (strings.Contains(d.Name(), ".tmp-") || d.Name() == "mirror.git") {
			t.Errorf("an interrupted clone left %s", p)
		}
		return nil
	})
}

// interrupt starts cmd, sends it SIGINT after delay (while it waits on a
// server that never answers) and expects it to stop within seconds with
// exit 130, saying that nothing was written.
func interrupt(t *testing.T, cmd *exec.Cmd, delay time.Duration) {
	t.Helper()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(delay)
	start := time.Now()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("after SIGINT: %v, want exit 130\n%s", err, out.String())
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("pmfolio took %v to stop after SIGINT", d)
	}
	if !strings.Contains(out.String(), "pmfolio: interrupted; nothing was written") {
		t.Errorf("output:\n%s", out.String())
	}
}

// silentServer listens on a local port, accepts every connection and never
// answers, until the test ends: a server that hangs.
func silentServer(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no local listener: %v", err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, silent, until the test ends
		}
	}()
	return ln
}
