// Package packtest holds what the tests of packs share: a machine of the
// test's own (a session with its home, cache and clock), a portfolio on
// it, and a course's git repository with a tag per release, made with the
// git CLI as a course would make it.
package packtest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/create"
	"github.com/pmfolio/pmfolio/scaffold/environ"
	"github.com/pmfolio/pmfolio/scaffold/session"
)

// Session is a session on a machine of the test's own: a home folder
// without git configuration, its cache and state folders, and a fixed
// clock (2026-03-02). env adds variables.
func Session(t testing.TB, env ...string) *session.Session {
	t.Helper()
	home := t.TempDir()
	vars := map[string]string{"HOME": home, "XDG_CACHE_HOME": filepath.Join(home, "cache"), "XDG_STATE_HOME": filepath.Join(home, "state"), "GIT_CONFIG_NOSYSTEM": "1"}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	return &session.Session{
		Env:   environ.FromMap(vars),
		Now:   func() time.Time { return time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) },
		Stdin: strings.NewReader(""), Log: &strings.Builder{},
	}
}

// Portfolio makes a portfolio (not committed) with sess and returns its
// folder.
func Portfolio(t testing.TB, sess *session.Session) string {
	t.Helper()
	base := t.TempDir()
	if _, err := create.Portfolio(context.Background(), sess, create.PortfolioRequest{Base: base, Target: "port", NoCommit: true,
		Answers: create.Answers{Sets: []string{"name=Ada", "role=PM"}, Defaults: true}}); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(base, "port")
}

// Release is one tagged release of a course's pack: its tag, and its
// files by path (written over the release before), or a folder to copy.
type Release struct {
	Tag   string
	Files map[string]string
	Dir   string
}

// CourseRepo makes a git repository holding one commit and tag per
// release, in order, with the git CLI; the test is skipped without git.
func CourseRepo(t testing.TB, releases ...Release) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed: the course's repository is made with the git CLI")
	}
	dir := filepath.Join(t.TempDir(), "course")
	// git runs with an environment of its own: no configuration of this
	// machine, a fixed identity.
	env := []string{"HOME=" + t.TempDir(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=Course", "GIT_AUTHOR_EMAIL=course@example.com", "GIT_COMMITTER_NAME=Course", "GIT_COMMITTER_EMAIL=course@example.com"}
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	git("init", "-q", "-b", "main")
	for _, r := range releases {
		if r.Dir != "" {
			if err := os.CopyFS(dir, os.DirFS(r.Dir)); err != nil {
				t.Fatal(err)
			}
		}
		for name, data := range r.Files {
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		git("add", "-A")
		git("commit", "-qm", "release "+r.Tag)
		git("tag", r.Tag)
	}
	return dir
}
