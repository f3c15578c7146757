package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pmfolio/pmfolio/examples"
	"github.com/pmfolio/pmfolio/scaffold/app"
	"github.com/pmfolio/pmfolio/scaffold/environ"
)

// TestDemoPortfolioPassesCheck builds the example portfolio, the whole
// 90-day plan from examples/answers, on a machine with no git identity
// (an empty home, no system git configuration, no GIT_ variables), and
// requires check to find nothing: it is what we show people. Every commit
// is signed by the example author.
func TestDemoPortfolioPassesCheck(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	env := environ.FromMap(map[string]string{
		"HOME":                home,
		"XDG_CONFIG_HOME":     filepath.Join(home, ".config"),
		"XDG_STATE_HOME":      filepath.Join(home, ".state"),
		"XDG_CACHE_HOME":      filepath.Join(home, ".cache"),
		"GIT_CONFIG_NOSYSTEM": "1",
	})
	dir := filepath.Join(t.TempDir(), "portfolio")
	var log, out, errOut bytes.Buffer
	run := func(args []string, day string) int {
		now := time.Now
		if t, err := time.Parse("2006-01-02", day); err == nil {
			now = func() time.Time { return t.Add(17 * time.Hour) }
		}
		f := &app.Factory{Streams: app.Streams{In: strings.NewReader(""), Out: &out, Err: &errOut}, Env: env, Now: now}
		return app.MainWith(args, f)
	}
	answers, err := filepath.Abs("../answers")
	if err != nil {
		t.Fatal(err)
	}
	if code := examples.Build(dir, answers, &log, run); code != 0 {
		t.Fatalf("exit %d\n%s\n%s\n%s", code, log.String(), out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "14 documents checked · 0 errors · 0 warnings") {
		t.Errorf("check output:\n%s", out.String())
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Log("the git CLI is not installed: the repository is not checked with it")
		return
	}
	cmd := exec.Command("git", "status", "--porcelain")
	cmd.Dir = dir
	if st, err := cmd.Output(); err != nil || len(st) != 0 {
		t.Errorf("git status: %v\n%s", err, st)
	}
	cmd = exec.Command("git", "log", "--format=%an <%ae>")
	cmd.Dir = dir
	authors, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Repeat("Jordan Reyes <"+examples.Email+">\n", 1+len(examples.Plan)); string(authors) != want {
		t.Errorf("commit authors:\n%s", authors)
	}
}

// TestDemoCleansUpAfterFailure: a demo that fails removes the temporary
// folder it made, and says so.
func TestDemoCleansUpAfterFailure(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	calls := 0
	failThird := func(args []string, _ string) int {
		calls++
		if calls == 3 {
			return 2
		}
		if args[1] == "init" {
			// init's first effect: the portfolio's folder appears.
			if err := os.MkdirAll(args[len(args)-1], 0o755); err != nil {
				t.Error(err)
			}
		}
		return 0
	}
	var log, errs bytes.Buffer
	if _, code := demo("", root, "answers", &log, &errs, failThird); code != 2 {
		t.Fatalf("exit %d, want the failing step's 2", code)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
	if !strings.Contains(errs.String(), "demo: failed; removed ") {
		t.Errorf("stderr: %q", errs.String())
	}
}
